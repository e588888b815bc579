"""The home page: each role lands on its day's work, not on a copy of the menu.

`aluna` imports no domain app, so apps register the panels they contribute from
their AppConfig.ready():

    register_home_panel(HomePanel(
        key="crisis.open", template="crisis/home/open.html",
        context=open_crises_panel, roles=frozenset({Role.ACCOMPANIMENT}), order=10,
    ))

`context(request)` returns the template's context, or None to leave the panel out
(nothing to show). Panels render in `order`; each should cost one or two queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    context: Callable
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    wide: bool = False  # a full row (the crisis button), not a card in the grid


_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def panels_for(request) -> list[tuple[HomePanel, dict]]:
    """The panels the signed-in user sees, with their context, in order."""
    user = request.user
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        if not panel.roles & user.role_codes:
            continue
        context = panel.context(request)
        if context is not None:
            shown.append((panel, context))
    return shown
