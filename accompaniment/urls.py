from django.urls import include, path

from .views import catalogues as views

app_name = "accompaniment"

urlpatterns = [
    path("catalogos/", views.catalogue_list, name="catalogue-list"),
    path(
        "catalogos/<slug:catalogue>/",
        views.catalogue_entries,
        name="catalogue-entries",
    ),
    path(
        "catalogos/<slug:catalogue>/nueva/",
        views.catalogue_entry_create_view,
        name="catalogue-entry-create",
    ),
    path(
        "catalogos/<slug:catalogue>/<uuid:pk>/editar/",
        views.catalogue_entry_edit_view,
        name="catalogue-entry-edit",
    ),
    path(
        "catalogos/<slug:catalogue>/<uuid:pk>/activacion/",
        views.catalogue_entry_toggle_view,
        name="catalogue-entry-toggle",
    ),
    # Each area keeps its own URL module (same namespace).
    path("", include("accompaniment.urls_subjects")),
    path("", include("accompaniment.urls_processes")),
    path("", include("accompaniment.urls_sessions")),
    path("", include("accompaniment.urls_dashboard")),
]
