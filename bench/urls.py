"""The bench's URLconf: the app's own URLs, plus the yardsticks it is measured against.

- `/_bench/admin/`: the bench's own Django admin (bench/admin_site.py), whose subject and
  process changelists every list page of the same model must beat by half;
- `/_bench/floor/`: the floor, one query of 25 subjects and one small template through
  the full middleware stack (sessions, authentication, second factor, CSRF, CSP...):
  no page should cost more than 5 times it.

Only bench/run.py and the bench's tests use this module (ROOT_URLCONF = "bench.urls").
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from accompaniment.models import PoliticalSubject
from aluna.urls import handler400, handler403, handler404, handler500  # noqa: F401
from aluna.urls import urlpatterns as app_urlpatterns
from bench.admin_site import site as bench_admin_site

FLOOR_PAGE_SIZE = 25
FLOOR_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Floor</title></head>
<body><main><h1>Floor</h1><ul>{% for subject in subjects %}
<li><a href="#{{ subject.pk }}">{{ subject.alias }}</a> {{ subject.initials }}</li>{% endfor %}
</ul><form method="post">{% csrf_token %}</form></main></body></html>"""
)


def floor(request):
    """One query of 25 subjects, one small template: what every page pays at least."""
    subjects = PoliticalSubject.objects.only("id", "alias", "initials").order_by("alias", "id")
    return HttpResponse(FLOOR_TEMPLATE.render({"subjects": subjects[:FLOOR_PAGE_SIZE]}, request))


urlpatterns = [
    path("_bench/admin/", bench_admin_site.urls),
    path("_bench/floor/", floor, name="bench-floor"),
    *app_urlpatterns,
]
