from django.urls import path

from .views import subjects as views

urlpatterns = [
    path("", views.index, name="index"),
]
