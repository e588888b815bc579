"""Two-way tables (a count for each row × column, with row and column totals) and their
*proven* complementary suppression.

The rules (also on the report page):

1. Every count from 1 to THRESHOLD - 1 is hidden, and so is every row or column
   total in that range. Zero is shown (nobody to identify).
2. A hidden count must not be recoverable from what the table shows. A reader
   knows the shown counts, the shown totals, that rows and columns add up to their
   totals and that a hidden count is at least 1 (zeros are shown). For every hidden
   count we compute, by linear programming (SciPy's HiGHS), the smallest and the
   largest value it can take under exactly those constraints. The table is safe
   when, for every hidden count, that range is at least THRESHOLD wide: no hidden
   count is pinned to one value, or to a range narrower than the threshold.
3. While a hidden count is exposed, one more is hidden: the smallest non-zero count
   still shown in its row or column; when there is none, its row or column total,
   then the grand total. Hiding more only widens the ranges (a fixed value becomes
   a free one), so a count once safe stays safe and the loop ends.
4. In a two-way table every hidden count, small or not, is shown as "*": the reader
   cannot tell which hidden counts are the small ones.

The ranges are exact (a linear programme, not a heuristic): `cell_ranges` is what a
reader can work out, and tests check it on hand-made and random tables.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

# The same threshold and mark as the one-way tables (advocacy.suppression reads them here).
THRESHOLD = 5
HIDDEN = "*"


@dataclass
class Disclosure:
    """What a two-way table may show: `hidden` cells (row, column) and hidden totals."""

    hidden: set = field(default_factory=set)
    hidden_rows: set = field(default_factory=set)  # row totals
    hidden_columns: set = field(default_factory=set)  # column totals
    hidden_grand: bool = False
    # Each cell hidden to protect another, with the cell it protects (for the preview page).
    complementary: dict = field(default_factory=dict)


def _shape(counts) -> tuple[int, int]:
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    return rows, columns


def _variables(disclosure: Disclosure) -> dict:
    keys = [("cell", r, c) for r, c in sorted(disclosure.hidden)]
    keys += [("row", r) for r in sorted(disclosure.hidden_rows)]
    keys += [("column", c) for c in sorted(disclosure.hidden_columns)]
    keys += [("grand",)] if disclosure.hidden_grand else []
    return {key: index for index, key in enumerate(keys)}


def _constraints(counts, disclosure: Disclosure, variables: dict):
    """The reader's equations A x = b over the hidden cells and totals."""
    n_rows, n_cols = _shape(counts)
    size = len(variables)
    equations, constants = [], []

    def equation(terms: dict, constant: float) -> None:
        row = np.zeros(size)
        for key, coefficient in terms.items():
            row[variables[key]] += coefficient
        if row.any():
            equations.append(row)
            constants.append(constant)

    lines = [("row", r, [(r, c) for c in range(n_cols)]) for r in range(n_rows)] + [
        ("column", c, [(r, c) for r in range(n_rows)]) for c in range(n_cols)
    ]
    for kind, index, cells in lines:
        # The line's hidden cells - (its total, if hidden) = (its total, if shown) - shown cells.
        terms = {("cell", *cell): 1 for cell in cells if cell in disclosure.hidden}
        shown = sum(counts[r][c] for r, c in cells if (r, c) not in disclosure.hidden)
        if (kind, index) in variables:
            terms[(kind, index)] = -1
            equation(terms, -shown)
        else:
            equation(terms, sum(counts[r][c] for r, c in cells) - shown)
    grand = sum(map(sum, counts))
    row_totals = [sum(line) for line in counts]
    column_totals = [sum(counts[r][c] for r in range(n_rows)) for c in range(n_cols)]
    for kind, totals in (("row", row_totals), ("column", column_totals)):
        # The totals add up to the grand total, both ways.
        terms = {(kind, i): 1 for i in range(len(totals)) if (kind, i) in variables}
        shown = sum(total for i, total in enumerate(totals) if (kind, i) not in variables)
        if ("grand",) in variables:
            terms[("grand",)] = -1
            equation(terms, -shown)
        else:
            equation(terms, grand - shown)
    if not equations:
        return None, None
    return np.array(equations), np.array(constants)


def ranges(counts, disclosure: Disclosure, keys=None) -> dict:
    """`{key: (low, high)}`: the values each hidden cell ("cell", r, c) or total
    ("row", r), ("column", c), ("grand",) can take given what the table shows (all
    hidden ones unless `keys`). `high` is math.inf when nothing bounds it."""
    variables = _variables(disclosure)
    a_eq, b_eq = _constraints(counts, disclosure, variables)
    bounds = [(1, None)] * len(variables)
    found = {}
    for key in keys if keys is not None else variables:
        objective = np.zeros(len(variables))
        objective[variables[key]] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if low.status != 0:
            raise ValueError("The table's constraints have no solution.")
        found[key] = (float(low.fun), math.inf if high.status == 3 else float(-high.fun))
    return found


def cell_ranges(counts, disclosure: Disclosure) -> dict:
    """`{(r, c): (low, high)}` of every hidden cell."""
    keys = [("cell", r, c) for r, c in sorted(disclosure.hidden)]
    return {(key[1], key[2]): value for key, value in ranges(counts, disclosure, keys).items()}


def _true_value(counts, key: tuple) -> int:
    if key[0] == "cell":
        return counts[key[1]][key[2]]
    if key[0] == "row":
        return sum(counts[key[1]])
    if key[0] == "column":
        return sum(line[key[1]] for line in counts)
    return sum(map(sum, counts))


def _rectangle_width(counts, disclosure: Disclosure, r: int, c: int) -> int:
    """A lower bound of how far hidden cell (r, c) can move, without a solver: for
    hidden cells (r, j), (i, c), (i, j) forming a rectangle with it, adding t to
    (r, c) and (i, j) and taking t from (r, j) and (i, c) keeps every total, so every
    t keeping the four at 1 or more is consistent with the table. The widest such
    range over the rectangles; the linear programme decides when it is too narrow."""
    hidden = disclosure.hidden
    columns = [j for j in range(len(counts[r])) if j != c and (r, j) in hidden]
    rows = [i for i in range(len(counts)) if i != r and (i, c) in hidden]
    best = 0
    for i in rows:
        for j in columns:
            if (i, j) not in hidden:
                continue
            up = min(counts[r][j], counts[i][c]) - 1
            down = min(counts[r][c], counts[i][j]) - 1
            best = max(best, up + down)
    return best


def is_safe(counts, disclosure: Disclosure, key: tuple, *, threshold: int = THRESHOLD) -> bool:
    """Whether the hidden `key` ranges over at least `threshold` values. The true value
    is feasible, so a bound at `threshold` or more from it settles the question with
    one linear programme instead of two."""
    value = _true_value(counts, key)
    if key[0] == "cell" and _rectangle_width(counts, disclosure, key[1], key[2]) >= threshold:
        return True
    variables = _variables(disclosure)
    a_eq, b_eq = _constraints(counts, disclosure, variables)
    bounds = [(1, None)] * len(variables)
    objective = np.zeros(len(variables))
    objective[variables[key]] = 1
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high_value = math.inf if high.status == 3 else float(-high.fun)
    if high_value - value >= threshold - 1e-6:
        return True
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    if low.status != 0:
        raise ValueError("The table's constraints have no solution.")
    return not is_exposed(float(low.fun), high_value, threshold=threshold)


def is_exposed(low: float, high: float, *, threshold: int = THRESHOLD) -> bool:
    return high - low < threshold - 1e-6


def protect(
    counts,
    *,
    threshold: int = THRESHOLD,
    hidden_rows=(),
    hidden_columns=(),
    hidden_grand: bool = False,
    forced=(),
    forced_rows=(),
    forced_columns=(),
    forced_grand: bool = False,
) -> Disclosure:
    """Which cells and totals a two-way table of counts must hide (rules 1-3).

    `hidden_rows`, `hidden_columns` and `hidden_grand` are totals already hidden
    elsewhere (the one-way tables that show them): the reader does not know them.
    `forced` cells (row, column) and `forced_rows`, `forced_columns`, `forced_grand`
    totals are hidden whatever their size (series protection, advocacy.series), and
    must then be safe like a small count: a reader who could pin one, or narrow it
    below the threshold, would undo the hiding. Zeros are never hidden.
    """
    if any(value < 0 for line in counts for value in line):
        raise ValueError("Counts cannot be negative.")
    n_rows, n_cols = _shape(counts)
    small = range(1, threshold)
    column_totals = [sum(counts[r][c] for r in range(n_rows)) for c in range(n_cols)]
    forced = {(r, c) for r, c in forced if counts[r][c] > 0}
    forced_rows = {r for r in forced_rows if sum(counts[r]) > 0}
    forced_columns = {c for c in forced_columns if column_totals[c] > 0}
    forced_grand = forced_grand and sum(map(sum, counts)) > 0
    disclosure = Disclosure(
        hidden={(r, c) for r in range(n_rows) for c in range(n_cols) if counts[r][c] in small}
        | forced,
        hidden_rows={r for r in range(n_rows) if sum(counts[r]) in small}
        | set(hidden_rows)
        | forced_rows,
        hidden_columns={c for c in range(n_cols) if column_totals[c] in small}
        | set(hidden_columns)
        | forced_columns,
        hidden_grand=hidden_grand or forced_grand or sum(map(sum, counts)) in small,
    )
    # Every hidden count, the small totals and the forced ones must be safe; totals
    # hidden only to protect counts need not be.
    to_check = {("cell", r, c) for r, c in disclosure.hidden}
    to_check |= {
        ("row", r) for r in disclosure.hidden_rows if sum(counts[r]) in small or r in forced_rows
    }
    to_check |= {
        ("column", c)
        for c in disclosure.hidden_columns
        if column_totals[c] in small or c in forced_columns
    }
    to_check |= {("grand",)} if forced_grand else set()
    # One key at a time: hiding more only widens ranges, so a key found safe stays safe.
    queue = sorted(to_check)
    while queue:
        key = queue[0]
        if is_safe(counts, disclosure, key, threshold=threshold):
            queue.pop(0)
            continue
        added = _hide_one_more(counts, disclosure, key)
        if added is None:
            _hide_everything(counts, disclosure)
            break
        if added[0] == "cell":
            disclosure.complementary[(added[1], added[2])] = key
            queue.insert(0, added)  # protect it next: it closes a rectangle with `key`
    return disclosure


def _hide_everything(counts, disclosure: Disclosure) -> None:
    n_rows, n_cols = _shape(counts)
    disclosure.hidden |= {(r, c) for r in range(n_rows) for c in range(n_cols) if counts[r][c]}
    disclosure.hidden_rows = {r for r in range(n_rows) if sum(counts[r]) > 0}
    disclosure.hidden_columns = {
        c for c in range(n_cols) if sum(counts[r][c] for r in range(n_rows)) > 0
    }
    disclosure.hidden_grand = sum(map(sum, counts)) > 0


def _alone(disclosure: Disclosure, key: tuple, cell: tuple) -> bool:
    """Whether `cell`, once hidden, would be the only hidden cell of its other line
    (the line not shared with `key`): prefer cells that close a rectangle."""
    r, c = cell
    same_row = key[0] == "cell" and key[1] == r
    if same_row:
        return not any(i != r and (i, c) in disclosure.hidden for i in _lines(disclosure, 0))
    return not any(j != c and (r, j) in disclosure.hidden for j in _lines(disclosure, 1))


def _lines(disclosure: Disclosure, axis: int) -> set:
    return {cell[axis] for cell in disclosure.hidden}


def _hide_one_more(counts, disclosure: Disclosure, key: tuple):
    """Hide one more thing to protect `key`; returns what (a key), or None when
    nothing is left to hide around it."""
    n_rows, n_cols = _shape(counts)
    if key[0] == "cell":
        _kind, r, c = key
        around = [(r, j) for j in range(n_cols)] + [(i, c) for i in range(n_rows)]
        totals = [("row", r), ("column", c)]
    elif key[0] == "row":
        # A small row's total is the sum of its hidden cells: hide counts in their columns.
        columns = [c for c in range(n_cols) if (key[1], c) in disclosure.hidden]
        around = [(i, c) for c in columns for i in range(n_rows)]
        totals = [("column", c) for c in columns]
        if not columns:  # a forced total whose cells are all shown: hide one of them
            around = [(key[1], c) for c in range(n_cols)]
    elif key[0] == "grand":
        # The grand total is the sum of the row totals and of the column totals.
        around = []
        totals = [("row", r) for r in range(n_rows) if sum(counts[r])]
        totals += [("column", c) for c in range(n_cols) if any(line[c] for line in counts)]
    else:
        rows = [r for r in range(n_rows) if (r, key[1]) in disclosure.hidden]
        around = [(r, j) for r in rows for j in range(n_cols)]
        totals = [("row", r) for r in rows]
        if not rows:
            around = [(r, key[1]) for r in range(n_rows)]
    candidates = [
        cell for cell in around if cell not in disclosure.hidden and counts[cell[0]][cell[1]] > 0
    ]
    if candidates:
        chosen = min(
            candidates,
            key=lambda cell: (_alone(disclosure, key, cell), counts[cell[0]][cell[1]], cell),
        )
        disclosure.hidden.add(chosen)
        return ("cell", *chosen)
    for kind, index in totals:
        hidden_set = disclosure.hidden_rows if kind == "row" else disclosure.hidden_columns
        if index not in hidden_set:
            hidden_set.add(index)
            return (kind, index)
    if not disclosure.hidden_grand:
        disclosure.hidden_grand = True
        return ("grand",)
    return None


def displayed(counts, disclosure: Disclosure) -> dict:
    """The shown table: {"rows": [[cells..., row total]], "total": [column totals..., grand]}."""
    n_rows, n_cols = _shape(counts)
    rows = []
    for r in range(n_rows):
        cells = [HIDDEN if (r, c) in disclosure.hidden else counts[r][c] for c in range(n_cols)]
        total = HIDDEN if r in disclosure.hidden_rows else sum(counts[r])
        rows.append([*cells, total])
    footer = [
        HIDDEN if c in disclosure.hidden_columns else sum(counts[r][c] for r in range(n_rows))
        for c in range(n_cols)
    ]
    footer.append(HIDDEN if disclosure.hidden_grand else sum(map(sum, counts)))
    return {"rows": rows, "total": footer}
