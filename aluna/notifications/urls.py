from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("leer-todas/", views.notification_mark_all_read, name="mark-all-read"),
    path("<uuid:notification_id>/leer/", views.notification_mark_read, name="mark-read"),
]
