"""The pages the benchmark times. Apps add their heavy pages here as they land.

`user` is a demo user key from aluna.core.seeding.DEMO_USERS ("coordinator",
"accompanier1", ...) or an e-mail address. Give either `url_name` (one name
or a tuple of candidates: the first that reverses is used, none skips the
page) with optional `kwargs`, or a literal `url`.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    url_name: str | tuple[str, ...] | None = None
    url: str | None = None
    kwargs: dict = field(default_factory=dict)


PAGES: list[Page] = [
    # Each role's landing page.
    Page("home (administración)", "admin", "core:home"),
    Page("home (coordinación)", "coordinator", "core:home"),
    Page("home (acompañamiento)", "accompanier1", "core:home"),
    Page("home (formación)", "trainer", "core:home"),
    Page("home (incidencia)", "advocate", "core:home"),
    # The four app index pages, for the role that works in them day to day.
    Page("accompaniment index", "accompanier1", "accompaniment:index"),
    Page("security index", "accompanier1", "security:index"),
    Page("training index", "trainer", "training:index"),
    Page("advocacy index", "advocate", "advocacy:index"),
    # The coordinator sees everything: the widest querysets.
    Page("accompaniment index (coordinación)", "coordinator", "accompaniment:index"),
    Page("security index (coordinación)", "coordinator", "security:index"),
    Page(
        "notifications",
        "accompanier1",
        ("notifications:list", "notifications:index", "notifications:notification-list"),
    ),
    Page("users list (administración)", "admin", "accounts:user-list"),
    Page("audit log (administración)", "admin", "audit:list"),
    Page("catalogues (administración)", "admin", "accompaniment:catalogue-list"),
    Page("my security", "accompanier1", "accounts:my-security"),
]


def register_page(page: Page) -> None:
    if all(p.name != page.name for p in PAGES):
        PAGES.append(page)
