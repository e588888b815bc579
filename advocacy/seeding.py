"""Demo data for advocacy: outputs, a donor with a grant and its schedule, a draft donor
report for that grant. Idempotent."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from . import aggregates
from .models import AdvocacyOutput, Donor, DonorReport, Grant, OutputKind, ReportDue

DEMO_DONOR = "Fondo Demo para Defensoras"
OUTPUTS = {"small": 12, "large": 400}


@transaction.atomic
def seed_advocacy(*, scale: str, rng: random.Random) -> None:
    today = timezone.localdate()
    donor, _created = Donor.objects.get_or_create(name=DEMO_DONOR)
    grant, created = Grant.objects.get_or_create(
        donor=donor,
        project="Acompañamiento psicosocial (demo)",
        defaults={"start": dt.date(today.year, 1, 1), "end": dt.date(today.year, 12, 31)},
    )
    if created:
        for month in (6, 12):
            ReportDue.objects.create(grant=grant, due_on=dt.date(today.year, month, 28))
    DonorReport.objects.get_or_create(
        title="Informe anual (demo)",
        defaults={
            "grant": grant,
            "start": grant.start,
            "end": grant.end,
            "sections": [code for code, _label in aggregates.section_choices()],
        },
    )
    wanted = OUTPUTS[scale]
    existing = AdvocacyOutput.objects.filter(title__startswith="Demo ").count()
    states = list(AdvocacyOutput.states.field.related_model.objects.all()[:32])
    kinds = [k for k, _l in OutputKind.choices]
    for n in range(existing, wanted):
        output = AdvocacyOutput.objects.create(
            kind=rng.choice(kinds),
            title=f"Demo {n + 1:04d}",
            date=today - dt.timedelta(days=rng.randrange(0, 700)),
            audiences="Embajadas, redes de defensoras",
            description="Producto de incidencia de demostración.",
        )
        if states:
            output.states.add(rng.choice(states))
