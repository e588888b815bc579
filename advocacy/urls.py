from django.urls import path

from . import views

app_name = "advocacy"

urlpatterns = [
    path("", views.index, name="index"),
]
