"""Notifications: each user sees and marks only their own; texts carry no names."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from aluna.notifications.models import Notification
from aluna.notifications.selectors import notification_unread_count
from aluna.notifications.services import notification_send

pytestmark = [pytest.mark.django_db]

MESSAGE = gettext_noop("Case %(code)s has a new follow-up note.")


def _notify(*users, code="ACO-2025-0012", count=1, email=False):
    notifications = []
    for _ in range(count):
        notifications += notification_send(
            recipients=users,
            kind="case-note",
            message=MESSAGE,
            params={"code": code},
            url="/acompanamiento/casos/12/",
            email=email,
        )
    return notifications


def test_accompanier_can_see_only_own_notifications(login, accompanier, other_accompanier):
    (own,) = _notify(accompanier)
    _notify(other_accompanier)
    client = login(accompanier)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert [n.pk for n in response.context["page_obj"]] == [own.pk]


def test_outsider_can_see_an_empty_list(login, outsider, accompanier):
    _notify(accompanier)
    client = login(outsider)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert b"empty-state" in response.content


def test_anonymous_cannot_see_notifications(client):
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_accompanier_can_mark_own_notification_read(login, accompanier):
    (notification,) = _notify(accompanier)
    client = login(accompanier)

    response = client.post(reverse("notifications:mark-read", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_accompanier_can_open_a_notification_link(login, accompanier):
    (notification,) = _notify(accompanier)
    client = login(accompanier)

    response = client.post(
        reverse("notifications:mark-read", args=[notification.pk]), {"open": "1"}
    )

    assert response.status_code == 302
    assert response.url == "/acompanamiento/casos/12/"


def test_accompanier_cannot_mark_another_users_notification_read(
    login, accompanier, other_accompanier
):
    (theirs,) = _notify(other_accompanier)
    client = login(accompanier)

    response = client.post(reverse("notifications:mark-read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_accompanier_cannot_mark_read_with_a_get(login, accompanier):
    (notification,) = _notify(accompanier)
    client = login(accompanier)

    response = client.get(reverse("notifications:mark-read", args=[notification.pk]))

    assert response.status_code == 405


def test_accompanier_can_mark_all_own_notifications_read(login, accompanier, other_accompanier):
    _notify(accompanier, count=3)
    _notify(other_accompanier)
    client = login(accompanier)

    response = client.post(reverse("notifications:mark-all-read"))

    assert response.status_code == 302
    assert notification_unread_count(user=accompanier) == 0
    assert notification_unread_count(user=other_accompanier) == 1


def test_list_page_query_count_does_not_grow_with_notifications(login, accompanier):
    _notify(accompanier, count=2)
    client = login(accompanier)
    url = reverse("notifications:list")
    client.get(url)  # warm up per-process caches (content types, ...)

    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _notify(accompanier, count=18)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)

    assert len(response.context["page_obj"]) == 20
    assert len(twenty) == len(two)


def test_bell_shows_the_unread_count_with_one_query(accompanier):
    _notify(accompanier, count=3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("notifications/includes/bell.html", {"user": accompanier})

    assert len(queries) == 1
    assert (
        '<span class="badge rounded-pill text-bg-danger" data-testid="unread-count">2</span>'
        in html
    )


def test_service_can_enqueue_one_email_per_recipient_after_commit(
    django_capture_on_commit_callbacks, accompanier, other_accompanier, outsider
):
    outsider.is_active = False
    outsider.save()

    with django_capture_on_commit_callbacks() as callbacks:
        notifications = _notify(accompanier, accompanier, other_accompanier, outsider, email=True)

    assert sorted(n.recipient.email for n in notifications) == [
        "olga@aluna.test",
        "pablo@aluna.test",
    ]
    assert len(callbacks) == 2


def test_service_cannot_enqueue_an_email_when_told_not_to(
    django_capture_on_commit_callbacks, accompanier
):
    with django_capture_on_commit_callbacks() as callbacks:
        _notify(accompanier, email=False)

    assert callbacks == []


@pytest.mark.parametrize("name", ["Pablo", "María López", "Oaxaca de Juárez", "ACO 12"])
def test_service_cannot_put_a_name_in_a_notification(accompanier, name):
    with pytest.raises(ValidationError):
        _notify(accompanier, code=name)

    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "acompanamiento/", "/\\evil.example"]
)
def test_service_cannot_link_outside_the_site(accompanier, url):
    with pytest.raises(ValidationError):
        notification_send(
            recipients=[accompanier],
            kind="case-note",
            message=MESSAGE,
            params={"code": "ACO-1"},
            url=url,
        )

    assert Notification.objects.count() == 0


def test_service_cannot_send_a_template_whose_placeholders_do_not_match(accompanier):
    with pytest.raises(ValidationError):
        notification_send(
            recipients=[accompanier],
            kind="case-note",
            message=MESSAGE,
            params={"name": "ACO-1"},
            url="/acompanamiento/",
        )
