import logging
import re
import traceback

from .middleware import request_id_var

_QUERY_STRING = re.compile(r"\?[^\s\"']*")


class ScrubSensitiveFilter(logging.Filter):
    """Keep request data and exception messages out of log lines.

    Django's request logger attaches the request object, whose body, query
    string and cookies can hold names or notes; an exception's message can
    quote the value that broke it. We keep the method, the URL path without
    its query string, the request id, the traceback's code locations and the
    exception's type, and nothing else.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        request = getattr(record, "request", None)
        if record.name == "django.server":
            # runserver's access log: "GET /path?q=... HTTP/1.1" 200
            record.msg = _QUERY_STRING.sub("?…", record.getMessage())
            record.args = ()
        elif request is not None:
            record.request = None
            record.msg = "%s %s %s"
            record.args = (
                getattr(record, "status_code", ""),
                getattr(request, "method", "?"),
                getattr(request, "path", "?"),
            )
        if record.exc_info:
            etype, _value, tb = record.exc_info
            where = "".join(traceback.format_tb(tb)) if tb else ""
            record.msg = f"{record.msg}\n{where}{etype.__name__ if etype else 'Exception'}"
            record.exc_info = None
            record.exc_text = None
        return True
