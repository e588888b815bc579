"""Every main page of every role, for the page sweep (test_pages.py) and the
screenshots (scripts/screenshots).

`main_pages(key)` gives (slug, path) pairs for the demo user `key`: the lists and
forms each role works with, and one record of each kind that user may see (the
first by a stable order), found through the apps' own selectors on the demo data.
A record that does not exist for that user leaves its page out.
"""

from collections.abc import Callable

from django.urls import reverse

from aluna.accounts.models import User
from aluna.accounts.seeding import demo_user

ROLES = ("admin", "coordinator", "accompanier1", "trainer", "advocate")


def _first(queryset):
    return queryset.order_by("pk").first()


def _subject(user):
    from accompaniment.selectors.access import subjects_for_user

    return _first(subjects_for_user(user=user).filter(is_archived=False, processes__isnull=False))


def _process(user, **filters):
    from accompaniment.selectors.access import processes_for_user

    return _first(
        processes_for_user(user=user).filter(is_archived=False, sessions__isnull=False, **filters)
    )


def _case_pages(user) -> list[tuple[str, str, dict]]:
    from accompaniment.models import Session
    from crisis.models import Aggression
    from crisis.selectors.interventions import crises_for_user

    pages = [
        ("subjects", "accompaniment:index", {}),
        ("subject-new", "accompaniment:subject-create", {}),
        ("attention", "accompaniment:attention", {}),
        ("crisis-board", "crisis:crisis-board", {}),
        ("crisis-new", "crisis:crisis-create", {}),
        ("aggressions", "crisis:aggression-list", {}),
        ("aggression-new", "crisis:aggression-create", {}),
        ("security", "security:index", {}),
        ("measures-pending", "security:measures-not-implemented", {}),
        ("notifications", "notifications:list", {}),
        ("my-security", "accounts:my-security", {}),
    ]
    subject, process = _subject(user), _process(user, kind="strengthening")
    if subject:
        pages.append(("subject", "accompaniment:subject-detail", {"subject_id": subject.pk}))
    if process:
        pages += [
            ("process", "accompaniment:process-detail", {"process_id": process.pk}),
            ("timeline", "accompaniment:process-timeline", {"process_id": process.pk}),
            ("session-new", "accompaniment:session-create", {"process_id": process.pk}),
            ("assessment-new", "accompaniment:assessment-create", {"process_id": process.pk}),
            ("process-security", "security:process", {"process_id": process.pk}),
        ]
        session = _first(Session.objects.filter(process=process))
        pages.append(("session", "accompaniment:session-detail", {"session_id": session.pk}))
    crisis = _first(crises_for_user(user=user))
    if crisis:
        pages.append(("crisis", "crisis:crisis-detail", {"crisis_id": crisis.pk}))
    aggression = _first(Aggression.objects.filter(interventions__in=crises_for_user(user=user)))
    if aggression:
        pages.append(("aggression", "crisis:aggression-detail", {"aggression_id": aggression.pk}))
    return pages


def _coordinator_pages(user) -> list[tuple[str, str, dict]]:
    process = _process(user, kind="strengthening")
    pages = [
        ("dashboard", "accompaniment:dashboard", {}),
        ("aggression-stats", "crisis:aggression-stats", {}),
        ("roster", "crisis:roster", {}),
        ("response-times", "crisis:response-times", {}),
        ("training", "training:index", {}),
        ("advocacy", "advocacy:index", {}),
    ]
    if process:
        pages.append(
            (
                "dashboard-organisation",
                "accompaniment:dashboard-organisation",
                {"process_id": process.pk},
            )
        )
    return pages


def _trainer_pages(user) -> list[tuple[str, str, dict]]:
    from training.selectors import cohorts_for_user

    pages = [
        ("training", "training:index", {}),
        ("programmes", "training:programme-list", {}),
        ("notifications", "notifications:list", {}),
    ]
    cohort = _first(cohorts_for_user(user=user).filter(sessions__isnull=False))
    if cohort:
        session = _first(cohort.sessions.all())
        pages += [
            ("programme", "training:programme-detail", {"programme_id": cohort.programme_id}),
            ("cohort", "training:cohort-detail", {"cohort_id": cohort.pk}),
            ("attendance", "training:attendance", {"session_id": session.pk}),
            ("evaluation", "training:cohort-evaluation", {"cohort_id": cohort.pk}),
            ("follow-up", "training:cohort-follow-up", {"cohort_id": cohort.pk}),
            ("import", "training:cohort-import", {"cohort_id": cohort.pk}),
        ]
    return pages


def _advocate_pages(user) -> list[tuple[str, str, dict]]:
    from advocacy.models import AdvocacyOutput, DonorReport, Grant

    pages = [
        ("advocacy", "advocacy:index", {}),
        ("outputs", "advocacy:output-list", {}),
        ("output-new", "advocacy:output-create", {}),
        ("grants", "advocacy:grant-list", {}),
        ("grant-new", "advocacy:grant-create", {}),
        ("donor-new", "advocacy:donor-create", {}),
        ("reports", "advocacy:report-list", {}),
        ("report-new", "advocacy:report-create", {}),
    ]
    output = _first(AdvocacyOutput.objects.all())
    if output:
        pages += [
            ("output", "advocacy:output-detail", {"output_id": output.pk}),
            ("output-edit", "advocacy:output-edit", {"output_id": output.pk}),
        ]
    grant = _first(Grant.objects.all())
    if grant:
        pages.append(("grant", "advocacy:grant-detail", {"grant_id": grant.pk}))
    report = _first(DonorReport.objects.all())
    if report:
        pages += [
            ("report", "advocacy:report-detail", {"report_id": report.pk}),
            ("report-preview", "advocacy:report-preview", {"report_id": report.pk}),
            ("report-edit", "advocacy:report-edit", {"report_id": report.pk}),
        ]
    return pages


def _admin_pages(user) -> list[tuple[str, str, dict]]:
    other = _first(User.objects.exclude(pk=user.pk))
    return [
        ("users", "accounts:user-list", {}),
        ("security-policy", "accounts:security-policy", {}),
        ("user-new", "accounts:user-create", {}),
        ("user", "accounts:user-detail", {"user_id": other.pk}),
        ("catalogues", "accompaniment:catalogue-list", {}),
        ("catalogue", "accompaniment:catalogue-entries", {"catalogue": "aggression-types"}),
        ("audit", "audit:list", {}),
        ("my-security", "accounts:my-security", {}),
    ]


_PAGES: dict[str, list[Callable]] = {
    "admin": [_admin_pages],
    "coordinator": [_case_pages, _coordinator_pages],
    "accompanier1": [_case_pages],
    "trainer": [_trainer_pages],
    "advocate": [_advocate_pages],
}


def main_pages(key: str) -> list[tuple[str, str]]:
    """(slug, path) of the main pages of demo user `key`, the home page first."""
    user = User.objects.get(email=demo_user(key).email)
    pages = [("home", reverse("core:home"))]
    seen = {"home"}
    for builder in _PAGES[key]:
        for slug, name, kwargs in builder(user):
            if slug not in seen:
                seen.add(slug)
                pages.append((slug, reverse(name, kwargs=kwargs)))
    return pages
