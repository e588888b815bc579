import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accompaniment.factories import PoliticalSubjectFactory
from accompaniment.models import FederalEntity
from training.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory
from training.models import Cohort, Enrolment, Participant, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_interface(settings):
    """Assert on the English source texts, whatever the Spanish catalogue says."""
    settings.LANGUAGE_CODE = "en"


def test_trainer_can_create_a_programme(login, trainer):
    client = login(trainer)

    response = client.post(
        reverse("training:programme-create"),
        {
            "name": "Protección integral",
            "description": "Un año, una sesión al mes.",
            "modality": "mixed",
            "length_months": "12",
            "fields_covered": ["security", "political_project"],
            "attendance_threshold": "80",
        },
    )

    programme = Programme.objects.get()
    assert response.status_code == 302
    assert programme.fields_covered == ["security", "political_project"]
    assert programme.attendance_threshold == 80


def test_trainer_can_create_a_cohort_they_facilitate(login, trainer):
    programme = ProgrammeFactory()
    client = login(trainer)
    chiapas = FederalEntity.objects.get(code="07")

    response = client.post(
        reverse("training:cohort-create", kwargs={"programme_id": programme.pk}),
        {
            "name": "Generación Altos 2026",
            "starts_on": "2026-01-10",
            "ends_on": "2026-12-10",
            "region": "Altos",
            "state": chiapas.pk,
            "languages": "Español, Tsotsil , Tseltal",
            "capacity": "30",
            "facilitators": [trainer.pk],
        },
    )

    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "training:cohort-detail", kwargs={"cohort_id": cohort.pk}
    )
    assert cohort.languages == ["Español", "Tsotsil", "Tseltal"]
    assert list(cohort.facilitators.all()) == [trainer]


def test_trainer_cannot_create_a_cohort_ending_before_it_starts(login, trainer):
    programme = ProgrammeFactory()
    client = login(trainer)

    response = client.post(
        reverse("training:cohort-create", kwargs={"programme_id": programme.pk}),
        {
            "name": "Generación",
            "starts_on": "2026-05-10",
            "ends_on": "2026-01-10",
            "languages": "Español",
            "capacity": "30",
            "facilitators": [trainer.pk],
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == ["The cohort cannot end before it starts."]
    assert Cohort.objects.count() == 0


def test_cohort_facilitators_are_only_offered_trainers(login, coordinator, trainer, accompanier):
    programme = ProgrammeFactory()
    client = login(coordinator)

    response = client.get(reverse("training:cohort-create", kwargs={"programme_id": programme.pk}))

    assert list(response.context["form"].fields["facilitators"].queryset) == [trainer]


def test_trainer_can_enrol_an_external_participant_whose_name_is_encrypted(login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    client = login(trainer)

    response = client.post(
        reverse("training:participant-add", kwargs={"cohort_id": cohort.pk}),
        {"name": "María Pérez Gómez", "organisation": "Colectivo", "gender": "woman"},
    )

    participant = Participant.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM training_participant")
        stored = cursor.fetchone()[0]
    assert response.status_code == 302
    assert participant.name == "María Pérez Gómez"
    assert stored.startswith("v1:")
    assert "María" not in stored


def test_coordinator_can_enrol_a_political_subject_shown_by_alias(login, coordinator):
    cohort = CohortFactory()
    subject = PoliticalSubjectFactory(alias="Defensora del río")
    client = login(coordinator)

    client.post(
        reverse("training:participant-add", kwargs={"cohort_id": cohort.pk}),
        {"subject": subject.pk, "name": ""},
    )
    page = client.get(reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}))

    assert Enrolment.objects.get().participant.subject == subject
    assert page.context["enrolments"][0].participant.display_name == "Defensora del río"


def test_trainer_cannot_enrol_beyond_capacity(login, trainer):
    cohort = CohortFactory(facilitators=[trainer], capacity=1)
    EnrolmentFactory(cohort=cohort)
    client = login(trainer)

    response = client.post(
        reverse("training:participant-add", kwargs={"cohort_id": cohort.pk}), {"name": "Otra"}
    )

    assert response.status_code == 400
    assert cohort.enrolments.count() == 1


def test_trainer_cannot_drop_a_participant_without_a_reason(login, trainer):
    enrolment = EnrolmentFactory(cohort=CohortFactory(facilitators=[trainer]))
    client = login(trainer)
    url = reverse("training:enrolment-status", kwargs={"enrolment_id": enrolment.pk})

    client.post(url, {"status": "dropped", "drop_reason": ""})
    enrolment.refresh_from_db()
    assert enrolment.status == "active"

    client.post(url, {"status": "dropped", "drop_reason": "Cambio de residencia"})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.drop_reason) == ("dropped", "Cambio de residencia")


def test_cohort_page_audits_the_view(login, coordinator):
    from aluna.audit.models import AuditEvent

    cohort = CohortFactory()
    login(coordinator).get(reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}))

    assert AuditEvent.objects.filter(action="view", target_id=str(cohort.pk)).count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_trainer_home_and_cohort_page_query_counts_do_not_grow(login, trainer):
    from training.factories import AttendanceFactory, TrainingSessionFactory

    cohort = CohortFactory(facilitators=[trainer])
    client = login(trainer)
    detail = reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk})
    home = reverse("training:index")

    def grow(n):
        for _ in range(n):
            session = TrainingSessionFactory(cohort=cohort)
            AttendanceFactory(session=session, enrolment=EnrolmentFactory(cohort=cohort))
            CohortFactory(facilitators=[trainer])

    grow(2)
    small = (_queries(client, detail), _queries(client, home))
    grow(10)
    large = (_queries(client, detail), _queries(client, home))

    assert small == large


def test_programme_evaluation_and_follow_up_pages_query_counts_do_not_grow(login, trainer):
    from training.factories import TrainingSessionFactory
    from training.models import Questionnaire
    from training.services import questionnaire_save, response_record

    cohort = CohortFactory(facilitators=[trainer])
    for kind in ("entry", "exit", "satisfaction"):
        questionnaire_save(
            actor=trainer,
            programme=cohort.programme,
            kind=kind,
            title=kind,
            likert=["A", "B"],
            open_=[],
        )
    questionnaires = {q.kind: q for q in Questionnaire.objects.prefetch_related("questions")}
    client = login(trainer)
    urls = [
        reverse("training:programme-list"),
        reverse("training:programme-detail", kwargs={"programme_id": cohort.programme.pk}),
        reverse("training:cohort-evaluation", kwargs={"cohort_id": cohort.pk}),
        reverse("training:cohort-follow-up", kwargs={"cohort_id": cohort.pk}),
    ]

    def grow(n):
        for _ in range(n):
            enrolment = EnrolmentFactory(cohort=cohort, status="graduated")
            session = TrainingSessionFactory(cohort=cohort)
            ProgrammeFactory()
            for kind, q in questionnaires.items():
                answers = dict.fromkeys(q.questions.all(), 4)
                response_record(
                    actor=trainer,
                    questionnaire=q,
                    enrolment=enrolment,
                    session=session if kind == "satisfaction" else None,
                    answers=answers,
                )

    grow(2)
    small = [_queries(client, url) for url in urls]
    grow(10)
    assert [_queries(client, url) for url in urls] == small


def test_coordinator_picks_a_subject_by_type_ahead_not_from_a_list_of_all(login, coordinator):
    cohort = CohortFactory()
    PoliticalSubjectFactory(alias="Defensora del río")
    url = reverse("training:participant-add", kwargs={"cohort_id": cohort.pk})

    html = login(coordinator).get(url).content.decode()

    assert '<select name="subject"' not in html
    assert "Defensora del río" not in html
    assert html.count('name="subject_query"') == 1


def test_coordinator_enrols_a_subject_by_typing_its_alias_without_javascript(login, coordinator):
    cohort = CohortFactory()
    subject = PoliticalSubjectFactory(alias="Defensora del río")
    PoliticalSubjectFactory(alias="Defensora del mar")
    client = login(coordinator)
    url = reverse("training:participant-add", kwargs={"cohort_id": cohort.pk})

    ambiguous = client.post(url, {"subject_query": "Defensora", "name": ""})
    chosen = client.post(url, {"subject_query": "defensora del río", "name": ""})

    assert ambiguous.status_code == 400
    assert ambiguous.context["form"].errors["subject"] == [
        "“Defensora” matches several: Defensora del mar, Defensora del río. Type the whole alias."
    ]
    assert chosen.status_code == 302
    assert Enrolment.objects.get().participant.subject == subject
