"""Factories for tests and demo data (Faker es_MX; no real person)."""

import datetime as dt

import factory
from django.db.models import Max
from django.utils import timezone

from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role

from . import models


def _entry(model, code):
    return model.objects.get(code=code)


class PoliticalSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PoliticalSubject
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="es_MX")
    alias = factory.Sequence(lambda n: f"Sujeto {n:05d}")
    kind = factory.LazyFunction(lambda: _entry(models.SubjectKind, "individual-defender"))
    state = factory.LazyFunction(lambda: _entry(models.FederalEntity, "07"))
    municipality = factory.Faker("city", locale="es_MX")
    contact = factory.Faker("phone_number", locale="es_MX")
    referral_source = models.ReferralSource.ALLIED_ORGANISATION

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.add(*extracted)


class CollectiveFactory(PoliticalSubjectFactory):
    name = factory.Faker("company", locale="es_MX")
    kind = factory.LazyFunction(lambda: _entry(models.SubjectKind, "informal-collective"))


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Process
        skip_postgeneration_save = True

    subject = factory.SubFactory(PoliticalSubjectFactory)
    kind = models.ProcessKind.STRENGTHENING
    status = models.ProcessStatus.ACTIVE
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))
    lead = factory.SubFactory(UserFactory, roles=[Role.ACCOMPANIMENT])
    frequency_days = 30

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        """The lead is always on the team; pass team=[...] for more members."""
        if create:
            self.team.add(self.lead, *(extracted or []))


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objective

    process = factory.SubFactory(ProcessFactory)
    field = models.PsychosocialField.SECURITY
    description = factory.Faker("sentence", locale="es_MX")


class FieldAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FieldAssessment

    process = factory.SubFactory(ProcessFactory)
    field = models.PsychosocialField.PSYCHOEMOTIONAL
    assessed_on = factory.LazyFunction(timezone.localdate)
    score = 3
    indicator_notes = factory.Faker("sentence", locale="es_MX")
    assessed_by = factory.SelfAttribute("process.lead")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the assessment service does: the process remembers its latest assessment.
        assessment = super()._create(model_class, *args, **kwargs)
        latest = models.FieldAssessment.objects.filter(process_id=assessment.process_id)
        models.Process.objects.filter(pk=assessment.process_id).update(
            last_assessed_on=latest.aggregate(day=Max("assessed_on"))["day"]
        )
        return assessment


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Session
        skip_postgeneration_save = True

    process = factory.SubFactory(ProcessFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    modality = models.SessionModality.VIDEO
    duration_minutes = 60
    works_psychoemotional = True
    notes = factory.Faker("paragraph", locale="es_MX")
    agreements = factory.Faker("sentence", locale="es_MX")
    recorded_by = factory.SelfAttribute("process.lead")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    defender = factory.SubFactory(PoliticalSubjectFactory)
    collective = factory.SubFactory(CollectiveFactory)
    role = "Integrante"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365))


class ObjectiveChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ObjectiveChange

    objective = factory.SubFactory(ObjectiveFactory)
    from_status = models.ObjectiveStatus.AGREED
    to_status = models.ObjectiveStatus.IN_PROGRESS
    changed_by = factory.SelfAttribute("objective.process.lead")
