"""Who reaches each advocacy page: incidencia and coordinación; every other role 403.

These rows are meant for tests/project/test_access_matrix.py (same format); they are checked
here too so the advocacy app is covered before the lead merges them.
"""

import datetime as dt

import pytest
from django.urls import reverse

from aluna.core.roles import Role

REAUTH = "reauthenticate"
ROLES = ["admin", "coordinator", "accompanier", "non_member", "trainer", "advocate", "outsider"]


def only(*allowed, ok=200, denied=403):
    return {role: (ok if role in allowed else denied) for role in ROLES}


ADVOCACY = ("coordinator", "advocate")

MATRIX = {
    "advocacy:index": (None, only(*ADVOCACY)),
    "advocacy:output-list": (None, only(*ADVOCACY)),
    "advocacy:output-create": (None, only(*ADVOCACY)),
    "advocacy:output-detail": ("advocacy_output_kwargs", only(*ADVOCACY)),
    "advocacy:output-edit": ("advocacy_output_kwargs", only(*ADVOCACY)),
    "advocacy:output-delete": ("advocacy_output_kwargs", only(*ADVOCACY)),
    "advocacy:grant-list": (None, only(*ADVOCACY)),
    "advocacy:donor-create": (None, only(*ADVOCACY)),
    "advocacy:grant-create": (None, only(*ADVOCACY)),
    "advocacy:grant-detail": ("advocacy_grant_kwargs", only(*ADVOCACY)),
    "advocacy:report-list": (None, only(*ADVOCACY)),
    "advocacy:report-create": (None, only(*ADVOCACY)),
    "advocacy:report-detail": ("advocacy_report_kwargs", only(*ADVOCACY)),
    "advocacy:report-edit": ("advocacy_report_kwargs", only(*ADVOCACY)),
    "advocacy:report-status": ("advocacy_report_kwargs", only(*ADVOCACY)),
    # POST-only.
    "advocacy:report-generate": ("advocacy_report_kwargs", only(*ADVOCACY, ok=405)),
    "advocacy:report-preview": ("advocacy_report_kwargs", only(*ADVOCACY)),
    "advocacy:report-deliver": ("advocacy_report_kwargs", only(*ADVOCACY, ok=405)),
    "advocacy:report-download": ("advocacy_report_kwargs", only(*ADVOCACY, ok=REAUTH)),
    "advocacy:report-csv": ("advocacy_report_kwargs", only(*ADVOCACY, ok=REAUTH)),
}


@pytest.fixture
def advocacy_output_kwargs(db):
    from advocacy.models import AdvocacyOutput, OutputKind

    output = AdvocacyOutput.objects.create(
        kind=OutputKind.VIDEO, title="Video", date=dt.date(2030, 1, 1)
    )
    return {"output_id": output.pk}


@pytest.fixture
def advocacy_grant_kwargs(db):
    from advocacy.models import Donor, Grant

    grant = Grant.objects.create(
        donor=Donor.objects.create(name="Donante"),
        project="Proyecto",
        start=dt.date(2030, 1, 1),
        end=dt.date(2030, 12, 31),
    )
    return {"grant_id": grant.pk}


@pytest.fixture
def advocacy_report_kwargs(db):
    from advocacy.models import DonorReport

    report = DonorReport.objects.create(
        title="Informe", start=dt.date(2030, 1, 1), end=dt.date(2030, 12, 31)
    )
    return {"report_id": report.pk}


def test_every_advocacy_url_has_a_row():
    from advocacy.urls import urlpatterns

    assert sorted(f"advocacy:{p.name}" for p in urlpatterns) == sorted(MATRIX)


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_visitor_gets_the_expected_answer_on_advocacy_pages(request, login, url_name, role):
    kwargs_fixture, expectations = MATRIX[url_name]
    kwargs = request.getfixturevalue(kwargs_fixture) if kwargs_fixture else {}
    fixture = {"non_member": "other_accompanier", "admin": "admin_user"}.get(role, role)
    client = login(request.getfixturevalue(fixture))

    response = client.get(reverse(url_name, kwargs=kwargs))

    expected = expectations[role]
    if expected == REAUTH:
        assert response.status_code == 302
        assert "reauthenticate" in response["Location"]
    else:
        assert response.status_code == expected


def test_advocate_holds_only_the_advocacy_role(advocate):
    assert advocate.role_codes == frozenset({str(Role.ADVOCACY)})
