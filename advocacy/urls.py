from django.urls import path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("productos/", views.output_list, name="output-list"),
    path("productos/nuevo/", views.output_create, name="output-create"),
    path("productos/<uuid:output_id>/", views.output_detail, name="output-detail"),
    path("productos/<uuid:output_id>/editar/", views.output_edit, name="output-edit"),
    path("productos/<uuid:output_id>/borrar/", views.output_delete, name="output-delete"),
    path("donantes/", views.grant_list, name="grant-list"),
    path("donantes/nuevo/", views.donor_create, name="donor-create"),
    path("donativos/nuevo/", views.grant_create, name="grant-create"),
    path("donativos/<uuid:grant_id>/", views.grant_detail, name="grant-detail"),
    path("informes/", views.report_list, name="report-list"),
    path("informes/nuevo/", views.report_create, name="report-create"),
    path("informes/<uuid:report_id>/", views.report_detail, name="report-detail"),
    path("informes/<uuid:report_id>/editar/", views.report_edit, name="report-edit"),
    path("informes/<uuid:report_id>/estado/", views.report_status, name="report-status"),
    path("informes/<uuid:report_id>/generar/", views.report_generate, name="report-generate"),
    path("informes/<uuid:report_id>/pdf/", views.report_download, name="report-download"),
    path("informes/<uuid:report_id>/csv/", views.report_csv, name="report-csv"),
    path("informes/<uuid:report_id>/vista-previa/", views.report_preview, name="report-preview"),
    path("informes/<uuid:report_id>/entregado/", views.report_deliver, name="report-deliver"),
]
