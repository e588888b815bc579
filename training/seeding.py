"""Demo and benchmark data for training.

"large": 200 cohorts of 30 participants (6,000) with 10 monthly sessions each
(60,000 attendance marks); the demo trainer facilitates every cohort, the
worst case for the trainer's home. The cohorts are skipped once cohorts exist.

Evaluations are a separate step, idempotent on their own (a database seeded before
they existed gets them on the next run): entry answers for most enrolments of the
cohorts that started, exit answers for most of those that ended (the mean rises
for most people, as a course intends), and satisfaction answers after the sessions
held from most of the people who attended. A response already there for a
questionnaire, enrolment and session is never written again.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accompaniment.models import FederalEntity
from aluna.accounts.models import User
from aluna.core.seeding import DEMO_DOMAIN, make_faker
from aluna.encryption.fields import allocate_pks

from .models import (
    ATTENDED,
    Answer,
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Programme,
    QuestionKind,
    Questionnaire,
    QuestionnaireKind,
    Response,
    TrainingSession,
)
from .services import questionnaire_save

PROGRAMMES = [
    ("Protección integral para personas defensoras", "mixed", 12),
    ("Cuidado colectivo y contención emocional", "in_person", 6),
    ("Seguridad digital y física", "online", 4),
]
LANGUAGES = [["Español"], ["Español", "Tsotsil"], ["Español", "Tseltal"], ["Español", "Ch'ol"]]
STATUS_WEIGHTS = {
    AttendanceStatus.PRESENT: 70,
    AttendanceStatus.LATE: 10,
    AttendanceStatus.EXCUSED: 8,
    AttendanceStatus.ABSENT: 12,
}


SATISFACTION_LIKERT = ["La sesión fue útil para mi trabajo", "Me sentí en confianza"]
SATISFACTION_OPEN = ["¿Qué mejorarías de la sesión?"]
ENTRY_TEXTS = (
    "Quiero aprender a cuidarme y cuidar al colectivo.",
    "Espero tener herramientas para el análisis de riesgo.",
    "Busco ideas para proteger la información de la organización.",
)
EXIT_TEXTS = (
    "Me llevo un plan de seguridad hecho con mi colectivo.",
    "Aprendí a nombrar el miedo y a pedir apoyo.",
    "Ahora documentamos los incidentes y usamos canales seguros.",
    "La red con otras defensoras de la región.",
)
SATISFACTION_TEXTS = (
    "Más tiempo para los ejercicios prácticos.",
    "Materiales en lengua originaria.",
    "Hacer las sesiones en la mañana.",
)
# Share of people who answer each questionnaire (exit: of those who answered the entry one).
ENTRY_SHARE, EXIT_SHARE, SATISFACTION_SHARE = 0.92, 0.85, 0.55
RESPONSES_PER_WRITE = 5_000


def seed_training(*, scale: str, rng: random.Random) -> None:
    # Its own stream, drawn without consuming `rng`: the cohorts stay as they were.
    evaluations_rng = _fork(rng, "evaluations")
    with transaction.atomic():
        if not Cohort.objects.exists():
            _seed_cohorts(scale=scale, rng=rng)
        _seed_evaluations(rng=evaluations_rng)


def _fork(rng: random.Random, label: str) -> random.Random:
    twin = random.Random()
    twin.setstate(rng.getstate())
    return random.Random(f"{twin.random()}:{label}")


def _seed_cohorts(*, scale: str, rng: random.Random) -> None:
    fake = make_faker(seed=rng.randrange(2**32))
    trainer = User.objects.filter(email=f"formacion@{DEMO_DOMAIN}").first()
    states = list(FederalEntity.objects.all())
    programmes = []
    for name, modality, months in PROGRAMMES:
        programme = Programme.objects.create(
            name=name,
            modality=modality,
            length_months=months,
            fields_covered=["security", "psychoemotional"],
        )
        for kind in ("entry", "exit"):
            questionnaire_save(
                actor=None,
                programme=programme,
                kind=kind,
                title=name[:60],
                likert=["Sé hacer un análisis de riesgo", "Tengo un plan de seguridad"],
                open_=["¿Qué te llevas?"],
            )
        programmes.append(programme)
    cohorts_n, people, sessions_n = (200, 30, 10) if scale == "large" else (3, 12, 6)
    start = dt.date(2024, 1, 15)
    for index in range(cohorts_n):
        starts_on = start + dt.timedelta(days=7 * (index % 120))
        cohort = Cohort.objects.create(
            programme=programmes[index % len(programmes)],
            name=f"Generación {index + 1:03d}",
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=31 * sessions_n),
            region=fake.city(),
            state=rng.choice(states) if states else None,
            languages=rng.choice(LANGUAGES),
            capacity=people + 5,
        )
        if trainer:
            cohort.facilitators.add(trainer)
        participants = Participant.objects.bulk_create(
            [
                Participant(
                    name=fake.name(),
                    organisation=fake.company()[:200],
                    state=rng.choice(states) if states else None,
                )
                for _ in range(people)
            ]
        )
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(cohort=cohort, participant=p, status=EnrolmentStatus.ACTIVE)
                for p in participants
            ]
        )
        sessions = TrainingSession.objects.bulk_create(
            [
                TrainingSession(
                    cohort=cohort,
                    date=starts_on + dt.timedelta(days=31 * n),
                    topic=f"Sesión {n + 1}",
                    facilitator=trainer,
                    place=cohort.region,
                )
                for n in range(sessions_n)
            ]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=s,
                    enrolment=e,
                    status=rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0],
                    updated_by=trainer,
                )
                for s in sessions
                for e in enrolments
            ],
            batch_size=2000,
        )


# --- Evaluations ---------------------------------------------------------------------------


def _seed_evaluations(*, rng: random.Random) -> None:
    """Entry, exit and satisfaction responses of the seeded programmes; idempotent."""
    programmes = list(
        Programme.objects.filter(name__in=[p[0] for p in PROGRAMMES]).order_by("name")
    )
    if not programmes:
        return
    for programme in programmes:
        if not Questionnaire.objects.filter(
            programme=programme, kind=QuestionnaireKind.SATISFACTION
        ).exists():
            questionnaire_save(
                actor=None,
                programme=programme,
                kind=QuestionnaireKind.SATISFACTION,
                title=programme.name[:60],
                likert=SATISFACTION_LIKERT,
                open_=SATISFACTION_OPEN,
            )
    questionnaires = {
        (q.programme_id, q.kind): q
        for q in Questionnaire.objects.filter(programme__in=programmes).prefetch_related(
            "questions"
        )
    }
    questions = {
        q.pk: (
            [x.pk for x in q.questions.all() if x.kind == QuestionKind.LIKERT],
            [x.pk for x in q.questions.all() if x.kind == QuestionKind.OPEN],
        )
        for q in questionnaires.values()
    }
    existing = set(
        Response.objects.filter(questionnaire__in=questionnaires.values()).values_list(
            "questionnaire_id", "enrolment_id", "session_id"
        )
    )
    planner = _EvaluationPlanner(
        rng=rng, questions=questions, existing=existing, today=timezone.localdate()
    )
    cohorts = Cohort.objects.filter(programme__in=programmes).order_by("starts_on", "name", "pk")
    for cohort in cohorts:
        entry = questionnaires.get((cohort.programme_id, QuestionnaireKind.ENTRY))
        exit_ = questionnaires.get((cohort.programme_id, QuestionnaireKind.EXIT))
        satisfaction = questionnaires.get((cohort.programme_id, QuestionnaireKind.SATISFACTION))
        planner.cohort(cohort, entry=entry, exit_=exit_, satisfaction=satisfaction)
    planner.flush()


class _EvaluationPlanner:
    """Draws every cohort's answers (skipped or not, so the stream stays the same) and
    writes the missing responses in batches: responses first (their ids come back),
    then their answers."""

    def __init__(self, *, rng, questions: dict, existing: set, today: dt.date):
        self.rng, self.questions, self.existing, self.today = rng, questions, existing, today
        self.pending: list[tuple[Response, list[tuple[int, int | None, str | None]]]] = []

    def cohort(self, cohort: Cohort, *, entry, exit_, satisfaction) -> None:
        rng = self.rng
        enrolments = list(
            Enrolment.objects.filter(cohort=cohort)
            .order_by("created_at", "pk")
            .values_list("pk", "status")
        )
        sessions = list(
            TrainingSession.objects.filter(cohort=cohort, date__lte=self.today)
            .order_by("date", "pk")
            .values_list("pk", flat=True)
        )
        attended = set(
            Attendance.objects.filter(session__in=sessions, status__in=ATTENDED).values_list(
                "session_id", "enrolment_id"
            )
        )
        started = cohort.starts_on <= self.today
        ended = cohort.ends_on <= self.today
        for enrolment_id, status in enrolments:
            # Where the person starts, and how much the course moves them.
            base = rng.gauss(2.6, 0.7)
            gain = rng.gauss(0.8, 0.6)
            answered_entry = started and rng.random() < ENTRY_SHARE
            answers_exit = rng.random() < (EXIT_SHARE if answered_entry else 0.3)
            if answered_entry and entry is not None:
                self._add(entry, enrolment_id, None, base, texts=ENTRY_TEXTS, text_share=0.3)
            if ended and answers_exit and exit_ is not None and status != EnrolmentStatus.DROPPED:
                self._add(exit_, enrolment_id, None, base + gain, texts=EXIT_TEXTS, text_share=0.6)
            for session_id in sessions:
                satisfied = rng.random() < SATISFACTION_SHARE
                if (
                    satisfaction is not None
                    and satisfied
                    and (session_id, enrolment_id) in attended
                ):
                    self._add(
                        satisfaction,
                        enrolment_id,
                        session_id,
                        4.1,
                        texts=SATISFACTION_TEXTS,
                        text_share=0.15,
                    )
        if len(self.pending) >= RESPONSES_PER_WRITE:
            self.flush()

    def _add(self, questionnaire, enrolment_id, session_id, mean: float, *, texts, text_share):
        rng = self.rng
        likert, open_ = self.questions[questionnaire.pk]
        answers = [(pk, max(1, min(5, round(rng.gauss(mean, 0.6)))), None) for pk in likert]
        for pk in open_:
            if rng.random() < text_share:
                answers.append((pk, None, rng.choice(texts)))
        if (questionnaire.pk, enrolment_id, session_id) in self.existing:
            return
        response = Response(
            questionnaire=questionnaire, enrolment_id=enrolment_id, session_id=session_id
        )
        self.pending.append((response, answers))

    def flush(self) -> None:
        if not self.pending:
            return
        responses = Response.objects.bulk_create(
            [response for response, _ in self.pending], batch_size=2_000
        )
        rows = [
            Answer(response_id=response.pk, question_id=question, score=score, text=text)
            for response, (_, answers) in zip(responses, self.pending, strict=True)
            for question, score, text in answers
        ]
        # Texts are encrypted bound to their row: those rows get their pk first.
        allocate_pks([row for row in rows if row.text is not None])
        Answer.objects.bulk_create(rows, batch_size=2_000)
        self.pending = []
