"""The hub's numbers for the advocacy team's donor reports: counts by category, never a case.

Advocacy imports this module (never the reverse) and nothing else of the hub.
Every count takes the period and returns `{category code: count}` computed in
the database, one query each; categories are catalogue codes and choice values
only, so no name, alias, municipality, free text or record id leaves this module.
The `*_labels()` functions give the `{code: label}` to show next to those counts,
in the language of the current request.
"""

import datetime as dt

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from aluna.core.aggregates import count_by, period_bounds

from .models import (
    AreaOfDefence,
    CatalogueEntry,
    FederalEntity,
    GenderIdentity,
    PoliticalSubject,
    Process,
    ProcessKind,
    PsychosocialField,
    Session,
    SessionModality,
    SubjectKind,
)

# --- regions ---------------------------------------------------------------------------------

# Mexico's states (INEGI codes) grouped in seven regions: reports coarsen a state
# to its region when a state would single someone out.
REGIONS = {
    "northwest": (_("Northwest"), ("02", "03", "08", "10", "25", "26")),
    "northeast": (_("Northeast"), ("05", "19", "28")),
    "west": (_("West"), ("06", "14", "16", "18")),
    "north_central": (_("North central"), ("01", "11", "22", "24", "32")),
    "central": (_("Central"), ("09", "13", "15", "17", "21", "29")),
    "south": (_("South"), ("07", "12", "20")),
    "southeast": (_("Southeast and Gulf"), ("04", "23", "27", "30", "31")),
}
REGION_OF_STATE = {state: region for region, (_l, states) in REGIONS.items() for state in states}


def region_labels() -> dict:
    return {code: label for code, (label, _states) in REGIONS.items()}


def region_expression(state_code_path: str) -> Case:
    """The region code of the state at `state_code_path` ("state__code"), in SQL; NULL
    where no state was recorded."""
    return Case(
        *[
            When(**{f"{state_code_path}__in": states}, then=Value(region))
            for region, (_l, states) in REGIONS.items()
        ],
        default=Value(None),
        output_field=CharField(),
    )


# --- political subjects ----------------------------------------------------------------------


def _subjects_accompanied(*, start: dt.date, end: dt.date) -> QuerySet[PoliticalSubject]:
    """Subjects with a process open at some point of the period (counted once each)."""
    processes = Process.objects.filter(opened_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    return PoliticalSubject.objects.filter(pk__in=processes.values("subject_id"))


def subjects_by_kind(*, start: dt.date, end: dt.date) -> dict:
    return count_by(_subjects_accompanied(start=start, end=end), "kind__code")


def subjects_by_gender(*, start: dt.date, end: dt.date) -> dict:
    """By gender identity; "" where none was recorded (it needs the subject's consent)."""
    return count_by(_subjects_accompanied(start=start, end=end), "gender_identity")


def subjects_by_state(*, start: dt.date, end: dt.date) -> dict:
    """By state (INEGI code); None where no state was recorded."""
    return count_by(_subjects_accompanied(start=start, end=end), "state__code")


def subjects_by_gender_and_state(*, start: dt.date, end: dt.date) -> dict:
    """`{(gender, state code): count}`: each subject in exactly one cell."""
    rows = (
        _subjects_accompanied(start=start, end=end)
        .order_by()
        .values_list("gender_identity", "state__code")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(gender, state): n for gender, state, n in rows}


def subjects_by_region(*, start: dt.date, end: dt.date) -> dict:
    """By region (REGIONS); None where no state was recorded."""
    subjects = _subjects_accompanied(start=start, end=end).annotate(
        region=region_expression("state__code")
    )
    return count_by(subjects, "region")


def subjects_by_gender_and_region(*, start: dt.date, end: dt.date) -> dict:
    """`{(gender, region code): count}`: each subject in exactly one cell."""
    rows = (
        _subjects_accompanied(start=start, end=end)
        .annotate(region=region_expression("state__code"))
        .order_by()
        .values_list("gender_identity", "region")
        .annotate(n=Count("pk", distinct=True))
    )
    return {(gender, region): n for gender, region, n in rows}


# The attributes of a subject a report can show, for subject_combinations().
SUBJECT_ATTRIBUTES = ("kind", "gender", "state", "region")


def subject_combinations(*, start: dt.date, end: dt.date, attributes: list[str]) -> dict:
    """`{(value of each attribute, in order): number of subjects}` of the period's
    subjects, for the attributes named (SUBJECT_ATTRIBUTES). One query."""
    expressions = {
        "kind": F("kind__code"),
        "gender": F("gender_identity"),
        "state": F("state__code"),
        "region": region_expression("state__code"),
    }
    names = [f"attribute_{name}" for name in attributes]
    rows = (
        _subjects_accompanied(start=start, end=end)
        .annotate(
            **{alias: expressions[name] for alias, name in zip(names, attributes, strict=True)}
        )
        .order_by()
        .values_list(*names)
        .annotate(n=Count("pk", distinct=True))
    )
    return {tuple(row[:-1]): row[-1] for row in rows}


def subjects_by_area(*, start: dt.date, end: dt.date) -> dict:
    """By area of defence. A subject may defend several: the counts add up to more."""
    subjects = _subjects_accompanied(start=start, end=end).filter(areas__isnull=False)
    return count_by(subjects, "areas__code")


# --- processes and sessions ------------------------------------------------------------------


def processes_opened_by_kind(*, start: dt.date, end: dt.date) -> dict:
    return count_by(Process.objects.filter(opened_on__range=(start, end)), "kind")


def processes_closed_by_kind(*, start: dt.date, end: dt.date) -> dict:
    return count_by(Process.objects.filter(closed_on__range=(start, end)), "kind")


def _sessions_held(*, start: dt.date, end: dt.date) -> QuerySet[Session]:
    low, high = period_bounds(start, end)
    return Session.objects.filter(started_at__gte=low, started_at__lt=high)


def sessions_by_field(*, start: dt.date, end: dt.date) -> dict:
    """Sessions that worked each of the four fields, every field present, in their order.

    A session may work several fields, so the counts add up to more than the
    sessions. One query: a filtered COUNT per field flag.
    """
    counts = _sessions_held(start=start, end=end).aggregate(
        **{
            str(field): Count("pk", filter=Q(**{flag: True}))
            for field, flag in Session.FIELD_FLAGS.items()
        }
    )
    return {str(field): counts[str(field)] for field in Session.FIELD_FLAGS}


def sessions_by_modality(*, start: dt.date, end: dt.date) -> dict:
    return count_by(_sessions_held(start=start, end=end), "modality")


# --- labels ----------------------------------------------------------------------------------


def _catalogue_labels(model: type[CatalogueEntry]) -> dict:
    # Inactive entries too: past records still hold them.
    return {entry.code: entry.label for entry in model.objects.only("code", "label_es", "label_en")}


def subject_kind_labels() -> dict:
    return _catalogue_labels(SubjectKind)


def state_labels() -> dict:
    return _catalogue_labels(FederalEntity)


def area_labels() -> dict:
    return _catalogue_labels(AreaOfDefence)


def gender_labels() -> dict:
    return dict(GenderIdentity.choices)


def process_kind_labels() -> dict:
    return dict(ProcessKind.choices)


def session_field_labels() -> dict:
    return dict(PsychosocialField.choices)


def session_modality_labels() -> dict:
    return dict(SessionModality.choices)
