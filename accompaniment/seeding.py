"""Demo and benchmark data for accompaniment (registered with aluna.core.seeding).

Everything is invented: names come from Faker("es_MX") or from word lists here,
never from the source documents. Subjects are keyed on their alias
("Demo-00001 Ceiba", ...): a subject whose "Demo-NNNNN" prefix already exists is
skipped together with everything planned under it, so a second run adds nothing.

"large" (the benchmark) builds instances in Python and writes them with
bulk_create in chunks of subjects, so memory stays flat and no per-row signal
runs: initials, blind index entries and the denormalised process dates
(last_session_on, next_follow_up) are therefore computed here.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from aluna.accounts.models import User
from aluna.core.roles import Role
from aluna.core.seeding import DEMO_DOMAIN, make_faker
from aluna.encryption.blind_index import digest, normalise
from aluna.encryption.models import BlindIndexEntry

from . import models as m

ALIAS_PREFIX = "Demo-"
ALIAS_MARKER_LENGTH = len(ALIAS_PREFIX) + 5  # "Demo-00001"
SUBJECTS_PER_CHUNK = 500
BATCH_SIZE = 2_000
DAYS_BACK = 3 * 365
# Measured: the per-process formulas below land ~11% under the planned sessions and
# ~22% over the planned assessments; these factors bring the totals onto the plan.
SESSION_CALIBRATION = 1.13
ASSESSMENT_CALIBRATION = 0.82


@dataclass(frozen=True)
class Sizes:
    subjects: int
    processes: int
    sessions: int
    assessment_rounds: int  # one round assesses the four fields on one day
    objectives_per_process: int
    memberships: int
    heavy_every: int  # every n-th process gets 60-90 sessions (long timelines)


# "large" plans a little over the round figures so that the totals stay above them
# even when a small demo seeded the first subjects before.
SIZES = {
    "small": Sizes(
        subjects=40,
        processes=50,
        sessions=400,
        assessment_rounds=38,
        objectives_per_process=4,
        memberships=8,
        heavy_every=0,
    ),
    "large": Sizes(
        subjects=10_000,
        processes=20_100,
        sessions=201_000,
        assessment_rounds=15_100,
        objectives_per_process=2,
        memberships=1_500,
        heavy_every=250,
    ),
}

# --- Word lists (invented; Spanish, as the organisation writes) -------------------------

CODENAMES = (
    "Ceiba", "Colibrí", "Jaguar", "Maíz", "Ocote", "Quetzal", "Pitaya", "Nopal", "Copal",
    "Tule", "Ajolote", "Cenzontle", "Huizache", "Mezquite", "Ahuehuete", "Amate", "Tejón",
    "Garza", "Venado", "Lirio", "Orquídea", "Cacao", "Chía", "Jacaranda", "Tuna", "Xoconostle",
)  # fmt: skip
COLLECTIVE_PREFIX = {
    "registered-organisation": ("Centro", "Asociación", "Fundación"),
    "informal-collective": ("Colectivo", "Grupo", "Círculo"),
    "community": ("Comunidad", "Asamblea comunitaria", "Ejido"),
    "journalists-organisation": ("Periodistas", "Red de reporteras", "Medio libre"),
    "family-collective-disappeared": ("Familias", "Madres", "Búsqueda"),
    "network": ("Red", "Articulación", "Coordinadora"),
}
COLLECTIVE_NOUNS = (
    "Raíces", "Semillas", "Voces", "Caminos", "Huellas", "Manos", "Tejidos", "Horizontes",
    "Luciérnagas", "Corazones", "Palabras", "Memorias",
)  # fmt: skip
COLLECTIVE_QUALIFIERS = (
    "del Sur", "de la Montaña", "en Resistencia", "Unidas", "por la Memoria", "de la Costa",
    "del Valle", "Libres", "Nuevas", "del Río", "de la Sierra", "en Lucha",
)  # fmt: skip
KIND_WEIGHTS = {
    "individual-defender": 50,
    "registered-organisation": 10,
    "informal-collective": 12,
    "community": 8,
    "journalists-organisation": 5,
    "family-collective-disappeared": 8,
    "network": 7,
}
MEMBERSHIP_ROLES = ("Integrante", "Coordinadora", "Vocera", "Fundadora", "Enlace de seguridad")
TOPICS = {
    m.PsychosocialField.PSYCHOEMOTIONAL: (
        "el miedo tras las amenazas",
        "el cansancio acumulado",
        "el duelo por la pérdida",
        "el sueño y el descanso",
    ),
    m.PsychosocialField.INTERNAL_DYNAMICS: (
        "la distribución de tareas",
        "los conflictos internos",
        "la toma de decisiones",
        "el relevo en la coordinación",
    ),
    m.PsychosocialField.SECURITY: (
        "el plan de seguridad",
        "los protocolos de comunicación",
        "el análisis de riesgo",
        "la red de alerta",
    ),
    m.PsychosocialField.POLITICAL_PROJECT: (
        "el sentido del proyecto",
        "las prioridades del año",
        "la estrategia de incidencia",
        "la memoria del proceso",
    ),
}
OBSERVATIONS = (
    "Se nombraron emociones difíciles y se reconoció el esfuerzo colectivo.",
    "El grupo identificó señales de desgaste y propuso pausas.",
    "Se valoró lo avanzado y se revisaron los pendientes.",
    "Hubo tensión al inicio; después se pudo conversar con calma.",
    "Se reconocieron recursos propios para sostener la lucha.",
    "Se acordó cuidar la información sensible en los chats.",
)
AGREEMENTS = (
    "Revisar el plan de seguridad en la próxima sesión.",
    "Practicar el ejercicio de respiración dos veces por semana.",
    "Nombrar una persona enlace para emergencias.",
    "Preparar la reunión de asamblea con la nueva propuesta.",
    "Compartir el directorio de contactos de confianza.",
    "Documentar los incidentes con fecha y hora.",
)
OBJECTIVES = {
    m.PsychosocialField.PSYCHOEMOTIONAL: (
        "Fortalecer prácticas de cuidado y descanso.",
        "Elaborar colectivamente el impacto de las agresiones.",
    ),
    m.PsychosocialField.INTERNAL_DYNAMICS: (
        "Acordar mecanismos para resolver conflictos internos.",
        "Distribuir responsabilidades de forma más equitativa.",
    ),
    m.PsychosocialField.SECURITY: (
        "Contar con un plan de seguridad actualizado.",
        "Establecer protocolos de comunicación segura.",
    ),
    m.PsychosocialField.POLITICAL_PROJECT: (
        "Actualizar el sentido y las metas del proyecto político.",
        "Definir una estrategia de incidencia para el año.",
    ),
}
INDICATOR_NOTES = (
    "Mejoría visible respecto a la valoración anterior.",
    "Se mantiene estable; persisten algunas tensiones.",
    "Retroceso tras un nuevo incidente de seguridad.",
    "El grupo reconoce avances y nombra pendientes.",
)
STATUS_REASONS = (
    "Acuerdo con el colectivo tras la evaluación.",
    "Pausa solicitada por la persona acompañada.",
    "Cambio de prioridades del equipo.",
)
CLOSING_SUMMARIES = (
    "Se cumplieron los objetivos principales; el colectivo cuenta con su plan de cuidado.",
    "Cierre acordado; queda abierta la posibilidad de retomar el acompañamiento.",
)
INDIGENOUS = (("Tsotsil", "tsotsil"), ("Zapoteca", "zapoteco"), ("Mixe", "ayuuk"), ("Nahua", ""))


# --- Plan ----------------------------------------------------------------------------------


@dataclass
class Context:
    scale: str
    rng: random.Random
    sizes: Sizes
    today: dt.date
    catalogue: dict
    leads: list[User]
    coordinators: list[User]
    heavy_members: list[User]
    notes_pool: list[str]
    subject_ct: ContentType
    buffers: dict = field(default_factory=dict)


def seed_demo_data(*, scale: str, rng: random.Random) -> None:
    """Seed subjects, processes, objectives, assessments and sessions; idempotent."""
    sizes = SIZES[scale]
    existing = _existing_markers()
    if len(existing) >= sizes.subjects and all(
        _marker(n) in existing for n in range(1, sizes.subjects + 1)
    ):
        return
    ctx = _context(scale=scale, rng=rng, sizes=sizes)
    process_counts = _spread(
        ctx.rng, sizes.processes, [_subject_weight(ctx.rng) for _ in range(sizes.subjects)]
    )
    fake = make_faker(seed=ctx.rng.randrange(2**32))
    kinds = list(KIND_WEIGHTS)
    kind_weights = list(KIND_WEIGHTS.values())
    process_index = 0
    planned: list[tuple[int, m.PoliticalSubject, int, int]] = []
    with transaction.atomic():
        for number in range(1, sizes.subjects + 1):
            # Everything random is drawn for every subject, skipped or not, so the
            # plan of later subjects does not depend on what already exists.
            kind_code = ctx.rng.choices(kinds, weights=kind_weights)[0]
            subject = _build_subject(ctx, fake=fake, number=number, kind_code=kind_code)
            first = process_index
            process_index += process_counts[number - 1]
            if _marker(number) in existing:
                continue
            planned.append((number, subject, first, process_counts[number - 1]))
            if len(planned) >= SUBJECTS_PER_CHUNK:
                _write_chunk(ctx, planned)
                planned = []
        if planned:
            _write_chunk(ctx, planned)
        _seed_memberships(ctx)


def _marker(number: int) -> str:
    return f"{ALIAS_PREFIX}{number:05d}"


def _existing_markers() -> set[str]:
    aliases = m.PoliticalSubject.objects.filter(alias__startswith=ALIAS_PREFIX).values_list(
        "alias", flat=True
    )
    return {alias[:ALIAS_MARKER_LENGTH] for alias in aliases}


def _context(*, scale: str, rng: random.Random, sizes: Sizes) -> Context:
    catalogue = {
        "kinds": {k.code: k for k in m.SubjectKind.objects.all()},
        "areas": list(m.AreaOfDefence.objects.filter(is_active=True)),
        "states": list(m.FederalEntity.objects.filter(is_active=True)),
        "impacts": list(m.PsychosocialImpact.objects.filter(is_active=True)),
        "coping": list(m.CopingMechanism.objects.filter(is_active=True)),
    }
    demo_accompaniers = list(
        User.objects.filter(
            email__in=[f"acompanamiento{n}@{DEMO_DOMAIN}" for n in (1, 2, 3)]
        ).order_by("email")
    )
    coordinators = list(User.objects.filter(email=f"coordinacion@{DEMO_DOMAIN}"))
    leads = list(demo_accompaniers)
    if scale == "large":
        others = User.objects.filter(
            groups__name=Role.ACCOMPANIMENT, is_active=True, email__startswith="persona"
        ).order_by("email")
        leads += list(others)
    if not leads:  # seeding without the demo users (should not happen through seed_all)
        raise RuntimeError("Seed the demo users before the accompaniment data.")
    notes_pool = []
    for _ in range(300):
        chosen = rng.sample(list(TOPICS), k=2)
        topics = " y ".join(rng.choice(TOPICS[f]) for f in chosen)
        notes_pool.append(f"Se trabajó {topics}. {rng.choice(OBSERVATIONS)}")
    return Context(
        scale=scale,
        rng=rng,
        sizes=sizes,
        today=timezone.localdate(),
        catalogue=catalogue,
        leads=leads,
        coordinators=coordinators,
        heavy_members=demo_accompaniers,
        notes_pool=notes_pool,
        subject_ct=ContentType.objects.get_for_model(m.PoliticalSubject),
    )


def _subject_weight(rng: random.Random) -> float:
    # About one subject in twenty has no process yet (just registered).
    return 0.0 if rng.random() < 0.05 else rng.uniform(0.5, 1.5)


def _spread(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` units over len(weights) slots, each slot with at least 0, summing to total."""
    counts = [0] * len(weights)
    if not total or not any(weights):
        return counts
    for index in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[index] += 1
    return counts


def _build_subject(ctx: Context, *, fake, number: int, kind_code: str) -> m.PoliticalSubject:
    rng = ctx.rng
    individual = kind_code == m.INDIVIDUAL_KIND_CODE
    if individual:
        name = fake.name()
    else:
        prefix = rng.choice(COLLECTIVE_PREFIX[kind_code])
        name = f"{prefix} {rng.choice(COLLECTIVE_NOUNS)} {rng.choice(COLLECTIVE_QUALIFIERS)}"
    subject = m.PoliticalSubject(
        name=name,
        alias=f"{_marker(number)} {rng.choice(CODENAMES)}",
        initials=m.initials_of(name),
        kind=ctx.catalogue["kinds"][kind_code],
        state=rng.choice(ctx.catalogue["states"]),
        municipality=fake.city(),
        contact=f"Señal: {fake.phone_number()}",
        referral_source=rng.choice(m.ReferralSource.values),
    )
    if individual and rng.random() < 0.5:
        people, language = rng.choice(INDIGENOUS) if rng.random() < 0.3 else ("", "")
        subject.consent_date = ctx.today - dt.timedelta(days=rng.randint(30, DAYS_BACK))
        subject.consent_scope = "Uso interno para el acompañamiento"
        subject.gender_identity = rng.choice(m.GenderIdentity.values)
        subject.age_range = rng.choice(m.AgeRange.values)
        subject.indigenous_people = people
        subject.indigenous_language = language
        subject.family_role = rng.choice(["", *m.FamilyRole.values])
    subject._seed_areas = rng.sample(ctx.catalogue["areas"], k=rng.randint(1, 3))
    return subject


def _write_chunk(ctx: Context, planned: list) -> None:
    """Build every row of these subjects, then insert model by model (parents first)."""
    rows: dict[type, list] = {}

    def add(model, obj):
        rows.setdefault(model, []).append(obj)

    areas_through = m.PoliticalSubject.areas.through
    team_through = m.Process.team.through
    impacts_through = m.Session.impacts.through
    coping_through = m.Session.coping_mechanisms.through
    for _number, subject, first_index, count in planned:
        add(m.PoliticalSubject, subject)
        for area in subject._seed_areas:
            add(
                areas_through,
                areas_through(politicalsubject_id=subject.pk, areaofdefence_id=area.pk),
            )
        for entry in _blind_index_entries(ctx, subject):
            add(BlindIndexEntry, entry)
        creator = None
        for offset in range(count):
            process, team = _build_process(ctx, subject=subject, index=first_index + offset)
            creator = creator or process.lead
            add(m.Process, process)
            for member in team:
                add(team_through, team_through(process_id=process.pk, user_id=member.pk))
            for objective, changes in _build_objectives(ctx, process):
                add(m.Objective, objective)
                for change in changes:
                    add(m.ObjectiveChange, change)
            for assessment in _build_assessments(ctx, process):
                add(m.FieldAssessment, assessment)
            for session, impacts, coping in _build_sessions(ctx, process, team):
                add(m.Session, session)
                for impact in impacts:
                    add(
                        impacts_through,
                        impacts_through(session_id=session.pk, psychosocialimpact_id=impact.pk),
                    )
                for mechanism in coping:
                    add(
                        coping_through,
                        coping_through(session_id=session.pk, copingmechanism_id=mechanism.pk),
                    )
        subject.created_by = creator or (ctx.coordinators[0] if ctx.coordinators else None)
    order = (
        m.PoliticalSubject,
        areas_through,
        BlindIndexEntry,
        m.Process,
        team_through,
        m.Objective,
        m.ObjectiveChange,
        m.FieldAssessment,
        m.Session,
        impacts_through,
        coping_through,
    )
    for model in order:
        model.objects.bulk_create(rows.get(model, []), batch_size=BATCH_SIZE)


def _blind_index_entries(ctx: Context, subject) -> Iterator[BlindIndexEntry]:
    """The rows blind_index_update() would write (bulk_create sends no post_save)."""
    full = normalise(subject.name)
    common = {"content_type": ctx.subject_ct, "object_id": str(subject.pk), "field": "name"}
    yield BlindIndexEntry(
        **common,
        kind=BlindIndexEntry.Kind.FULL,
        digest=digest(model=m.PoliticalSubject, field="name", normalised=full),
    )
    for word in sorted(set(full.split())):
        yield BlindIndexEntry(
            **common,
            kind=BlindIndexEntry.Kind.WORD,
            digest=digest(model=m.PoliticalSubject, field="name", normalised=word),
        )


STATUS_WEIGHTS = {
    m.ProcessStatus.OPEN: 15,
    m.ProcessStatus.ACTIVE: 45,
    m.ProcessStatus.PAUSED: 10,
    m.ProcessStatus.CLOSED: 30,
}


def _build_process(ctx: Context, *, subject, index: int) -> tuple[m.Process, list[User]]:
    rng, today = ctx.rng, ctx.today
    individual = subject.kind.code == m.INDIVIDUAL_KIND_CODE
    crisis = rng.random() < (0.6 if individual else 0.25)
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    heavy = bool(ctx.sizes.heavy_every) and index % ctx.sizes.heavy_every == 0
    if heavy:
        status = m.ProcessStatus.ACTIVE
    if status == m.ProcessStatus.OPEN:
        opened_on = today - dt.timedelta(days=rng.randint(0, 90))
    elif heavy:
        opened_on = today - dt.timedelta(days=rng.randint(700, DAYS_BACK))
    else:
        opened_on = today - dt.timedelta(days=rng.randint(30, DAYS_BACK))
    closed_on = None
    if status == m.ProcessStatus.CLOSED:
        closed_on = min(opened_on + dt.timedelta(days=rng.randint(20, 500)), today)
    lead = rng.choice(ctx.leads)
    team = [lead]
    if heavy and ctx.heavy_members:
        # The demo accompaniers (the bench users) get the long timelines.
        member = ctx.heavy_members[(index // ctx.sizes.heavy_every) % len(ctx.heavy_members)]
        if member not in team:
            team.append(member)
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        member = rng.choice(ctx.leads)
        if member not in team:
            team.append(member)
    if ctx.coordinators and rng.random() < 0.15 and ctx.coordinators[0] not in team:
        team.append(ctx.coordinators[0])
    process = m.Process(
        subject=subject,
        kind=m.ProcessKind.CRISIS if crisis else m.ProcessKind.STRENGTHENING,
        status=status,
        opened_on=opened_on,
        closed_on=closed_on,
        lead=lead,
        frequency_days=rng.choice((7, 14) if crisis else (15, 30, 30, 60)),
    )
    if status in (m.ProcessStatus.PAUSED, m.ProcessStatus.CLOSED):
        process.status_reason = rng.choice(STATUS_REASONS)
    if status == m.ProcessStatus.CLOSED:
        process.closing_summary = rng.choice(CLOSING_SUMMARIES)
    process._seed_heavy = heavy
    return process, team


def _process_end(ctx: Context, process) -> dt.date:
    if process.closed_on:
        return process.closed_on
    if process.status == m.ProcessStatus.PAUSED:
        return max(process.opened_on, ctx.today - dt.timedelta(days=ctx.rng.randint(20, 120)))
    return ctx.today


def _build_objectives(ctx: Context, process) -> Iterator[tuple[m.Objective, list]]:
    rng = ctx.rng
    fields = rng.sample(list(m.PsychosocialField), k=ctx.sizes.objectives_per_process)
    closed = process.status == m.ProcessStatus.CLOSED
    for psy_field in fields:
        if closed:
            status = rng.choice(
                (m.ObjectiveStatus.MET, m.ObjectiveStatus.MET, m.ObjectiveStatus.DROPPED)
            )
        elif process.status == m.ProcessStatus.OPEN:
            status = m.ObjectiveStatus.AGREED
        else:
            status = rng.choice(list(m.ObjectiveStatus))
        objective = m.Objective(
            process=process,
            field=psy_field,
            description=rng.choice(OBJECTIVES[psy_field]),
            status=status,
        )
        changes = []
        if status != m.ObjectiveStatus.AGREED:
            changed_on = process.opened_on + dt.timedelta(
                days=rng.randint(0, max(0, (_process_end(ctx, process) - process.opened_on).days))
            )
            changes.append(
                m.ObjectiveChange(
                    objective=objective,
                    from_status=m.ObjectiveStatus.AGREED,
                    to_status=status,
                    changed_at=_at(changed_on, hour=rng.randint(9, 18)),
                    changed_by=process.lead,
                )
            )
        yield objective, changes


def _build_assessments(ctx: Context, process) -> Iterator[m.FieldAssessment]:
    rng = ctx.rng
    end = _process_end(ctx, process)
    span = (end - process.opened_on).days
    # Average rounds per process follow the plan; long processes get more, and about
    # one old process in eight has none (the coordinators' attention list).
    per_process = ASSESSMENT_CALIBRATION * ctx.sizes.assessment_rounds / ctx.sizes.processes
    if span < 30 or rng.random() < 0.12:
        return
    rounds = max(1, round(rng.uniform(0.4, 1.6) * per_process * min(span, 900) / 450))
    rounds = min(rounds, max(1, span // 30))
    days = sorted(rng.sample(range(15, span + 1), k=min(rounds, span - 14)))
    process.last_assessed_on = process.opened_on + dt.timedelta(days=days[-1])
    scores = {f: rng.randint(1, 4) for f in m.PsychosocialField}
    for day in days:
        for psy_field in m.PsychosocialField:
            scores[psy_field] = min(5, max(1, scores[psy_field] + rng.choice((-1, 0, 1, 1))))
            yield m.FieldAssessment(
                process=process,
                field=psy_field,
                assessed_on=process.opened_on + dt.timedelta(days=day),
                score=scores[psy_field],
                indicator_notes=rng.choice(INDICATOR_NOTES),
                assessed_by=process.lead,
            )


def _build_sessions(ctx: Context, process, team: list[User]) -> Iterator[tuple]:
    rng, today = ctx.rng, ctx.today
    end = _process_end(ctx, process)
    span = (end - process.opened_on).days
    per_process = SESSION_CALIBRATION * ctx.sizes.sessions / ctx.sizes.processes
    if process._seed_heavy:
        count = rng.randint(60, 90)
    elif process.status == m.ProcessStatus.OPEN:
        count = rng.randint(0, 2)
    else:
        count = max(1, round(rng.uniform(0.3, 1.7) * per_process * min(span + 30, 900) / 450))
    count = min(count, span + 1)
    days = sorted(rng.choices(range(span + 1), k=count))
    overdue = rng.random() < 0.4
    if days and process.status == m.ProcessStatus.ACTIVE and not overdue:
        # Most active processes are up to date: the last session is within the frequency.
        recent = (today - process.opened_on).days - rng.randint(0, process.frequency_days - 1)
        days[-1] = max(days[-1], min(span, recent))
    dates = [process.opened_on + dt.timedelta(days=d) for d in days]
    process.last_session_on = dates[-1] if dates else None
    if process.status != m.ProcessStatus.CLOSED:
        base = process.last_session_on or process.opened_on
        process.next_follow_up = base + dt.timedelta(days=process.frequency_days)
        if rng.random() < 0.03:
            process.next_follow_up = today  # due today: the reminder has work
    individual = process.subject.kind.code == m.INDIVIDUAL_KIND_CODE
    crisis = process.kind == m.ProcessKind.CRISIS
    for position, day in enumerate(dates):
        worked = {f: rng.random() < 0.35 for f in m.PsychosocialField}
        if crisis:
            worked[m.PsychosocialField.PSYCHOEMOTIONAL] = True
        if not any(worked.values()):
            worked[rng.choice(list(m.PsychosocialField))] = True
        last = position == len(dates) - 1
        session = m.Session(
            process=process,
            started_at=_at(day, hour=rng.randint(8, 19), minute=rng.choice((0, 15, 30, 45))),
            modality=rng.choice(m.SessionModality.values),
            duration_minutes=rng.choice((45, 60, 60, 90, 120)),
            participants_count=1 if individual else rng.randint(2, 15),
            notes=rng.choice(ctx.notes_pool),
            agreements=rng.choice(AGREEMENTS),
            next_session_on=process.next_follow_up if last else dates[position + 1],
            recorded_by=rng.choice(team),
            **{m.Session.FIELD_FLAGS[f]: flag for f, flag in worked.items()},
        )
        impacts = rng.sample(ctx.catalogue["impacts"], k=rng.choice((0, 1, 1, 2, 3)))
        coping = rng.sample(ctx.catalogue["coping"], k=rng.choice((0, 1, 1, 2)))
        yield session, impacts, coping


def _at(day: dt.date, *, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _seed_memberships(ctx: Context) -> None:
    """Individual demo defenders in demo collectives (only for subjects seeded now or before)."""
    rng = ctx.rng
    subjects = list(
        m.PoliticalSubject.objects.filter(alias__startswith=ALIAS_PREFIX)
        .values_list("pk", "kind__code")
        .order_by("alias")
    )
    individuals = [pk for pk, code in subjects if code == m.INDIVIDUAL_KIND_CODE]
    collectives = [pk for pk, code in subjects if code != m.INDIVIDUAL_KIND_CODE]
    if not individuals or not collectives:
        return
    existing = set(
        m.Membership.objects.filter(defender_id__in=individuals).values_list(
            "defender_id", "collective_id"
        )
    )
    if len(existing) >= ctx.sizes.memberships:
        return
    new, seen = [], set(existing)
    for _ in range(ctx.sizes.memberships * 2):
        if len(seen) >= ctx.sizes.memberships:
            break
        pair = (rng.choice(individuals), rng.choice(collectives))
        if pair in seen:
            continue
        seen.add(pair)
        new.append(
            m.Membership(
                defender_id=pair[0],
                collective_id=pair[1],
                role=rng.choice(MEMBERSHIP_ROLES),
                start_date=ctx.today - dt.timedelta(days=rng.randint(60, 3000)),
                end_date=None,
            )
        )
    m.Membership.objects.bulk_create(new, batch_size=BATCH_SIZE)
