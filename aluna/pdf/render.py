"""HTML to PDF with WeasyPrint, without ever touching the network.

Every PDF is tagged (a structure tree that screen readers and reflowing viewers
follow: headings, tables with their headers, figures with their alternative
text), carries its title and language (`<title>` and `<html lang>` of
``pdf/base.html``, e.g. "es-MX") and names the organisation as its author,
never the person who generated it.

A PDF of a case file may be rendered from text that people typed in. If that
text (or a template) referenced a remote image, a naive renderer would call
out to it: leaking that the document exists, when, and from where. The URL
fetcher here serves only ``data:`` URLs and our own static files; everything
else is refused and recorded.
"""

import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext, to_locale
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STYLESHEET = "pdf/aluna.css"
# Relative and root-relative URLs ({% static %} gives "/static/...") resolve
# against this base, so they end up as file: URLs the fetcher can check.
BASE_URL = "file:///"


class FetchRefused(ValueError):
    """The PDF referenced something that is not a local static file or data: URL."""


class LocalOnlyURLFetcher(URLFetcher):
    """Serve ``data:`` URLs and static files; refuse everything else.

    Refused URLs are kept in ``refused`` and logged (WeasyPrint then leaves
    the image out and goes on rendering).
    """

    def __init__(self):
        # allowed_protocols also guards the one call into urllib (data: URLs).
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = _static_path(url) if scheme == "file" else None
        if path is None:
            self.refused.append(url)
            logger.warning("PDF rendering refused to fetch %s", url[:200])
            raise FetchRefused(f"Only static files and data: URLs may be fetched: {url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.open("rb"), headers={"Content-Type": content_type}
        )


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location))
    return [root.resolve() for root in roots]


def _static_path(url: str) -> Path | None:
    """The file behind a file: URL, if it is one of our static files."""
    raw_path = unquote(urlsplit(url).path)
    static_url = settings.STATIC_URL or "/static/"
    candidates: list[Path] = []
    if raw_path.startswith(static_url):
        name = raw_path.removeprefix(static_url)
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            found = None
        if found:
            candidates.append(Path(found))
        if settings.STATIC_ROOT:
            candidates.append(Path(settings.STATIC_ROOT) / name)
    else:
        # Absolute paths: url(...) inside a stylesheet loaded from disk.
        candidates.append(Path(raw_path))
    roots = _static_roots()
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
            return resolved
    return None


def _css_string(text: str) -> str:
    """Quote `text` as a CSS string that cannot break out of its declaration."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;-_()/" or ord(ch) > 127 else f"\\{ord(ch):x} "
        for ch in text
    )
    return f'"{escaped}"'


def _page_numbers_css() -> str:
    """'Page X of Y' in the active language, built from CSS page counters."""
    label = gettext("Page %(page)s of %(pages)s")
    parts = [
        f"counter({match[1]})" if match[1] else _css_string(match[2])
        for match in re.finditer(r"%\((pages?)\)s|((?:(?!%\(pages?\)s).)+)", label, re.S)
    ]
    return f"@page {{ @bottom-right {{ content: {' '.join(parts)}; }} }}"


def document_language() -> str:
    """The active language as a BCP 47 tag for `<html lang>`: "es-MX", "en"."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


def render_pdf(*, template_name: str, context: dict, request=None) -> bytes:
    """Render a template extending ``pdf/base.html`` to a tagged PDF.

    Only local static files and data: URLs are loaded; any other reference
    is refused and logged, never fetched.
    """
    metadata = {
        "pdf_lang": document_language(),
        # W3C date-time without fractions, as WeasyPrint writes it to /CreationDate.
        "pdf_created": timezone.localtime().replace(microsecond=0).isoformat(),
    }
    html = render_to_string(template_name, {**metadata, **context}, request=request)
    fetcher = LocalOnlyURLFetcher()
    font_config = FontConfiguration()
    stylesheet_path = finders.find(STYLESHEET)
    stylesheets = [
        CSS(filename=stylesheet_path, url_fetcher=fetcher, font_config=font_config),
        CSS(string=_page_numbers_css(), url_fetcher=fetcher, font_config=font_config),
    ]
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config, pdf_tags=True)
