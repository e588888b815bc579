from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("programas/", views.programme_list, name="programme-list"),
    path("programas/nuevo/", views.programme_create, name="programme-create"),
    path("programas/<uuid:programme_id>/", views.programme_detail, name="programme-detail"),
    path(
        "programas/<uuid:programme_id>/cuestionario/",
        views.questionnaire_edit,
        name="questionnaire-edit",
    ),
    path(
        "programas/<uuid:programme_id>/generaciones/nueva/",
        views.cohort_create,
        name="cohort-create",
    ),
    path("generaciones/<uuid:cohort_id>/", views.cohort_detail, name="cohort-detail"),
    path(
        "generaciones/<uuid:cohort_id>/participantes/nueva/",
        views.participant_add,
        name="participant-add",
    ),
    path("generaciones/<uuid:cohort_id>/importar/", views.cohort_import, name="cohort-import"),
    path(
        "generaciones/<uuid:cohort_id>/importar/plantilla/",
        views.cohort_import_template,
        name="cohort-import-template",
    ),
    path(
        "generaciones/<uuid:cohort_id>/sesiones/nueva/", views.session_create, name="session-create"
    ),
    path(
        "generaciones/<uuid:cohort_id>/evaluaciones/",
        views.cohort_evaluation,
        name="cohort-evaluation",
    ),
    path(
        "generaciones/<uuid:cohort_id>/evaluaciones/<slug:kind>/",
        views.response_create,
        name="response-create",
    ),
    path(
        "generaciones/<uuid:cohort_id>/constancias/",
        views.certificates_bulk,
        name="certificates-bulk",
    ),
    path("constancias/lotes/<uuid:batch_id>/", views.batch_progress, name="batch-progress"),
    path(
        "generaciones/<uuid:cohort_id>/seguimiento/",
        views.cohort_follow_up,
        name="cohort-follow-up",
    ),
    path(
        "inscripciones/<uuid:enrolment_id>/estado/", views.enrolment_status, name="enrolment-status"
    ),
    path(
        "inscripciones/<uuid:enrolment_id>/constancia/",
        views.certificate_issue,
        name="certificate-issue",
    ),
    path(
        "inscripciones/<uuid:enrolment_id>/constancia.pdf",
        views.certificate_pdf,
        name="certificate-pdf",
    ),
    path(
        "inscripciones/<uuid:enrolment_id>/seguimiento/",
        views.follow_up_create,
        name="follow-up-create",
    ),
    path("sesiones/<uuid:session_id>/asistencia/", views.attendance, name="attendance"),
    path("verificar/", views.certificate_verify, name="certificate-verify"),
]
