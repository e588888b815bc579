"""Series protection: a report must not let a donor recover a small count by combining
its figures with those of the reports already delivered to the same donor.

The rule, and why it is exact. Fix one figure (a key: table, category and, in a
two-way table, column). Each report showing it exactly says "the count of the period
[start, end + 1 day) is n". Write P(t) for the number counted before day t: a report
is the equation P(end + 1) - P(start) = n, an edge of weight n between two boundary
dates in a graph whose nodes are dates. What a reader can work out from such
equations is exactly their linear span, and:

* the count of [x, y) is P(y) - P(x), the difference of two node vectors;
* a vector of node coefficients is a combination of edges (each edge is +1 at one
  end, -1 at the other) if and only if, in each connected component of the graph,
  its coefficients add up to zero (edges of a spanning tree generate that space;
  each edge lies in it);
* so the reader knows the count of [x, y) exactly when x and y are in the same
  connected component, and then its value is phi(y) - phi(x), where phi are the
  potentials a breadth-first search gives the nodes (phi(start) + n = phi(end + 1)
  along every edge of the tree). Likewise a union of disjoint periods, the sum of
  its pieces' vectors, is known exactly when, in each component, the coefficients
  of its ends (+1 where a piece ends, -1 where one starts) add up to zero, and its
  value is the sum of coefficient times potential.

A new report adds the edge (s, e, n) for each figure it would show exactly:

(a) s and e already connected through delivered reports: the new edge closes a
    cycle and the span does not change. Counts recorded late make n differ from
    phi(e) - phi(s); that discrepancy is a count of cases (the late ones) the reader
    learns. Leak if it is from 1 to THRESHOLD - 1 in absolute value.
(b) s and e in different components A and B: the edge merges them. What becomes
    known is exactly what balances on A together with B but not on A alone: every
    [x, y) with x in one and y in the other, valued from the potentials (B's shifted
    so that the new edge holds), and the unions with that property. Leak if any of
    them but the report's own figure (5 or more, or 0: never small) is from 1 to
    THRESHOLD - 1 in absolute value. Intervals are checked pair by pair; unions by a
    small integer programme (HiGHS, through SciPy): 0/1 for each elementary period
    between consecutive dates, balanced in every component of the merged graph,
    unbalanced on A, valued from 1 to THRESHOLD - 1 (or -1 to -(THRESHOLD - 1)). That
    is how the complement of a nested period is caught: Jan-Apr delivered, Feb-Mar
    new, January plus April is their difference.

Two periods that merely overlap (Jan-Jun and Apr-Sep) are four different dates: no
interval is known but the two reports' own. Three can chain: Q1 and Jan-Jun give
Apr-Jun, and Apr-Sep then gives Jul-Sep. A leak hides the new report's figure ("*"),
which removes its edge: the graph is then the delivered one, which the reader had
already. Its note names one delivered report involved (the first on the path from s
to e in case (a); in case (b) the first on the paths from s to x, then from e to y,
for the first interval found that leaks; for a union, the earliest delivered report
showing the figure) and says whether others are combined with it.

What counts: every count a report shows exactly, in one-way tables (rows and total),
two-way tables (cells, row and column totals, grand total; hiding one goes through
the table's own proven suppression, advocacy.grids) and response times (the number
of cases per row and in all). Medians and percentiles are not counts: they do not add
up over periods, so no subtraction recovers anything from them, and they are not
checked.

A zero is never hidden: "*" tells the reader "at least 1" (5 or more in a one-way
table), so hiding a 0 would mislead the suppression's own proofs. `leaks` still
reports it; report_compute_tables leaves it shown. What it links is little: with
n = 0, a newly known [x, y) is [x, s) + [e, y), two intervals the reader already knew.
"""

import datetime as dt
from collections import deque
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from .suppression import THRESHOLD, TOTAL


@dataclass(frozen=True)
class Leak:
    table: str  # the table's reference ("section:index")
    category: str  # a category label (a two-way table's row), or TOTAL
    difference: int  # the count a reader would recover, in absolute value
    delivered_start: dt.date  # a delivered report involved (see the module's docstring)
    delivered_end: dt.date
    column: str | None = None  # a two-way table's column label, or TOTAL
    # How many delivered reports the reader combines (more than 1: a chain).
    reports: int = 1


def figure_key(leak: Leak) -> tuple:
    """The leak's key among `exact_figures`."""
    if leak.column is None:
        return (leak.table, leak.category)
    return (leak.table, leak.category, leak.column)


def nested(start: dt.date, end: dt.date, other_start: dt.date, other_end: dt.date) -> bool:
    """Whether one period contains the other."""
    return (start <= other_start and other_end <= end) or (
        other_start <= start and end <= other_end
    )


def _grid_figures(ref: str, table: dict, found: dict) -> None:
    columns = [*table["headers"][:-1], TOTAL]
    lines = [(row[0], row[1:]) for row in table["rows"]]
    if isinstance(table.get("total"), list):
        lines.append((TOTAL, table["total"]))
    for label, cells in lines:
        for column, shown in zip(columns, cells, strict=False):
            if isinstance(shown, int):
                found[(ref, label, column)] = shown


def exact_figures(tables: list[dict]) -> dict:
    """`{key: count}` of every count a report shows exactly: `(table ref, category)` in
    one-way tables (rows and TOTAL) and response times (cases per row and in all),
    `(table ref, row, column)` in two-way tables (TOTAL for the totals)."""
    found = {}
    for section in tables:
        for index, table in enumerate(section["tables"]):
            ref = table.get("ref") or f"{section['code']}:{index}"
            if table.get("kind") == "grid":
                _grid_figures(ref, table, found)
                continue
            times = table.get("kind") == "times"
            for row in table["rows"]:
                if isinstance(row[1], int):
                    found[(ref, row[0])] = row[1]
            total = table.get("total")
            if times and isinstance(total, list):
                total = total[0]
            if isinstance(total, int):
                found[(ref, TOTAL)] = total
    return found


def _search(edges: dict, root: int) -> dict:
    """`{node: (potential, deliveries on the path from root, in order)}` over root's
    component."""
    seen = {root: (0, ())}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        potential, path = seen[node]
        for other, weight, delivery in edges.get(node, ()):
            if other not in seen:
                seen[other] = (potential + weight, (*path, delivery))
                queue.append(other)
    return seen


def _node(day: dt.date) -> int:
    return day.toordinal()


def _figure_leak(edges: dict, s: int, e: int, count: int):
    """(recovered count, the deliveries involved) for the new edge (s, e, count), or None."""
    from_start = _search(edges, s)
    if e in from_start:
        potential, path = from_start[e]
        difference = abs(count - potential)
        return (difference, path) if 0 < difference < THRESHOLD else None
    from_end = _search(edges, e)
    for x, (phi_x, path_x) in from_start.items():
        for y, (phi_y, path_y) in from_end.items():
            if (x, y) == (s, e):
                continue
            value = abs(count + phi_y - phi_x)
            if 0 < value < THRESHOLD:
                return value, path_x + path_y
    if not edges:
        return None  # no delivered report shows this figure: only the report's own count
    value = _small_union(edges, from_start, from_end, count)
    if value is None:
        return None
    # Which delivered reports the union needs is not tracked: name them all, by date.
    involved = {id(d): d for links in edges.values() for _node, _weight, d in links}
    return value, tuple(sorted(involved.values(), key=lambda d: (d.start, d.end)))


def _small_union(edges: dict, from_start: dict, from_end: dict, count: int):
    """The value, from 1 to THRESHOLD - 1 in absolute value, of a union of periods the
    merge of s's and e's components makes known, or None (a small integer programme,
    HiGHS: the 0/1 variables say which elementary periods between consecutive dates are
    in the union; its node coefficients must add up to zero in each component of the
    merged graph but not in s's alone; its value comes from the potentials)."""
    potential = {node: phi for node, (phi, _path) in from_start.items()}
    potential |= {node: count + phi for node, (phi, _path) in from_end.items()}
    components = [set(from_start) | set(from_end)]
    for node in sorted(edges):
        if node not in potential:
            found = _search(edges, node)
            potential |= {other: phi for other, (phi, _path) in found.items()}
            components.append(set(found))
    nodes = sorted(potential)
    size = len(nodes) - 1  # the elementary periods [nodes[j], nodes[j + 1])

    def coefficients(group: set) -> np.ndarray:
        # The union's coefficient at nodes[j] is u[j - 1] - u[j] (+1 where a run ends).
        row = np.zeros(size)
        for j, node in enumerate(nodes):
            if node in group:
                if j >= 1:
                    row[j - 1] += 1
                if j < size:
                    row[j] -= 1
        return row

    balanced = LinearConstraint(np.array([coefficients(c) for c in components]), 0, 0)
    on_start = coefficients(set(from_start))
    value = np.array([potential[nodes[j + 1]] - potential[nodes[j]] for j in range(size)])
    small = THRESHOLD - 1
    for side in ((1, np.inf), (-np.inf, -1)):
        for band in ((1, small), (-small, -1)):
            result = milp(
                np.zeros(size),
                constraints=[
                    balanced,
                    LinearConstraint(on_start, *side),
                    LinearConstraint(value, *band),
                ],
                integrality=np.ones(size),
                bounds=Bounds(0, 1),
            )
            if result.status == 0:
                return abs(round(float(value @ result.x)))
    return None


def leaks(*, tables: list[dict], start: dt.date, end: dt.date, deliveries) -> list[Leak]:
    """The counts of `tables` (for the period start-end) that, with the figures of the
    delivered reports, would let a reader work out a count from 1 to THRESHOLD - 1."""
    shown = exact_figures(tables)
    graphs: dict = {key: {} for key in shown}
    for delivery in deliveries:
        a, b = _node(delivery.start), _node(delivery.end + dt.timedelta(days=1))
        for key, count in exact_figures(delivery.tables).items():
            if key in graphs:
                graphs[key].setdefault(a, []).append((b, count, delivery))
                graphs[key].setdefault(b, []).append((a, -count, delivery))
    s, e = _node(start), _node(end + dt.timedelta(days=1))
    found = []
    for key, count in shown.items():
        leak = _figure_leak(graphs[key], s, e, count)
        if leak is None:
            continue
        difference, path = leak
        delivery = path[0]
        found.append(
            Leak(
                table=key[0],
                category=key[1],
                difference=difference,
                delivered_start=delivery.start,
                delivered_end=delivery.end,
                column=key[2] if len(key) == 3 else None,
                reports=len({id(item) for item in path}),
            )
        )
    return found
