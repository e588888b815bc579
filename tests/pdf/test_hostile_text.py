"""Hostile text typed by people, in every field that reaches a PDF: nothing is fetched.

A listening socket on loopback stands for an internal service: an `<img>`, a
stylesheet, `@import` or CSS `url()` in a subject's file, a donor report or a
certificate must not reach it, and `file:///etc/passwd` must not end up in the
document. Rendering is synchronous, so a fetch would have connected before the
PDF came back: a non-blocking accept afterwards tells, without waiting.
"""

import datetime as dt
import io
import socket

import pypdf
import pytest
from django.urls import reverse

from accompaniment.factories import (
    CollectiveFactory,
    FieldAssessmentFactory,
    MembershipFactory,
    ObjectiveFactory,
    PoliticalSubjectFactory,
    ProcessFactory,
    SessionFactory,
)
from advocacy.models import Donor, DonorReport, Grant
from advocacy.pdf import report_pdf_bytes
from tests.fixtures.mfa import mark_recently_reauthenticated
from tests.training.test_certificates import ready_cohort
from training.models import Certificate

PASSWD_LINE = "root:x:0:0"


@pytest.fixture
def loopback_listener():
    """A socket listening on 127.0.0.1; `connections()` says how many reached it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    accepted = []

    def connections() -> int:
        while True:
            try:
                connection, _address = listener.accept()
            except BlockingIOError:
                return len(accepted)
            accepted.append(connection.recv(4096))
            connection.close()

    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    yield url, connections
    listener.close()


def hostile(url: str) -> dict[str, str]:
    """One payload per way HTML and CSS can make a renderer fetch something."""
    return {
        "img": f'<img src="{url}/img">',
        "link": f'<link rel="stylesheet" href="{url}/css">',
        "import": f'<style>@import "{url}/import";</style>',
        "css_url": f'<p style="background:url({url}/bg)">',
        "file": '<img src="file:///etc/passwd">',
        "iframe": '<iframe src="file:///etc/passwd"></iframe>',
    }


def everything(url: str) -> str:
    return " ".join(hostile(url).values()) + " file:///etc/passwd"


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _images(data: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return sum(len(page.images) for page in reader.pages)


def _compact(text: str) -> str:
    return "".join(text.split())


def test_the_listener_would_notice_a_fetch(loopback_listener):
    url, connections = loopback_listener

    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as client:
        client.sendall(b"GET /img HTTP/1.0\r\n\r\n")
        assert connections() == 1


def test_a_subject_file_full_of_hostile_text_fetches_nothing(
    login, coordinator, accompanier, loopback_listener
):
    url, connections = loopback_listener
    payloads = hostile(url)
    long_text = everything(url)
    subject = PoliticalSubjectFactory(
        name=payloads["img"],
        alias=payloads["file"],
        municipality=payloads["link"],
        contact=long_text,
        consent_date=dt.date(2026, 1, 5),
        consent_scope=payloads["import"],
        indigenous_people=payloads["css_url"],
        indigenous_language=payloads["iframe"],
        other_factors=long_text,
    )
    process = ProcessFactory(subject=subject, lead=accompanier, closing_summary=long_text)
    ObjectiveFactory(process=process, description=long_text)
    FieldAssessmentFactory(process=process, score=3, indicator_notes=long_text)
    SessionFactory(process=process, notes=long_text, agreements=long_text)
    collective = CollectiveFactory(alias=payloads["img"][:80])
    MembershipFactory(defender=subject, collective=collective, role=payloads["css_url"][:120])
    client = login(coordinator)
    mark_recently_reauthenticated(client, coordinator, seconds_ago=10)

    response = client.get(reverse("accompaniment:subject-pdf", kwargs={"subject_id": subject.pk}))

    assert response.status_code == 200
    assert connections() == 0
    text = _pdf_text(response.content)
    assert PASSWD_LINE not in text
    assert _images(response.content) == 0
    # The hostile text is printed as the text it is.
    for field in ("img", "file", "link", "import", "css_url", "iframe"):
        assert _compact(payloads[field]) in text, field


def test_a_donor_report_full_of_hostile_text_fetches_nothing(db, loopback_listener):
    url, connections = loopback_listener
    payloads = hostile(url)
    long_text = everything(url)
    grant = Grant(
        donor=Donor(name=payloads["img"]),
        project=payloads["link"],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    table = {
        "label": payloads["import"],
        "summary": payloads["css_url"],
        "columns": ["Categoría", "Número"],
        "rows": [[payloads["file"], 12], [payloads["iframe"], 7]],
        "total": 19,
    }
    report = DonorReport(
        title=payloads["img"],
        grant=grant,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        tables=[{"code": "x", "label": payloads["link"], "tables": [table]}],
        narrative_context=long_text,
        narrative_results=long_text,
        narrative_challenges=long_text,
    )

    data = report_pdf_bytes(report=report)

    assert connections() == 0
    text = _pdf_text(data)
    assert PASSWD_LINE not in text
    assert _images(data) == 0
    assert _compact(long_text) in text


@pytest.mark.django_db
def test_a_certificate_with_hostile_names_fetches_nothing(login, trainer, loopback_listener):
    url, connections = loopback_listener
    payloads = hostile(url)
    cohort, (full, *_rest) = ready_cohort(trainer)
    cohort.name = payloads["link"][:120]
    cohort.save()
    cohort.programme.name = payloads["import"]
    cohort.programme.save()
    full.participant.name = payloads["img"]
    full.participant.save()
    client = login(trainer)
    client.post(reverse("training:certificate-issue", kwargs={"enrolment_id": full.pk}))
    assert Certificate.objects.count() == 1

    response = client.get(reverse("training:certificate-pdf", kwargs={"enrolment_id": full.pk}))

    assert response.status_code == 200
    assert connections() == 0
    text = _pdf_text(response.content)
    assert PASSWD_LINE not in text
    assert _images(response.content) == 0
    assert _compact(payloads["img"]) in text
    assert _compact(payloads["import"]) in text
