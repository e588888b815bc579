"""Demo and benchmark data for security: risk assessments, protection measures, security
plans and check-ins, on the processes the accompaniment seeder created.

"large": 6,000 risk assessments (3-5 threats, vulnerabilities and capacities each),
4,000 protection measures (about 30 % granted but not implemented), 1,500 plans with
their measures and protocols, 300 open check-ins and 1,000 closed in the last four
weeks. Long processes get more records, and the demo accompaniers' processes four
times more; every process of accompanier1 has an assessment and a measure (and a plan
while open), and a fifth of the check-ins are theirs, so the bench and the demo find
a record wherever they look. "small": a few of each, enough to show every page.

Everything is invented (word lists here, places from Faker("es_MX")). Idempotency:
each assessment, measure, plan and check-in gets a fixed primary key (a UUID derived
from the scale, its kind and its number), so a second run finds them all and adds
nothing; a missing one is written again with its children. The plan is drawn in full
on every run, so the random stream does not depend on what already exists.

Assessment scores and levels come from security.risk.compute_risk, like the form's.
Rows are written with bulk_create (no signals, no audit rows, no notifications).
Review dates already past are marked as reminded and overdue check-ins have walked
their whole alert chain, so the periodic tasks have nothing to send about old data.
"""

import datetime as dt
import math
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accompaniment.models import (
    FederalEntity,
    Perpetrator,
    Process,
    ProcessKind,
    ProcessStatus,
    Session,
)
from accompaniment.seeding import ALIAS_PREFIX, BATCH_SIZE
from aluna.accounts.models import User
from aluna.core.roles import Role
from aluna.core.seeding import DEMO_DOMAIN, make_faker

from .models import (
    CheckIn,
    CheckInContact,
    MeasureKind,
    MeasureSource,
    MeasureStatus,
    PlanItemStatus,
    PlanMeasure,
    ProtectionMeasure,
    Protocol,
    RiskAssessment,
    RiskFactor,
    RiskFactorKind,
    SecurityPlan,
    Threat,
)
from .risk import compute_risk

KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"https://{DEMO_DOMAIN}/seed/security")
# The demo accompaniers' processes are this many times likelier to get security records.
DEMO_TEAM_WEIGHT = 4
# Share of check-ins registered by accompanier1, and of the others that alert them.
DEMO_CHECKIN_SHARE = 0.2
DEMO_CONTACT_SHARE = 0.12
PROCESSES_PER_CHUNK = 2_000


@dataclass(frozen=True)
class Sizes:
    assessments: int
    measures: int
    plans: int
    open_checkins: int
    closed_checkins: int


SIZES = {
    "small": Sizes(assessments=40, measures=30, plans=15, open_checkins=6, closed_checkins=10),
    "large": Sizes(
        assessments=6_000, measures=4_000, plans=1_500, open_checkins=300, closed_checkins=1_000
    ),
}

# --- Word lists (invented; Spanish, as the organisation writes) -------------------------

THREATS = (
    "Amenazas de muerte por mensajes anónimos",
    "Vigilancia del domicilio por vehículos sin placas",
    "Campaña de desprestigio en redes sociales",
    "Posible detención arbitraria durante protestas",
    "Denuncias penales sin fundamento (criminalización)",
    "Intervención de comunicaciones y robo de cuentas",
    "Agresión física en los recorridos a la comunidad",
    "Amenazas a familiares en la escuela de los hijos",
    "Allanamiento de la oficina del colectivo",
    "Desplazamiento forzado por presencia de grupos armados",
)
VULNERABILITIES = (
    "Vive sola en una zona alejada",
    "Transporte público en horarios nocturnos",
    "Poca documentación de los incidentes",
    "Contraseñas compartidas en el equipo",
    "Sin red de apoyo en la cabecera municipal",
    "Rutinas predecibles de entrada y salida",
    "Desgaste emocional acumulado del equipo",
    "Oficina sin cerraduras ni cámaras",
)
CAPACITIES = (
    "Red de alerta activa con la comunidad",
    "Acompañamiento jurídico aliado",
    "Protocolos de comunicación segura acordados",
    "Vínculos con organizaciones internacionales",
    "Visibilidad en medios nacionales",
    "Plan de cuidado colectivo en marcha",
    "Contactos de confianza en la fiscalía estatal",
    "Espacios de descanso y contención",
)
SUMMARIES = (
    "El riesgo se mantiene por la coyuntura electoral en la región.",
    "Aumentaron los incidentes tras la última movilización.",
    "Las capacidades del colectivo crecieron con el plan de seguridad.",
    "Se identificó un patrón de vigilancia que requiere seguimiento.",
    "La situación se estabilizó; se mantienen medidas básicas.",
)
MEASURE_NOTES = (
    "El botón de pánico no tiene señal en la comunidad.",
    "Las rondas de patrullaje no se han realizado desde hace semanas.",
    "Se instalaron cámaras en la entrada principal.",
    "El Mecanismo no ha respondido a la solicitud de revisión.",
    "Escoltas asignados solo en horario laboral.",
    "Pendiente la reunión de implementación con la autoridad estatal.",
)
PLAN_TITLES = (
    "Plan de seguridad integral",
    "Plan de seguridad para recorridos",
    "Plan de seguridad de la oficina",
    "Plan de seguridad digital",
    "Plan de contingencia familiar",
)
PLAN_MEASURES = (
    ("Cambiar rutas y horarios de traslado", "La defensora"),
    ("Respaldar documentos en un lugar seguro", "Equipo de comunicación"),
    ("Instalar cerraduras y alarma en la oficina", "Coordinación del colectivo"),
    ("Activar verificación en dos pasos en todas las cuentas", "Enlace de seguridad"),
    ("Acordar palabra clave para emergencias", "Todo el equipo"),
    ("Documentar cada incidente con fecha y hora", "Enlace de seguridad"),
    ("Revisar el directorio de contactos de emergencia", "Acompañante de Aluna"),
)
PROTOCOLS = (
    (
        "Si hay vigilancia en el domicilio",
        "Avisar por el canal seguro, no salir sola, documentar placas y horarios.",
        "Enlace de seguridad y acompañante de Aluna",
    ),
    (
        "Si una integrante no llega a su destino",
        "Llamar a la persona; a los 30 minutos activar la red de alerta.",
        "Red de alerta comunitaria",
    ),
    (
        "Si hay una detención",
        "Registrar lugar y hora, llamar al equipo jurídico, avisar a la familia.",
        "Equipo jurídico aliado",
    ),
    (
        "Si roban un teléfono o una cuenta",
        "Cerrar sesiones, cambiar contraseñas, avisar a los contactos.",
        "Enlace de seguridad digital",
    ),
)
SOURCE_WEIGHTS = {
    MeasureSource.FEDERAL: 45,
    MeasureSource.STATE: 25,
    MeasureSource.OWN: 20,
    MeasureSource.CIDH: 10,
}
KIND_WEIGHTS = {
    MeasureKind.PANIC_BUTTON: 20,
    MeasureKind.CAMERAS_LOCKS: 20,
    MeasureKind.PHONE: 15,
    MeasureKind.PATROLS: 15,
    MeasureKind.ESCORTS: 10,
    MeasureKind.TRIP_ACCOMPANIMENT: 10,
    MeasureKind.RELOCATION: 5,
    MeasureKind.SHELTER: 5,
}
# Mechanisms grant far more than they implement: about 30 % "granted but not implemented".
STATUS_WEIGHTS = {
    MeasureStatus.NOT_IMPLEMENTED: 33,
    MeasureStatus.IMPLEMENTED: 35,
    MeasureStatus.GRANTED: 12,
    MeasureStatus.ENDED: 20,
}
CLOSED_PROCESS_STATUS_WEIGHTS = {
    MeasureStatus.NOT_IMPLEMENTED: 20,
    MeasureStatus.IMPLEMENTED: 10,
    MeasureStatus.ENDED: 70,
}
ACTIVE_STATUSES = (
    MeasureStatus.GRANTED,
    MeasureStatus.IMPLEMENTED,
    MeasureStatus.NOT_IMPLEMENTED,
)


# --- Plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A process, what the plan needs of it, and how many records of each kind it gets."""

    pk: uuid.UUID
    subject_id: uuid.UUID
    is_closed: bool
    is_crisis: bool
    start: dt.date
    end: dt.date
    team: tuple  # user ids, the lead first
    sessions: int


def seed_key(scale: str, kind: str, number: int) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, f"{scale}:{kind}:{number}")


def _keys(scale: str, kind: str, count: int) -> list[uuid.UUID]:
    return [seed_key(scale, kind, n) for n in range(1, count + 1)]


def _all_exist(model, keys: list[uuid.UUID]) -> bool:
    return model.objects.filter(pk__in=keys).count() == len(keys)


def _existing(model, keys) -> set:
    keys = list(keys)
    found = set()
    for start in range(0, len(keys), 5_000):
        found |= set(
            model.objects.filter(pk__in=keys[start : start + 5_000]).values_list("pk", flat=True)
        )
    return found


def seed_security(*, scale: str, rng: random.Random) -> None:
    """Seed assessments, measures, plans and check-ins; idempotent."""
    sizes = SIZES[scale]
    wanted = (
        (RiskAssessment, _keys(scale, "assessment", sizes.assessments)),
        (ProtectionMeasure, _keys(scale, "measure", sizes.measures)),
        (SecurityPlan, _keys(scale, "plan", sizes.plans)),
        (CheckIn, _keys(scale, "checkin-open", sizes.open_checkins)),
        (CheckIn, _keys(scale, "checkin-closed", sizes.closed_checkins)),
    )
    if all(_all_exist(model, keys) for model, keys in wanted):
        return
    targets = _targets()
    if not targets:
        return  # accompaniment not seeded: nothing to hang security records on
    with transaction.atomic():
        planner = Planner(scale=scale, rng=rng, sizes=sizes, targets=targets)
        planner.write_process_records()
        planner.write_checkins()


def _targets() -> list[Target]:
    """The demo subjects' processes, in a stable order, with their teams and session counts."""
    today = timezone.localdate()
    demo = {"subject__alias__startswith": ALIAS_PREFIX}
    sessions = dict(
        Session.objects.filter(**{f"process__{k}": v for k, v in demo.items()})
        .order_by()
        .values_list("process_id")
        .annotate(n=Count("pk"))
        .values_list("process_id", "n")
    )
    teams: dict = {}
    links = Process.team.through.objects.filter(
        **{f"process__{k}": v for k, v in demo.items()}
    ).values_list("process_id", "user_id")
    for process_id, user_id in links.order_by("process_id", "user_id"):
        teams.setdefault(process_id, []).append(user_id)
    rows = (
        Process.objects.filter(is_archived=False, **demo)
        .order_by("subject__alias", "opened_on", "pk")
        .values_list("pk", "subject_id", "status", "kind", "opened_on", "closed_on", "lead_id")
    )
    targets = []
    for pk, subject_id, status, kind, opened_on, closed_on, lead_id in rows:
        closed = status == ProcessStatus.CLOSED
        end = closed_on if closed and closed_on else today
        team = (lead_id, *(u for u in teams.get(pk, ()) if u != lead_id))
        targets.append(
            Target(
                pk=pk,
                subject_id=subject_id,
                is_closed=closed,
                is_crisis=kind == ProcessKind.CRISIS,
                start=min(opened_on, end),
                end=end,
                team=team,
                sessions=sessions.get(pk, 0),
            )
        )
    return targets


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    counts = [0] * len(weights)
    if total > 0 and any(weights):
        for index in rng.choices(range(len(weights)), weights=weights, k=total):
            counts[index] += 1
    return counts


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class Planner:
    def __init__(self, *, scale: str, rng: random.Random, sizes: Sizes, targets: list[Target]):
        self.scale, self.rng, self.sizes, self.targets = scale, rng, sizes, targets
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.fake = make_faker(seed=rng.randrange(2**32))
        self.perpetrators = list(
            Perpetrator.objects.filter(is_active=True)
            .order_by("position", "code")
            .values_list("pk", flat=True)
        )
        self.states = list(
            FederalEntity.objects.filter(is_active=True)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        demo_users = dict(
            User.objects.filter(
                email__in=[f"acompanamiento{n}@{DEMO_DOMAIN}" for n in (1, 2, 3)]
            ).values_list("email", "pk")
        )
        self.accompanier1 = demo_users.get(f"acompanamiento1@{DEMO_DOMAIN}")
        self.demo_team = set(demo_users.values())
        self.numbers = {"assessment": 0, "measure": 0, "plan": 0}

    # --- Process records: assessments, measures, plans -----------------------------------

    def write_process_records(self) -> None:
        rng, targets, sizes = self.rng, self.targets, self.sizes
        # Long processes get more security work; the demo accompaniers' many more.
        weights = [
            (0.3 + min(t.sessions, 90) / 10)
            * (DEMO_TEAM_WEIGHT if self.demo_team & set(t.team) else 1)
            * (1.5 if t.is_crisis else 1)
            for t in targets
        ]
        dangers = [rng.gauss(0.4 if t.is_crisis else 0, 0.9) for t in targets]
        measure_weights = [w * math.exp(d) for w, d in zip(weights, dangers, strict=True)]
        floors, pinned = self._floors()
        counts = {}
        for kind, total, kind_weights in (
            ("assessment", sizes.assessments, weights),
            ("measure", sizes.measures, measure_weights),
            ("plan", sizes.plans, weights),
        ):
            floor = floors[kind]
            spread = _spread(rng, total - sum(floor.values()), kind_weights)
            counts[kind] = [n + floor.get(i, 0) for i, n in enumerate(spread)]
        for first in range(0, len(targets), PROCESSES_PER_CHUNK):
            rows: dict = {}
            for index in range(first, min(first + PROCESSES_PER_CHUNK, len(targets))):
                target = targets[index]
                danger = dangers[index]
                self._assessments(rows, target, counts["assessment"][index], danger=danger)
                self._measures(rows, target, counts["measure"][index], pinned=index == pinned)
                self._plans(rows, target, counts["plan"][index])
            self._write(rows)

    def _floors(self) -> tuple[dict, int | None]:
        """Every process of accompanier1 gets an assessment and a measure, and a plan while
        open; their busiest open process two of each (one measure granted but not
        implemented): the bench and the demo find a record wherever they look. Within
        the totals, busiest processes first."""
        own = sorted(
            (i for i, t in enumerate(self.targets) if self.accompanier1 in t.team),
            key=lambda i: (-self.targets[i].sessions, i),
        )
        open_own = [i for i in own if not self.targets[i].is_closed]
        pinned = open_own[0] if open_own else None
        wanted = {
            "assessment": [(i, 2 if i == pinned else 1) for i in own],
            "measure": [(i, 2 if i == pinned else 1) for i in own],
            "plan": [(i, 1) for i in open_own],
        }
        totals = {
            "assessment": self.sizes.assessments,
            "measure": self.sizes.measures,
            "plan": self.sizes.plans,
        }
        floors = {}
        for kind, entries in wanted.items():
            floor, left = {}, totals[kind]
            for index, count in entries:
                count = min(count, left)
                if count:
                    floor[index] = count
                    left -= count
            floors[kind] = floor
        return floors, pinned

    def _next(self, kind: str) -> uuid.UUID:
        self.numbers[kind] += 1
        return seed_key(self.scale, kind, self.numbers[kind])

    def _assessments(self, rows: dict, target: Target, count: int, *, danger: float) -> None:
        rng = self.rng
        days = sorted(_day_in(rng, target.start, target.end) for _ in range(count))
        for position, day in enumerate(days):
            # Capacities grow and vulnerabilities shrink as the accompaniment goes on.
            progress = position / (count - 1) if count > 1 else rng.random() * 0.5
            threats = [
                (
                    rng.choice(THREATS),
                    rng.choice(self.perpetrators)
                    if self.perpetrators and rng.random() < 0.8
                    else None,
                    _clamp(rng.gauss(2.6 + danger, 0.9)),
                    _clamp(rng.gauss(3.0 + danger * 0.8, 0.9)),
                )
                for _ in range(rng.randint(3, 5))
            ]
            vulnerabilities = [
                (
                    rng.choice(VULNERABILITIES),
                    _clamp(rng.gauss(3 + danger * 0.5 - progress * 0.6, 1)),
                )
                for _ in range(rng.randint(3, 5))
            ]
            capacities = [
                (rng.choice(CAPACITIES), _clamp(rng.gauss(2.4 + progress * 1.2, 1)))
                for _ in range(rng.randint(3, 5))
            ]
            result = compute_risk(
                threats=[(likelihood, impact) for _, _, likelihood, impact in threats],
                vulnerabilities=[weight for _, weight in vulnerabilities],
                capacities=[weight for _, weight in capacities],
            )
            assessment = RiskAssessment(
                id=self._next("assessment"),
                process_id=target.pk,
                assessed_on=day,
                summary=rng.choice(SUMMARIES),
                assessed_by_id=target.team[0] if rng.random() < 0.8 else rng.choice(target.team),
                threat_total=result.threat_total,
                threat_count=result.threat_count,
                vulnerability_mean=result.vulnerability_mean,
                capacity_mean=result.capacity_mean,
                score=result.score,
                level=result.level,
            )
            children = [
                Threat(
                    assessment_id=assessment.pk,
                    description=text,
                    perpetrator_id=perpetrator,
                    likelihood=likelihood,
                    impact=impact,
                    position=i,
                )
                for i, (text, perpetrator, likelihood, impact) in enumerate(threats)
            ]
            for kind, factors in (
                (RiskFactorKind.VULNERABILITY, vulnerabilities),
                (RiskFactorKind.CAPACITY, capacities),
            ):
                children += [
                    RiskFactor(
                        assessment_id=assessment.pk,
                        kind=kind,
                        description=text,
                        weight=weight,
                        position=i,
                    )
                    for i, (text, weight) in enumerate(factors)
                ]
            rows.setdefault(RiskAssessment, []).append((assessment, children))

    def _measures(self, rows: dict, target: Target, count: int, *, pinned: bool) -> None:
        rng, today = self.rng, self.today
        for position in range(count):
            granted_on = _day_in(rng, target.start, target.end)
            weights = CLOSED_PROCESS_STATUS_WEIGHTS if target.is_closed else STATUS_WEIGHTS
            status = _weighted(rng, weights)
            if pinned and position < 2:
                status = (MeasureStatus.NOT_IMPLEMENTED, MeasureStatus.IMPLEMENTED)[position]
            source = _weighted(rng, SOURCE_WEIGHTS)
            measure = ProtectionMeasure(
                id=self._next("measure"),
                process_id=target.pk,
                source=source,
                cidh_number=(
                    f"MC-{rng.randint(1, 1200)}-{granted_on.year}"
                    if source == MeasureSource.CIDH
                    else ""
                ),
                kind=_weighted(rng, KIND_WEIGHTS),
                status=status,
                granted_on=granted_on,
                notes=rng.choice(MEASURE_NOTES) if rng.random() < 0.6 else "",
            )
            if status in (MeasureStatus.IMPLEMENTED, MeasureStatus.ENDED):
                implemented = granted_on + dt.timedelta(days=rng.randint(3, 60))
                measure.implemented_on = min(implemented, today)
            if status in ACTIVE_STATUSES:
                measure.review_on = granted_on + dt.timedelta(days=rng.randint(90, 365))
                if rng.random() < 0.5:
                    measure.expires_on = today + dt.timedelta(days=rng.randint(1, 365))
            else:
                expires = granted_on + dt.timedelta(days=rng.randint(90, 365))
                measure.expires_on = min(expires, today - dt.timedelta(days=1))
                if measure.expires_on < granted_on:
                    measure.expires_on = None
            rows.setdefault(ProtectionMeasure, []).append((measure, []))

    def _plans(self, rows: dict, target: Target, count: int) -> None:
        rng, today = self.rng, self.today
        for _ in range(count):
            drafted_on = _day_in(rng, target.start, target.end)
            review_on = drafted_on + dt.timedelta(days=rng.randint(90, 240))
            plan = SecurityPlan(
                id=self._next("plan"),
                process_id=target.pk,
                title=f"{rng.choice(PLAN_TITLES)} {drafted_on.year}",
                review_on=review_on,
                # A review date already past was reminded when it came.
                reminded_for=review_on if review_on <= today else None,
            )
            children = []
            for what, who in rng.sample(PLAN_MEASURES, k=rng.randint(2, 6)):
                due_on = drafted_on + dt.timedelta(days=rng.randint(7, 90))
                if due_on < today - dt.timedelta(days=30):
                    status = (
                        PlanItemStatus.DONE if rng.random() < 0.8 else PlanItemStatus.IN_PROGRESS
                    )
                else:
                    status = rng.choice(list(PlanItemStatus))
                children.append(
                    PlanMeasure(
                        plan_id=plan.pk,
                        what=what,
                        who=who,
                        due_on=due_on if rng.random() < 0.85 else None,
                        status=status,
                    )
                )
            for if_threat, steps, who_to_call in rng.sample(PROTOCOLS, k=rng.randint(1, 3)):
                children.append(
                    Protocol(
                        plan_id=plan.pk, if_threat=if_threat, steps=steps, who_to_call=who_to_call
                    )
                )
            rows.setdefault(SecurityPlan, []).append((plan, children))

    def _write(self, rows: dict) -> None:
        """Parents whose key is missing, then their children, model by model."""
        children: dict = {}
        for model in (RiskAssessment, ProtectionMeasure, SecurityPlan):
            planned = rows.get(model, [])
            existing = _existing(model, (parent.pk for parent, _ in planned))
            new = [(parent, kids) for parent, kids in planned if parent.pk not in existing]
            model.objects.bulk_create([parent for parent, _ in new], batch_size=BATCH_SIZE)
            for _, kids in new:
                for kid in kids:
                    children.setdefault(type(kid), []).append(kid)
        for model, objs in children.items():
            model.objects.bulk_create(objs, batch_size=BATCH_SIZE)

    # --- Check-ins ------------------------------------------------------------------------

    def write_checkins(self) -> None:
        rng = self.rng
        staff = list(
            User.objects.filter(
                groups__name=Role.ACCOMPANIMENT, is_active=True, email__endswith=f"@{DEMO_DOMAIN}"
            )
            .order_by("email")
            .values_list("pk", flat=True)
            .distinct()
        )
        if not staff:
            return
        coordinators = list(
            User.objects.filter(
                groups__name=Role.COORDINATION, email=f"coordinacion@{DEMO_DOMAIN}"
            ).values_list("pk", flat=True)
        )
        subjects_of: dict = {}
        for target in self.targets:
            if not target.is_closed:
                for user_id in target.team:
                    subjects_of.setdefault(user_id, []).append(target.subject_id)
        planned = []
        for kind, count in (
            ("checkin-open", self.sizes.open_checkins),
            ("checkin-closed", self.sizes.closed_checkins),
        ):
            for number in range(1, count + 1):
                pinned = number <= 2 and self.accompanier1 is not None
                if pinned or (self.accompanier1 and rng.random() < DEMO_CHECKIN_SHARE):
                    creator = self.accompanier1
                else:
                    creator = rng.choice(staff)
                checkin = CheckIn(id=seed_key(self.scale, kind, number), created_by_id=creator)
                own = subjects_of.get(creator)
                subject = rng.choice(own) if own and rng.random() < 0.7 else None
                checkin.subject_id = subject
                checkin.state_id = rng.choice(self.states) if self.states else None
                checkin.municipality = self.fake.city()
                contacts = self._contacts(creator=creator, staff=staff, coordinators=coordinators)
                if kind == "checkin-open":
                    self._open_times(checkin, contacts=len(contacts))
                else:
                    self._closed_times(checkin)
                planned.append(
                    (
                        checkin,
                        [
                            CheckInContact(checkin_id=checkin.pk, user_id=user_id, position=i)
                            for i, user_id in enumerate(contacts)
                        ],
                    )
                )
        if not self.states:
            return
        existing = _existing(CheckIn, (checkin.pk for checkin, _ in planned))
        new = [(checkin, contacts) for checkin, contacts in planned if checkin.pk not in existing]
        checkins = [checkin for checkin, _ in new]
        registered = {checkin.pk: checkin.created_at for checkin in checkins}
        CheckIn.objects.bulk_create(checkins, batch_size=BATCH_SIZE)
        # auto_now_add overwrote created_at: put back when each trip was registered.
        for checkin in checkins:
            checkin.created_at = registered[checkin.pk]
        CheckIn.objects.bulk_update(checkins, ["created_at"], batch_size=500)
        CheckInContact.objects.bulk_create(
            [contact for _, contacts in new for contact in contacts], batch_size=BATCH_SIZE
        )

    def _contacts(self, *, creator, staff: list, coordinators: list) -> list:
        """One to three colleagues (accompanier1 now and then), sometimes coordinación."""
        rng = self.rng
        others = [user_id for user_id in staff if user_id != creator]
        contacts = rng.sample(others, k=min(rng.randint(1, 3), len(others)))
        demo = self.accompanier1
        if demo and demo != creator and demo not in contacts and rng.random() < DEMO_CONTACT_SHARE:
            contacts.insert(0, demo)
        if (
            coordinators
            and coordinators[0] not in contacts
            and (not contacts or rng.random() < 0.3)
        ):
            contacts.append(coordinators[0])
        return contacts

    def _open_times(self, checkin: CheckIn, *, contacts: int) -> None:
        rng, now = self.rng, self.now
        if rng.random() < 0.1:
            # Overdue for hours: the whole chain was alerted and nobody has closed it yet.
            checkin.expected_at = now - dt.timedelta(minutes=rng.randint(60, 20 * 60))
            checkin.alerts_sent = contacts
            checkin.last_alert_at = checkin.expected_at + dt.timedelta(
                minutes=30 + 15 * max(0, contacts - 1)
            )
        else:
            checkin.expected_at = now + dt.timedelta(minutes=rng.randint(30, 6 * 24 * 60))
        checkin.expected_at = checkin.expected_at.replace(second=0, microsecond=0)
        registered = checkin.expected_at - dt.timedelta(minutes=rng.randint(120, 3 * 24 * 60))
        checkin.created_at = min(registered, now)

    def _closed_times(self, checkin: CheckIn) -> None:
        rng, now = self.rng, self.now
        expected_at = now - dt.timedelta(minutes=rng.randint(120, 28 * 24 * 60))
        checkin.expected_at = expected_at.replace(second=0, microsecond=0)
        closed_at = checkin.expected_at + dt.timedelta(minutes=rng.randint(-180, 60))
        checkin.closed_at = min(closed_at, now)
        if checkin.closed_at > checkin.expected_at + dt.timedelta(minutes=30):
            checkin.alerts_sent = 1
            checkin.last_alert_at = checkin.expected_at + dt.timedelta(minutes=30)
        checkin.created_at = checkin.expected_at - dt.timedelta(
            minutes=rng.randint(60, 2 * 24 * 60)
        )
