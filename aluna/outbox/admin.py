from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutboxMessage
from .selectors import outbox_pending, outbox_stale, outbox_stale_cutoff


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("Pending for too long")),
            ("pending", _("Pending")),
            ("dispatched", _("Dispatched")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset & outbox_stale()
        if self.value() == "pending":
            return queryset & outbox_pending()
        if self.value() == "dispatched":
            return queryset.filter(dispatched_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: administrators see what waits for the broker, and since when."""

    list_display = [
        "task_name",
        "created_at",
        "is_stale",
        "dispatched_at",
        "attempts",
        "last_error",
    ]
    list_filter = [OutboxStateFilter, "task_name"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    @admin.display(boolean=True, description=_("pending for too long"))
    def is_stale(self, obj: OutboxMessage) -> bool:
        return obj.dispatched_at is None and obj.created_at < outbox_stale_cutoff()

    def has_add_permission(self, request) -> bool:
        # Rows come from services only, in the transaction of the record they follow.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
