from django.contrib import admin

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type

from .catalogues import CATALOGUES


class CatalogueEntryAdmin(admin.ModelAdmin):
    """Catalogue entries in the Django admin: editable and audited, never deleted
    (records refer to them; deactivate instead)."""

    list_display = ["code", "label_es", "label_en", "is_active", "position"]
    list_filter = ["is_active"]
    search_fields = ["code", "label_es", "label_en"]
    ordering = ["position", "label_es"]

    def get_readonly_fields(self, request, obj=None):
        # The code is set once: reports and exports refer to it.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The admin's change view already runs in a transaction: the audit event
        # is written, or rolled back, with the row.
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            actor=request.user,
            target_type=audit_target_type(obj),
            target_id=str(obj.pk),
            request=request,
            metadata={"code": obj.code, "via": "admin"},
        )


class PsychosocialImpactAdmin(CatalogueEntryAdmin):
    list_display = [*CatalogueEntryAdmin.list_display, "dimension"]
    list_filter = ["is_active", "dimension"]


for _catalogue in CATALOGUES.values():
    admin.site.register(
        _catalogue.model,
        PsychosocialImpactAdmin if "dimension" in _catalogue.extra_fields else CatalogueEntryAdmin,
    )
