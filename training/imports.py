"""How a participants' CSV file is read: its columns and values in Spanish or English.

The first line names the columns, in any order, with or without accents, in any
case: "Nombre", "organización", "ESTADO", "Género", "Rango de edad" as well as
"name", "organisation", "state", "gender", "age_range". Gender and age range take
the code, the Spanish label or the English one ("Mujer", "woman"; "30 a 44",
"30_44"); the state its INEGI code or its name.
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
