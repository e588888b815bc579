"""The figures of a donor report, computed in the database, never per person in Python.

Sections register here: `register_section(code, label, func)` where
`func(*, start, end)` returns a list of tables. A table is a `Table` (or a
`(label, rows)` tuple) whose rows are `(category, count)` pairs. Categories come
from catalogues and choice lists only: no name, alias, municipality or free text
of a case can reach a report through them. The other apps' sections read
those apps' `aggregates` modules only (counts and their labels): advocacy
imports them, never the reverse, and nothing else of those apps.

Suppression (advocacy.suppression) is applied to every table afterwards.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from accompaniment import aggregates as hub_numbers
from aluna.core.aggregates import count_by, period_bounds
from crisis import aggregates as crisis_numbers
from security import aggregates as security_numbers
from training import aggregates as training_numbers

from .models import AdvocacyOutput, OutputKind


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
    # The name of the table's total among the report's key figures ("Sessions held");
    # empty when its total is not a key figure.
    summary: str = ""
    # "counts" (rows of (category, count)), "times" (rows of (category, cases, median
    # hours, 90th percentile hours), `total` the same figures over every case) or
    # "grid" (a two-way table: `cells` {(row, column): count}, advocacy.suppression.grid).
    kind: str = "counts"
    headers: list = field(default_factory=list)
    total: tuple | None = None
    # Grids: the row and column categories (code, label), in their order.
    row_categories: list = field(default_factory=list)
    column_categories: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)
    # A name other tables refer to, and, for a grid, the one-way tables that show its
    # row and column totals (what they hide, the grid hides, and the reverse).
    key: str = ""
    row_margins: str = ""
    column_margins: str = ""


@dataclass
class Section:
    code: str
    label: str
    func: Callable
    # Whether `func` takes the report's `options` (breakdowns dropped, states coarsened).
    takes_options: bool = False


_SECTIONS: dict[str, Section] = {}


def register_section(code: str, label, func: Callable, *, takes_options: bool = False) -> None:
    _SECTIONS[code] = Section(code=code, label=label, func=func, takes_options=takes_options)


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


def _category_label(key, labels: dict) -> str:
    if key is None or key == "":
        return str(_("Not recorded"))
    return str(labels.get(key, key))


def grid_table(label, cells: dict, row_labels: dict, column_labels: dict, **options) -> Table:
    """A two-way Table from `{(row code, column code): count}`; rows and columns sorted
    by label, as `_labelled` sorts the one-way tables they match."""
    rows = sorted({row for row, _c in cells}, key=lambda key: _category_label(key, row_labels))
    columns = sorted(
        {column for _r, column in cells}, key=lambda key: _category_label(key, column_labels)
    )
    return Table(
        label=label,
        kind="grid",
        row_categories=[(key, _category_label(key, row_labels)) for key in rows],
        column_categories=[(key, _category_label(key, column_labels)) for key in columns],
        cells={key: int(count) for key, count in cells.items()},
        **options,
    )


# Only crises_section still reads models (it moves to the crisis app with them).
_bounds = period_bounds


def _catalogue_labels(model) -> dict:
    return {entry.pk: entry.label for entry in model.objects.all()}


# --- accompaniment ---------------------------------------------------------------------------


# The breakdowns of the subjects section an advocate can drop before generating
# (the re-identification preview), and the tables that show each.
SUBJECT_BREAKDOWNS = {
    "kind": _("Kind of subject"),
    "gender": _("Gender identity"),
    "place": _("State (or region)"),
    "area": _("Area of defence"),
}


def subjects_section(*, start, end, options=None) -> list[Table]:
    """`options` (the report's): "drop" lists SUBJECT_BREAKDOWNS to leave out,
    "coarsen_states" shows regions instead of states."""
    options = options or {}
    drop = set(options.get("drop") or [])
    period = {"start": start, "end": end}
    if options.get("coarsen_states"):
        place_label = _("Political subjects accompanied, by region")
        place_counts, place_labels = (
            hub_numbers.subjects_by_region(**period),
            hub_numbers.region_labels(),
        )
        grid_label = _("Political subjects accompanied, by region and gender identity")
        grid_counts = hub_numbers.subjects_by_gender_and_region
    else:
        place_label = _("Political subjects accompanied, by state")
        place_counts, place_labels = (
            hub_numbers.subjects_by_state(**period),
            hub_numbers.state_labels(),
        )
        grid_label = _("Political subjects accompanied, by state and gender identity")
        grid_counts = hub_numbers.subjects_by_gender_and_state
    tables = []
    if "kind" not in drop:
        tables.append(
            Table(
                label=_("Political subjects accompanied, by kind"),
                rows=_labelled(
                    hub_numbers.subjects_by_kind(**period), hub_numbers.subject_kind_labels()
                ),
                has_total=True,
                population="subjects",
                summary=_("Political subjects accompanied"),
            )
        )
    if "gender" not in drop:
        tables.append(
            Table(
                label=_("Political subjects accompanied, by gender identity"),
                rows=_labelled(
                    hub_numbers.subjects_by_gender(**period), hub_numbers.gender_labels()
                ),
                has_total=True,
                population="subjects",
                key="subjects-by-gender",
            )
        )
    if "place" not in drop:
        tables.append(
            Table(
                label=place_label,
                rows=_labelled(place_counts, place_labels),
                has_total=True,
                population="subjects",
                key="subjects-by-place",
            )
        )
    if not drop & {"gender", "place"}:
        tables.append(
            grid_table(
                grid_label,
                {
                    (place, gender): count
                    for (gender, place), count in grid_counts(**period).items()
                },
                place_labels,
                hub_numbers.gender_labels(),
                population="subjects",
                row_margins="subjects-by-place",
                column_margins="subjects-by-gender",
            )
        )
    if "area" not in drop:
        tables.append(
            Table(
                label=_("Political subjects accompanied, by area of defence"),
                rows=_labelled(hub_numbers.subjects_by_area(**period), hub_numbers.area_labels()),
            )
        )
    return tables


def subject_combinations(*, start, end, attributes: list[str]) -> dict:
    """The hub's `{(attribute values): subjects}` for the re-identification preview."""
    return hub_numbers.subject_combinations(start=start, end=end, attributes=attributes)


def subject_attribute_labels(attribute: str) -> dict:
    return {
        "kind": hub_numbers.subject_kind_labels,
        "gender": hub_numbers.gender_labels,
        "state": hub_numbers.state_labels,
        "region": hub_numbers.region_labels,
    }[attribute]()


def shown_subject_attributes(options=None) -> list[str]:
    """The attributes of a subject the subjects section shows (SUBJECT_ATTRIBUTES)."""
    options = options or {}
    drop = set(options.get("drop") or [])
    shown = [name for name in ("kind", "gender") if name not in drop]
    if "place" not in drop:
        shown.append("region" if options.get("coarsen_states") else "state")
    return shown


def processes_section(*, start, end) -> list[Table]:
    period = {"start": start, "end": end}
    kinds = hub_numbers.process_kind_labels()
    return [
        Table(
            label=_("Processes opened, by kind"),
            rows=_labelled(hub_numbers.processes_opened_by_kind(**period), kinds),
            has_total=True,
            summary=_("Processes opened"),
        ),
        Table(
            label=_("Processes closed, by kind"),
            rows=_labelled(hub_numbers.processes_closed_by_kind(**period), kinds),
            has_total=True,
            summary=_("Processes closed"),
        ),
    ]


def sessions_section(*, start, end) -> list[Table]:
    period = {"start": start, "end": end}
    fields = hub_numbers.session_field_labels()
    return [
        Table(
            label=_("Sessions, by field worked (a session may work several)"),
            rows=[
                (str(fields[code]), int(count))
                for code, count in hub_numbers.sessions_by_field(**period).items()
            ],
        ),
        Table(
            label=_("Sessions, by modality"),
            rows=_labelled(
                hub_numbers.sessions_by_modality(**period), hub_numbers.session_modality_labels()
            ),
            has_total=True,
            summary=_("Sessions held"),
        ),
    ]


def crises_section(*, start, end) -> list[Table]:
    types = crisis_numbers.aggression_type_labels()
    return [
        Table(
            label=_("Crisis interventions, by risk level"),
            rows=_labelled(
                crisis_numbers.interventions_by_risk_level(start=start, end=end),
                crisis_numbers.risk_level_labels(),
            ),
            has_total=True,
            summary=_("Crisis interventions"),
        ),
        Table(
            label=_("Crisis interventions, by type of aggression"),
            rows=_labelled(
                crisis_numbers.interventions_by_aggression_type(start=start, end=end),
                types,
            ),
            key="crises-by-type",
        ),
        grid_table(
            _("Crisis interventions, by type of aggression and region (one per type)"),
            crisis_numbers.interventions_by_aggression_type_and_region(start=start, end=end),
            types,
            hub_numbers.region_labels(),
            row_margins="crises-by-type",
        ),
        Table(
            label=_("Crisis interventions, by perpetrator"),
            rows=_labelled(
                crisis_numbers.interventions_by_perpetrator(start=start, end=end),
                crisis_numbers.perpetrator_labels(),
            ),
        ),
    ]


_TIME_MEASURES = {
    "contact": _("Hours from the aggression to the first crisis contact"),
    "process": _("Hours from the crisis to the opening of a long process"),
}
_TIME_BREAKDOWNS = {
    "month": _("by month"),
    "region": _("by region"),
    "aggression_type": _("by type of aggression"),
    "risk_level": _("by risk level"),
}


def _time_headers() -> list:
    return [_("Cases"), _("Median (hours)"), _("90th percentile (hours)")]


def _time_figures(found: dict | None) -> tuple:
    if not found:
        return (0, None, None)
    return (
        int(found["cases"]),
        round(float(found["median"]), 1),
        round(float(found["p90"]), 1),
    )


def _time_label(by: str, key, labels: dict) -> str:
    if key is None or key == "":
        return str(_("Not recorded"))
    if by == "month":
        return key.strftime("%Y-%m")
    return str(labels.get(key, key))


def response_times_section(*, start, end) -> list[Table]:
    """Median and 90th percentile hours of the crisis response (crisis.aggregates),
    one table per measure and breakdown, the whole period as the total row."""
    tables = []
    for measure, measure_label in _TIME_MEASURES.items():
        overall = crisis_numbers.response_times(start=start, end=end, measure=measure)
        for by, by_label in _TIME_BREAKDOWNS.items():
            figures = crisis_numbers.response_times(start=start, end=end, measure=measure, by=by)
            labels = crisis_numbers.breakdown_labels(by)
            rows = [
                (_time_label(by, key, labels), *_time_figures(found))
                for key, found in figures.items()
            ]
            rows.sort(key=lambda row: row[0])
            partition = by != "aggression_type"  # a crisis has one month, region, risk
            tables.append(
                Table(
                    label=f"{measure_label}, {by_label}",
                    rows=rows,
                    kind="times",
                    headers=_time_headers(),
                    has_total=partition,
                    population=f"times-{measure}" if partition else "",
                    total=_time_figures(overall.get(None)) if rows and partition else None,
                )
            )
    return tables


def security_section(*, start, end) -> list[Table]:
    period = {"start": start, "end": end}
    sources = security_numbers.measure_source_labels()
    return [
        Table(
            label=_("Protection measures granted in the period, by state"),
            rows=_labelled(
                security_numbers.measures_granted_by_status(**period),
                security_numbers.measure_status_labels(),
            ),
            has_total=True,
            population="measures",
            summary=_("Protection measures granted"),
        ),
        Table(
            label=_("Protection measures granted but not implemented, by who granted them"),
            rows=_labelled(security_numbers.measures_not_implemented_by_source(**period), sources),
            has_total=True,
        ),
        Table(
            label=_("Protection measures granted in the period, by who granted them"),
            rows=_labelled(security_numbers.measures_granted_by_source(**period), sources),
            has_total=True,
            population="measures",
        ),
        Table(
            label=_("Risk assessments made, by risk level"),
            rows=_labelled(
                security_numbers.risk_assessments_by_level(**period),
                security_numbers.risk_level_labels(),
            ),
            has_total=True,
            summary=_("Risk assessments made"),
        ),
    ]


def training_section(*, start, end) -> list[Table]:
    period = {"start": start, "end": end}
    change = training_numbers.entry_to_exit_change(**period)
    change_labels = {
        "rose": _("Mean score rose"),
        "held": _("Mean score held"),
        "fell": _("Mean score fell"),
    }
    return [
        Table(
            label=_("Training cohorts running in the period, by modality"),
            rows=_labelled(
                training_numbers.cohorts_by_modality(**period), training_numbers.modality_labels()
            ),
            has_total=True,
            protect=False,
            summary=_("Training cohorts running"),
        ),
        Table(
            label=_("Training participants, by gender identity"),
            rows=_labelled(
                training_numbers.participants_by_gender(**period),
                training_numbers.participant_gender_labels(),
            ),
            has_total=True,
            summary=_("Training participants"),
        ),
        Table(
            label=_("Attendance marks at training sessions, by status"),
            rows=_labelled(
                training_numbers.attendance_by_status(**period),
                training_numbers.attendance_status_labels(),
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
    outputs = AdvocacyOutput.objects.filter(date__range=(start, end))
    return [
        Table(
            label=_("Advocacy outputs, by kind"),
            rows=_labelled(count_by(outputs, "kind"), dict(OutputKind.choices)),
            has_total=True,
            protect=False,
            summary=_("Advocacy outputs"),
        )
    ]


def register_default_sections() -> None:
    register_section(
        "subjects", _("Political subjects accompanied"), subjects_section, takes_options=True
    )
    register_section("processes", _("Processes opened and closed"), processes_section)
    register_section("sessions", _("Sessions by field"), sessions_section)
    register_section("crises", _("Crisis interventions"), crises_section)
    register_section("response_times", _("Crisis response times"), response_times_section)
    register_section("security", _("Protection measures and risk"), security_section)
    register_section("training", _("Training"), training_section)
    register_section("outputs", _("Advocacy outputs of the period"), outputs_section)
