import datetime as dt

import pytest
from django.urls import reverse

from training.factories import CohortFactory, EnrolmentFactory, TrainingSessionFactory
from training.models import Answer, Questionnaire
from training.services import QuestionnaireAnswered, questionnaire_save, response_record

pytestmark = pytest.mark.django_db

ITEMS = ["Sé hacer un análisis de riesgo", "Cuido mi salud emocional"]


@pytest.fixture
def cohort(trainer):
    cohort = CohortFactory(facilitators=[trainer])
    for kind in ("entry", "exit"):
        questionnaire_save(
            actor=trainer,
            programme=cohort.programme,
            kind=kind,
            title=kind,
            likert=ITEMS,
            open_=["¿Qué esperas?"],
        )
    questionnaire_save(
        actor=trainer,
        programme=cohort.programme,
        kind="satisfaction",
        title="s",
        likert=["La sesión me sirvió"],
        open_=[],
    )
    return cohort


def answer(cohort, kind, enrolment, scores, session=None):
    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind=kind)
    likert = [q for q in questionnaire.questions.all() if q.kind == "likert"]
    response_record(
        actor=None,
        questionnaire=questionnaire,
        enrolment=enrolment,
        session=session,
        answers=dict(zip(likert, scores, strict=True)),
    )


def test_trainer_can_define_a_questionnaire(login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    client = login(trainer)

    response = client.post(
        reverse("training:questionnaire-edit", kwargs={"programme_id": cohort.programme.pk}),
        {
            "kind": "entry",
            "title": "Entrada",
            "likert": "Uno\n\nDos\n",
            "open_questions": "¿Por qué?",
        },
    )

    questionnaire = Questionnaire.objects.get()
    assert response.status_code == 302
    assert [(q.kind, q.text) for q in questionnaire.questions.all()] == [
        ("likert", "Uno"),
        ("likert", "Dos"),
        ("open", "¿Por qué?"),
    ]


def test_trainer_cannot_save_an_empty_questionnaire(login, trainer):
    cohort = CohortFactory(facilitators=[trainer])

    response = login(trainer).post(
        reverse("training:questionnaire-edit", kwargs={"programme_id": cohort.programme.pk}),
        {"kind": "entry", "title": "Entrada", "likert": "", "open_questions": ""},
    )

    assert response.status_code == 400
    assert Questionnaire.objects.count() == 0


def test_trainer_can_record_an_exit_evaluation_with_an_encrypted_open_answer(
    login, trainer, cohort
):
    enrolment = EnrolmentFactory(cohort=cohort)
    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind="exit")
    q1, q2, q3 = questionnaire.questions.all()
    client = login(trainer)

    response = client.post(
        reverse("training:response-create", kwargs={"cohort_id": cohort.pk, "kind": "exit"}),
        {"enrolment": enrolment.pk, f"q{q1.pk}": "4", f"q{q2.pk}": "5", f"q{q3.pk}": "Aprender"},
    )

    assert response.status_code == 302
    assert sorted(a.score or 0 for a in Answer.objects.all()) == [0, 4, 5]
    assert Answer.objects.get(question=q3).text == "Aprender"


def test_trainer_cannot_record_a_score_outside_one_to_five(login, trainer, cohort):
    enrolment = EnrolmentFactory(cohort=cohort)
    q1, q2, _ = Questionnaire.objects.get(programme=cohort.programme, kind="entry").questions.all()

    response = login(trainer).post(
        reverse("training:response-create", kwargs={"cohort_id": cohort.pk, "kind": "entry"}),
        {"enrolment": enrolment.pk, f"q{q1.pk}": "9", f"q{q2.pk}": "5"},
    )

    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_trainer_can_see_the_mean_change_and_the_satisfaction_trend(login, trainer, cohort):
    ana, beto = EnrolmentFactory(cohort=cohort), EnrolmentFactory(cohort=cohort)
    answer(cohort, "entry", ana, [2, 3])
    answer(cohort, "entry", beto, [1, 3])
    answer(cohort, "exit", ana, [4, 4])
    answer(cohort, "exit", beto, [4, 3])
    for day, scores in ((dt.date(2026, 2, 1), [3, 4]), (dt.date(2026, 3, 1), [5, 5])):
        session = TrainingSessionFactory(cohort=cohort, date=day)
        answer(cohort, "satisfaction", ana, scores[:1], session=session)
        answer(cohort, "satisfaction", beto, scores[1:], session=session)

    response = login(trainer).get(
        reverse("training:cohort-evaluation", kwargs={"cohort_id": cohort.pk})
    )

    items = {i["text"]: i["change"] for i in response.context["items"]}
    assert items == {ITEMS[0]: 2.5, ITEMS[1]: 0.5}
    assert [float(row["mean"]) for row in response.context["trend_rows"]] == [3.5, 5.0]
    assert response.content.decode().count("<rect ") == 4
    assert 'data-testid="trend-chart"' in response.content.decode()


def test_nobody_can_change_an_answered_questionnaire_even_through_the_service(trainer, cohort):
    answer(cohort, "entry", EnrolmentFactory(cohort=cohort), [4, 4])
    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind="entry")

    with pytest.raises(QuestionnaireAnswered):
        questionnaire_save(
            actor=trainer,
            programme=cohort.programme,
            kind="entry",
            title="Otra",
            likert=["Otra pregunta"],
            open_=[],
        )

    questionnaire.refresh_from_db()
    assert questionnaire.title == "entry"
    assert [q.text for q in questionnaire.questions.all()] == [*ITEMS, "¿Qué esperas?"]


def test_trainer_can_still_change_a_questionnaire_nobody_answered(trainer, cohort):
    questionnaire_save(
        actor=trainer,
        programme=cohort.programme,
        kind="entry",
        title="Entrada",
        likert=["Otra pregunta"],
        open_=[],
    )

    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind="entry")
    assert (questionnaire.title, [q.text for q in questionnaire.questions.all()]) == (
        "Entrada",
        ["Otra pregunta"],
    )


def test_trainer_cannot_change_a_questionnaire_that_has_answers(settings, login, trainer, cohort):
    settings.LANGUAGE_CODE = "en"
    answer(cohort, "exit", EnrolmentFactory(cohort=cohort), [4, 4])

    response = login(trainer).post(
        reverse("training:questionnaire-edit", kwargs={"programme_id": cohort.programme.pk}),
        {"kind": "exit", "title": "Otra", "likert": "Otra pregunta", "open_questions": ""},
    )

    questionnaire = Questionnaire.objects.get(programme=cohort.programme, kind="exit")
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "This questionnaire already has answers; it cannot change."
    ]
    assert questionnaire.title == "exit"
