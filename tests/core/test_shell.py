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
    assert '<html lang="en" ' in response.content.decode()


def test_coordinator_finds_a_dozen_entries_in_six_menus_of_one_header_line(login, coordinator):
    response = login(coordinator).get("/")

    menu = response.context["nav_menu"]
    assert [entry.key for entry in menu] == ["crisis", "cases", "security", "training", "advocacy"]
    assert [item.url_name for item in menu[0].items] == [
        "crisis:crisis-create",
        "crisis:crisis-board",
        "crisis:aggression-list",
        "crisis:roster",
    ]
    assert menu[2].single.url_name == "security:index"


@pytest.mark.parametrize(
    ("who", "has_quick_crisis_button"),
    [("accompanier", True), ("coordinator", True), ("trainer", False), ("advocate", False)],
)
def test_case_roles_can_log_a_crisis_from_every_page_in_one_tap(
    request, login, who, has_quick_crisis_button
):
    client = login(request.getfixturevalue(who))

    pages = [client.get(path) for path in ("/", reverse("notifications:list"))]

    crisis_url = reverse("crisis:crisis-create")
    for response in pages:
        html = response.content.decode()
        assert (f'href="{crisis_url}" data-testid="quick-action"' in html) is (
            has_quick_crisis_button
        )


@pytest.mark.parametrize(
    ("full_name", "greeting_name"),
    [
        ("Sra. Karina Coronado", "Karina"),
        ("Lic. Francisca Barreto", "Francisca"),
        ("Pablo Psicólogo", "Pablo"),
        ("", "persona@aluna.test"),
    ],
)
def test_home_greets_people_by_their_first_name_without_honorifics(full_name, greeting_name):
    from aluna.accounts.models import User

    user = User(email="persona@aluna.test", full_name=full_name)

    assert user.get_short_name() == greeting_name
