"""Two-way tables: complementary suppression proven by linear programming.

The checker here reads only what a donor sees (the shown table) and asks SciPy's HiGHS
solver how far each hidden count can move: it never looks at advocacy.grids' own
bookkeeping."""

import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from advocacy import grids
from advocacy.aggregates import Table
from advocacy.suppression import SECONDARY, SMALL, suppress_tables

HIDDEN = SECONDARY


def reader_ranges(shown: dict) -> dict:
    """What a reader can work out of each hidden cell of a shown grid:
    `{(r, c): (low, high)}`, from the shown cells, the totals and "a hidden count is >= 1"."""
    rows = [line[:-1] for line in shown["rows"]]
    row_totals = [line[-1] for line in shown["rows"]]
    column_totals, grand = shown["total"][:-1], shown["total"][-1]
    unknowns = {}

    def var(name):
        return unknowns.setdefault(name, len(unknowns))

    lines = []  # (names with coefficient, constant)
    for r, line in enumerate(rows):
        lines.append(
            ([(("cell", r, c), line[c]) for c in range(len(line))], ("row", r), row_totals[r])
        )
    for c in range(len(column_totals)):
        lines.append(
            ([(("cell", r, c), rows[r][c]) for r in range(len(rows))], ("col", c), column_totals[c])
        )
    lines.append(([(("row", r), t) for r, t in enumerate(row_totals)], ("grand",), grand))
    lines.append(([(("col", c), t) for c, t in enumerate(column_totals)], ("grand",), grand))
    equations = []
    for parts, total_name, total in lines:
        terms, constant = {}, 0
        for name, value in parts:
            if value == HIDDEN:
                terms[name] = terms.get(name, 0) + 1
            else:
                constant -= value
        if total == HIDDEN:
            terms[total_name] = -1
        else:
            constant += total
        equations.append((terms, constant))
    for terms, _constant in equations:
        for name in terms:
            var(name)
    size = len(unknowns)
    a_eq = np.zeros((len(equations), size))
    b_eq = np.zeros(len(equations))
    for i, (terms, constant) in enumerate(equations):
        for name, coefficient in terms.items():
            a_eq[i, unknowns[name]] = coefficient
        b_eq[i] = constant
    found = {}
    for name, index in unknowns.items():
        if name[0] != "cell":
            continue
        objective = np.zeros(size)
        objective[index] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=[(1, None)] * size, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=[(1, None)] * size, method="highs")
        assert low.status == 0, "the shown table must be consistent"
        found[(name[1], name[2])] = (low.fun, math.inf if high.status == 3 else -high.fun)
    return found


def primary_only(counts) -> dict:
    """The naive table: small counts hidden, every total shown."""
    disclosure = grids.Disclosure(
        hidden={(r, c) for r, line in enumerate(counts) for c, v in enumerate(line) if 0 < v < 5}
    )
    return grids.displayed(counts, disclosure)


def test_the_classic_2x2_leaks_a_small_cell_through_its_margins_unless_protected():
    counts = [[2, 10], [10, 10]]

    naive = primary_only(counts)
    assert naive["rows"] == [[HIDDEN, 10, 12], [10, 10, 20]]
    assert reader_ranges(naive) == {(0, 0): (2, 2)}  # 12 - 10: the "hidden" 2 is exact

    shown = grids.displayed(counts, grids.protect(counts))

    assert shown == {"rows": [[HIDDEN, HIDDEN, 12], [HIDDEN, HIDDEN, 20]], "total": [12, 20, 32]}
    assert reader_ranges(shown) == {
        (0, 0): (1, 11),
        (0, 1): (1, 11),
        (1, 0): (1, 11),
        (1, 1): (9, 19),
    }


def test_a_small_cell_alone_in_its_row_and_column_is_covered_by_a_rectangle():
    counts = [[30, 40, 50], [20, 2, 60], [70, 80, 90]]

    shown = grids.displayed(counts, grids.protect(counts))

    assert shown["rows"] == [
        [HIDDEN, HIDDEN, 50, 120],
        [HIDDEN, HIDDEN, 60, 82],
        [70, 80, 90, 240],
    ]
    assert reader_ranges(shown)[(1, 1)] == (1, 21)


def test_zeros_are_shown_and_never_used_to_cover_a_small_count():
    counts = [[0, 3, 9], [0, 8, 7], [5, 6, 0]]

    disclosure = grids.protect(counts)

    assert all(counts[r][c] > 0 for r, c in disclosure.hidden)
    shown = grids.displayed(counts, disclosure)
    assert [shown["rows"][0][0], shown["rows"][1][0], shown["rows"][2][2]] == [0, 0, 0]
    assert all(high - low >= 5 for low, high in reader_ranges(shown).values())


def test_a_small_total_is_hidden_and_cannot_be_worked_out_from_the_others():
    counts = [[1, 2], [20, 30], [15, 25]]  # the first row adds up to 3

    disclosure = grids.protect(counts)
    shown = grids.displayed(counts, disclosure)

    assert shown["rows"][0][-1] == HIDDEN
    low, high = grids.ranges(counts, disclosure, [("row", 0)])[("row", 0)]
    assert high - low >= 5


def test_a_table_too_small_to_protect_hides_everything_but_its_zeros():
    counts = [[1, 0], [2, 1]]

    shown = grids.displayed(counts, grids.protect(counts))

    assert shown == {
        "rows": [[HIDDEN, 0, HIDDEN], [HIDDEN, HIDDEN, HIDDEN]],
        "total": [HIDDEN, HIDDEN, HIDDEN],
    }


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        grids.protect([[1, -1]])


COUNT = st.one_of(st.integers(0, 4), st.integers(5, 40))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda n_cols: st.lists(
            st.lists(COUNT, min_size=n_cols, max_size=n_cols), min_size=2, max_size=5
        )
    )
)
def test_no_hidden_count_of_a_random_table_can_be_pinned_or_narrowed_below_5(counts):
    disclosure = grids.protect(counts)
    shown = grids.displayed(counts, disclosure)

    # Every small count is hidden, every shown count is the true one.
    for r, line in enumerate(counts):
        for c, value in enumerate(line):
            if 0 < value < 5:
                assert shown["rows"][r][c] == HIDDEN
            elif shown["rows"][r][c] != HIDDEN:
                assert shown["rows"][r][c] == value
    # And the solver, reading only the shown table, cannot narrow any hidden count.
    for (r, c), (low, high) in reader_ranges(shown).items():
        assert low <= counts[r][c] <= high
        assert high - low >= 5 - 1e-6, (counts, shown, (r, c), (low, high))


def test_a_report_grid_hides_what_its_one_way_tables_hide_and_the_reverse():
    by_state = Table(
        label="Subjects by state",
        rows=[("Oaxaca", 12), ("Chiapas", 10), ("Guerrero", 3)],
        has_total=True,
        population="subjects",
        key="states",
    )
    by_gender = Table(
        label="Subjects by gender",
        rows=[("Man", 11), ("Woman", 14)],
        has_total=True,
        population="subjects",
        key="genders",
    )
    grid = Table(
        label="Subjects by state and gender",
        kind="grid",
        row_categories=[("20", "Oaxaca"), ("07", "Chiapas"), ("12", "Guerrero")],
        column_categories=[("man", "Man"), ("woman", "Woman")],
        cells={
            ("20", "man"): 6,
            ("20", "woman"): 6,
            ("07", "man"): 5,
            ("07", "woman"): 5,
            ("12", "woman"): 3,
        },
        population="subjects",
        row_margins="states",
        column_margins="genders",
    )

    states, genders, shown = suppress_tables([by_state, by_gender, grid])

    # Guerrero's 3 is "<5" in the one-way table, and Chiapas is hidden to cover it.
    assert states["rows"] == [["Oaxaca", 12], ["Chiapas", SECONDARY], ["Guerrero", SMALL]]
    assert shown["headers"] == ["Man", "Woman", "Total"]
    assert [line[0] for line in shown["rows"]] == ["Oaxaca", "Chiapas", "Guerrero"]
    # The grid's totals are exactly what the one-way tables show.
    assert [line[-1] for line in shown["rows"]][0] == 12
    assert shown["rows"][2][-1] == HIDDEN
    assert shown["total"][-1] == states["total"] == genders["total"]
    unlabelled = {"rows": [line[1:] for line in shown["rows"]], "total": shown["total"]}
    assert reader_ranges(unlabelled)  # something is hidden...
    for low, high in reader_ranges(unlabelled).values():
        assert high - low >= 5  # ...and nothing narrowed


def test_the_donor_pdf_shows_no_hidden_count_of_a_two_way_table(settings):
    import datetime as dt
    import io

    import pypdf

    from advocacy.models import DonorReport
    from advocacy.pdf import report_pdf_bytes

    settings.LANGUAGE_CODE = "en"
    grid = Table(
        label="Subjects by state and gender",
        kind="grid",
        row_categories=[("20", "Oaxaca"), ("07", "Chiapas")],
        column_categories=[("man", "Man"), ("woman", "Woman"), ("other", "Other")],
        # Chiapas × Other is 3: it and the counts covering it must not reach the PDF.
        cells={
            ("20", "man"): 59,
            ("20", "woman"): 37,
            ("20", "other"): 41,
            ("07", "man"): 67,
            ("07", "woman"): 43,
            ("07", "other"): 3,
        },
    )
    [shown] = suppress_tables([grid])
    hidden = {
        value
        for (_r, _c), value in zip(
            [(r, c) for r in range(2) for c in range(3)],
            [59, 37, 41, 67, 43, 3],
            strict=True,
        )
    } - {value for row in shown["rows"] for value in row[1:] if isinstance(value, int)}
    assert hidden == {37, 41, 43, 3}
    report = DonorReport(
        title="Informe",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        tables=[{"code": "subjects", "label": "Subjects", "tables": [shown]}],
    )

    reader = pypdf.PdfReader(io.BytesIO(report_pdf_bytes(report=report)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "Oaxaca 59 * * 137" in text
    for value in (37, 41, 43):  # as whole numbers: 137 is Oaxaca's shown total
        assert not re.search(rf"(?<![\d.,]){value}(?![\d.,])", text), value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda n_cols: st.lists(
            st.lists(COUNT, min_size=n_cols, max_size=n_cols), min_size=2, max_size=4
        )
    ),
    st.data(),
)
def test_a_forced_cell_or_total_is_hidden_and_proven_like_a_small_count(counts, data):
    """Series protection (advocacy.series) forces cells and totals: inputs to the proof."""
    n_rows, n_cols = len(counts), len(counts[0])
    forced = {(data.draw(st.integers(0, n_rows - 1)), data.draw(st.integers(0, n_cols - 1)))}
    forced_rows = data.draw(st.sets(st.integers(0, n_rows - 1), max_size=1))
    forced_columns = data.draw(st.sets(st.integers(0, n_cols - 1), max_size=1))
    disclosure = grids.protect(
        counts, forced=forced, forced_rows=forced_rows, forced_columns=forced_columns
    )
    shown = grids.displayed(counts, disclosure)

    for r, c in forced:
        assert counts[r][c] == 0 or shown["rows"][r][c] == HIDDEN
    for r in forced_rows:
        assert sum(counts[r]) == 0 or shown["rows"][r][-1] == HIDDEN
    for c in forced_columns:
        assert not any(line[c] for line in counts) or shown["total"][c] == HIDDEN
    for (r, c), (low, high) in reader_ranges(shown).items():
        assert low <= counts[r][c] <= high
        assert high - low >= 5 - 1e-6, (counts, shown, (r, c), (low, high))
    totals = [("row", r) for r in forced_rows if r in disclosure.hidden_rows]
    totals += [("column", c) for c in forced_columns if c in disclosure.hidden_columns]
    for key, (low, high) in grids.ranges(counts, disclosure, totals).items():
        assert high - low >= 5 - 1e-6, (counts, shown, key, (low, high))
