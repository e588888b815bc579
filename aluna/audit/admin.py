from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin site may look, never add, change or delete."""

    list_display = ["sequence", "created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    list_select_related = ["actor"]
    search_fields = ["target_id", "request_id"]
    ordering = ["-sequence"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
