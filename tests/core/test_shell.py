"""The UI shell: deny by default, navigation per role, language switcher."""

import pytest
from django.urls import reverse


def test_anonymous_visitor_is_sent_to_login_from_home(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_admin_login_form_is_not_a_second_way_in(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("trainer", ["training:index"], ["accompaniment:index", "advocacy:index"]),
        ("advocate", ["advocacy:index"], ["accompaniment:index", "training:index"]),
        ("accompanier", ["accompaniment:index", "security:index"], ["training:index"]),
        (
            "coordinator",
            ["accompaniment:index", "security:index", "training:index", "advocacy:index"],
            [],
        ),
    ],
)
def test_each_role_sees_only_its_own_menu(request, login, who, visible, hidden):
    client = login(request.getfixturevalue(who))

    response = client.get("/")

    links = {item.url_name for item in response.context["nav_items"]}
    assert links >= set(visible)
    assert links & set(hidden) == set()


def test_trainer_cannot_open_accompaniment(login, trainer):
    response = login(trainer).get(reverse("accompaniment:index"))

    assert response.status_code == 403


def test_user_without_role_sees_the_empty_state(login, outsider):
    response = login(outsider).get("/")

    assert response.status_code == 200
    assert [item.url_name for item in response.context["nav_items"]] == []


def test_coordinator_can_switch_the_interface_to_english(login, coordinator):
    client = login(coordinator)
    assert client.get("/").headers["Content-Language"] == "es-mx"

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")

    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
