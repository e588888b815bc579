from .models import AuditAction
from .services import audit_record

_STATUS_ACTIONS = {403: AuditAction.DENIED, 404: AuditAction.NOT_FOUND}


class AuditDenialMiddleware:
    """Record every 403 and 404 answered to a signed-in user.

    Probing for records one may not see shows up as a run of these. Anonymous
    404s are left out: they are scanners' noise, and the URL they typed is
    free text we do not store. Only the view name and the record id from the
    URL are kept, never the path or query string.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        action = _STATUS_ACTIONS.get(response.status_code)
        user = getattr(request, "user", None)
        if action is not None and user is not None and user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            target_id = ""
            view_name = None
            if match is not None:
                view_name = match.view_name
                raw = match.kwargs.get("pk") or match.kwargs.get("id") or ""
                target_id = str(raw) if isinstance(raw, int | str) or hasattr(raw, "hex") else ""
            try:
                audit_record(
                    action=action,
                    request=request,
                    target_id=target_id,
                    metadata={"view": view_name, "status": response.status_code},
                )
            except ValueError:
                # A URL kwarg that is not an id (a slug with odd characters): keep the denial.
                audit_record(action=action, request=request, metadata={"view": view_name})
        return response
