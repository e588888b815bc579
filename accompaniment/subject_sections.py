"""Sections other apps add to a political subject's page.

The hub cannot import security, training or advocacy; an app that keeps records
about a subject registers a section from its AppConfig.ready():

    from accompaniment.subject_sections import SubjectSection, register_subject_section

    def security_section(*, subject, user):
        if not may_see(user):
            return None  # nothing is shown, not even the heading
        return SubjectSection(template_name="security/_subject_section.html", context={...})

    register_subject_section("security", security_section, order=20)

A section is called as func(*, subject, user) and returns a SubjectSection or None.
It decides itself who may see it (scope its queries by `user`) and must run a fixed
number of queries however many records the subject has: the subject page's query
count is pinned by tests. The page includes `template_name` with the section's
`context` available as `section`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SubjectSection:
    template_name: str
    context: dict = field(default_factory=dict)


SubjectSectionSource = Callable[..., SubjectSection | None]


@dataclass(frozen=True)
class _Registered:
    func: SubjectSectionSource
    order: int


_sections: dict[str, _Registered] = {}


def register_subject_section(name: str, func: SubjectSectionSource, order: int = 100) -> None:
    """Add (or replace, by name: ready() may run twice) a section of the subject page."""
    _sections[name] = _Registered(func=func, order=order)


def subject_sections(*, subject, user) -> list[SubjectSection]:
    """The sections `user` may see on `subject`'s page, in their order."""
    ordered = sorted(_sections.items(), key=lambda item: (item[1].order, item[0]))
    sections = (registered.func(subject=subject, user=user) for _, registered in ordered)
    return [section for section in sections if section is not None]
