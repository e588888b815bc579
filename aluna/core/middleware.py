import contextvars
import logging
import sys
import uuid

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give every request an opaque id, for the audit trail and log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself.

    Authenticated pages are never stored by a browser or a proxy: a seized
    laptop's cache must not hold a case file.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


# Seconds a client (or a proxy) should wait before trying again.
DATABASE_RETRY_AFTER = 10
_DATABASE_DOWN = "_aluna_database_unavailable"


def _note_database_failure(sender, request=None, **kwargs):
    """Remember on the request that the uncaught exception was the database's.

    Django turns an exception into a 500 response inside whichever middleware
    or view raised it (the session and auth middleware included), and reports
    it through this signal while the exception is still being handled.
    """
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, OperationalError | InterfaceError):
        setattr(request, _DATABASE_DOWN, True)


class DatabaseUnavailableMiddleware:
    """A 503 page with Retry-After instead of a 500 while PostgreSQL is unreachable.

    Sits above the session middleware so failures while loading the session
    or the user are covered too. The page is rendered without a request (no
    context processors, so nothing touches the database), in the request's
    language. Django keeps logging the error with its traceback; the browser
    gets neither. Once the database answers again the next request reconnects
    by itself (CONN_HEALTH_CHECKS drops the dead persistent connection).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(
            _note_database_failure, dispatch_uid="aluna.core.database_unavailable"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, _DATABASE_DOWN, False):
            return response
        # Django logged the error as a 500 with its traceback; say what the client got.
        logger.warning("Database unavailable: answered 503 to %s %s", request.method, request.path)
        language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            response.content = render_to_string("errors/503.html")
        if response.has_header("Content-Length"):  # set by CommonMiddleware for the 500 page
            response["Content-Length"] = str(len(response.content))
        response.status_code = 503
        response["Content-Type"] = "text/html; charset=utf-8"
        response["Content-Language"] = language
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        add_never_cache_headers(response)
        return response
