"""The audit log page for administración, the "who consulted this record" box, denials."""

import datetime
import uuid

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aluna.accounts.factories import UserFactory
from aluna.audit.models import AuditEvent
from aluna.audit.selectors import audit_views_of
from aluna.audit.services import audit_record


def _sequences(response):
    return [event.sequence for event in response.context["page_obj"]]


def test_anonymous_visitor_cannot_open_the_audit_log(client, db):
    response = client.get(reverse("audit:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["coordinator", "accompanier", "trainer", "advocate", "outsider"])
def test_non_admin_cannot_open_the_audit_log(request, login, who):
    response = login(request.getfixturevalue(who)).get(reverse("audit:list"))

    assert response.status_code == 403


def test_admin_can_read_the_audit_log_newest_first(login, admin_user, accompanier):
    client = login(admin_user)
    viewed = audit_record(action="view", actor=accompanier, target_type="a.b", target_id="7")

    response = client.get(reverse("audit:list"))

    assert response.status_code == 200
    events = list(response.context["page_obj"])
    # The admin's own reading of the log comes first, then the accompanier's view.
    assert [(e.action, e.actor) for e in events[:2]] == [
        ("view", admin_user),
        ("view", accompanier),
    ]
    assert events[1].pk == viewed.pk
    assert events[0].target_type == "audit.auditevent"
    assert _sequences(response) == sorted(_sequences(response), reverse=True)


def test_admin_can_page_through_fifty_events_at_a_time(login, admin_user, accompanier):
    client = login(admin_user)  # one "login" event
    for n in range(60):
        audit_record(action="view", actor=accompanier, target_type="a.b", target_id=str(n))

    first = client.get(reverse("audit:list"))
    second = client.get(reverse("audit:list"), {"page": 2})

    assert len(first.context["page_obj"]) == 50
    assert first.context["page_obj"].paginator.count == 62
    assert len(second.context["page_obj"]) == 13
    assert second.context["page_obj"].paginator.count == 63


def test_admin_can_filter_by_user_action_and_record(login, admin_user, accompanier, trainer):
    client = login(admin_user)
    record = str(uuid.uuid4())
    wanted = audit_record(action="view", actor=accompanier, target_type="a.b", target_id=record)
    audit_record(action="update", actor=accompanier, target_type="a.b", target_id=record)
    audit_record(action="view", actor=trainer, target_type="a.b", target_id=record)
    audit_record(action="view", actor=accompanier, target_type="a.b", target_id=str(uuid.uuid4()))

    response = client.get(
        reverse("audit:list"),
        {"actor": accompanier.email, "action": "view", "target_type": "a.b", "target_id": record},
    )

    assert [e.pk for e in response.context["page_obj"]] == [wanted.pk]
    assert AuditEvent.objects.order_by("-sequence").first().action == "search"


def test_admin_can_filter_by_date_range(login, admin_user):
    client = login(admin_user)
    today = timezone.localdate()

    inside = client.get(reverse("audit:list"), {"date_from": today, "date_to": today})
    before = client.get(reverse("audit:list"), {"date_to": today - datetime.timedelta(days=1)})

    assert len(inside.context["page_obj"]) == 2  # the login and this search
    assert list(before.context["page_obj"]) == []


def test_admin_sees_the_empty_state_when_nothing_matches(login, admin_user):
    response = login(admin_user).get(reverse("audit:list"), {"action": "delete"})

    assert list(response.context["page_obj"]) == []
    assert response.content.decode().count("empty-state") == 1


def test_audit_log_query_count_does_not_grow_with_events(login, admin_user):
    client = login(admin_user)
    url = reverse("audit:list")

    def count_queries(n):
        for _ in range(n):
            audit_record(action="view", actor=UserFactory(), target_type="a.b", target_id="1")
        client.get(url)  # warm the per-session caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    assert count_queries(3) == count_queries(27)


def test_who_viewed_box_lists_who_consulted_the_record(coordinator, accompanier):
    record = str(uuid.uuid4())
    audit_record(action="view", actor=accompanier, target_type="a.b", target_id=record)
    audit_record(action="export", actor=coordinator, target_type="a.b", target_id=record)

    html = render_to_string(
        "audit/includes/who_viewed.html",
        {"events": audit_views_of(target_type="a.b", target_id=record)},
    )

    assert html.count("<li ") == 2
    assert html.index(coordinator.full_name) < html.index(accompanier.full_name)


def test_who_viewed_box_says_nobody_consulted_an_untouched_record(db):
    html = render_to_string(
        "audit/includes/who_viewed.html",
        {"events": audit_views_of(target_type="a.b", target_id=str(uuid.uuid4()))},
    )

    assert html.count("<li ") == 0
    assert "Nadie ha consultado este registro todavía." in html


def test_trainer_denied_the_audit_log_is_recorded(login, trainer):
    login(trainer).get(reverse("audit:list"))

    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.actor) == ("denied", trainer)
    assert event.metadata == {"view": "audit:list", "status": 403}


def test_accompanier_asking_for_a_missing_page_is_recorded(login, accompanier):
    login(accompanier).get("/no-existe/ana-lopez/")

    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.actor) == ("not_found", accompanier)
    assert event.metadata == {"view": None, "status": 404}
    assert "ana" not in str(event.metadata)


def test_anonymous_missing_page_is_not_recorded(client, db):
    client.get("/no-existe/")

    assert AuditEvent.objects.count() == 0
