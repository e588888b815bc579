from django.urls import path

from .views import sessions as views

urlpatterns = [
    path(
        "procesos/<uuid:process_id>/sesiones/nueva/",
        views.session_create,
        name="session-create",
    ),
    path("sesiones/<uuid:session_id>/", views.session_detail, name="session-detail"),
    path("sesiones/<uuid:session_id>/editar/", views.session_edit, name="session-edit"),
]
