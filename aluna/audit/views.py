from django.core.paginator import Paginator
from django.shortcuts import render

from aluna.core.access import role_required
from aluna.core.roles import Role

from .filters import AuditEventFilter
from .models import AuditAction
from .selectors import audit_events_for_log_page
from .services import audit_record

PAGE_SIZE = 50


@role_required(Role.ADMINISTRATION)
def event_list(request):
    """The audit log for administración, filterable, newest first."""
    event_filter = AuditEventFilter(request.GET or None, queryset=audit_events_for_log_page())
    # Reading the log tells who consulted which file: that read is audited too
    # (first, so the page shows it).
    searched = any(request.GET.get(name) for name in event_filter.filters)
    audit_record(
        action=AuditAction.SEARCH if searched else AuditAction.VIEW,
        target_type="audit.auditevent",
        request=request,
    )
    page = Paginator(event_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"filter": event_filter, "page_obj": page, "query": query.urlencode()},
    )
