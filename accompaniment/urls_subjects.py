from django.urls import path

from .views import subject_picker
from .views import subjects as views

urlpatterns = [
    path("", views.index, name="index"),
    path("sujetos/nuevo/", views.subject_create_view, name="subject-create"),
    path("sujetos/buscar/", subject_picker.subject_picker_search, name="subject-picker-search"),
    path("sujetos/<uuid:subject_id>/", views.subject_detail, name="subject-detail"),
    path("sujetos/<uuid:subject_id>/editar/", views.subject_edit_view, name="subject-edit"),
    path("sujetos/<uuid:subject_id>/eliminar/", views.subject_delete_view, name="subject-delete"),
    path("sujetos/<uuid:subject_id>/expediente.pdf", views.subject_pdf_view, name="subject-pdf"),
    path(
        "sujetos/<uuid:subject_id>/membresias/nueva/",
        views.membership_create_view,
        name="membership-create",
    ),
    path(
        "membresias/<uuid:membership_id>/terminar/",
        views.membership_end_view,
        name="membership-end",
    ),
]
