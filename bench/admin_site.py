"""The bench's own Django admin: the yardstick the app's list pages are measured against.

The project's admin keeps the domain models out (a case file is read through the app,
audited and scoped). This site exists only under the bench's URLconf (`bench/urls.py`),
never in `aluna.urls`. It is a plain, reasonably configured changelist: 25 rows,
`list_select_related`, the columns the app's lists show, the encrypted fields deferred
(as the app's list does), read-only, for the coordinators who see every record.
"""

from django.contrib import admin

from accompaniment.models import PoliticalSubject, Process
from aluna.core.roles import Role


class BenchAdminSite(admin.AdminSite):
    site_header = "Bench"
    site_title = "Bench"
    index_title = "Bench"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.has_role(Role.COORDINATION)


class ReadOnlyForCoordinators(admin.ModelAdmin):
    list_per_page = 25
    show_full_result_count = True

    def has_view_permission(self, request, obj=None):
        return request.user.has_role(Role.COORDINATION)

    def has_module_permission(self, request):
        return request.user.has_role(Role.COORDINATION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubjectAdmin(ReadOnlyForCoordinators):
    list_display = ["alias", "initials", "kind", "state", "is_archived"]
    list_select_related = ["kind", "state"]
    ordering = ["alias", "id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(
                "name",
                "municipality",
                "contact",
                "indigenous_people",
                "indigenous_language",
                "other_factors",
            )
        )


class ProcessAdmin(ReadOnlyForCoordinators):
    list_display = ["subject_alias", "kind", "status", "lead", "next_follow_up", "last_session_on"]
    list_select_related = ["subject", "lead"]
    ordering = ["-opened_on", "id"]

    @admin.display(description="subject", ordering="subject__alias")
    def subject_alias(self, process):
        return process.subject.alias

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer(
                "status_reason",
                "closing_summary",
                "subject__name",
                "subject__municipality",
                "subject__contact",
                "subject__indigenous_people",
                "subject__indigenous_language",
                "subject__other_factors",
            )
        )


site = BenchAdminSite(name="bench_admin")
site.register(PoliticalSubject, SubjectAdmin)
site.register(Process, ProcessAdmin)
