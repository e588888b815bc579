from django.urls import path

from .views import processes as views

urlpatterns = [
    path(
        "sujetos/<uuid:subject_id>/procesos/nuevo/",
        views.process_create,
        name="process-create",
    ),
    path("procesos/<uuid:process_id>/", views.process_detail, name="process-detail"),
    path("procesos/<uuid:process_id>/editar/", views.process_edit, name="process-edit"),
    path("procesos/<uuid:process_id>/estado/", views.process_status, name="process-status"),
    path(
        "procesos/<uuid:process_id>/archivar/",
        views.process_archive_view,
        name="process-archive",
    ),
    path(
        "procesos/<uuid:process_id>/eliminar/",
        views.process_delete_view,
        name="process-delete",
    ),
    path(
        "procesos/<uuid:process_id>/linea-de-tiempo/",
        views.process_timeline,
        name="process-timeline",
    ),
    path(
        "procesos/<uuid:process_id>/objetivos/nuevo/",
        views.objective_create_view,
        name="objective-create",
    ),
    path(
        "objetivos/<uuid:objective_id>/editar/",
        views.objective_edit_view,
        name="objective-edit",
    ),
    path(
        "procesos/<uuid:process_id>/valoraciones/nueva/",
        views.assessment_create_view,
        name="assessment-create",
    ),
    path(
        "valoraciones/<uuid:assessment_id>/editar/",
        views.assessment_edit_view,
        name="assessment-edit",
    ),
]
