from django.urls import path

from . import views

app_name = "accompaniment"

urlpatterns = [
    path("", views.index, name="index"),
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
]
