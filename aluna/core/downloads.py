"""Files the app sends: named in Spanish with the date they were made, never cached.

`participantes-2026-12-05.csv`, `constancia-AB12CD-2026-12-05.pdf`: a name says what
the file is and when it was made (the local date), and never names or aliases a
person (a name would stay in the browser's download list and the phone's files).
"""

import datetime as dt

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header


def download_name(base: str, *, extension: str, made_on: dt.date | None = None) -> str:
    made_on = made_on or timezone.localdate()
    return f"{base}-{made_on:%Y-%m-%d}.{extension}"


def attachment(
    content, *, content_type: str, base: str, extension: str, made_on: dt.date | None = None
) -> HttpResponse:
    """A response the browser saves as `<base>-<date>.<extension>`, kept out of caches."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        True, download_name(base, extension=extension, made_on=made_on)
    )
    response["Cache-Control"] = "no-store"
    return response
