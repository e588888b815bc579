"""Uploads refuse what is not a small, well-formed CSV, say why, and write nothing.

The CSV import of a cohort's participants is the project's only upload (no
model has a FileField; `request.FILES` is read in training.views.cohort_import
alone). tests/training/test_import.py covers the line-by-line report; this file
covers the files themselves: the wrong type, too big, malformed.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.fixtures.bad_input import fingerprint
from training.factories import CohortFactory
from training.forms import CsvImportForm
from training.services import CSV_MAX_ROWS

pytestmark = pytest.mark.django_db

# A refused upload is audited and leaves a message in the session; nothing else changes.
WRITTEN_ANYWAY = frozenset({"audit_auditevent", "django_session"})

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
XLSX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cohort(trainer):
    return CohortFactory(facilitators=[trainer], capacity=30)


def upload(client, cohort, content: bytes, *, name="participantes.csv", content_type="text/csv"):
    return client.post(
        reverse("training:cohort-import", kwargs={"cohort_id": cohort.pk}),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def refusal(response) -> list[str]:
    """What the page tells the trainer: the file field's errors, then the report's."""
    form_errors = list(response.context["form"].errors.get("file", []))
    report = response.context["report"]
    return form_errors + (list(report.errors) if report else [])


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (PNG, "image/png", "This file is an image (PNG), not a CSV file."),
        (JPEG, "text/csv", "This file is an image (JPEG), not a CSV file."),
        (PDF, "application/pdf", "This file is a PDF document, not a CSV file."),
        (XLSX, "text/csv", "This file is an Excel workbook (.xlsx) or a ZIP archive, not a CSV"),
        (XLS, "application/vnd.ms-excel", "This file is an old Excel or Word file (.xls, .doc)"),
    ],
    ids=["png", "jpeg", "pdf", "xlsx", "xls"],
)
def test_trainer_cannot_import_another_kind_of_file_renamed_csv(
    login, trainer, cohort, content, content_type, message
):
    client = login(trainer)
    before = fingerprint(exclude=WRITTEN_ANYWAY)

    response = upload(client, cohort, content, content_type=content_type)

    assert response.status_code == 400
    assert refusal(response)[0].startswith(message)
    assert "“CSV UTF-8”" in refusal(response)[0]
    assert fingerprint(exclude=WRITTEN_ANYWAY) == before


def test_trainer_cannot_import_a_file_with_a_csv_name_but_another_extension(login, trainer, cohort):
    response = upload(login(trainer), cohort, b"name\nAna\n", name="participantes.csv.exe")

    assert response.status_code == 400
    assert refusal(response) == ["Upload a .csv file."]


def test_trainer_cannot_import_a_file_over_the_limit_and_is_told_the_limit(login, trainer, cohort):
    client = login(trainer)
    content = b"name\n" + b"A" * CsvImportForm.MAX_BYTES
    before = fingerprint(exclude=WRITTEN_ANYWAY)

    response = upload(client, cohort, content)

    assert response.status_code == 400
    assert refusal(response) == ["The file is larger than 1 MB."]
    assert fingerprint(exclude=WRITTEN_ANYWAY) == before


def test_trainer_can_import_a_file_just_under_the_limit(login, trainer, cohort):
    padding = b" " * 120_000  # spaces around a name are trimmed
    content = b"name\n" + b"".join(b"Persona %d%s\n" % (n, padding) for n in range(8))
    assert CsvImportForm.MAX_BYTES - 100_000 < len(content) <= CsvImportForm.MAX_BYTES

    response = upload(login(trainer), cohort, content)

    assert response.status_code == 302
    assert cohort.enrolments.count() == 8


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        ("name\nMaría\n".encode("latin-1"), "The file is not UTF-8 text."),
        ("name\nMaría\n".encode("utf-16"), "The file is not UTF-8 text."),
        (bytes(range(256)) * 4, "The file is not UTF-8 text."),
        (b"name\nAna\x00\n", "The file contains NUL characters: it is not a CSV file."),
        (b"\x00" * 100, "The file contains NUL characters: it is not a CSV file."),
        (b"email,phone\nana@example.org,30\n", "The first line must name the columns; “name”"),
        (b"name,salary\nAna,10\n", "Unknown columns: salary. Allowed:"),
        (b"name\n", "The file has no participants."),
        (b"name\n" + b"x" * 200_000 + b"\n", "The file could not be read as CSV:"),
        (b"n" * 200_000 + b"\nAna\n", "The file could not be read as CSV:"),
        (
            b"name\n" + b"".join(b"P%d\n" % n for n in range(100_000)),
            f"The file has 100000 lines; at most {CSV_MAX_ROWS} can be imported at once.",
        ),
    ],
    ids=[
        "empty",
        "latin-1",
        "utf-16",
        "binary",
        "nul-in-a-line",
        "only-nul",
        "no-name-column",
        "unknown-column",
        "header-only",
        "huge-field",
        "huge-header",
        "100k-rows",
    ],
)
def test_trainer_cannot_import_a_malformed_file_and_nothing_is_written(
    login, trainer, cohort, content, message
):
    client = login(trainer)
    before = fingerprint(exclude=WRITTEN_ANYWAY)

    response = upload(client, cohort, content)

    assert response.status_code == 400
    assert refusal(response)[0].startswith(message)
    assert fingerprint(exclude=WRITTEN_ANYWAY) == before


def test_trainer_who_sends_no_file_is_asked_for_one(login, trainer, cohort):
    response = login(trainer).post(
        reverse("training:cohort-import", kwargs={"cohort_id": cohort.pk}), {}
    )

    assert response.status_code == 400
    assert refusal(response) == ["Choose a CSV file."]
