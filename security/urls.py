from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("", views.index, name="index"),
    path("procesos/<uuid:process_id>/", views.process_security, name="process"),
    path(
        "procesos/<uuid:process_id>/riesgo/nuevo/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("riesgo/<uuid:assessment_id>/", views.assessment_detail, name="assessment-detail"),
    path("riesgo/<uuid:assessment_id>/editar/", views.assessment_edit, name="assessment-edit"),
    path(
        "procesos/<uuid:process_id>/medidas/nueva/",
        views.measure_create,
        name="measure-create",
    ),
    path("medidas/<uuid:measure_id>/", views.measure_edit, name="measure-edit"),
    path(
        "medidas/otorgadas-no-implementadas/",
        views.measures_not_implemented,
        name="measures-not-implemented",
    ),
    path("monitoreo/nuevo/", views.checkin_create, name="checkin-create"),
    path("monitoreo/<uuid:checkin_id>/", views.checkin_detail, name="checkin-detail"),
    path("monitoreo/<uuid:checkin_id>/llegada/", views.checkin_close, name="checkin-close"),
    path("procesos/<uuid:process_id>/planes/nuevo/", views.plan_create, name="plan-create"),
    path("planes/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("planes/<uuid:plan_id>/editar/", views.plan_edit, name="plan-edit"),
    path("planes/<uuid:plan_id>/medidas/", views.plan_measure_add, name="plan-measure-add"),
    path("planes/<uuid:plan_id>/protocolos/", views.plan_protocol_add, name="plan-protocol-add"),
]
