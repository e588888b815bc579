"""Spanish is what users see by default: its catalogue must be complete."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale") / "es_MX" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = [
    "aluna",
    "accompaniment",
    "crisis",
    "security",
    "training",
    "advocacy",
    "templates",
]


def _entries(po_file: Path, *flags: str) -> list[str]:
    """msgids that msgattrib selects with `flags` (e.g. --untranslated)."""
    out = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


def test_spanish_catalogue_has_no_untranslated_entry():
    assert _entries(ROOT / CATALOGUE, "--untranslated") == []


def test_spanish_catalogue_has_no_fuzzy_entry():
    assert _entries(ROOT / CATALOGUE, "--only-fuzzy") == []


@pytest.mark.xdist_group("makemessages")
def test_makemessages_would_add_no_new_entry(tmp_path):
    """Re-extract the strings from a copy of the sources: nothing new may appear."""
    for name in [*SOURCE_DIRS, "locale"]:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "es_MX",
            "--no-location",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        env={**os.environ, "ALUNA_TESTING": "0", "DEBUG": "true", "DATABASE_URL": "sqlite://"},
        check=True,
        capture_output=True,
    )
    new_or_changed = _entries(tmp_path / CATALOGUE, "--untranslated") + _entries(
        tmp_path / CATALOGUE, "--only-fuzzy"
    )
    assert new_or_changed == []


@pytest.mark.parametrize(
    ("source", "ours"),
    [
        # Django: its Spanish says "usted" and leaves this one in English.
        ("Enter a valid email address.", "Escribe un correo electrónico válido."),
        ("- Select an option -", "- Elige una opción -"),
        ("This field is required.", "Este campo es obligatorio."),
        # django-allauth: "Por favor, vuelva a autenticarse para proteger su cuenta."
        (
            "Please reauthenticate to safeguard your account.",
            "Vuelve a autenticarte para proteger tu cuenta.",
        ),
        ("Incorrect code.", "Código incorrecto."),
    ],
)
def test_library_texts_speak_in_our_voice(source, ours):
    from django.utils import translation

    with translation.override("es-mx"):
        assert translation.gettext(source) == ours


def test_dates_are_written_the_mexican_way():
    import datetime as dt

    from django.utils import formats, translation

    with translation.override("es-mx"):
        written = formats.date_format(dt.date(2026, 1, 1), "DATE_FORMAT")

    assert written == "1 de enero de 2026"


def test_every_library_text_we_list_is_translated_in_tu():
    """No "usted" form slips into a translation of aluna/core/library_texts.py."""
    import re

    from django.utils import translation

    from aluna.core.library_texts import LIBRARY_TEXTS

    formal = re.compile(r"\b(usted|su|sus|Introduzca|Ingrese|vuelva|Asegúrese|Escoja|desea)\b")
    with translation.override("es-mx"):
        spanish = [
            translation.gettext(text) if isinstance(text, str) else str(text)
            for text in LIBRARY_TEXTS
        ]
    formal_texts = [text for text in spanish if formal.search(text)]

    assert formal_texts == []


# "Usted" forms and the formal imperatives Django's and allauth's own Spanish use.
USTED = re.compile(
    r"\b(usted(es)?|su|sus|introduzca\w*|introdúzca\w*|ingrese|vuelva|asegúrese|escoja|"
    r"seleccione|desea|corrija|verifique|confirme|inicie|olvidó|ha olvidado|le hemos|siga|"
    r"haga|ya tiene una cuenta|utilice|intente|pruebe|compruebe|proporcione|note|póngase|emita|"
    r"ha indicado|ha creado|ha confirmado|puede añadir|está recibiendo|ha sido usted|habilite)\b"
    r"|regístrese",
    re.IGNORECASE,
)
# Words of Spain's Spanish where Mexico says "agregar", "archivo", "computadora", "ustedes".
SPAIN = re.compile(r"\b(añad\w*|fichero\w*|ordenador\w*|vosotr\w*)\b", re.IGNORECASE)
# Library texts that read the same in Spanish (units, abbreviations, punctuation).
SAME_IN_SPANISH = {
    "%(size)d byte",
    "IPv4",
    "IPv6",
    ":?.!",
    "%s KB",
    "%s MB",
    "%s GB",
    "%s TB",
    "%s PB",
}


def _spanish_forms(context, msgid, plural) -> list[str]:
    from django.utils import translation

    with translation.override("es-mx"):
        if plural:
            return [
                translation.npgettext(context, msgid, plural, n)
                if context
                else translation.ngettext(msgid, plural, n)
                for n in (1, 2)
            ]
        return [translation.pgettext(context, msgid) if context else translation.gettext(msgid)]


def test_the_library_catalogues_are_read():
    """The sweep below reads hundreds of texts, among them those people meet first."""
    from tests.project.library_catalogues import library_entries

    msgids = {msgid for _, msgid, _ in library_entries()}

    assert len(msgids) > 400
    assert {
        "Enter a valid email address.",
        "Please reauthenticate to safeguard your account.",
        "This password is too common.",
        "Forgot your password?",
        "- Select an option -",
    } <= msgids


def test_no_library_text_people_meet_speaks_usted():
    """Every text of Django, allauth and django-filter that Aluna can show, as our
    catalogue and theirs translate it, says "tú" ("Vuelve a autenticarte", not
    "Por favor, vuelva a autenticarse"; "tu contraseña", not "su contraseña"), in
    Mexico's words ("Agregar", not "Añadir")."""
    from tests.project.library_catalogues import library_entries

    formal = [
        text
        for entry in library_entries()
        for text in _spanish_forms(*entry)
        if USTED.search(text) or SPAIN.search(text)
    ]

    assert formal == []


def test_no_library_text_people_meet_stays_in_english():
    from tests.project.library_catalogues import library_entries

    english = [
        msgid
        for context, msgid, plural in library_entries()
        if msgid not in SAME_IN_SPANISH
        and msgid in _spanish_forms(context, msgid, plural)
        and re.search(r"[A-Za-z]{4,}", re.sub(r"%\(\w+\)[sd]", "", msgid))
    ]

    assert english == []


def test_our_own_texts_speak_in_our_voice():
    """Our catalogue too: every translation says "tú", in Mexico's words."""
    import ast

    from tests.project.library_catalogues import _parse

    entries = _parse(ROOT / CATALOGUE)
    translations = ["".join(ast.literal_eval(line) for line in e["msgstr"]) for e in entries]
    # "su" and "sus" name a third person's things in our texts ("su consentimiento").
    formal = [
        text
        for text in translations
        if any(m.group(0).lower() not in ("su", "sus") for m in USTED.finditer(text))
        or SPAIN.search(text)
    ]

    assert len(translations) > 1000
    assert formal == []
