"""Demo and benchmark data for training (idempotent: skipped once cohorts exist).

"large": 200 cohorts of 30 participants (6,000) with 10 monthly sessions each
(60,000 attendance marks); the demo trainer facilitates every cohort, the
worst case for the trainer's home.
"""

import datetime as dt
import random

from accompaniment.models import FederalEntity
from aluna.accounts.models import User
from aluna.core.seeding import DEMO_DOMAIN, make_faker

from .models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Participant,
    Programme,
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


def seed_training(*, scale: str, rng: random.Random) -> None:
    if Cohort.objects.exists():
        return
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
