"""The process timeline: one chronological page merging entries from several sources.

accompaniment registers its own sources below (sessions, assessments, objective
changes, opened/closed markers). Other apps that import accompaniment (crisis
interventions, risk assessments, protection measures) add theirs from their
AppConfig.ready():

    from accompaniment.timeline import TimelineEntry, register_timeline_source

    def intervention_entries(*, process, user, since=None, limit=None):
        ...  # at most `limit` newest entries, newest first, via an indexed query

    register_timeline_source("crisis.interventions", intervention_entries)

A source is called as func(*, process, user, since=None, limit=None) and returns an
iterable of TimelineEntry. `since` (a datetime) asks only for entries at or after it;
`limit` for at most that many newest entries. Honouring `limit` keeps a page cheap
however long the process: page N asks every source for N * PAGE_SIZE + 1 entries.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FieldAssessment, ObjectiveChange, ObjectiveStatus, PsychosocialField, Session

PAGE_SIZE = 30
# Deep pages cost N * PAGE_SIZE rows per source; nobody reads 500 pages back.
MAX_PAGE = 500


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str
    title: str
    url: str | None = None
    detail: str = ""


TimelineSource = Callable[..., Iterable[TimelineEntry]]
_sources: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, func: TimelineSource) -> None:
    """Add (or replace, by name) a source of timeline entries."""
    _sources[name] = func


def timeline_sources() -> dict[str, TimelineSource]:
    return dict(_sources)


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def timeline_page(*, process, user, page: int = 1, page_size: int = PAGE_SIZE) -> TimelinePage:
    """Entries number (page-1)*page_size .. page*page_size of the merged timeline, newest first."""
    page = max(1, min(page, MAX_PAGE))
    limit = page * page_size + 1
    merged: list[TimelineEntry] = []
    for func in _sources.values():
        merged.extend(islice(func(process=process, user=user, since=None, limit=limit), limit))
    merged.sort(key=lambda entry: entry.when, reverse=True)
    start = (page - 1) * page_size
    return TimelinePage(
        entries=merged[start : start + page_size],
        number=page,
        has_next=len(merged) > page * page_size,
    )


# --- accompaniment's own sources ----------------------------------------------------------


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def _url_or_none(name: str, **kwargs) -> str | None:
    """Links to pages other engineers' apps build; absent pages give no link, not an error."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def session_entries(*, process, user, since=None, limit=None):

    sessions = Session.objects.filter(process=process).order_by("-started_at")
    if since is not None:
        sessions = sessions.filter(started_at__gte=since)
    # Only the columns the entry shows: the encrypted notes are not decrypted here.
    sessions = sessions.only(
        "id",
        "process_id",
        "started_at",
        "modality",
        "duration_minutes",
        *Session.FIELD_FLAGS.values(),
    )
    labels = dict(PsychosocialField.choices)
    for session in sessions[:limit] if limit else sessions:
        fields = ", ".join(str(labels[code]) for code in session.fields_worked)
        yield TimelineEntry(
            when=session.started_at,
            kind="session",
            title=_("Session · %(modality)s") % {"modality": session.get_modality_display()},
            url=_url_or_none("accompaniment:session-detail", session_id=session.pk),
            detail=_("%(minutes)s minutes · %(fields)s")
            % {"minutes": session.duration_minutes, "fields": fields or "—"},
        )


def assessment_entries(*, process, user, since=None, limit=None):

    assessments = FieldAssessment.objects.filter(process=process).order_by(
        "-assessed_on", "-created_at"
    )
    if since is not None:
        assessments = assessments.filter(assessed_on__gte=timezone.localdate(since))
    assessments = assessments.only("id", "process_id", "field", "assessed_on", "score")
    for assessment in assessments[:limit] if limit else assessments:
        yield TimelineEntry(
            when=_start_of_day(assessment.assessed_on),
            kind="assessment",
            title=_("Assessment · %(field)s") % {"field": assessment.get_field_display()},
            url=_url_or_none("accompaniment:assessment-edit", assessment_id=assessment.pk),
            detail=_("Score %(score)s of 5") % {"score": assessment.score},
        )


def objective_change_entries(*, process, user, since=None, limit=None):

    changes = ObjectiveChange.objects.filter(objective__process=process).order_by("-changed_at")
    if since is not None:
        changes = changes.filter(changed_at__gte=since)
    changes = changes.select_related("objective").only(
        "id", "from_status", "to_status", "changed_at", "objective__id", "objective__field"
    )
    labels = dict(ObjectiveStatus.choices)
    for change in changes[:limit] if limit else changes:
        if change.from_status:
            detail = _("%(old)s → %(new)s") % {
                "old": labels.get(change.from_status, change.from_status),
                "new": labels.get(change.to_status, change.to_status),
            }
        else:
            detail = _("New objective · %(status)s") % {
                "status": labels.get(change.to_status, change.to_status)
            }
        yield TimelineEntry(
            when=change.changed_at,
            kind="objective",
            title=_("Objective · %(field)s") % {"field": change.objective.get_field_display()},
            url=_url_or_none("accompaniment:objective-edit", objective_id=change.objective_id),
            detail=detail,
        )


def marker_entries(*, process, user, since=None, limit=None):
    """Opened and closed markers: no query, the process already holds both dates."""
    markers = [
        TimelineEntry(
            when=_start_of_day(process.opened_on), kind="opened", title=_("Process opened")
        )
    ]
    if process.closed_on:
        markers.append(
            TimelineEntry(
                when=_end_of_day(process.closed_on), kind="closed", title=_("Process closed")
            )
        )
    return [m for m in markers if since is None or m.when >= since]


register_timeline_source("accompaniment.sessions", session_entries)
register_timeline_source("accompaniment.assessments", assessment_entries)
register_timeline_source("accompaniment.objectives", objective_change_entries)
register_timeline_source("accompaniment.markers", marker_entries)


# --- Links from a process to the pages other apps keep for it ---------------------------


@dataclass(frozen=True)
class ProcessLink:
    """A page another app keeps for a process (security's risk and protection page...).

    The hub cannot import those apps; they register here from AppConfig.ready().
    """

    label: str  # a lazy translation
    url_name: str  # reversed with process_id=...
    icon: str = "box-arrow-up-right"


_process_links: list[ProcessLink] = []


def register_process_link(link: ProcessLink) -> None:
    if link not in _process_links:
        _process_links.append(link)


def process_links(*, process) -> list[tuple[str, str, str]]:
    """(label, url, icon) of every registered page for `process`."""
    return [
        (link.label, reverse(link.url_name, kwargs={"process_id": process.pk}), link.icon)
        for link in _process_links
    ]
