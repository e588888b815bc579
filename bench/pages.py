"""The pages the benchmark times. Apps add their heavy pages here as they land.

`user` is a demo user key from aluna.accounts.seeding.DEMO_USERS ("coordinator",
"accompanier1", ...) or an e-mail address. Give either `url_name` (one name
or a tuple of candidates: the first that reverses is used, none skips the
page) with optional `kwargs`, a literal `url`, or `url_for`: a callable that
gets the bench user and returns the URL (or None to skip), for pages about one
record, e.g. a process on that user's team.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    url_name: str | tuple[str, ...] | None = None
    url: str | None = None
    kwargs: dict = field(default_factory=dict)
    url_for: Callable | None = None
    # For a form's save: a callable that gets the bench user and returns the POST
    # data (or None to skip). The page then times POSTs, which must redirect (302).
    post_data: Callable | None = None
    # A list page of this model ("subject", "process"): its budget is half the time of
    # the bench admin's changelist of the same model, timed in the same run.
    list_of: str | None = None
    # A yardstick, not an app page: "floor", "admin:subject", "admin:process".
    reference: str | None = None


# The yardsticks every page is measured against, in the same run (bench/urls.py).
REFERENCES: list[Page] = [
    Page("floor (1 query, 1 small template)", "coordinator", "bench-floor", reference="floor"),
    Page(
        "admin changelist: subjects",
        "coordinator",
        "bench_admin:accompaniment_politicalsubject_changelist",
        reference="admin:subject",
    ),
    Page(
        "admin changelist: processes",
        "coordinator",
        "bench_admin:accompaniment_process_changelist",
        reference="admin:process",
    ),
]


PAGES: list[Page] = [
    # Each role's landing page.
    Page("home (administración)", "admin", "core:home"),
    Page("home (coordinación)", "coordinator", "core:home"),
    Page("home (acompañamiento)", "accompanier1", "core:home"),
    Page("home (formación)", "trainer", "core:home"),
    Page("home (incidencia)", "advocate", "core:home"),
    # The four app index pages, for the role that works in them day to day.
    Page("accompaniment index", "accompanier1", "accompaniment:index", list_of="subject"),
    Page("security index", "accompanier1", "security:index"),
    Page("training index", "trainer", "training:index"),
    Page("advocacy index", "advocate", "advocacy:index"),
    # The coordinator sees everything: the widest querysets.
    Page(
        "accompaniment index (coordinación)",
        "coordinator",
        "accompaniment:index",
        list_of="subject",
    ),
    Page("security index (coordinación)", "coordinator", "security:index"),
    Page(
        "notifications",
        "accompanier1",
        ("notifications:list", "notifications:index", "notifications:notification-list"),
    ),
    Page("users list (administración)", "admin", "accounts:user-list"),
    Page("audit log (administración)", "admin", "audit:list"),
    Page("catalogues (administración)", "admin", "accompaniment:catalogue-list"),
    Page("my security", "accompanier1", "accounts:my-security"),
]


# --- Pages about one record ------------------------------------------------------------
# The records are picked from what the bench user may see, through the app's own
# selectors: a "typical" one (about ten sessions) and the heaviest one (the seed gives
# the demo accompaniers processes with 60-90 sessions).

TYPICAL_SESSIONS = (8, 15)


def reverse_first(names: str | tuple[str, ...], *, pk, kwarg_names: tuple[str, ...]) -> str | None:
    """The first of `names` that reverses with one of `kwarg_names`=pk; None if none does."""
    for name in (names,) if isinstance(names, str) else names:
        for kwarg in kwarg_names:
            try:
                return reverse(name, kwargs={kwarg: pk})
            except NoReverseMatch:
                continue
    return None


def bench_process(user, *, heaviest: bool = False):
    """A process on the user's team: one with about ten sessions, or the one with most."""
    from accompaniment.selectors.access import processes_for_user

    processes = processes_for_user(user=user).annotate(session_count=Count("sessions"))
    if heaviest:
        return processes.order_by("-session_count", "pk").first()
    low, high = TYPICAL_SESSIONS
    typical = processes.filter(session_count__gte=low, session_count__lte=high)
    return typical.order_by("pk").first() or processes.order_by("-session_count", "pk").first()


def process_url(names, *, heaviest: bool = False):
    def url_for(user):
        process = bench_process(user, heaviest=heaviest)
        if process is None:
            return None
        return reverse_first(names, pk=process.pk, kwarg_names=("process_id", "pk"))

    return url_for


def subject_url(names, *, heaviest: bool = False):
    def url_for(user):
        process = bench_process(user, heaviest=heaviest)
        if process is None:
            return None
        return reverse_first(names, pk=process.subject_id, kwarg_names=("subject_id", "pk"))

    return url_for


def session_url(names):
    def url_for(user):
        process = bench_process(user)
        session = process and process.sessions.order_by("-started_at").first()
        if session is None:
            return None
        return reverse_first(names, pk=session.pk, kwarg_names=("session_id", "pk"))

    return url_for


PAGES += [
    Page(
        "subject detail",
        "accompanier1",
        url_for=subject_url("accompaniment:subject-detail"),
    ),
    Page(
        "subject detail (heaviest)",
        "accompanier1",
        url_for=subject_url("accompaniment:subject-detail", heaviest=True),
    ),
    Page(
        "process detail",
        "accompanier1",
        url_for=process_url("accompaniment:process-detail"),
    ),
    Page(
        "process detail (heaviest)",
        "accompanier1",
        url_for=process_url("accompaniment:process-detail", heaviest=True),
    ),
    Page(
        "process detail (coordinación)",
        "coordinator",
        url_for=process_url("accompaniment:process-detail", heaviest=True),
    ),
    Page(
        "process timeline",
        "accompanier1",
        url_for=process_url("accompaniment:process-timeline"),
    ),
    Page(
        "process timeline (heaviest)",
        "accompanier1",
        url_for=process_url("accompaniment:process-timeline", heaviest=True),
    ),
    Page(
        "session detail",
        "accompanier1",
        url_for=session_url("accompaniment:session-detail"),
    ),
    Page(
        "session create (form)",
        "accompanier1",
        url_for=process_url("accompaniment:session-create"),
    ),
    Page("accompaniment dashboard", "coordinator", "accompaniment:dashboard", list_of="process"),
    Page(
        "attention lists (coordinación)",
        "coordinator",
        "accompaniment:attention",
        list_of="process",
    ),
    Page(
        "attention lists (acompañamiento)",
        "accompanier1",
        "accompaniment:attention",
        list_of="process",
    ),
]


def register_page(page: Page) -> None:
    if all(p.name != page.name for p in PAGES):
        PAGES.append(page)


def crisis_quick_save(user) -> dict | None:
    """The quick form's minimum, for a subject on the user's caseload (by its alias)."""
    from django.utils import timezone

    from accompaniment.selectors.access import subjects_for_user

    subject = subjects_for_user(user=user).order_by("alias").first()
    if subject is None:
        return None
    return {
        "subject_query": subject.alias,
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "risk_level": "high",
    }


# --- Crisis response: the board, the quick form and its save (budget: save < 100 ms).
for _crisis_page in (
    Page("crisis board (coordinación)", "coordinator", "crisis:crisis-board"),
    Page("crisis board (acompañamiento)", "accompanier1", "crisis:crisis-board"),
    Page("crisis quick form", "accompanier1", "crisis:crisis-create"),
    Page(
        "crisis quick form: save",
        "accompanier1",
        "crisis:crisis-create",
        post_data=crisis_quick_save,
    ),
):
    register_page(_crisis_page)


# --- Training: a cohort the trainer facilitates, and its attendance page --------------------


def _trainer_cohort(user):
    from training.models import Cohort

    return Cohort.objects.filter(facilitators=user).order_by("starts_on").first()


def trainer_cohort_url(user) -> str | None:
    cohort = _trainer_cohort(user)
    return reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}) if cohort else None


def trainer_attendance_url(user) -> str | None:
    cohort = _trainer_cohort(user)
    session = cohort.sessions.order_by("date").first() if cohort else None
    return reverse("training:attendance", kwargs={"session_id": session.pk}) if session else None


def trainer_evaluation_url(user) -> str | None:
    cohort = _trainer_cohort(user)
    return (
        reverse("training:cohort-evaluation", kwargs={"cohort_id": cohort.pk}) if cohort else None
    )


for _training_page in (
    Page("training cohort evaluation", "trainer", url_for=trainer_evaluation_url),
    Page("training programmes", "trainer", "training:programme-list"),
    Page("training cohort detail", "trainer", url_for=trainer_cohort_url),
    Page("training attendance", "trainer", url_for=trainer_attendance_url),
):
    register_page(_training_page)


# --- Security: a process's security page, its latest risk assessment and plan, the lists ----
# Records on the bench process (coordinación: the heaviest) when the security seeder
# gave it some, else the first the user may see (tests/security/test_bench_pages.py).


def _security_record(user, records, *, heaviest: bool = False):
    """The newest of `records` (a selector's queryset) on the bench process, else any."""
    process = bench_process(user, heaviest=heaviest)
    on_process = records.filter(process=process) if process is not None else records.none()
    return on_process.order_by("-created_at", "pk").first() or records.order_by("pk").first()


def security_process_url(*, heaviest: bool = False):
    def url_for(user):
        process = bench_process(user, heaviest=heaviest)
        return reverse("security:process", kwargs={"process_id": process.pk}) if process else None

    return url_for


def security_assessment_url(*, heaviest: bool = False):
    def url_for(user):
        from security.selectors import risk_assessments_for_user

        found = _security_record(user, risk_assessments_for_user(user=user), heaviest=heaviest)
        return (
            reverse("security:assessment-detail", kwargs={"assessment_id": found.pk})
            if found
            else None
        )

    return url_for


def security_plan_url(*, heaviest: bool = False):
    def url_for(user):
        from security.selectors import plans_for_user

        found = _security_record(user, plans_for_user(user=user), heaviest=heaviest)
        return reverse("security:plan-detail", kwargs={"plan_id": found.pk}) if found else None

    return url_for


def security_checkin_url(user) -> str | None:
    from security.selectors import checkins_open_for_list

    found = checkins_open_for_list(user=user).first()
    return reverse("security:checkin-detail", kwargs={"checkin_id": found.pk}) if found else None


for _security_page in (
    Page("security of a process", "accompanier1", url_for=security_process_url()),
    Page(
        "security of a process (coordinación)",
        "coordinator",
        url_for=security_process_url(heaviest=True),
    ),
    Page("risk assessment detail", "accompanier1", url_for=security_assessment_url()),
    Page(
        "risk assessment detail (coordinación)",
        "coordinator",
        url_for=security_assessment_url(heaviest=True),
    ),
    Page("security plan detail", "accompanier1", url_for=security_plan_url()),
    Page(
        "security plan detail (coordinación)",
        "coordinator",
        url_for=security_plan_url(heaviest=True),
    ),
    Page("measures granted not implemented", "accompanier1", "security:measures-not-implemented"),
    Page(
        "measures granted not implemented (coordinación)",
        "coordinator",
        "security:measures-not-implemented",
    ),
    # The check-in list is the security index (above); one open check-in too.
    Page("check-in detail", "accompanier1", url_for=security_checkin_url),
    Page("check-in detail (coordinación)", "coordinator", url_for=security_checkin_url),
):
    register_page(_security_page)
