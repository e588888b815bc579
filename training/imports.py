"""How a participants' CSV file is read: its columns and values in Spanish or English.

The first line names the columns, in any order, with or without accents, in any
case: "Nombre", "organización", "ESTADO", "Género", "Rango de edad" as well as
"name", "organisation", "state", "gender", "age_range". Gender and age range take
the code, the Spanish label or the English one ("Mujer", "woman"; "30 a 44",
"30_44"); the state its INEGI code, its name or a usual abbreviation ("CDMX",
"Edomex").
"""

import re
import unicodedata

from django.utils import translation
from django.utils.translation import pgettext_lazy

from accompaniment.models import AgeRange, GenderIdentity

# Column key -> its name as the page shows it (Spanish first) and the names accepted.
COLUMNS = {
    "name": (
        pgettext_lazy("CSV column", "name"),
        ("name", "nombre", "nombre completo", "participante"),
    ),
    "organisation": (
        pgettext_lazy("CSV column", "organisation"),
        ("organisation", "organization", "organizacion", "organizacion o colectivo"),
    ),
    "state": (
        pgettext_lazy("CSV column", "state"),
        ("state", "estado", "entidad", "entidad federativa"),
    ),
    "gender": (
        pgettext_lazy("CSV column", "gender"),
        ("gender", "genero", "identidad de genero"),
    ),
    "age_range": (
        pgettext_lazy("CSV column", "age range"),
        ("age range", "rango de edad", "edad"),
    ),
}
REQUIRED = ("name",)
_ALIASES = {alias: key for key, (_, aliases) in COLUMNS.items() for alias in aliases}


def plain(text: str) -> str:
    """Lower case, no accents, one space between words: " Rango_de-EDAD " -> "rango de edad"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[_\-]+", " ", text).lower().split())


def column_label(key: str) -> str:
    return str(COLUMNS[key][0])


def column_key(header: str) -> str | None:
    """The column a header names ("Género" -> "gender"), None when unknown."""
    return _ALIASES.get(plain(header))


def _choice_map(choices) -> dict[str, str]:
    """Each way of writing a choice (code, Spanish label, English label) -> its code."""
    found = {}
    for language in ("es-mx", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                found[plain(value)] = value
                found[plain(str(label))] = value
    return found


def gender_code(text: str) -> str | None:
    return _choice_map(GenderIdentity).get(plain(text))


def age_range_code(text: str) -> str | None:
    return _choice_map(AgeRange).get(plain(text))


def choice_labels(choices) -> str:
    """The labels people may write, in the language of the page: "Mujer, Hombre, …"."""
    return ", ".join(str(label) for _, label in choices.choices)


# Other names people write for a state (INEGI's official names, abbreviations), by code.
STATE_ALIASES = {
    "cdmx": "09",
    "df": "09",
    "distrito federal": "09",
    "mexico": "15",
    "edomex": "15",
    "edo mex": "15",
    "edo. mex.": "15",
    "edo. de mexico": "15",
    "coahuila de zaragoza": "05",
    "michoacan de ocampo": "16",
    "queretaro de arteaga": "22",
    "veracruz de ignacio de la llave": "30",
}


def state_lookup(states) -> dict[str, object]:
    """Each way of writing a state (INEGI code, Spanish or English name, a usual
    abbreviation; accents and case aside) -> the state."""
    by_code = {state.code: state for state in states}
    found = {}
    for state in by_code.values():
        found[state.code] = found[state.code.lstrip("0")] = state
        found[plain(state.label_es)] = found[plain(state.label_en)] = state
    for alias, code in STATE_ALIASES.items():
        if code in by_code:
            found[plain(alias)] = by_code[code]
    return found
