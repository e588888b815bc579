"""Another team's cases leave no trace on a member's pages: no alias, no initials, no count.

Pablo (accompanier) works on one team; Olga (other_accompanier) leads another
team's case with a process, a session, an objective, an assessment, a crisis, a
risk assessment, a measure still to implement, a plan and a check-in. Every page
Pablo can open without an id (every list, board, dashboard and export) is read
before and after Olga's team's records exist: it must not change by one byte
(once the per-request tokens are set aside), nor do the pages of Pablo's own
case, whose collective Olga's subject joins. A name search for Olga's subject
finds nothing for Pablo and is audited with zero results.
"""

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accompaniment.factories import (
    FieldAssessmentFactory,
    MembershipFactory,
    ObjectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
    SessionFactory,
)
from accompaniment.models import FederalEntity
from aluna.audit.models import AuditEvent
from crisis.services.interventions import crisis_record
from security.models import MeasureStatus, ProtectionMeasure
from security.services import checkin_create, plan_create, risk_assessment_create

OTHER_ALIAS = "Colibrí Zeta"
OTHER_NAME = "Zacarías Quintanilla Ruiz"
OTHER_INITIALS = "Z.Q.R."
# Pages that change state, or end the session, on GET.
SKIPPED = {"account_logout", "logout"}
# Per-request values: the CSP nonce, CSRF tokens and the crisis form's idempotency key;
# and the clock: how long ago the user's own session was last active.
VOLATILE = [
    (re.compile(r"(última actividad|last activity) [^<\n]*"), r"\1"),
    (re.compile(r'(name="idempotency_key" value=)"[^"]*"'), r'\1""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r'(name="csrf-token" content=)"[^"]*"'), r'\1""'),
    (re.compile(r'data-csrf-token="[^"]*"'), 'data-csrf-token=""'),
]


def _walk(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _pages_without_an_id() -> list[str]:
    urls = []
    for name in sorted(set(_walk())):
        if name in SKIPPED or name.startswith("admin:"):
            continue
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # needs an id: not a list
    return urls


def _normalised(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def _read_every_page(client, urls) -> dict[str, tuple[int, str]]:
    pages = {}
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[url] = (response.status_code, _normalised(body))
    return pages


def _other_teams_case(other_accompanier, coordinator):
    subject = PoliticalSubjectFactory(name=OTHER_NAME, alias=OTHER_ALIAS, created_by=None)
    process = ProcessFactory(subject=subject, lead=other_accompanier)
    SessionFactory(process=process, notes="Sesión del otro equipo")
    ObjectiveFactory(process=process, description="Objetivo del otro equipo")
    FieldAssessmentFactory(process=process, score=2)
    crisis_record(
        actor=other_accompanier,
        data={
            "subject": subject,
            "contacted_at": dt.datetime.now(dt.UTC),
            "channel": "phone",
            "risk_level": "critical",
            "responders": [other_accompanier],
        },
    )
    risk_assessment_create(
        process=process,
        actor=other_accompanier,
        assessed_on=dt.date.today(),
        threats=[{"description": "Amenaza al otro equipo", "likelihood": 3, "impact": 3}],
        vulnerabilities=[],
        capacities=[],
    )
    ProtectionMeasure.objects.create(
        process=process,
        source="own",
        kind="phone",
        status=MeasureStatus.NOT_IMPLEMENTED,
        granted_on=dt.date.today() - dt.timedelta(days=40),
    )
    plan_create(
        process=process,
        actor=other_accompanier,
        data={"title": "Plan del otro equipo", "review_on": dt.date.today()},
    )
    checkin_create(
        actor=other_accompanier,
        state=FederalEntity.objects.get(code="07"),
        municipality="Ocosingo",
        expected_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        contacts=[other_accompanier, coordinator],
    )
    return subject


@pytest.fixture
def pablo_has_a_case(accompanier, team_process):
    SessionFactory(process=team_process, notes="Sesión del equipo de Pablo")
    return team_process


def test_member_pages_do_not_change_when_another_team_adds_a_case(
    login, accompanier, other_accompanier, coordinator, pablo_has_a_case
):
    client = login(accompanier)
    process = pablo_has_a_case
    urls = [
        *_pages_without_an_id(),
        # Pablo's own collective, whose member Olga's subject becomes (see below).
        reverse("accompaniment:subject-detail", kwargs={"subject_id": process.subject_id}),
        reverse("accompaniment:process-detail", kwargs={"process_id": process.pk}),
        reverse("accompaniment:process-timeline", kwargs={"process_id": process.pk}),
        reverse("security:process", kwargs={"process_id": process.pk}),
    ]
    before = _read_every_page(client, urls)

    other_subject = _other_teams_case(other_accompanier, coordinator)
    MembershipFactory(defender=other_subject, collective=process.subject)
    after = _read_every_page(client, urls)

    assert len([url for url, (status, _) in before.items() if status == 200]) >= 20
    assert [after[url][0] for url in urls[-4:]] == [200, 200, 200, 200]
    changed = [url for url in urls if before[url] != after[url]]
    assert changed == []
    for _status, body in after.values():
        assert OTHER_ALIAS not in body
        assert OTHER_INITIALS not in body


def test_the_other_team_would_see_its_case_on_those_pages(
    login, other_accompanier, coordinator, db
):
    """The control: the same pages do show the case to its own team."""
    _other_teams_case(other_accompanier, coordinator)
    client = login(other_accompanier)

    body = client.get(reverse("accompaniment:index")).content.decode()

    assert OTHER_ALIAS in body
    assert OTHER_INITIALS in body


def test_member_searching_another_teams_name_finds_nothing(
    login, accompanier, other_accompanier, coordinator, pablo_has_a_case
):
    _other_teams_case(other_accompanier, coordinator)
    client = login(accompanier)

    response = client.post(reverse("accompaniment:index"), {"name": OTHER_NAME}, follow=True)

    assert response.status_code == 200
    body = response.content.decode()
    assert OTHER_ALIAS not in body
    assert OTHER_INITIALS not in body
    assert response.context["rows"] == []
    event = AuditEvent.objects.filter(action="search").order_by("-sequence").first()
    assert (event.actor, event.metadata["results"]) == (accompanier, 0)


def test_member_filtering_by_another_teams_alias_finds_nothing(
    login, accompanier, other_accompanier, coordinator, pablo_has_a_case
):
    _other_teams_case(other_accompanier, coordinator)
    client = login(accompanier)

    response = client.get(reverse("accompaniment:index"), {"q": "Colibrí"})

    assert response.status_code == 200
    assert OTHER_ALIAS not in response.content.decode()
    assert response.context["page_obj"].paginator.count == 0


def test_the_other_team_finds_its_subject_by_name(login, other_accompanier, coordinator, db):
    """The control: the same search finds the subject for its own team."""
    subject = _other_teams_case(other_accompanier, coordinator)
    client = login(other_accompanier)

    response = client.post(reverse("accompaniment:index"), {"name": OTHER_NAME}, follow=True)

    assert [row_subject.pk for row_subject, _count in response.context["rows"]] == [subject.pk]
