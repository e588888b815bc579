from django.urls import path

from . import views

app_name = "accompaniment"

urlpatterns = [
    path("", views.index, name="index"),
]
