import logging

from .middleware import request_id_var


class ScrubSensitiveFilter(logging.Filter):
    """Keep request data out of log lines.

    Django's request logger attaches the request object; its POST body, query
    string and cookies can hold names or notes. We drop them and keep only
    the method, the URL *path* and the request id.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
            record.msg = "%s %s"
            record.args = (getattr(request, "method", "?"), getattr(request, "path", "?"))
        if record.exc_info and record.levelno >= logging.ERROR:
            # Keep the traceback (code locations) but never local variables' values.
            record.exc_text = None
        return True
