from django.urls import path

from .views import crisis as views

urlpatterns = [
    path("crisis/", views.crisis_board, name="crisis-board"),
    path("crisis/nueva/", views.crisis_create, name="crisis-create"),
    path("crisis/<uuid:crisis_id>/", views.crisis_detail, name="crisis-detail"),
    path("crisis/<uuid:crisis_id>/editar/", views.crisis_edit, name="crisis-edit"),
    path(
        "crisis/<uuid:crisis_id>/enterado/",
        views.crisis_acknowledge_view,
        name="crisis-acknowledge",
    ),
    path(
        "crisis/seguimientos/<uuid:follow_up_id>/",
        views.crisis_follow_up_done,
        name="crisis-follow-up-done",
    ),
]
