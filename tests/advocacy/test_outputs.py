"""Advocacy outputs: a registry the advocacy team and coordination keep."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompaniment.models import AreaOfDefence, FederalEntity
from advocacy.models import AdvocacyOutput, OutputKind
from aluna.audit.models import AuditEvent


def _output(**kwargs):
    values = {"kind": OutputKind.PUBLICATION, "title": "Informe anual", "date": dt.date(2030, 3, 1)}
    values.update(kwargs)
    return AdvocacyOutput.objects.create(**values)


def _post_data(**overrides):
    data = {
        "kind": OutputKind.MEETING_IACHR,
        "title": "Audiencia temática",
        "date": "2030-04-10",
        "audiences": "CIDH, embajadas",
        "areas": [str(AreaOfDefence.objects.first().pk)],
        "states": [str(FederalEntity.objects.get(code="07").pk)],
        "description": "Presentamos el diagnóstico.",
        "link": "https://example.org/audiencia",
        "outcome": "Compromiso de seguimiento.",
    }
    data.update(overrides)
    return data


def test_advocate_can_record_an_output(login, advocate):
    client = login(advocate)

    response = client.post(reverse("advocacy:output-create"), _post_data())

    output = AdvocacyOutput.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "advocacy:output-detail", kwargs={"output_id": output.pk}
    )
    assert (output.kind, output.title, output.created_by) == (
        OutputKind.MEETING_IACHR,
        "Audiencia temática",
        advocate,
    )
    assert list(output.states.values_list("code", flat=True)) == ["07"]
    assert AuditEvent.objects.filter(action="create", target_id=str(output.pk)).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"link": "javascript:alert(1)"}, "link"),
        ({"link": "not a url"}, "link"),
        ({"date": "1890-01-01"}, "date"),
        ({"date": "not-a-date"}, "date"),
        ({"kind": "tweet"}, "kind"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "bad\x00text"}, "description"),
    ],
)
def test_advocate_cannot_record_an_invalid_output(login, advocate, overrides, field):
    client = login(advocate)

    response = client.post(reverse("advocacy:output-create"), _post_data(**overrides))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert AdvocacyOutput.objects.count() == 0


def test_coordinator_can_edit_and_delete_an_output(login, coordinator):
    output = _output()
    client = login(coordinator)

    client.post(
        reverse("advocacy:output-edit", kwargs={"output_id": output.pk}),
        _post_data(title="Informe revisado"),
    )
    confirm = client.get(reverse("advocacy:output-delete", kwargs={"output_id": output.pk}))
    deleted = client.post(reverse("advocacy:output-delete", kwargs={"output_id": output.pk}))

    assert AuditEvent.objects.filter(action="update", target_id=str(output.pk)).count() == 1
    assert confirm.status_code == 200
    assert b"data-confirm" in confirm.content
    assert deleted.status_code == 302
    assert AdvocacyOutput.objects.count() == 0


def test_coordinator_can_keep_a_state_deactivated_since_on_an_output(login, coordinator):
    chiapas, oaxaca, yucatan = (FederalEntity.objects.get(code=c) for c in ("07", "20", "31"))
    output = _output()
    output.states.add(chiapas)
    FederalEntity.objects.filter(pk__in=[chiapas.pk, oaxaca.pk]).update(is_active=False)

    response = login(coordinator).get(
        reverse("advocacy:output-edit", kwargs={"output_id": output.pk})
    )

    offered = set(response.context["form"].fields["states"].queryset)
    assert (chiapas in offered, oaxaca in offered, yucatan in offered) == (True, False, True)


def test_advocate_can_search_and_filter_outputs(login, advocate):
    chiapas = FederalEntity.objects.get(code="07")
    match = _output(title="Pronunciamiento sobre desplazamiento", kind=OutputKind.STATEMENT)
    match.states.add(chiapas)
    _output(title="Pronunciamiento anterior", kind=OutputKind.STATEMENT, date=dt.date(2020, 1, 1))
    _output(title="Video de la campaña", kind=OutputKind.VIDEO)
    client = login(advocate)

    response = client.get(
        reverse("advocacy:output-list"),
        {
            "q": "pronunciamiento",
            "kind": "statement",
            "state": chiapas.pk,
            "date_from": "2029-01-01",
        },
    )

    assert [o.pk for o in response.context["page_obj"]] == [match.pk]


def test_advocate_can_page_through_many_outputs(login, advocate):
    for day in range(30):
        _output(title=f"Nota {day:02d}", date=dt.date(2030, 1, 1) + dt.timedelta(days=day))
    client = login(advocate)

    first = client.get(reverse("advocacy:output-list"))
    second = client.get(reverse("advocacy:output-list"), {"page": 2})

    assert len(first.context["page_obj"]) == 25
    assert len(second.context["page_obj"]) == 5


def test_advocate_cannot_break_the_list_with_bad_filters(login, advocate):
    _output()
    client = login(advocate)

    response = client.get(
        reverse("advocacy:output-list"),
        {"date_from": "2030-05-01", "date_to": "2030-01-01", "state": "nope"},
    )

    assert response.status_code == 200
    assert list(response.context["page_obj"]) == []


def test_advocate_can_see_an_empty_state(login, advocate):
    response = login(advocate).get(reverse("advocacy:output-list"))

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("advocacy:output-list"))
    assert response.status_code == 200
    return len(queries)


def test_advocate_can_list_outputs_in_a_constant_number_of_queries(login, advocate):
    chiapas = FederalEntity.objects.get(code="07")
    area = AreaOfDefence.objects.first()
    client = login(advocate)

    def add(n):
        for i in range(n):
            output = _output(title=f"Nota {i}")
            output.states.add(chiapas)
            output.areas.add(area)

    add(2)
    client.get(reverse("advocacy:output-list"))  # catalogue options are read once, then kept
    small = _list_queries(client)
    add(10)
    large = _list_queries(client)

    assert small == large


@pytest.mark.parametrize("who", ["accompanier", "trainer", "outsider"])
def test_other_roles_cannot_reach_outputs(login, request, who):
    client = login(request.getfixturevalue(who))

    response = client.get(reverse("advocacy:output-list"))

    assert response.status_code == 403
