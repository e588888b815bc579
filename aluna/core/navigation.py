"""The navigation registry: each app declares its menu entries and who sees them.

`aluna` imports no domain app, so domain apps register their entries from
their AppConfig.ready() with `register()`.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    icon: str = "circle"
    order: int = 100

    def visible_to(self, user) -> bool:
        return bool(self.roles & user.role_codes)

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return "#"


_registry: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _registry:
        _registry.append(item)


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return sorted((i for i in _registry if i.visible_to(user)), key=lambda i: i.order)
