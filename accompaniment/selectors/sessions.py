"""Sessions are reached only through the processes the user may see."""

from django.db.models import QuerySet
from django.http import Http404

from ..models import Process, Session
from .access import in_process_scope, process_get_for_user, processes_for_user


def sessions_for_user(*, user) -> QuerySet[Session]:
    return in_process_scope(Session.objects.all(), user=user)


def session_get_for_user(*, user, session_id, queryset=None) -> Session:
    """The session, if `user` may see its process; 404 for "missing" and "not yours"."""
    queryset = queryset if queryset is not None else sessions_for_user(user=user)
    try:
        return queryset.get(pk=session_id)
    except (Session.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def session_get_for_detail_page(*, user, session_id) -> Session:
    """With everything the detail page shows: process, subject's alias, recorder,
    impacts and coping mechanisms (a fixed number of queries)."""
    queryset = (
        sessions_for_user(user=user)
        .select_related("process__subject", "process__lead", "recorded_by")
        .prefetch_related("impacts", "coping_mechanisms")
    )
    return session_get_for_user(user=user, session_id=session_id, queryset=queryset)


def session_get_for_edit_page(*, user, session_id) -> Session:
    queryset = sessions_for_user(user=user).select_related("process__subject")
    return session_get_for_user(user=user, session_id=session_id, queryset=queryset)


def process_get_for_session_form(*, user, process_id) -> Process:
    queryset = processes_for_user(user=user).select_related("subject")
    return process_get_for_user(user=user, process_id=process_id, queryset=queryset)
