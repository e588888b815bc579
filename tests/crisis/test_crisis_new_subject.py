"""Issue 17: no free text where a name may land. The crisis form creates a subject only
through its explicit new-subject step; the search text never becomes an alias, and the
real name goes to the encrypted name, never to the alias."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accompaniment.models import FederalEntity, PoliticalSubject, SubjectKind
from crisis.models import CrisisIntervention

REAL_NAME = "María Luisa Hernández Soto"
WARNING = (
    "Never write the real name as the alias: the alias shows in lists, alerts and "
    "e-mails. Invent a working alias (for example “Defensora del río”) and write the "
    "real name, if you know it, in its own field: it is stored encrypted."
)


@pytest.fixture(autouse=True)
def _english_interface(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def kind(db):
    return SubjectKind.objects.filter(is_active=True).order_by("pk").first()


def _quick_post(**overrides) -> dict:
    data = {
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "risk_level": "high",
    }
    data.update(overrides)
    return data


def test_accompanier_sees_the_warning_never_to_write_the_real_name(login, accompanier):
    client = login(accompanier)

    html = client.get(reverse("crisis:crisis-create")).content.decode()

    assert html.count(WARNING) == 1
    assert 'name="new_alias"' in html
    assert 'aria-describedby="new-subject-warning"' in html
    assert html.count('name="create_subject"') == 0


def test_the_search_text_never_becomes_a_new_subjects_alias(login, accompanier, kind):
    client = login(accompanier)

    # The old form's "create it" tick, with a real name typed in the search box.
    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(subject_query=REAL_NAME, create_subject="on", new_kind=str(kind.pk)),
    )

    assert response.status_code == 400
    assert PoliticalSubject.objects.count() == 0
    assert CrisisIntervention.objects.count() == 0


def test_the_search_text_is_left_alone_when_a_new_subject_is_registered(login, accompanier, kind):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(subject_query=REAL_NAME, new_alias="Defensora del río", new_kind=str(kind.pk)),
    )

    subject = PoliticalSubject.objects.get()
    assert response.status_code == 302
    assert subject.alias == "Defensora del río"
    assert PoliticalSubject.objects.filter(alias__icontains="Hernández").count() == 0


def test_the_real_name_of_a_new_subject_is_stored_encrypted(login, accompanier, kind):
    client = login(accompanier)
    state = FederalEntity.objects.filter(is_active=True).order_by("pk").first()

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(
            new_alias="Defensora del río",
            new_name=f"  {REAL_NAME} ",
            new_kind=str(kind.pk),
            new_state=str(state.pk),
        ),
    )

    subject = PoliticalSubject.objects.get()
    crisis = CrisisIntervention.objects.select_related("process").get()
    assert response.status_code == 302
    assert crisis.process.subject_id == subject.pk
    assert (subject.alias, subject.name, subject.initials) == (
        "Defensora del río",
        REAL_NAME,
        "M.L.H.",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, alias FROM {PoliticalSubject._meta.db_table} WHERE id = %s",  # noqa: S608 # nosec B608
            [subject.pk],
        )
        raw_name, raw_alias = cursor.fetchone()
    # The column holds "v<format>:<key id>:<base64 ciphertext>", never the name.
    assert raw_alias == "Defensora del río"
    assert re.fullmatch(r"v\d+:[^:]+:[A-Za-z0-9+/=_-]+", raw_name)
    assert "Hern" not in raw_name


def test_accompanier_cannot_make_the_real_name_the_alias(login, accompanier, kind):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(new_alias=REAL_NAME.upper(), new_name=REAL_NAME, new_kind=str(kind.pk)),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["new_alias"] == [
        "The working alias cannot be the real name: invent another one."
    ]
    assert PoliticalSubject.objects.count() == 0


def test_accompanier_cannot_pick_a_subject_and_register_a_new_one_at_once(
    login, accompanier, team_subject, kind
):
    client = login(accompanier)

    response = client.post(
        reverse("crisis:crisis-create"),
        _quick_post(subject=str(team_subject.pk), new_alias="Otro", new_kind=str(kind.pk)),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["new_alias"] == [
        "Choose a subject from your cases or create a new one, not both."
    ]
    assert PoliticalSubject.objects.count() == 1
    assert CrisisIntervention.objects.count() == 0
