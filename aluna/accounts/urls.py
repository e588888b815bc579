from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("usuarios/", views.user_list, name="user-list"),
    path("usuarios/nuevo/", views.user_create, name="user-create"),
    path("usuarios/<uuid:user_id>/", views.user_detail, name="user-detail"),
    path("usuarios/<uuid:user_id>/editar/", views.user_edit, name="user-edit"),
    path("usuarios/<uuid:user_id>/desactivar/", views.user_deactivate, name="user-deactivate"),
    path("usuarios/<uuid:user_id>/comprometido/", views.user_compromised, name="user-compromised"),
    path("politica-de-seguridad/", views.security_policy, name="security-policy"),
    path("invitacion/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("seguridad/", views.my_security, name="my-security"),
    path("seguridad/sesiones/<uuid:session_id>/cerrar/", views.session_end, name="session-end"),
    path("seguridad/cerrar-todas/", views.logout_everywhere, name="logout-everywhere"),
    path("latido/", views.heartbeat, name="heartbeat"),
]
