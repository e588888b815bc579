"""Small-count suppression: what a donor report may show of a table of counts.

The rules (also explained on the report page):

1. Primary suppression. Every count from 1 to 4 is shown as "<5". Zero is shown
   as 0 (nobody to identify) and counts of 5 or more are shown as they are.
   A total from 1 to 4 is shown as "<5" too.
2. Secondary suppression. A table shows a total only when its rows add up to it
   (each person counted in exactly one row). Knowing the total and the shown
   rows, a reader could work out a hidden cell: if a single cell is hidden, it
   is the total minus the others; if two hidden cells are known to be one "<5"
   (1..4) and one that is not (5 or more) and they add up to 6, both are exact.
   So, while any hidden cell can be pinned to a single value, the smallest
   non-zero cell still shown is hidden too (shown as "*"). If every non-zero
   cell is hidden and one can still be pinned, the total is hidden as well.
3. Tables whose rows overlap (a subject with several areas of defence, a session
   working several fields) show no total, so rule 2 has nothing to protect.
4. Tables counting the same population (subjects by kind, by gender, by state)
   share one total. If any of them hides its total, all of them hide it: a total
   shown in one table would otherwise undo the hiding in another.

A reader's knowledge is modelled exactly: a "<5" cell lies in [1, 4], a "*" cell
in [5, total], and the row cells add up to the total. For one linear equation
over a box, the values a hidden cell can take are the interval
[max(lo, R - sum of the others' highs), min(hi, R - sum of the others' lows)],
where R is the total minus the shown cells. A cell is "recomputable" when that
interval is a single value.
"""

from dataclasses import dataclass

from . import grids

THRESHOLD = grids.THRESHOLD
SMALL = "<5"
SECONDARY = grids.HIDDEN
# The name series protection gives a table's total among its categories.
TOTAL = "__total__"
# A median or percentile over fewer than THRESHOLD cases is not shown.
NOT_SHOWN = "—"


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


@dataclass(frozen=True)
class Cell:
    shown: int | None  # None when hidden
    low: int
    high: int


def _bounds(display, total_high: int) -> tuple[int, int] | None:
    """The interval a reader knows a displayed cell lies in; None if it is shown exactly."""
    if display == SMALL:
        return (1, THRESHOLD - 1)
    if display == SECONDARY:
        return (THRESHOLD, max(THRESHOLD, total_high))
    return None


def total_bounds(total_display) -> tuple[int, int] | None:
    if total_display is None or total_display == SECONDARY:
        return None  # no constraint at all
    if total_display == SMALL:
        return (1, THRESHOLD - 1)
    return (int(total_display), int(total_display))


def recomputable_cells(displays: list, total_display) -> list[int]:
    """Indexes of hidden cells a reader can pin to one value from the shown figures.

    `displays` are the shown row values (ints, "<5" or "*"), `total_display` the
    shown total (int, "<5", "*" or None when the table has no total).
    """
    bounds = total_bounds(total_display)
    if bounds is None:
        return []
    total_low, total_high = bounds
    shown_sum = sum(d for d in displays if isinstance(d, int))
    hidden = {i: _bounds(d, total_high) for i, d in enumerate(displays) if not isinstance(d, int)}
    rest_low, rest_high = total_low - shown_sum, total_high - shown_sum
    pinned = []
    for i, (low, high) in hidden.items():
        others_low = sum(b[0] for j, b in hidden.items() if j != i)
        others_high = sum(b[1] for j, b in hidden.items() if j != i)
        can_low = max(low, rest_low - others_high)
        can_high = min(high, rest_high - others_low)
        if can_low >= can_high:
            pinned.append(i)
    return pinned


def suppress(
    counts: list[int], *, has_total: bool, forced=(), force_total: bool = False
) -> tuple[list, object]:
    """Apply the rules to one table: returns (row displays, total display or None).

    `forced` rows (indexes) and the total (`force_total`) are hidden as "*" whatever
    their size: series protection (advocacy.series) hides them against earlier reports.
    """
    if any(c < 0 for c in counts):
        raise ValueError("Counts cannot be negative.")
    displays: list = [SMALL if is_small(c) else c for c in counts]
    for index in forced:
        if counts[index] >= THRESHOLD:
            displays[index] = SECONDARY
    if not has_total:
        return displays, None
    total = sum(counts)
    total_display = SMALL if is_small(total) else total
    if force_total and total >= THRESHOLD:
        total_display = SECONDARY
    while recomputable_cells(displays, total_display):
        candidates = [i for i, d in enumerate(displays) if isinstance(d, int) and d > 0]
        if not candidates:
            total_display = SECONDARY
            break
        smallest = min(candidates, key=lambda i: (displays[i], i))
        displays[smallest] = SECONDARY
    return displays, total_display


def _suppress_times(table, forced=frozenset()) -> dict:
    """A "times" table: the case counts protected like any counts (their total is the
    whole period's), a median or percentile shown only over THRESHOLD cases or more.
    `forced` categories (or TOTAL) hide their case count (series protection)."""
    counts = [int(row[1]) for row in table.rows]
    displays, total_cases = suppress(
        counts,
        has_total=table.total is not None,
        forced=[i for i, row in enumerate(table.rows) if str(row[0]) in forced],
        force_total=TOTAL in forced,
    )

    def figures(cases, shown, median, p90) -> list:
        if cases < THRESHOLD:
            return [shown, NOT_SHOWN, NOT_SHOWN]
        return [shown, median, p90]

    rows = [
        [str(row[0]), *figures(row[1], shown, row[2], row[3])]
        for row, shown in zip(table.rows, displays, strict=True)
    ]
    total = None
    if table.total is not None:
        total = figures(table.total[0], total_cases, table.total[1], table.total[2])
    return {
        "label": str(table.label),
        "kind": "times",
        "headers": [str(header) for header in table.headers],
        "rows": rows,
        "total": total,
        "summary": str(table.summary),
    }


def total_count(result: dict):
    """The shown total count of a suppressed table (the case count of a "times" table,
    the grand total of a grid)."""
    total = result["total"]
    if not isinstance(total, list):
        return total
    return total[-1] if result.get("kind") == "grid" else total[0]


def _hide_total(result: dict) -> None:
    if not isinstance(result["total"], list):
        result["total"] = SECONDARY
    elif result.get("kind") == "grid":
        result["total"][-1] = SECONDARY
    else:
        result["total"][0] = SECONDARY


def suppress_table(table, forced=None) -> dict:
    """An aggregates.Table -> a JSON-safe dict of what may be shown.

    {"label", "rows": [[category, shown]], "total": shown or None, "summary"}; a
    "times" table adds "kind" and "headers", its rows and total hold several figures.
    """
    if getattr(table, "kind", "counts") == "times":
        return _suppress_times(table, forced or set())
    if getattr(table, "kind", "counts") == "grid":
        return {
            "label": str(table.label),
            "kind": "grid",
            "headers": [str(label) for _k, label in table.column_categories],
            "rows": [],
            "total": None,
            "summary": str(table.summary),
        }  # filled by suppress_tables, which knows the tables showing its totals
    counts = [int(count) for _category, count in table.rows]
    forced = forced or set()
    if table.protect:
        displays, total = suppress(
            counts,
            has_total=table.has_total,
            forced=[i for i, (category, _c) in enumerate(table.rows) if str(category) in forced],
            force_total=TOTAL in forced,
        )
    else:
        displays, total = counts, (sum(counts) if table.has_total else None)
    return {
        "label": str(table.label),
        "rows": [
            [str(category), shown]
            for (category, _c), shown in zip(table.rows, displays, strict=True)
        ],
        "total": total,
        "summary": str(table.summary),
    }


def suppress_tables(tables: list, forced: dict | None = None) -> list[dict]:
    """suppress_table for each table, then the grids (advocacy.grids) against the
    one-way tables that show their totals, then rule 4 across tables of one population.

    `forced` maps a table's index to the categories (labels, or TOTAL) it must hide
    whatever their size (series protection, advocacy.series); for a grid, to (row label,
    column label) pairs, TOTAL naming a row's, a column's or the grand total."""
    forced = forced or {}
    shown = [suppress_table(table, forced.get(index)) for index, table in enumerate(tables)]
    _apply_rule_4(tables, shown)
    keyed = {table.key: result for table, result in zip(tables, shown, strict=True) if table.key}
    for index, (table, result) in enumerate(zip(tables, shown, strict=True)):
        if getattr(table, "kind", "counts") == "grid":
            _suppress_grid(table, result, keyed, forced.get(index, set()))
    _apply_rule_4(tables, shown)
    return shown


def _apply_rule_4(tables: list, shown: list) -> None:
    hidden_populations = {
        table.population
        for table, result in zip(tables, shown, strict=True)
        if table.population and total_count(result) == SECONDARY
    }
    for table, result in zip(tables, shown, strict=True):
        if table.population in hidden_populations and table.protect and result["total"]:
            _hide_total(result)


def _suppress_grid(table, result: dict, keyed: dict, forced=frozenset()) -> None:
    """Protect a two-way table, taking as hidden the totals its one-way tables hide and
    the `forced` (row label, column label) figures (inputs to its proof, not changes
    after it), and hide in those tables the totals the grid had to hide."""
    rows, columns = table.row_categories, table.column_categories
    counts = [[int(table.cells.get((r, c), 0)) for c, _l in columns] for r, _l in rows]
    row_table, column_table = keyed.get(table.row_margins), keyed.get(table.column_margins)

    def hidden_in(one_way: dict | None, categories: list) -> set:
        if one_way is None:
            return set()
        displays = dict(one_way["rows"])
        return {
            index
            for index, (_key, label) in enumerate(categories)
            if not isinstance(displays.get(label, 0), int)
        }

    grand_hidden = any(
        one_way is not None and one_way["total"] is not None and total_count(one_way) == SECONDARY
        for one_way in (row_table, column_table)
    )
    row_index = {label: index for index, (_key, label) in enumerate(rows)}
    column_index = {label: index for index, (_key, label) in enumerate(columns)}
    disclosure = grids.protect(
        counts,
        hidden_rows=hidden_in(row_table, rows),
        hidden_columns=hidden_in(column_table, columns),
        hidden_grand=grand_hidden,
        forced={
            (row_index[r], column_index[c])
            for r, c in forced
            if r in row_index and c in column_index
        },
        forced_rows={row_index[r] for r, c in forced if c == TOTAL and r in row_index},
        forced_columns={column_index[c] for r, c in forced if r == TOTAL and c in column_index},
        forced_grand=(TOTAL, TOTAL) in forced,
    )
    display = grids.displayed(counts, disclosure)
    result["headers"] = [*(label for _k, label in columns), str(_total_label())]
    result["rows"] = [
        [label, *cells] for (_key, label), cells in zip(rows, display["rows"], strict=True)
    ]
    result["total"] = display["total"]
    result["hidden_cells"] = len(disclosure.hidden)
    for one_way, categories, hidden in (
        (row_table, rows, disclosure.hidden_rows),
        (column_table, columns, disclosure.hidden_columns),
    ):
        if one_way is None:
            continue
        labels = {categories[index][1] for index in hidden}
        for row in one_way["rows"]:
            if row[0] in labels and isinstance(row[1], int) and row[1] > 0:
                row[1] = SECONDARY
        if disclosure.hidden_grand and one_way["total"] is not None:
            _hide_total(one_way)


def _total_label():
    from django.utils.translation import gettext

    return gettext("Total")
