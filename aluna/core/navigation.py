"""The navigation registry: each app declares its menu entries and who sees them.

`aluna` imports no domain app, so domain apps register their entries from
their AppConfig.ready() with `register()`. Entries of one `group` share a
drop-down menu in the header (a group with one visible entry is a plain link),
so a coordinator's dozen entries fit on one line of a 1366 px screen.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# Menu groups, in header order: (label, icon).
GROUPS = {
    "crisis": (_("Crisis"), "exclamation-octagon"),
    "cases": (_("Accompaniment"), "people"),
    "security": (_("Security"), "shield-check"),
    "training": (_("Training"), "mortarboard"),
    "advocacy": (_("Advocacy"), "megaphone"),
    "admin": (_("Administration"), "gear"),
}


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    icon: str = "circle"
    order: int = 100
    group: str = ""  # a key of GROUPS; "" = a link of its own

    def visible_to(self, user) -> bool:
        return bool(self.roles & user.role_codes)

    @property
    def url(self) -> str:
        # The header reads each entry's URL up to three times, on every page.
        return _url_of(self.url_name, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _url_of(url_name: str, urlconf, script_prefix: str) -> str:
    """A menu entry's URL: it only changes with the URLconf and the script prefix."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return "#"


@receiver(setting_changed)
def _urlconf_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _url_of.cache_clear()


@dataclass
class MenuEntry:
    """One header entry: a link (one item) or a drop-down (several)."""

    key: str
    label: str
    icon: str
    items: list[NavItem]

    @property
    def single(self) -> NavItem | None:
        return self.items[0] if len(self.items) == 1 else None


_registry: list[NavItem] = []
_quick_actions: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _registry:
        _registry.append(item)


def register_quick_action(item: NavItem) -> None:
    """An action one tap away on every page (beside the menu button on a phone):
    logging a crisis."""
    if item not in _quick_actions:
        _quick_actions.append(item)


def quick_actions_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return sorted((i for i in _quick_actions if i.visible_to(user)), key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return sorted((i for i in _registry if i.visible_to(user)), key=lambda i: i.order)


def menu_for(user) -> list[MenuEntry]:
    """The user's header: their entries grouped, groups in GROUPS order."""
    entries: dict[str, MenuEntry] = {}
    for item in items_for(user):
        key = item.group or item.url_name
        if key not in entries:
            label, icon = GROUPS.get(item.group, (item.label, item.icon))
            entries[key] = MenuEntry(key=key, label=label, icon=icon, items=[])
        entries[key].items.append(item)
    order = list(GROUPS)
    return sorted(
        entries.values(), key=lambda e: order.index(e.key) if e.key in order else len(order)
    )
