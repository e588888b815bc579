import datetime as dt

import factory

from .models import (
    Attendance,
    Cohort,
    Enrolment,
    Participant,
    Programme,
    TrainingSession,
)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programa de protección integral {n}")
    modality = "in_person"
    length_months = 6
    fields_covered = ["security", "psychoemotional"]


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Generación {n}")
    starts_on = dt.date(2026, 1, 10)
    ends_on = dt.date(2026, 6, 30)
    region = "Altos de Chiapas"
    languages = ["Español", "Tsotsil"]
    capacity = 30

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    name = factory.Faker("name", locale="es_MX")
    organisation = "Red de defensoras comunitarias"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(ParticipantFactory)
    status = "active"


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    cohort = factory.SubFactory(CohortFactory)
    date = dt.date(2026, 2, 14)
    topic = "Análisis de riesgo"
    place = "San Cristóbal de las Casas"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    enrolment = factory.SubFactory(EnrolmentFactory)
    status = "present"
