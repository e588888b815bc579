"""Demo and benchmark data for crisis response: aggressions and crisis interventions.

Registered after the main accompaniment seeder, whose subjects and crisis processes
it uses. "large": 2,000 aggressions over the last three years (types and perpetrators
from the catalogues, weighted as they occur; some reported to authorities) and 2,500
interventions on crisis processes (the demo accompaniers' four times likelier), about
60 % of them recorded with their aggression, ~5 % still open; each with its
responders from the process team, the team's alerts and the follow-ups at
CRISIS_FOLLOW_UP_HOURS. "small": a dozen of each. accompanier1 always has an open
crisis (with its aggression) and a closed one. Everything is invented (word lists
here, places from Faker("es_MX")).

Idempotency: every aggression and intervention gets a fixed primary key (a UUID
derived from the scale and its number), so a second run finds them all and adds
nothing; a row that is missing (deleted in the demo) is written again with its
children. The plan is drawn in full on every run, so the random stream does not
depend on what already exists.

Rows are written with bulk_create: no signal runs and no audit row or notification
is produced (demo data is not a user action). Alerts are acknowledged and overdue
follow-ups marked as reminded, so the periodic escalation and reminder tasks have
nothing to send about seeded crises.
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accompaniment import models as hub
from accompaniment.seeding import ALIAS_PREFIX, BATCH_SIZE, DAYS_BACK
from aluna.accounts.models import User
from aluna.core.seeding import DEMO_DOMAIN, make_faker

from . import models as m

# Fixed namespace: the same numbers give the same keys on every machine and run.
KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"https://{DEMO_DOMAIN}/seed/crisis")
# The demo accompaniers' processes are this many times likelier to get a crisis,
# so the bench pages of accompanier1 have data.
DEMO_TEAM_WEIGHT = 4


@dataclass(frozen=True)
class Sizes:
    aggressions: int
    interventions: int
    linked_share: float  # interventions recorded with an aggression
    open_share: float  # interventions still open (on processes that are not closed)


SIZES = {
    "small": Sizes(aggressions=12, interventions=12, linked_share=0.6, open_share=0.4),
    "large": Sizes(aggressions=2_000, interventions=2_500, linked_share=0.6, open_share=0.06),
}

# --- Word lists (invented; Spanish, as the organisation writes) -------------------------

# Relative frequency of each aggression type (codes of the catalogue; 1 for new codes).
TYPE_WEIGHTS = {
    "harassment": 15, "intimidation": 12, "stigmatisation": 10, "threat": 18,
    "threat-to-family": 6, "surveillance": 10, "communications-interference": 4,
    "digital-attack": 6, "meeting-infiltration": 2, "break-in": 4, "theft": 3,
    "arbitrary-detention": 3, "criminalisation": 6, "physical-assault": 5,
    "sexual-violence": 1.5, "torture": 0.5, "kidnapping": 0.5, "enforced-disappearance": 0.5,
    "forced-displacement": 2, "attempted-murder": 1, "murder": 0.3, "femicide": 0.2,
}  # fmt: skip
SEVERE_TYPES = frozenset(
    {
        "physical-assault", "sexual-violence", "torture", "kidnapping", "enforced-disappearance",
        "forced-displacement", "attempted-murder", "murder", "femicide", "arbitrary-detention",
    }
)  # fmt: skip
PERPETRATOR_WEIGHTS = {
    "unidentified": 20, "organised-crime": 12, "municipal-police": 10, "state-police": 8,
    "local-authority": 8, "government-official": 5, "army-or-navy": 5, "federal-police": 5,
    "private-company": 6, "cacique": 5, "community-member": 4, "prosecutors-office": 3,
}  # fmt: skip
RISK_WEIGHTS = {
    hub.RiskLevel.LOW: 20,
    hub.RiskLevel.MEDIUM: 35,
    hub.RiskLevel.HIGH: 30,
    hub.RiskLevel.CRITICAL: 15,
}
SEVERE_RISK_WEIGHTS = {
    hub.RiskLevel.LOW: 2,
    hub.RiskLevel.MEDIUM: 13,
    hub.RiskLevel.HIGH: 45,
    hub.RiskLevel.CRITICAL: 40,
}
CHANNEL_WEIGHTS = {
    m.ContactChannel.PHONE: 50,
    m.ContactChannel.MESSAGING: 35,
    m.ContactChannel.IN_PERSON: 15,
}
NARRATIVE_OPENINGS = (
    "Personas desconocidas se presentaron en el domicilio",
    "Se recibieron mensajes intimidatorios por redes sociales",
    "Un vehículo sin placas siguió a la defensora durante el recorrido",
    "Durante la asamblea comunitaria se escucharon amenazas directas",
    "Se detectaron intentos de acceso a las cuentas de la organización",
    "Elementos de seguridad retuvieron al grupo en un retén",
    "Circularon panfletos con señalamientos contra el colectivo",
    "Llamadas anónimas a la oficina preguntaron por los horarios del equipo",
)
NARRATIVE_DETAILS = (
    "La persona se encuentra a salvo y con su red de apoyo.",
    "Se documentaron fechas, horas y capturas de pantalla.",
    "El hecho ocurrió días después de una conferencia de prensa.",
    "Hay testigos de la comunidad dispuestos a declarar.",
    "Es el tercer incidente similar en el último mes.",
    "La familia pidió no hacer pública la información por ahora.",
)
EVIDENCE_KEEPERS = (
    "La propia persona defensora",
    "El equipo jurídico aliado",
    "Coordinación del acompañamiento",
    "Una integrante del colectivo",
)
ACTIONS = (
    "Primeros auxilios psicológicos por teléfono; ejercicio de respiración y contención.",
    "Se activó la red de alerta y se verificó que la persona llegara a un lugar seguro.",
    "Escucha activa, validación emocional y acuerdo de llamada de seguimiento.",
    "Se acompañó la toma de decisiones sobre salir temporalmente de la comunidad.",
    "Contención grupal con el colectivo y revisión del protocolo de seguridad.",
    "Se ayudó a ordenar la información del incidente para la denuncia.",
)
REFERRALS = (
    "Canalización al equipo jurídico aliado.",
    "Solicitud de medidas al Mecanismo de Protección.",
    "Contacto con la comisión estatal de derechos humanos.",
    "Referencia a atención médica en clínica de confianza.",
    "Gestión de casa de acogida temporal.",
)
FOLLOW_UP_NOTES = (
    "Duerme mejor; mantiene contacto con su red.",
    "Persisten el miedo y la hipervigilancia; se acordó otra llamada.",
    "El colectivo retomó sus actividades con precauciones.",
    "Se confirmó que las medidas de protección ya operan.",
    "Sin nuevos incidentes desde la última llamada.",
)
# Immediate needs, with how often each one is named.
NEED_WEIGHTS = {
    m.ImmediateNeed.FIRST_AID: 60,
    m.ImmediateNeed.PROTECTION: 30,
    m.ImmediateNeed.LEGAL: 25,
    m.ImmediateNeed.FAMILY: 20,
    m.ImmediateNeed.MEDICAL: 12,
    m.ImmediateNeed.SHELTER: 8,
}


# --- Plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A crisis process and what the plan needs of it."""

    pk: uuid.UUID
    subject_id: uuid.UUID
    state_id: uuid.UUID | None
    is_closed: bool
    start: dt.date
    end: dt.date
    lead_id: uuid.UUID
    team: tuple  # user ids, the lead first


def seed_key(scale: str, kind: str, number: int) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, f"{scale}:{kind}:{number}")


def seed_crisis(*, scale: str, rng: random.Random) -> None:
    """Seed aggressions and crisis interventions (responders, alerts, follow-ups); idempotent."""
    sizes = SIZES[scale]
    aggression_keys = [seed_key(scale, "aggression", n) for n in range(1, sizes.aggressions + 1)]
    crisis_keys = [seed_key(scale, "crisis", n) for n in range(1, sizes.interventions + 1)]
    if _all_exist(m.Aggression, aggression_keys) and _all_exist(m.CrisisIntervention, crisis_keys):
        return
    targets = _targets()
    if not targets:
        return  # no crisis process to attach them to (accompaniment not seeded)
    Planner(scale=scale, rng=rng, sizes=sizes, targets=targets).write()


def _all_exist(model, keys: list[uuid.UUID]) -> bool:
    return model.objects.filter(pk__in=keys).count() == len(keys)


def _existing(model, keys) -> set:
    found = set()
    keys = list(keys)
    for start in range(0, len(keys), 5_000):
        chunk = keys[start : start + 5_000]
        found |= set(model.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return found


def _targets() -> list[Target]:
    """The demo subjects' crisis processes, in a stable order, with their teams."""
    today = timezone.localdate()
    processes = (
        hub.Process.objects.filter(
            subject__alias__startswith=ALIAS_PREFIX, kind=hub.ProcessKind.CRISIS, is_archived=False
        )
        .order_by("subject__alias", "opened_on", "pk")
        .values_list(
            "pk", "subject_id", "subject__state_id", "status", "opened_on", "closed_on", "lead_id"
        )
    )
    teams: dict = {}
    links = hub.Process.team.through.objects.filter(
        process__subject__alias__startswith=ALIAS_PREFIX, process__kind=hub.ProcessKind.CRISIS
    ).values_list("process_id", "user_id")
    for process_id, user_id in links.order_by("process_id", "user_id"):
        teams.setdefault(process_id, []).append(user_id)
    targets = []
    for pk, subject_id, state_id, status, opened_on, closed_on, lead_id in processes:
        team = [lead_id, *(u for u in teams.get(pk, ()) if u != lead_id)]
        closed = status == hub.ProcessStatus.CLOSED
        end = closed_on if closed and closed_on else today
        start = max(opened_on, today - dt.timedelta(days=DAYS_BACK))
        targets.append(
            Target(pk, subject_id, state_id, closed, min(start, end), end, lead_id, tuple(team))
        )
    return targets


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randrange(0, 60, 5)))
    return timezone.make_aware(moment)


def _weighted(rng: random.Random, weights: dict, k: int = 1) -> list:
    """`k` distinct keys of `weights`, drawn by weight."""
    pool = dict(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        key = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(key)
        del pool[key]
    return chosen


class Planner:
    """Draws the whole plan, then writes the rows whose keys are missing, in chunks."""

    CHUNK = 1_000  # interventions per write

    def __init__(self, *, scale: str, rng: random.Random, sizes: Sizes, targets: list[Target]):
        self.scale, self.rng, self.sizes, self.targets = scale, rng, sizes, targets
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.fake = make_faker(seed=rng.randrange(2**32))
        self.types = {
            t.pk: (t.code, TYPE_WEIGHTS.get(t.code, 1))
            for t in hub.AggressionType.objects.filter(is_active=True).order_by("position", "code")
        }
        self.perpetrators = {
            p.pk: PERPETRATOR_WEIGHTS.get(p.code, 1)
            for p in hub.Perpetrator.objects.filter(is_active=True).order_by("position", "code")
        }
        self.states = list(
            hub.FederalEntity.objects.filter(is_active=True)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        self.follow_up_hours = list(getattr(settings, "CRISIS_FOLLOW_UP_HOURS", [24, 72, 168]))
        demo = set(
            User.objects.filter(
                email__in=[f"acompanamiento{n}@{DEMO_DOMAIN}" for n in (1, 2, 3)]
            ).values_list("pk", flat=True)
        )
        self.weights = [DEMO_TEAM_WEIGHT if demo & set(target.team) else 1 for target in targets]
        self.subjects = sorted({t.subject_id for t in targets}, key=str)
        self.aggression_number = 0

    # --- Drawing ------------------------------------------------------------------------

    def write(self) -> None:
        with transaction.atomic():
            chosen = self.rng.choices(
                self.targets, weights=self.weights, k=self.sizes.interventions
            )
            pinned = self._pinned_targets()
            for position, target in enumerate(pinned):
                chosen[position] = target  # the demo accompanier's first crises (board)
            batch = []
            for number, target in enumerate(chosen, start=1):
                # The first one is open and names its aggression: the demo shows both.
                batch.append(self._intervention(number, target, pinned=number == 1))
                if len(batch) >= self.CHUNK:
                    self._write(batch)
                    batch = []
            standalone = []
            while self.aggression_number < self.sizes.aggressions:
                target = self.rng.choices(self.targets, weights=self.weights)[0]
                standalone.append(self._standalone_aggression(target))
            self._write(batch, standalone)

    def _pinned_targets(self) -> list[Target]:
        """An open and a closed crisis on processes of accompanier1, whatever the draw."""
        first = User.objects.filter(email=f"acompanamiento1@{DEMO_DOMAIN}").first()
        if first is None:
            return []
        own = [t for t in self.targets if first.pk in t.team]
        open_ones = [t for t in own if not t.is_closed]
        pinned = []
        if open_ones:
            pinned.append(open_ones[0])
        if own:
            pinned.append(own[-1])
        return pinned[: self.sizes.interventions]

    def _intervention(self, number: int, target: Target, *, pinned: bool) -> dict:
        rng, now = self.rng, self.now
        is_open = not target.is_closed and (rng.random() < self.sizes.open_share or pinned)
        if is_open:
            earliest = max(
                timezone.make_aware(dt.datetime.combine(target.start, dt.time())),
                now - dt.timedelta(days=21),
            )
            span = max(0.0, (now - dt.timedelta(hours=2) - earliest).total_seconds())
            contacted_at = earliest + dt.timedelta(seconds=rng.uniform(0, span))
            contacted_at = contacted_at.replace(second=0, microsecond=0)
        else:
            # Closed crises leave a week for their follow-ups when the process allows it.
            last = max(target.start, min(target.end, self.today - dt.timedelta(days=8)))
            day = target.start + dt.timedelta(days=rng.randint(0, (last - target.start).days))
            contacted_at = min(_at(day, rng), now - dt.timedelta(hours=1))
        responders = [target.team[0]]
        others = list(target.team[1:])
        if others and rng.random() < 0.45:
            responders.append(rng.choice(others))
        linked = (
            rng.random() < self.sizes.linked_share or pinned
        ) and self.aggression_number < self.sizes.aggressions
        aggression = None
        if linked:
            occurred_at = contacted_at - dt.timedelta(minutes=rng.randint(30, 72 * 60))
            aggression = self._aggression(
                target, occurred_at=occurred_at, recorded_by=responders[0]
            )
        severe = aggression is not None and bool(aggression["severe"])
        risk = _weighted(rng, SEVERE_RISK_WEIGHTS if severe else RISK_WEIGHTS)[0]
        needs = _weighted(rng, NEED_WEIGHTS, k=rng.choice((1, 1, 2, 2, 3)))
        intervention = m.CrisisIntervention(
            id=seed_key(self.scale, "crisis", number),
            process_id=target.pk,
            contacted_at=contacted_at,
            channel=_weighted(rng, CHANNEL_WEIGHTS)[0],
            risk_level=risk,
            aggression_id=aggression["row"].pk if aggression else None,
            immediate_needs=[str(need) for need in needs],
            actions_taken=rng.choice(ACTIONS),
            referrals=rng.choice(REFERRALS) if rng.random() < 0.5 else "",
            status=m.CrisisStatus.OPEN if is_open else m.CrisisStatus.CLOSED,
            last_contact_at=contacted_at,
            recorded_by_id=responders[0],
        )
        alerts = self._alerts(intervention, target=target, responders=responders)
        follow_ups = self._follow_ups(intervention, responders=responders, is_open=is_open)
        done = [f.done_at for f in follow_ups if f.done_at]
        intervention.last_contact_at = max([contacted_at, *done])
        return {
            "row": intervention,
            "responders": responders,
            "alerts": alerts,
            "follow_ups": follow_ups,
            "aggression": aggression,
        }

    def _alerts(self, intervention, *, target: Target, responders: list) -> list:
        """The team was alerted a minute or two after the call; the first responder
        acknowledged for everybody (so nothing escalates)."""
        rng = self.rng
        sent_at = intervention.contacted_at + dt.timedelta(minutes=rng.randint(1, 3))
        acknowledged_at = min(sent_at + dt.timedelta(minutes=rng.randint(2, 40)), self.now)
        recipients = list(dict.fromkeys([*responders, *target.team]))
        return [
            m.CrisisAlert(
                intervention_id=intervention.pk,
                recipient_id=user_id,
                escalation_step=0,
                sent_at=sent_at,
                acknowledged_at=acknowledged_at,
                acknowledged_by_id=responders[0],
            )
            for user_id in recipients
        ]

    def _follow_ups(self, intervention, *, responders: list, is_open: bool) -> list:
        rng, now = self.rng, self.now
        rows = []
        for hours in self.follow_up_hours:
            due_at = intervention.contacted_at + dt.timedelta(hours=hours)
            row = m.CrisisFollowUp(intervention_id=intervention.pk, due_at=due_at, note="")
            if due_at > now:
                if not is_open:
                    continue  # closed before this contact was due
            elif not is_open or rng.random() < 0.85:
                done_at = due_at + dt.timedelta(minutes=rng.randint(-8 * 60, 10 * 60))
                row.done_at = min(max(done_at, intervention.contacted_at), now)
                row.done_by_id = rng.choice(responders)
                row.note = rng.choice(FOLLOW_UP_NOTES) if rng.random() < 0.4 else ""
            else:
                row.reminded_at = due_at + dt.timedelta(minutes=1)  # already reminded
            rows.append(row)
        return rows

    def _aggression(self, target: Target, *, occurred_at: dt.datetime, recorded_by) -> dict:
        rng = self.rng
        self.aggression_number += 1
        type_ids = _weighted(
            rng, {pk: weight for pk, (_code, weight) in self.types.items()}, k=rng.choice((1, 1, 2))
        )
        perpetrator_ids = _weighted(rng, self.perpetrators, k=rng.choice((0, 1, 1, 1, 2)))
        subjects = [target.subject_id]
        if rng.random() < 0.15 and len(self.subjects) > 1:
            other = rng.choice(self.subjects)
            if other != target.subject_id:
                subjects.append(other)
        approximate = rng.random() < 0.2
        if approximate:
            occurred_at = occurred_at.replace(hour=12, minute=0)
        state_id = target.state_id if rng.random() < 0.85 or not self.states else None
        if state_id is None and self.states:
            state_id = rng.choice(self.states)
        evidence = rng.random() < 0.45
        row = m.Aggression(
            id=seed_key(self.scale, "aggression", self.aggression_number),
            occurred_at=occurred_at,
            is_approximate=approximate,
            state_id=state_id,
            municipality=self.fake.city(),
            narrative=f"{rng.choice(NARRATIVE_OPENINGS)}. {rng.choice(NARRATIVE_DETAILS)}",
            evidence_kept=evidence,
            evidence_keeper=rng.choice(EVIDENCE_KEEPERS) if evidence else "",
            recorded_by_id=recorded_by,
        )
        reports = []
        if rng.random() < 0.5:
            for body in rng.sample(list(m.ReportingBody), k=rng.choice((1, 1, 2))):
                day = timezone.localdate(occurred_at) + dt.timedelta(days=rng.randint(1, 30))
                reported_on = min(day, self.today) if rng.random() < 0.9 else None
                reports.append(
                    m.AggressionReport(aggression_id=row.pk, body=body, reported_on=reported_on)
                )
        return {
            "row": row,
            "types": type_ids,
            "perpetrators": perpetrator_ids,
            "subjects": subjects,
            "reports": reports,
            "severe": {self.types[pk][0] for pk in type_ids} & SEVERE_TYPES,
        }

    def _standalone_aggression(self, target: Target) -> dict:
        """An aggression registered without a crisis call (documented in a session)."""
        day = target.start + dt.timedelta(
            days=self.rng.randint(0, max(0, (target.end - target.start).days))
        )
        occurred_at = min(_at(day, self.rng), self.now - dt.timedelta(hours=1))
        return self._aggression(target, occurred_at=occurred_at, recorded_by=target.lead_id)

    # --- Writing ------------------------------------------------------------------------

    def _write(self, interventions: list[dict], standalone: list[dict] = ()) -> None:
        aggressions = [i["aggression"] for i in interventions if i["aggression"]]
        aggressions += list(standalone)
        existing_aggressions = _existing(m.Aggression, (a["row"].pk for a in aggressions))
        existing_crises = _existing(m.CrisisIntervention, (i["row"].pk for i in interventions))
        new_aggressions = [a for a in aggressions if a["row"].pk not in existing_aggressions]
        new_crises = [i for i in interventions if i["row"].pk not in existing_crises]
        type_link = m.Aggression.types.through
        perpetrator_link = m.Aggression.perpetrators.through
        subject_link = m.Aggression.subjects.through
        responder_link = m.CrisisIntervention.responders.through
        rows: dict = {
            m.Aggression: [a["row"] for a in new_aggressions],
            type_link: [
                type_link(aggression_id=a["row"].pk, aggressiontype_id=pk)
                for a in new_aggressions
                for pk in a["types"]
            ],
            perpetrator_link: [
                perpetrator_link(aggression_id=a["row"].pk, perpetrator_id=pk)
                for a in new_aggressions
                for pk in a["perpetrators"]
            ],
            subject_link: [
                subject_link(aggression_id=a["row"].pk, politicalsubject_id=pk)
                for a in new_aggressions
                for pk in a["subjects"]
            ],
            m.AggressionReport: [r for a in new_aggressions for r in a["reports"]],
            m.CrisisIntervention: [i["row"] for i in new_crises],
            responder_link: [
                responder_link(crisisintervention_id=i["row"].pk, user_id=pk)
                for i in new_crises
                for pk in i["responders"]
            ],
            m.CrisisAlert: [a for i in new_crises for a in i["alerts"]],
            m.CrisisFollowUp: [f for i in new_crises for f in i["follow_ups"]],
        }
        for model, objs in rows.items():
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
