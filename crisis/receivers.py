"""What crisis response does when the hub records something (connected in ready())."""

from accompaniment.models import ProcessKind

from .services.follow_ups import crisis_follow_up_done_by_session


def complete_follow_up_on_session(sender, *, session, process, actor, **kwargs) -> None:
    """A session with the person on a crisis process is the follow-up contact that
    was due: mark it done, in the session's transaction."""
    if process.kind == ProcessKind.CRISIS:
        crisis_follow_up_done_by_session(process_id=process.pk, actor=actor, at=session.started_at)
