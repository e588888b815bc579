"""Load the seed catalogues of DOMAIN.md ("Lists users pick from").

Idempotent: entries are keyed on `code`, so running it again updates labels and
positions instead of duplicating rows. The data is frozen here on purpose: a later
change to the lists is a new data migration, not an edit of this one.
"""

from django.db import migrations

AREAS_OF_DEFENCE = [
    ("land-and-territory", "Tierra y territorio", "Land and territory"),
    ("environment", "Medio ambiente", "Environment"),
    (
        "indigenous-peoples-rights",
        "Derechos de los pueblos indígenas",
        "Indigenous peoples' rights",
    ),
    ("migrants-and-refugees", "Personas migrantes y refugiadas", "Migrants and refugees"),
    (
        "womens-rights",
        "Derechos de las mujeres y violencia de género",
        "Women's rights and gender-based violence",
    ),
    ("lgbtiq-rights", "Derechos de las personas LGBTIQ+", "LGBTIQ+ rights"),
    (
        "enforced-disappearance",
        "Desaparición forzada (familiares y colectivos de búsqueda)",
        "Enforced disappearance (relatives and searching collectives)",
    ),
    (
        "torture-and-arbitrary-detention",
        "Tortura y detención arbitraria",
        "Torture and arbitrary detention",
    ),
    ("political-prisoners", "Personas presas políticas", "Political prisoners"),
    (
        "freedom-of-expression",
        "Libertad de expresión y periodismo",
        "Freedom of expression and journalism",
    ),
    ("right-to-health", "Derecho a la salud", "Right to health"),
    ("right-to-education", "Derecho a la educación", "Right to education"),
    ("right-to-food", "Derecho a la alimentación", "Right to food"),
    ("labour-rights", "Derechos laborales", "Labour rights"),
    ("civil-and-political-rights", "Derechos civiles y políticos", "Civil and political rights"),
]

SUBJECT_KINDS = [
    ("individual-defender", "Persona defensora individual", "Individual defender"),
    ("registered-organisation", "Organización legalmente constituida", "Registered organisation"),
    ("informal-collective", "Colectivo o grupo informal", "Informal collective or group"),
    ("community", "Comunidad", "Community"),
    ("journalists-organisation", "Organización de periodistas", "Journalists' organisation"),
    (
        "family-collective-disappeared",
        "Colectivo de familiares de personas desaparecidas",
        "Family collective of disappeared persons",
    ),
    ("network", "Red", "Network"),
]

# (code, es, en, dimension)
PSYCHOSOCIAL_IMPACTS = [
    ("fear", "Miedo", "Fear", "personal"),
    ("guilt", "Culpa", "Guilt", "personal"),
    ("fatigue", "Cansancio", "Fatigue", "personal"),
    ("powerlessness", "Impotencia", "Powerlessness", "personal"),
    ("illness", "Enfermedad", "Illness", "personal"),
    ("insomnia", "Insomnio", "Insomnia", "personal"),
    ("anxiety", "Ansiedad", "Anxiety", "personal"),
    ("sadness", "Tristeza", "Sadness", "personal"),
    ("anger", "Enojo", "Anger", "personal"),
    ("hypervigilance", "Hipervigilancia", "Hypervigilance", "personal"),
    ("grief", "Duelo", "Grief", "personal"),
    ("family-conflict", "Conflictos familiares", "Family conflict", "familiar"),
    (
        "change-of-family-roles",
        "Cambios en los roles familiares",
        "Change of family roles",
        "familiar",
    ),
    (
        "internal-conflict",
        "Conflictos internos en la organización",
        "Conflict within the organisation",
        "organizativa",
    ),
    (
        "organisational-weakening",
        "Debilitamiento organizativo",
        "Weakening of the organisation",
        "organizativa",
    ),
    ("rupture-of-bonds", "Ruptura de vínculos", "Rupture of bonds", "comunitaria"),
    ("community-division", "División comunitaria", "Division within the community", "comunitaria"),
    ("isolation", "Aislamiento", "Isolation", "social"),
    ("stigmatisation", "Estigmatización", "Stigmatisation", "social"),
    ("mistrust", "Desconfianza", "Mistrust", "social"),
]

COPING_MECHANISMS = [
    ("mobilisation", "Movilización", "Mobilisation"),
    ("legal-strategy", "Estrategia jurídica", "Legal strategy"),
    ("support-networks", "Redes de apoyo", "Support networks"),
    ("memory-work", "Trabajo de memoria", "Memory work"),
    ("spirituality", "Espiritualidad", "Spirituality"),
    ("self-care", "Prácticas de autocuidado", "Self-care practices"),
    ("collective-care", "Cuidado colectivo", "Collective care"),
    ("documentation", "Documentación", "Documentation"),
    ("public-denunciation", "Denuncia pública", "Public denunciation"),
    ("advocacy", "Incidencia", "Advocacy"),
    ("art-and-culture", "Expresión artística y cultural", "Artistic and cultural expression"),
    ("protection-measures", "Solicitud de medidas de protección", "Requesting protection measures"),
]

# INEGI keys. Proper names keep their accents in English too.
FEDERAL_ENTITIES = [
    ("01", "Aguascalientes", "Aguascalientes"),
    ("02", "Baja California", "Baja California"),
    ("03", "Baja California Sur", "Baja California Sur"),
    ("04", "Campeche", "Campeche"),
    ("05", "Coahuila", "Coahuila"),
    ("06", "Colima", "Colima"),
    ("07", "Chiapas", "Chiapas"),
    ("08", "Chihuahua", "Chihuahua"),
    ("09", "Ciudad de México", "Mexico City"),
    ("10", "Durango", "Durango"),
    ("11", "Guanajuato", "Guanajuato"),
    ("12", "Guerrero", "Guerrero"),
    ("13", "Hidalgo", "Hidalgo"),
    ("14", "Jalisco", "Jalisco"),
    ("15", "Estado de México", "State of Mexico"),
    ("16", "Michoacán", "Michoacán"),
    ("17", "Morelos", "Morelos"),
    ("18", "Nayarit", "Nayarit"),
    ("19", "Nuevo León", "Nuevo León"),
    ("20", "Oaxaca", "Oaxaca"),
    ("21", "Puebla", "Puebla"),
    ("22", "Querétaro", "Querétaro"),
    ("23", "Quintana Roo", "Quintana Roo"),
    ("24", "San Luis Potosí", "San Luis Potosí"),
    ("25", "Sinaloa", "Sinaloa"),
    ("26", "Sonora", "Sonora"),
    ("27", "Tabasco", "Tabasco"),
    ("28", "Tamaulipas", "Tamaulipas"),
    ("29", "Tlaxcala", "Tlaxcala"),
    ("30", "Veracruz", "Veracruz"),
    ("31", "Yucatán", "Yucatán"),
    ("32", "Zacatecas", "Zacatecas"),
]

AGGRESSION_TYPES = [
    ("harassment", "Hostigamiento", "Harassment"),
    ("intimidation", "Intimidación", "Intimidation"),
    (
        "stigmatisation",
        "Estigmatización o campaña de desprestigio",
        "Stigmatisation or smear campaign",
    ),
    ("threat", "Amenaza (incluida amenaza de muerte)", "Threat (including death threat)"),
    ("threat-to-family", "Amenaza a familiares", "Threat to family members"),
    ("surveillance", "Vigilancia", "Surveillance"),
    (
        "communications-interference",
        "Intervención de comunicaciones",
        "Interference with communications",
    ),
    (
        "digital-attack",
        "Ataque digital (malware, robo de cuentas, censura web)",
        "Digital attack (malware, account takeover, web censorship)",
    ),
    (
        "meeting-infiltration",
        "Infiltración de reuniones (en línea o presenciales)",
        "Infiltration of meetings (online or in person)",
    ),
    ("break-in", "Allanamiento o cateo (domicilio u oficina)", "Break-in or raid (home or office)"),
    ("theft", "Robo de información o equipo", "Theft of information or equipment"),
    ("arbitrary-detention", "Detención arbitraria", "Arbitrary detention"),
    (
        "criminalisation",
        "Criminalización u hostigamiento judicial",
        "Criminalisation or judicial harassment",
    ),
    ("physical-assault", "Agresión física", "Physical assault"),
    ("sexual-violence", "Acoso o violencia sexual", "Sexual harassment or sexual violence"),
    ("torture", "Tortura", "Torture"),
    ("kidnapping", "Secuestro", "Kidnapping"),
    ("enforced-disappearance", "Desaparición forzada", "Enforced disappearance"),
    ("forced-displacement", "Desplazamiento forzado", "Forced displacement"),
    ("attempted-murder", "Intento de asesinato", "Attempted murder"),
    ("murder", "Asesinato", "Murder"),
    ("femicide", "Feminicidio", "Femicide"),
]

PERPETRATORS = [
    ("municipal-police", "Policía municipal", "Municipal police"),
    ("state-police", "Policía estatal", "State police"),
    ("federal-police", "Policía federal o Guardia Nacional", "Federal police or National Guard"),
    ("army-or-navy", "Ejército o Marina", "Army or navy"),
    ("prosecutors-office", "Fiscalía", "Prosecutors' office"),
    ("local-authority", "Autoridad local o municipal", "Local or municipal authority"),
    (
        "government-official",
        "Persona servidora pública estatal o federal",
        "State or federal government official",
    ),
    ("prison-staff", "Personal penitenciario", "Prison staff"),
    ("intelligence-agents", "Agentes de inteligencia", "Intelligence agents"),
    ("organised-crime", "Crimen organizado", "Organised crime"),
    ("private-company", "Empresa privada o corporación", "Private company or corporation"),
    ("cacique", "Cacique local", "Local political boss (cacique)"),
    ("community-member", "Integrante de la comunidad", "Community member"),
    (
        "own-organisation-member",
        "Integrante de la propia organización o movimiento",
        "Member of own organisation or movement",
    ),
    ("partner-or-family", "Pareja o familiar", "Partner or family member"),
    ("unidentified", "No identificado", "Unidentified"),
]


def _load(model, rows, *, positioned=True):
    for index, row in enumerate(rows, start=1):
        code, label_es, label_en, *extra = row
        defaults = {
            "label_es": label_es,
            "label_en": label_en,
            # States sort alphabetically (position 0); the rest keep DOMAIN.md's order.
            "position": index * 10 if positioned else 0,
        }
        if extra:
            defaults["dimension"] = extra[0]
        model.objects.update_or_create(code=code, defaults=defaults)


def load_catalogues(apps, schema_editor):
    _load(apps.get_model("accompaniment", "AreaOfDefence"), AREAS_OF_DEFENCE)
    _load(apps.get_model("accompaniment", "SubjectKind"), SUBJECT_KINDS)
    _load(apps.get_model("accompaniment", "PsychosocialImpact"), PSYCHOSOCIAL_IMPACTS)
    _load(apps.get_model("accompaniment", "CopingMechanism"), COPING_MECHANISMS)
    _load(apps.get_model("accompaniment", "FederalEntity"), FEDERAL_ENTITIES, positioned=False)
    _load(apps.get_model("accompaniment", "AggressionType"), AGGRESSION_TYPES)
    _load(apps.get_model("accompaniment", "Perpetrator"), PERPETRATORS)


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0001_initial")]

    operations = [
        # Reversing keeps the rows: 0001's reversal drops the tables anyway.
        migrations.RunPython(load_catalogues, migrations.RunPython.noop),
    ]
