"""Series protection: a donor who received Q1 cannot subtract it from the half-year to
find a small count of the second quarter, nor chain three reports (Q1, the half-year,
then April-September) to find a small count of the third quarter."""

import datetime as dt
import io
from types import SimpleNamespace

import numpy as np
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override as translation_override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accompaniment.factories import ProcessFactory
from accompaniment.models import ProcessKind
from advocacy import aggregates
from advocacy.models import Donor, DonorReport, Grant, ReportDelivery
from advocacy.preview import hidden_cells
from advocacy.series import exact_figures, leaks, nested
from advocacy.services import report_compute_tables, report_generate, report_mark_delivered
from advocacy.suppression import SECONDARY, SMALL, THRESHOLD, TOTAL
from aluna.audit.models import AuditEvent
from tests.advocacy.test_grids import reader_ranges

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
H1 = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
APR_SEP = (dt.date(2026, 4, 1), dt.date(2026, 9, 30))


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def grant(db):
    donor = Donor.objects.create(name="Fundación Norte")
    return Grant.objects.create(donor=donor, project="Raíces", start=H1[0], end=H1[1])


def _opened(kind, day, n):
    for _i in range(n):
        ProcessFactory(kind=kind, opened_on=day)


def _report(grant, advocate, period) -> DonorReport:
    report = DonorReport.objects.create(
        title="Informe",
        grant=grant,
        start=period[0],
        end=period[1],
        sections=["processes"],
        created_by=advocate,
    )
    return report_generate(report_id=report.pk)


def _opened_table(report) -> dict:
    return next(t for s in report.tables for t in s["tables"] if t["ref"] == "processes:0")


def test_q1_then_h1_recovers_nothing(grant, advocate, login):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 1, 20), 10)
    _opened(ProcessKind.CRISIS, dt.date(2026, 2, 10), 6)
    q1 = _report(grant, advocate, Q1)
    assert _opened_table(q1)["rows"] == [
        ["Crisis and emergency", 6],
        ["Organisational strengthening", 10],
    ]
    report_mark_delivered(report=q1, actor=advocate)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 5, 4), 2)  # two in the second quarter

    h1 = _report(grant, advocate, H1)

    # 12 - 10 would give the second quarter's 2: both the count and the total are hidden.
    table = _opened_table(h1)
    assert table["rows"] == [
        ["Crisis and emergency", 6],
        ["Organisational strengthening", SECONDARY],
    ]
    assert table["total"] == SECONDARY
    assert [note["category"] for note in table["series"]] == ["Organisational strengthening", TOTAL]
    # Whatever both reports show exactly differs by 0 or by 5 or more.
    before, after = exact_figures(q1.tables), exact_figures(h1.tables)
    for key in before.keys() & after.keys():
        assert after[key] - before[key] == 0 or abs(after[key] - before[key]) >= 5
    # The PDF shows neither 12 nor 18.
    reader = pypdf.PdfReader(io.BytesIO(_pdf(h1)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert " 12 " not in f" {' '.join(text.split())} " and "18" not in text
    # And the page says why.
    html = login(advocate).get(reverse("advocacy:report-detail", kwargs={"report_id": h1.pk})).text
    assert "“Organisational strengthening” is hidden (“*”): subtracted from the report" in html
    assert "from Jan. 1, 2026 to March 31, 2026" in html, html.split("series-note")[1][:400]


def _pdf(report) -> bytes:
    from advocacy.services import _associated_data
    from aluna.encryption.keys import decrypt

    return decrypt(report.pdf_encrypted, associated_data=_associated_data(report.pk))


def test_a_report_of_another_donor_or_a_merely_overlapping_period_is_not_compared(grant, advocate):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 3, 20), 10)
    q1 = _report(grant, advocate, Q1)
    report_mark_delivered(report=q1, actor=advocate)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 4, 4), 2)
    other = Grant.objects.create(
        donor=Donor.objects.create(name="Otra fundación"), project="Otro", start=H1[0], end=H1[1]
    )

    assert _opened_table(_report(other, advocate, H1))["rows"] == [
        ["Organisational strengthening", 12]
    ]
    overlapping = _report(grant, advocate, (dt.date(2026, 2, 1), dt.date(2026, 4, 30)))
    assert _opened_table(overlapping)["rows"] == [["Organisational strengthening", 12]]
    assert not nested(dt.date(2026, 2, 1), dt.date(2026, 4, 30), *Q1)


def test_advocate_records_a_delivery_with_exactly_the_figures_shown(grant, advocate, login):
    q1 = _report(grant, advocate, Q1)
    client = login(advocate)

    response = client.post(reverse("advocacy:report-deliver", kwargs={"report_id": q1.pk}))

    assert response.status_code == 302
    delivery = ReportDelivery.objects.get()
    assert (delivery.donor, delivery.start, delivery.end) == (grant.donor, *Q1)
    assert delivery.tables == q1.tables
    assert AuditEvent.objects.filter(action="create", target_id=str(delivery.pk)).count() == 1


def test_a_draft_cannot_be_recorded_as_delivered(grant, advocate, login):
    draft = DonorReport.objects.create(
        title="Borrador", grant=grant, start=Q1[0], end=Q1[1], created_by=advocate
    )
    client = login(advocate)

    response = client.post(
        reverse("advocacy:report-deliver", kwargs={"report_id": draft.pk}), follow=True
    )

    assert "Only a generated report of a grant can be recorded as delivered." in response.text
    assert ReportDelivery.objects.count() == 0


# --- chains of reports: any set of periods ---------------------------------------------------


def test_q1_and_h1_delivered_then_april_to_september_hides_what_would_give_the_third_quarter(
    grant, advocate, login
):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 1, 20), 10)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 5, 4), 6)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 8, 12), 2)  # the third quarter: 2
    for period in (Q1, H1):
        report_mark_delivered(report=_report(grant, advocate, period), actor=advocate)
    # Q1 shows 10 and H1 16: the donor knows the second quarter, 6. Apr-Sep would show
    # 8, and 8 - 6 = 2. Neither delivered period contains Apr-Sep or lies inside it:
    # the pairwise check compared nothing.
    assert not nested(*APR_SEP, *Q1) and not nested(*APR_SEP, *H1)

    new = _report(grant, advocate, APR_SEP)

    table = _opened_table(new)
    assert table["rows"] == [["Organisational strengthening", SECONDARY]]
    assert table["total"] == SECONDARY
    assert {note["category"] for note in table["series"]} == {
        "Organisational strengthening",
        TOTAL,
    }
    assert all(8 not in row for row in table["rows"])
    # The page says why: a chain of delivered reports, starting from Q1.
    url = reverse("advocacy:report-detail", kwargs={"report_id": new.pk})
    html = " ".join(login(advocate).get(url).text.split())
    assert (
        "“Organisational strengthening” is hidden (“*”): combined with the reports delivered"
        " to this donor (among them the one from Jan. 1, 2026 to March 31, 2026)"
    ) in html
    with translation_override("es-mx"):
        reasons = {cell.category: cell.reason for cell in hidden_cells(new.tables)}
    assert reasons["Organisational strengthening"].startswith(
        "Combinada con los informes entregados a este donante (entre ellos el del 1 de enero"
    )


def test_two_overlapping_periods_alone_hide_nothing(grant, advocate):
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 2, 3), 8)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 5, 6), 2)
    _opened(ProcessKind.STRENGTHENING, dt.date(2026, 8, 9), 5)
    report_mark_delivered(report=_report(grant, advocate, H1), actor=advocate)

    # Jan-Jun 10 and Apr-Sep 7 differ by 3, but that is Jan-Mar minus Jul-Sep: two
    # unknown groups, never a count.
    new = _report(grant, advocate, APR_SEP)

    table = _opened_table(new)
    assert table["rows"] == [["Organisational strengthening", 7]]
    assert table["total"] == 7
    assert "series" not in table


# --- a two-way table ----------------------------------------------------------------------------

PLACES = {"n": "Norte", "s": "Sur", "c": "Centro"}
GENDERS = {"w": "Mujer", "m": "Hombre", "x": "No binaria"}
FIRST_QUARTER = {
    ("n", "w"): 10, ("n", "m"): 8, ("n", "x"): 6,
    ("s", "w"): 7, ("s", "m"): 9, ("s", "x"): 12,
    ("c", "w"): 6, ("c", "m"): 11, ("c", "x"): 7,
}  # fmt: skip
# The second quarter: 2 women in the north (the small count), and 5 more elsewhere so
# that no total moves by less than 5: only the cell itself leaks.
SECOND_QUARTER = {("n", "w"): 2, ("n", "m"): 5, ("s", "w"): 5}


def _place_by_gender(*, start, end):
    cells = dict(FIRST_QUARTER)
    if end > Q1[1]:
        for key, count in SECOND_QUARTER.items():
            cells[key] += count
    return [aggregates.grid_table("Sujetos por lugar y género", cells, PLACES, GENDERS)]


@pytest.fixture
def grid_section(monkeypatch):
    section = aggregates.Section("grid", "Prueba", _place_by_gender)
    monkeypatch.setitem(aggregates._SECTIONS, "grid", section)


def _grid_tables(grant, advocate, period) -> list[dict]:
    report = DonorReport.objects.create(
        title="Informe", grant=grant, start=period[0], end=period[1], sections=["grid"],
        created_by=advocate,
    )  # fmt: skip
    return report_compute_tables(report=report)


def test_a_two_way_cell_leaking_through_q1_and_h1_is_hidden_and_the_table_stays_proven(
    grant, advocate, grid_section
):
    q1 = _grid_tables(grant, advocate, Q1)
    ReportDelivery.objects.create(
        donor=grant.donor, start=Q1[0], end=Q1[1], tables=q1, delivered_at=timezone.now()
    )
    assert exact_figures(q1)[("grid:0", "Norte", "Mujer")] == 10

    h1 = _grid_tables(grant, advocate, H1)

    table = h1[0]["tables"][0]
    rows, columns = sorted(PLACES, key=PLACES.get), sorted(GENDERS, key=GENDERS.get)
    h1_cells = {k: FIRST_QUARTER[k] + SECOND_QUARTER.get(k, 0) for k in FIRST_QUARTER}
    counts = [[h1_cells[(r, c)] for c in columns] for r in rows]
    shown = {
        (row[0], header): value
        for row in table["rows"]
        for header, value in zip(table["headers"], row[1:], strict=True)
    }
    assert shown[("Norte", "Mujer")] == SECONDARY  # 12 - 10 would give the 2
    assert table["series"] == [
        {
            "category": "Norte × Mujer",
            "row": "Norte",
            "column": "Mujer",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "chain": False,
        }
    ]
    # The forced cell went through the table's own proof: complementary cells hide it,
    # and a reader's linear programme (HiGHS, reading only the shown table) pins no hidden
    # cell nor narrows one below the threshold.
    ranges = reader_ranges({"rows": [row[1:] for row in table["rows"]], "total": table["total"]})
    assert len(ranges) >= 4
    for (r, c), (low, high) in ranges.items():
        assert low <= counts[r][c] <= high
        assert high - low >= THRESHOLD - 1e-6
    # What is still shown leaks nothing against Q1, and the page says why in Spanish.
    assert leaks(tables=h1, start=H1[0], end=H1[1], deliveries=ReportDelivery.objects.all()) == []
    with translation_override("es-mx"):
        reasons = {cell.category: cell.reason for cell in hidden_cells(h1)}
    assert reasons["Norte × Mujer"].startswith("Restada del informe entregado a este donante del")


# --- the rule, checked by brute force -----------------------------------------------------------


def _month(index: int) -> dt.date:
    return dt.date(2026, 1 + index, 1)


def _shown(count: int):
    return SMALL if 0 < count < THRESHOLD else count


def _one_way(monthly: dict, start: int, end: int) -> list[dict]:
    counts = {category: sum(months[start:end]) for category, months in monthly.items()}
    table = {
        "ref": "t:0",
        "rows": [[category, _shown(count)] for category, count in counts.items()],
        "total": _shown(sum(counts.values())),
    }
    return [{"code": "t", "tables": [table]}]


def _in_span(vectors: list, vector) -> bool:
    if not vectors:
        return not any(vector)
    matrix = np.array(vectors, dtype=float)
    both = np.vstack([matrix, vector])
    return np.linalg.matrix_rank(both) == np.linalg.matrix_rank(matrix)


def _indicator(months: int, start: int, end: int) -> list[int]:
    return [1 if start <= m < end else 0 for m in range(months)]


@st.composite
def timelines(draw):
    months = draw(st.integers(3, 6))
    monthly = {
        category: draw(st.lists(st.integers(0, 6), min_size=months, max_size=months))
        for category in ("A", "B")
    }
    periods = st.tuples(st.integers(0, months - 1), st.integers(1, months)).filter(
        lambda p: p[0] < p[1]
    )
    delivered = draw(st.lists(periods, max_size=4, unique=True))
    return months, monthly, delivered, draw(periods)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(timelines())
def test_after_protection_no_new_small_count_of_any_months_can_be_worked_out(timeline):
    """Brute force by linear algebra: for every set of months (an interval, or a union
    of disjoint ones), if the delivered and the new shown counts determine its count and
    the delivered alone did not, that count is not from 1 to 4."""
    months, monthly, delivered, (start, end) = timeline
    deliveries = [
        SimpleNamespace(
            start=_month(a), end=_month(b) - dt.timedelta(days=1), tables=_one_way(monthly, a, b)
        )
        for a, b in delivered
    ]
    new = _one_way(monthly, start, end)
    for leak in leaks(
        tables=new, start=_month(start), end=_month(end) - dt.timedelta(days=1),
        deliveries=deliveries,
    ):  # fmt: skip
        table = new[0]["tables"][0]
        if leak.category == TOTAL:
            table["total"] = SECONDARY
        else:
            next(row for row in table["rows"] if row[0] == leak.category)[1] = SECONDARY
    monthly[TOTAL] = [sum(values) for values in zip(*monthly.values(), strict=True)]
    reports = [(d.tables, a, b) for d, (a, b) in zip(deliveries, delivered, strict=True)]
    for category, values in monthly.items():
        before = [
            _indicator(months, a, b)
            for tables, a, b in reports
            if ("t:0", category) in exact_figures(tables)
        ]
        after = before + (
            [_indicator(months, start, end)] if ("t:0", category) in exact_figures(new) else []
        )
        for chosen in range(1, 2**months):
            vector = [(chosen >> month) & 1 for month in range(months)]
            count = sum(value for value, inside in zip(values, vector, strict=True) if inside)
            if 0 < count < THRESHOLD and _in_span(after, vector):
                assert _in_span(before, vector), (category, vector, values)


def test_the_rule_follows_the_graph_not_the_pairs():
    """The example of the docstring, with numbers: Q1 10, H1 16, Apr-Sep 8 -> Jul-Sep 2."""
    monthly = {"A": [4, 3, 3, 2, 2, 2, 0, 1, 1]}
    deliveries = [
        SimpleNamespace(start=_month(a), end=_month(b) - dt.timedelta(days=1), tables=tables)
        for a, b, tables in ((0, 3, _one_way(monthly, 0, 3)), (0, 6, _one_way(monthly, 0, 6)))
    ]
    new = _one_way(monthly, 3, 9)
    found = leaks(
        tables=new, start=_month(3), end=_month(9) - dt.timedelta(days=1), deliveries=deliveries
    )
    assert {(leak.category, leak.difference) for leak in found} == {("A", 2), (TOTAL, 2)}
    assert sum(monthly["A"][6:9]) == 2


def test_the_complement_of_a_nested_period_is_a_union_and_is_caught():
    """Jan-Apr delivered (15), Feb-Mar new (11): January plus April is 4."""
    monthly = {"A": [2, 5, 6, 2]}
    delivered = SimpleNamespace(
        start=_month(0), end=_month(4) - dt.timedelta(days=1), tables=_one_way(monthly, 0, 4)
    )
    found = leaks(
        tables=_one_way(monthly, 1, 3),
        start=_month(1),
        end=_month(3) - dt.timedelta(days=1),
        deliveries=[delivered],
    )
    assert {(leak.category, leak.difference) for leak in found} == {("A", 4), (TOTAL, 4)}


def test_response_times_protect_their_case_counts_not_their_medians():
    from advocacy.suppression import suppress_table

    table = aggregates.Table(
        label="Tiempos",
        kind="times",
        headers=["Nivel", "Casos", "Mediana", "P90"],
        rows=[("Alto", 12, 3.0, 9.0), ("Bajo", 7, 5.0, 8.0)],
        total=(19, 4.0, 9.0),
    )
    shown = suppress_table(table, {"Alto"})
    tables = [{"code": "t", "tables": [{**shown, "ref": "t:0"}]}]

    assert [row[:2] for row in shown["rows"]] == [["Alto", SECONDARY], ["Bajo", SECONDARY]]
    assert shown["total"][0] == 19  # 19 - 7 would have given the hidden 12 back
    assert shown["rows"][0][2:] == [3.0, 9.0]  # medians do not add up over periods
    assert exact_figures(tables) == {("t:0", TOTAL): 19}
