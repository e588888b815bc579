from django.urls import path

from .views import aggressions, roster

urlpatterns = [
    path("agresiones/", aggressions.aggression_list, name="aggression-list"),
    path("agresiones/nueva/", aggressions.aggression_create_view, name="aggression-create"),
    path("agresiones/estadisticas/", aggressions.aggression_stats, name="aggression-stats"),
    path(
        "agresiones/<uuid:aggression_id>/",
        aggressions.aggression_detail,
        name="aggression-detail",
    ),
    path(
        "agresiones/<uuid:aggression_id>/editar/",
        aggressions.aggression_edit_view,
        name="aggression-edit",
    ),
    path("guardias/", roster.roster_view, name="roster"),
    path(
        "guardias/<uuid:shift_id>/quitar/",
        roster.roster_shift_delete_view,
        name="roster-shift-delete",
    ),
]
