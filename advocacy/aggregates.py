"""The figures of a donor report, computed in the database, never per person in Python.

Sections register here: `register_section(code, label, func)` where
`func(*, start, end)` returns a list of tables. A table is a `Table` (or a
`(label, rows)` tuple) whose rows are `(category, count)` pairs. Categories come
from catalogues and choice lists only: no name, alias, municipality or free text
of a case can reach a report through them. The security and training sections
read those apps' `aggregates` modules (numbers only): advocacy imports them,
never the reverse.

Suppression (advocacy.suppression) is applied to every table afterwards.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aluna.core.aggregates import count_by


@dataclass
class Table:
    label: str
    rows: list = field(default_factory=list)
    # True only when each counted thing falls in exactly one row: the rows add up
    # to the total, which is shown (and protected by secondary suppression).
    has_total: bool = False
    # Counts of people or cases are protected; counts of the team's own outputs are not.
    protect: bool = True
    # Tables counting the same things (e.g. subjects by kind, by gender, by state) share
    # one total: if one of them must hide it, they all do (advocacy.suppression rule 4).
    population: str = ""


@dataclass
class Section:
    code: str
    label: str
    func: Callable


_SECTIONS: dict[str, Section] = {}


def register_section(code: str, label, func: Callable) -> None:
    _SECTIONS[code] = Section(code=code, label=label, func=func)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def section_choices() -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in _SECTIONS.values()]


def get_section(code: str) -> Section | None:
    return _SECTIONS.get(code)


def as_table(value) -> Table:
    if isinstance(value, Table):
        return value
    label, rows = value[0], value[1]
    return Table(label=label, rows=list(rows))


# --- helpers ------------------------------------------------------------------------------


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high


def _labelled(counts: dict, labels: dict, *, missing=None) -> list[tuple[str, int]]:
    rows = []
    for key, count in counts.items():
        if key is None or key == "":
            label = missing if missing is not None else _("Not recorded")
        else:
            label = labels.get(key, str(key))
        rows.append((str(label), int(count)))
    rows.sort(key=lambda row: row[0])
    return rows


def _catalogue_labels(model) -> dict:
    return {entry.pk: entry.label for entry in model.objects.all()}


# --- accompaniment ---------------------------------------------------------------------------


def _accompanied_subject_ids(start, end):
    from accompaniment.models import Process

    return (
        Process.objects.filter(opened_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .values("subject_id")
    )


def subjects_section(*, start, end) -> list[Table]:
    from accompaniment.models import (
        AreaOfDefence,
        FederalEntity,
        GenderIdentity,
        PoliticalSubject,
        SubjectKind,
    )

    subjects = PoliticalSubject.objects.filter(pk__in=_accompanied_subject_ids(start, end))
    return [
        Table(
            label=_("Political subjects accompanied, by kind"),
            rows=_labelled(count_by(subjects, "kind"), _catalogue_labels(SubjectKind)),
            has_total=True,
            population="subjects",
        ),
        Table(
            label=_("Political subjects accompanied, by gender identity"),
            rows=_labelled(
                count_by(subjects, "gender_identity"),
                dict(GenderIdentity.choices),
            ),
            has_total=True,
            population="subjects",
        ),
        Table(
            label=_("Political subjects accompanied, by state"),
            rows=_labelled(count_by(subjects, "state"), _catalogue_labels(FederalEntity)),
            has_total=True,
            population="subjects",
        ),
        Table(
            label=_("Political subjects accompanied, by area of defence"),
            rows=_labelled(
                dict(count_by(subjects.filter(areas__isnull=False), "areas").items()),
                _catalogue_labels(AreaOfDefence),
            ),
        ),
    ]


def processes_section(*, start, end) -> list[Table]:
    from accompaniment.models import Process, ProcessKind

    kinds = dict(ProcessKind.choices)
    opened = Process.objects.filter(opened_on__range=(start, end))
    closed = Process.objects.filter(closed_on__range=(start, end))
    return [
        Table(
            label=_("Processes opened, by kind"),
            rows=_labelled(count_by(opened, "kind"), kinds),
            has_total=True,
        ),
        Table(
            label=_("Processes closed, by kind"),
            rows=_labelled(count_by(closed, "kind"), kinds),
            has_total=True,
        ),
    ]


def sessions_section(*, start, end) -> list[Table]:
    from accompaniment.models import PsychosocialField, Session, SessionModality

    low, high = _bounds(start, end)
    sessions = Session.objects.filter(started_at__gte=low, started_at__lt=high)
    flags = Session.FIELD_FLAGS
    by_field = sessions.aggregate(
        **{str(f): Count("pk", filter=Q(**{flag: True})) for f, flag in flags.items()}
    )
    field_labels = dict(PsychosocialField.choices)
    return [
        Table(
            label=_("Sessions, by field worked (a session may work several)"),
            rows=[(str(field_labels[f]), int(by_field[str(f)])) for f in flags],
        ),
        Table(
            label=_("Sessions, by modality"),
            rows=_labelled(count_by(sessions, "modality"), dict(SessionModality.choices)),
            has_total=True,
        ),
    ]


def crises_section(*, start, end) -> list[Table]:
    from crisis import aggregates as crisis_numbers

    return [
        Table(
            label=_("Crisis interventions, by risk level"),
            rows=_labelled(
                crisis_numbers.interventions_by_risk_level(start=start, end=end),
                crisis_numbers.risk_level_labels(),
            ),
            has_total=True,
        ),
        Table(
            label=_("Crisis interventions, by type of aggression"),
            rows=_labelled(
                crisis_numbers.interventions_by_aggression_type(start=start, end=end),
                crisis_numbers.aggression_type_labels(),
            ),
        ),
        Table(
            label=_("Crisis interventions, by perpetrator"),
            rows=_labelled(
                crisis_numbers.interventions_by_perpetrator(start=start, end=end),
                crisis_numbers.perpetrator_labels(),
            ),
        ),
    ]


def security_section(*, start, end) -> list[Table]:
    from security import aggregates as security_numbers
    from security.models import MeasureSource, MeasureStatus, RiskLevel

    sources = dict(MeasureSource.choices)
    return [
        Table(
            label=_("Protection measures granted in the period, by state"),
            rows=_labelled(
                security_numbers.measures_granted_by_status(start=start, end=end),
                dict(MeasureStatus.choices),
            ),
            has_total=True,
            population="measures",
        ),
        Table(
            label=_("Protection measures granted but not implemented, by who granted them"),
            rows=_labelled(
                security_numbers.measures_granted_by_source(
                    start=start, end=end, status=MeasureStatus.NOT_IMPLEMENTED
                ),
                sources,
            ),
            has_total=True,
        ),
        Table(
            label=_("Protection measures granted in the period, by who granted them"),
            rows=_labelled(
                security_numbers.measures_granted_by_source(start=start, end=end), sources
            ),
            has_total=True,
            population="measures",
        ),
        Table(
            label=_("Risk assessments made, by risk level"),
            rows=_labelled(
                security_numbers.risk_assessments_by_level(start=start, end=end),
                dict(RiskLevel.choices),
            ),
            has_total=True,
        ),
    ]


def training_section(*, start, end) -> list[Table]:
    from accompaniment.models import GenderIdentity
    from training import aggregates as training_numbers
    from training.models import AttendanceStatus, Modality

    change = training_numbers.entry_to_exit_change(start=start, end=end)
    change_labels = {
        "rose": _("Mean score rose"),
        "held": _("Mean score held"),
        "fell": _("Mean score fell"),
    }
    return [
        Table(
            label=_("Training cohorts running in the period, by modality"),
            rows=_labelled(
                training_numbers.cohorts_by_modality(start=start, end=end), dict(Modality.choices)
            ),
            has_total=True,
            protect=False,
        ),
        Table(
            label=_("Training participants, by gender identity"),
            rows=_labelled(
                training_numbers.participants_by_gender(start=start, end=end),
                dict(GenderIdentity.choices),
            ),
            has_total=True,
        ),
        Table(
            label=_("Attendance marks at training sessions, by status"),
            rows=_labelled(
                training_numbers.attendance_by_status(start=start, end=end),
                dict(AttendanceStatus.choices),
            ),
            has_total=True,
        ),
        Table(
            label=_("Participants by change from the entry to the exit evaluation"),
            rows=[(str(change_labels[key]), int(change[key] or 0)) for key in change_labels],
            has_total=True,
        ),
    ]


def outputs_section(*, start, end) -> list[Table]:
    from .models import AdvocacyOutput, OutputKind

    outputs = AdvocacyOutput.objects.filter(date__range=(start, end))
    return [
        Table(
            label=_("Advocacy outputs, by kind"),
            rows=_labelled(count_by(outputs, "kind"), dict(OutputKind.choices)),
            has_total=True,
            protect=False,
        )
    ]


def register_default_sections() -> None:
    register_section("subjects", _("Political subjects accompanied"), subjects_section)
    register_section("processes", _("Processes opened and closed"), processes_section)
    register_section("sessions", _("Sessions by field"), sessions_section)
    register_section("crises", _("Crisis interventions"), crises_section)
    register_section("security", _("Protection measures and risk"), security_section)
    register_section("training", _("Training"), training_section)
    register_section("outputs", _("Advocacy outputs of the period"), outputs_section)
