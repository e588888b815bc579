"""PDF rendering: real WeasyPrint, read back with pypdf; nothing leaves the machine."""

import http.server
import io
import threading

import pypdf
import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from aluna.pdf.render import LocalOnlyURLFetcher, render_pdf

DOCUMENT = """{% extends "pdf/base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
<p>{{ lead }}</p>
<table>
  <thead><tr><th>Municipio</th><th>Sesiones</th></tr></thead>
  <tbody>{% for place, sessions in rows %}
    <tr><td>{{ place }}</td><td>{{ sessions }}</td></tr>
  {% endfor %}</tbody>
</table>
{% endblock %}
"""

WITH_REMOTE_IMAGE = """{% extends "pdf/base.html" %}
{% block content %}
<p>Informe sin imágenes remotas</p>
<img src="{{ image_url }}" alt="">
<link rel="stylesheet" href="{{ image_url }}.css">
{% endblock %}
"""

WITH_LOCAL_FILE = """{% extends "pdf/base.html" %}
{% block content %}<p>Archivo</p><img src="file:///etc/passwd" alt="">{% endblock %}
"""

WITH_STATIC_AND_DATA = """{% extends "pdf/base.html" %}{% load static %}
{% block content %}
<p>Imágenes locales</p>
<img src="{% static 'vendor/bootstrap/css/bootstrap.min.css' %}" alt="">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" alt="">
{% endblock %}
"""


@pytest.fixture
def pdf_templates(settings):
    """Test documents that extend the real pdf/base.html, served from memory."""
    engine = dict(settings.TEMPLATES[0])
    engine["APP_DIRS"] = False
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "test_pdf/document.html": DOCUMENT,
                    "test_pdf/remote_image.html": WITH_REMOTE_IMAGE,
                    "test_pdf/local_file.html": WITH_LOCAL_FILE,
                    "test_pdf/static_and_data.html": WITH_STATIC_AND_DATA,
                },
            ),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [engine]


@pytest.fixture
def http_server():
    """A real HTTP server on localhost that counts every request it receives."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def pdf_lines(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [
        line.strip()
        for page in reader.pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def today_in_english() -> str:
    with translation.override("en"):
        return date_format(timezone.localdate(), "DATE_FORMAT")


def test_a_document_with_spanish_accents_renders_to_readable_text(pdf_templates):
    with translation.override("en"):
        data = render_pdf(
            template_name="test_pdf/document.html",
            context={
                "title": "Informe de Oaxaca",
                "lead": "Señora Peña, acompañamiento psicosocial en Oaxaca",
                "rows": [("Juchitán", 3), ("Ñuu Savi", 12)],
            },
        )

    assert data.startswith(b"%PDF-")
    lines = pdf_lines(data)
    assert "Señora Peña, acompañamiento psicosocial en Oaxaca" in lines
    assert lines.index("Informe de Oaxaca") < lines.index("Municipio Sesiones")
    table = lines[lines.index("Municipio Sesiones") :][:3]
    assert table == ["Municipio Sesiones", "Juchitán 3", "Ñuu Savi 12"]
    assert lines[-2:] == [
        "Aluna Acompañamiento Psicosocial CONFIDENTIAL",
        f"Generated on {today_in_english()} Page 1 of 1",
    ]


def test_a_document_embeds_dejavu_sans(pdf_templates):
    data = render_pdf(
        template_name="test_pdf/document.html",
        context={"title": "Año", "lead": "ñ", "rows": []},
    )

    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_page_count_in_footer_spans_pages(pdf_templates):
    with translation.override("en"):
        data = render_pdf(
            template_name="test_pdf/document.html",
            context={
                "title": "Largo",
                "lead": "Muchas filas",
                "rows": [(f"Lugar {n}", n) for n in range(120)],
            },
        )

    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert pages > 1
    footers = [line for line in pdf_lines(data) if line.startswith("Generated on")]
    assert footers == [
        f"Generated on {today_in_english()} Page {n} of {pages}" for n in range(1, pages + 1)
    ]


def test_a_remote_url_in_a_document_is_never_fetched(pdf_templates, http_server, caplog):
    base, requests = http_server

    data = render_pdf(
        template_name="test_pdf/remote_image.html",
        context={"image_url": f"{base}/tracker.png"},
    )

    assert "Informe sin imágenes remotas" in pdf_lines(data)
    assert requests == []
    refusals = [r.getMessage() for r in caplog.records if r.name == "aluna.pdf.render"]
    assert refusals == [
        f"PDF rendering refused to fetch {base}/tracker.png.css",
        f"PDF rendering refused to fetch {base}/tracker.png",
    ]


def test_the_server_counting_requests_would_have_seen_a_fetch(http_server):
    """The trap in the test above works: an ordinary fetch does reach it."""
    import urllib.request

    base, requests = http_server

    urllib.request.urlopen(f"{base}/tracker.png", timeout=5).close()  # noqa: S310

    assert requests == ["/tracker.png"]


def test_a_local_file_outside_static_is_never_read(pdf_templates, caplog):
    render_pdf(template_name="test_pdf/local_file.html", context={})

    refusals = [r.getMessage() for r in caplog.records if r.name == "aluna.pdf.render"]
    assert refusals == ["PDF rendering refused to fetch file:///etc/passwd"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://127.0.0.1:6379/",
        "ftp://example.com/x.png",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file:///static/missing.png",
        "gopher://example.com/",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(url):
    fetcher = LocalOnlyURLFetcher()

    with pytest.raises(ValueError, match="Only static files and data: URLs may be fetched"):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_the_fetcher_serves_static_files_and_data_urls():
    fetcher = LocalOnlyURLFetcher()

    static = fetcher.fetch("file:///static/pdf/aluna.css")
    data = fetcher.fetch("data:text/plain;base64,w7E=")

    assert static.read().startswith(b"/* Printed documents")
    static.close()
    assert static.content_type == "text/css"
    assert data.read() == "ñ".encode()
    assert fetcher.refused == []


def test_a_document_is_tagged_with_its_title_and_language(pdf_templates):
    with translation.override("es-mx"):
        data = render_pdf(
            template_name="test_pdf/document.html",
            context={"title": "Informe de Oaxaca", "lead": "Texto", "rows": [("Juchitán", 3)]},
        )

    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert reader.metadata.title == "Informe de Oaxaca"
    assert catalog["/Lang"] == "es-MX"
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_a_document_names_the_organisation_as_author_never_a_person(pdf_templates):
    data = render_pdf(
        template_name="test_pdf/document.html",
        context={"title": "Año", "lead": "ñ", "rows": []},
    )

    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert (metadata.author, metadata.creator) == ("Aluna Acompañamiento Psicosocial", "Aluna")
    assert metadata.creation_date is not None


def test_a_document_writes_its_months_in_lower_case(pdf_templates):
    with translation.override("es-mx"):
        data = render_pdf(
            template_name="test_pdf/document.html",
            context={"title": "Mes", "lead": "Texto", "rows": []},
        )
        today = date_format(timezone.localdate(), "DATE_FORMAT")

    footer = next(line for line in pdf_lines(data) if line.startswith("Generado el"))
    assert footer.startswith(f"Generado el {today} ")
    assert today == today.lower()
