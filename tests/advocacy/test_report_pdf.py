"""The donor report PDF as a donor keeps it: cover, key figures, labelled charts beside
their tables, the note on protected numbers where a reader first meets them."""

import datetime as dt
import io

import pypdf
import pytest

from advocacy.models import Donor, DonorReport, Grant
from advocacy.pdf import key_figures, ranked_rows, report_context, report_pdf_bytes
from advocacy.suppression import SECONDARY, SMALL


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


def _table(label, rows, total=None, summary=""):
    return {"label": label, "rows": [list(row) for row in rows], "total": total, "summary": summary}


TABLES = [
    {
        "code": "processes",
        "label": "Processes opened and closed",
        "tables": [
            _table(
                "Processes opened, by kind",
                [("Crisis", 14), ("Strengthening", 19)],
                33,
                "Processes opened",
            ),
            _table(
                "Crisis interventions, by risk level",
                [("High", SMALL), ("Medium", 9), ("Low", SECONDARY)],
                21,
                "Crisis interventions",
            ),
        ],
    },
    {
        "code": "subjects",
        "label": "Political subjects accompanied",
        "tables": [
            _table(
                "Political subjects accompanied, by state",
                [(f"State {n:02d}", n) for n in range(1, 21)],
            )
        ],
    },
]


def _report(tables=TABLES) -> DonorReport:
    grant = Grant(
        donor=Donor(name="Fundación Norte"),
        project="Defensoras del sureste",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    return DonorReport(
        title="Informe anual 2026",
        grant=grant,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        tables=tables,
        narrative_context="Contexto del periodo",
    )


def _pages(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_donor_can_read_a_cover_with_organisation_donor_grant_period_and_date():
    pages = _pages(report_pdf_bytes(report=_report()))

    cover = pages[0]
    for expected in (
        "Aluna Acompañamiento Psicosocial",
        "DONOR REPORT",  # small capitals on the cover
        "Informe anual 2026",
        "Donor Fundación Norte",
        "Grant Defensoras del sureste",
        "Period Jan. 1, 2026 to Dec. 31, 2026",
        "Generated on",
    ):
        assert expected in cover
    assert "Page" not in cover  # the cover carries no running header or page number


def test_donor_can_read_the_key_figures_on_the_second_page():
    pages = _pages(report_pdf_bytes(report=_report()))

    summary = pages[1]
    assert summary.startswith("Key figures")
    assert "33 Processes opened" in summary
    assert "21 Crisis interventions" in summary
    assert "Contexto del periodo" not in summary


def test_donor_meets_the_note_on_hidden_counts_with_the_first_table_that_has_one():
    context = report_context(report=_report())

    first, second = context["sections"][0]["tables"]
    assert (first["note_here"], second["note_here"]) == (False, True)
    assert second["marks"] == {SMALL, SECONDARY}
    assert context["summary_has_hidden"] is False


def test_donor_meets_the_note_on_the_summary_page_when_a_key_figure_is_hidden():
    tables = [
        {
            "code": "c",
            "label": "Crises",
            "tables": [_table("By level", [("High", SMALL)], SMALL, "Crisis interventions")],
        }
    ]

    context = report_context(report=_report(tables))

    assert context["summary_has_hidden"] is True
    assert context["sections"][0]["tables"][0]["note_here"] is False
    summary = _pages(report_pdf_bytes(report=_report(tables)))[1]
    assert "How to read “<5” and “*”" in summary


def test_donor_can_read_each_chart_s_categories_and_values_as_text():
    pages = _pages(report_pdf_bytes(report=_report()))

    body = " ".join(pages[2:])
    for expected in ("Strengthening 19", "Crisis 14", "Medium 9", "High <5", "Low *"):
        assert expected in body


def test_a_long_table_prints_in_two_columns_and_charts_its_largest_counts():
    context = report_context(report=_report())

    (by_state,) = context["sections"][1]["tables"]
    assert [len(rows) for rows in by_state["columns"]] == [10, 10]
    assert by_state["chart_is_partial"] is True
    assert "State 20" in by_state["chart"] and "State 10" not in by_state["chart"]


def test_hidden_counts_keep_their_order_after_the_exact_ones():
    rows = [["B", SMALL], ["A", 3], ["C", SECONDARY], ["D", 9]]

    assert ranked_rows(rows) == [["D", 9], ["A", 3], ["B", SMALL], ["C", SECONDARY]]


def test_a_table_without_a_summary_label_is_no_key_figure():
    assert key_figures(TABLES) == [
        {"label": "Processes opened", "value": 33},
        {"label": "Crisis interventions", "value": 21},
    ]


def test_the_report_pdf_is_tagged_titled_and_its_charts_are_figures():
    reader = pypdf.PdfReader(io.BytesIO(report_pdf_bytes(report=_report())))

    assert reader.metadata.title == "Informe anual 2026"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
