from django.urls import path

from .views import dashboard as views

urlpatterns = [
    path("tablero/", views.dashboard, name="dashboard"),
    path(
        "tablero/<uuid:process_id>/",
        views.dashboard_organisation,
        name="dashboard-organisation",
    ),
    path("atencion/", views.attention, name="attention"),
]
