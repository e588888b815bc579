from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from aluna.accounts import views as account_views
from aluna.core import pwa
from aluna.core import views as core_views

urlpatterns = [
    path("", include("aluna.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    # The installable app: manifest and service worker from the root (its scope).
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("sin-conexion/", pwa.offline, name="offline"),
    path("i18n/", include("django.conf.urls.i18n")),
    # allauth's download of the recovery codes, under its own address and name,
    # saved as codigos-de-recuperacion-<date>.txt instead of recovery-codes.txt.
    path(
        "accounts/2fa/recovery-codes/download/",
        account_views.RecoveryCodesDownload.as_view(),
        name="mfa_download_recovery_codes",
    ),
    path("accounts/", include("allauth.urls")),
    path("cuenta/", include("aluna.accounts.urls")),
    path("auditoria/", include("aluna.audit.urls")),
    path("notificaciones/", include("aluna.notifications.urls")),
    # The admin's own login form would skip the second factor and the rate
    # limits: send it to the one login there is.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path("acompanamiento/", include("accompaniment.urls")),
    # Crisis response keeps the addresses it had inside accompaniment (bookmarks, e-mails).
    path("acompanamiento/", include("crisis.urls")),
    path("seguridad/", include("security.urls")),
    path("formacion/", include("training.urls")),
    path("incidencia/", include("advocacy.urls")),
]

handler400 = "aluna.core.views.error_400"
handler403 = "aluna.core.views.error_403"
handler404 = "aluna.core.views.error_404"
handler500 = "aluna.core.views.error_500"
