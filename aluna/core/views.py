from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import FAIL, OK, health_checks
from .home import panels_for


def home(request):
    """Each role lands on its day's work: the panels the apps register (aluna.core.home)."""
    context = {"roles": request.user.roles, "panels": panels_for(request)}
    return render(request, "core/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Database and Redis reachable? Says only ok/fail, nothing about the data."""
    checks = health_checks()
    healthy = all(value == OK for value in checks.values())
    status = OK if healthy else FAIL
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)


@login_not_required
def error_400(request, exception=None):
    return render(request, "errors/400.html", status=400)


@login_not_required
def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def error_500(request):
    # No request context: the failure may be the database the context needs.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
