"""Small-count suppression: table-driven checks of the rules in advocacy.suppression."""

import itertools

import pytest

from advocacy.aggregates import Table
from advocacy.suppression import (
    SECONDARY,
    SMALL,
    recomputable_cells,
    suppress,
    suppress_table,
)


def _brute_force_pinned(displays, total_display, *, limit=40) -> list[int]:
    """An independent check: enumerate every assignment consistent with what is shown."""
    if total_display is None or total_display == SECONDARY:
        return []
    totals = range(1, 5) if total_display == SMALL else [total_display]
    hidden = [i for i, d in enumerate(displays) if not isinstance(d, int)]
    shown = sum(d for d in displays if isinstance(d, int))
    ranges = [range(1, 5) if displays[i] == SMALL else range(5, limit) for i in hidden]
    seen = {i: set() for i in hidden}
    for values in itertools.product(*ranges):
        if shown + sum(values) in totals:
            for i, value in zip(hidden, values, strict=True):
                seen[i].add(value)
    return [i for i in hidden if len(seen[i]) == 1]


CASES = [
    # counts, has_total, expected displays, expected total
    ([0, 0, 0], True, [0, 0, 0], 0),
    ([10, 20, 30], True, [10, 20, 30], 60),
    ([5, 6], True, [5, 6], 11),
    # One small cell and a total: the smallest other cell goes too.
    ([3, 10, 20], True, [SMALL, SECONDARY, 20], 33),
    # Two small cells already hide each other... unless their sum pins them.
    ([2, 3, 20], True, [SMALL, SMALL, 20], 25),
    # 1 + 1 = 2 pins both: hide one more.
    ([1, 1, 20, 30], True, [SMALL, SMALL, SECONDARY, 30], 52),
    # A "<5" next to a 5: 1 + 5 = 6 would pin both; hide more.
    ([1, 5, 40, 50], True, [SMALL, SECONDARY, SECONDARY, 50], 96),
    # Everything small and the total pins them: hide the total.
    ([1, 1, 1, 1], True, [SMALL, SMALL, SMALL, SMALL], SECONDARY),
    # A single small cell: total is small too, both "<5", nothing pinned.
    ([3], True, [SMALL], SMALL),
    ([3, 0], True, [SMALL, 0], SMALL),
    # Without a total (overlapping rows) only primary suppression applies.
    ([3, 10, 20], False, [SMALL, 10, 20], None),
    ([1, 1, 20], False, [SMALL, SMALL, 20], None),
    # One cell of 7 and one of 4: hide the 7 too.
    ([4, 7], True, [SMALL, SECONDARY], 11),
]


@pytest.mark.parametrize(("counts", "has_total", "displays", "total"), CASES)
def test_advocacy_team_cannot_see_small_or_recomputable_counts(counts, has_total, displays, total):
    shown, shown_total = suppress(counts, has_total=has_total)

    assert (shown, shown_total) == (displays, total)
    assert recomputable_cells(shown, shown_total) == []
    assert _brute_force_pinned(shown, shown_total) == []


@pytest.mark.parametrize(
    "counts",
    [list(c) for c in itertools.product([0, 1, 2, 4, 5, 6, 9], repeat=3)]
    + [[1, 2, 3, 4, 5], [5, 5, 1], [1, 5, 5, 5], [2, 2, 2, 2, 30]],
)
def test_advocacy_team_cannot_recompute_any_hidden_cell_of_small_tables(counts):
    shown, total = suppress(counts, has_total=True)

    assert _brute_force_pinned(shown, total) == []
    for count, display in zip(counts, shown, strict=True):
        if 0 < count < 5:
            assert display == SMALL
        elif count == 0:
            assert display == 0
        else:
            assert display in (count, SECONDARY)


@pytest.mark.parametrize(
    ("displays", "total", "pinned"),
    [
        ([SMALL, 10], 13, [0]),
        ([SMALL, SECONDARY], 6, [0, 1]),
        ([SMALL, SMALL], 2, [0, 1]),
        ([SMALL, SMALL], 5, []),
        ([SMALL, 10], None, []),
        ([SMALL, 10], SECONDARY, []),
    ],
)
def test_advocacy_team_can_rely_on_the_recomputation_check(displays, total, pinned):
    assert recomputable_cells(displays, total) == pinned
    assert _brute_force_pinned(displays, total) == pinned


def test_advocacy_team_cannot_pass_negative_counts():
    with pytest.raises(ValueError):
        suppress([-1, 3], has_total=True)


def test_advocacy_team_can_see_exact_counts_of_their_own_outputs():
    table = Table(
        label="Outputs", rows=[("Video", 2), ("Publication", 7)], has_total=True, protect=False
    )

    assert suppress_table(table) == {
        "label": "Outputs",
        "rows": [["Video", 2], ["Publication", 7]],
        "total": 9,
        "summary": "",
    }


def test_advocacy_team_cannot_recover_a_hidden_total_from_a_sibling_table():
    from advocacy.suppression import suppress_tables

    by_kind = Table(
        label="Kind",
        rows=[("A", 1), ("B", 1), ("C", 1), ("D", 1)],
        has_total=True,
        population="subjects",
    )
    by_state = Table(
        label="State", rows=[("X", 4), ("Y", 0)], has_total=True, population="subjects"
    )
    other = Table(label="Other", rows=[("Z", 7), ("W", 9)], has_total=True, population="other")

    kind, state, unrelated = suppress_tables([by_kind, by_state, other])

    assert (kind["total"], state["total"], unrelated["total"]) == (SECONDARY, SECONDARY, 16)
