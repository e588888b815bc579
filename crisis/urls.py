"""Crisis response's pages, mounted under /acompanamiento/ (the addresses they had
inside the accompaniment app: bookmarks and links in e-mails keep working)."""

from django.urls import path

from .views import aggressions, interventions, response_times, roster

app_name = "crisis"

urlpatterns = [
    path("crisis/", interventions.crisis_board, name="crisis-board"),
    path("crisis/nueva/", interventions.crisis_create, name="crisis-create"),
    path("crisis/<uuid:crisis_id>/", interventions.crisis_detail, name="crisis-detail"),
    path("crisis/<uuid:crisis_id>/editar/", interventions.crisis_edit, name="crisis-edit"),
    path(
        "crisis/<uuid:crisis_id>/confirmar-sujeto/",
        interventions.crisis_subject_confirm,
        name="crisis-subject-confirm",
    ),
    path(
        "crisis/<uuid:crisis_id>/enterado/",
        interventions.crisis_acknowledge_view,
        name="crisis-acknowledge",
    ),
    path(
        "crisis/seguimientos/<uuid:follow_up_id>/",
        interventions.crisis_follow_up_done,
        name="crisis-follow-up-done",
    ),
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
    path(
        "crisis/tiempos-de-respuesta/",
        response_times.response_times_view,
        name="response-times",
    ),
    path("guardias/", roster.roster_view, name="roster"),
    path(
        "guardias/<uuid:shift_id>/quitar/",
        roster.roster_shift_delete_view,
        name="roster-shift-delete",
    ),
]
