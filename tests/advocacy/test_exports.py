"""What leaves advocacy as a file: Spanish headers and names, cells a spreadsheet
cannot run, and dates written the Mexican way on advocacy's pages."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from advocacy.exports import FORMULA_STARTS, csv_text, donor_report_rows, spreadsheet_safe
from advocacy.models import AdvocacyOutput, Donor, DonorReport, Grant, ReportDue, ReportStatus
from advocacy.services import report_generate
from tests.fixtures.mfa import mark_recently_reauthenticated

TABLES = [
    {
        "code": "crises",
        "label": "Intervenciones en crisis",
        "tables": [
            {
                "label": "Por tipo de agresión",
                "rows": [['=HYPERLINK("http://example.com")', 7], ["Amenaza", "<5"]],
                "total": None,
                "summary": "",
            },
            {"label": "Por nivel", "rows": [["Alto", 9]], "total": 9, "summary": ""},
        ],
    }
]


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")  # spreadsheets then read the accents as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_spreadsheet_cannot_run_a_cell_as_a_formula(start):
    assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize("value", ["Amenaza", "<5", "*", 7, 0, "Ciudad de México", ""])
def test_a_plain_cell_is_written_as_it_is(value):
    assert spreadsheet_safe(value) == value


def test_advocate_can_read_the_csv_with_spanish_headers_and_no_formula():
    with translation.override("es-mx"):
        text = csv_text(donor_report_rows(TABLES))

    assert _rows(text) == [
        ["Sección", "Tabla", "Categoría", "Número"],
        [
            "Intervenciones en crisis",
            "Por tipo de agresión",
            '\'=HYPERLINK("http://example.com")',
            "7",
        ],
        ["Intervenciones en crisis", "Por tipo de agresión", "Amenaza", "<5"],
        ["Intervenciones en crisis", "Por nivel", "Alto", "9"],
        ["Intervenciones en crisis", "Por nivel", "Total", "9"],
    ]


def _downloaded(client, name, report):
    return client.get(reverse(name, kwargs={"report_id": report.pk}))


def test_advocate_downloads_files_named_in_spanish_with_their_date_and_no_title(login, advocate):
    report = report_generate(
        report_id=DonorReport.objects.create(
            title="Informe para Fundación Norte sobre Garza Nocturna",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 6, 30),
            sections=["outputs"],
            created_by=advocate,
        ).pk
    )
    client = login(advocate)
    mark_recently_reauthenticated(client, advocate)
    made_on = timezone.localdate(report.generated_at).isoformat()

    pdf = _downloaded(client, "advocacy:report-download", report)
    csv_file = _downloaded(client, "advocacy:report-csv", report)

    assert pdf["Content-Disposition"] == f'attachment; filename="informe-donante-{made_on}.pdf"'
    assert csv_file["Content-Disposition"] == (
        f'attachment; filename="informe-donante-{made_on}.csv"'
    )
    assert report.status == ReportStatus.DONE


def _pages_of(client, grant, output, report) -> str:
    urls = [
        reverse("advocacy:index"),
        reverse("advocacy:output-list"),
        reverse("advocacy:output-detail", kwargs={"output_id": output.pk}),
        reverse("advocacy:grant-list"),
        reverse("advocacy:grant-detail", kwargs={"grant_id": grant.pk}),
        reverse("advocacy:report-list"),
        reverse("advocacy:report-detail", kwargs={"report_id": report.pk}),
    ]
    return "\n".join(client.get(url).text for url in urls)


def test_advocate_reads_every_date_the_mexican_way_never_iso(login, advocate):
    donor = Donor.objects.create(name="Fundación Norte")
    grant = Grant.objects.create(
        donor=donor, project="Raíces", start=dt.date(2031, 1, 1), end=dt.date(2031, 12, 31)
    )
    ReportDue.objects.create(grant=grant, due_on=dt.date(2031, 7, 15))
    output = AdvocacyOutput.objects.create(
        kind="video", title="Video", date=dt.date(2031, 3, 4), created_by=advocate
    )
    report = DonorReport.objects.create(
        title="Informe", grant=grant, start=grant.start, end=grant.end, created_by=advocate
    )
    client = login(advocate)

    with translation.override("es-mx"):
        html = _pages_of(client, grant, output, report)

    for iso in ("2031-01-01", "2031-12-31", "2031-07-15", "2031-03-04"):
        assert f">{iso}" not in html and f" {iso}" not in html
    assert "del 1 de enero de 2031 al 31 de diciembre de 2031" in html
    assert "15 de julio de 2031" in html
    assert "4 de marzo de 2031" in html
