"""The texts of the libraries that people meet in Aluna, read from their catalogues.

`library_entries()` gives (context, msgid, plural) of every text that Django's
forms, validators, model fields and dates, django.contrib.auth's password
checks, django-allauth's account and second-factor pages and e-mails, and
django-filter can show. Left out: what only runs in parts we do not install or
show (the admin, allauth's social accounts, identity provider, headless API and
user sessions; Django's debug, CSRF and directory pages, which we replace or never
serve; language names, which we never list).

Django's Spanish catalogues carry no source locations: its English catalogues,
which have them, give the list of texts.
"""

import ast
import functools
from pathlib import Path

import allauth
import django
import django_filters

_DJANGO = Path(django.__file__).parent
_ALLAUTH = Path(allauth.__file__).parent
_FILTERS = Path(django_filters.__file__).parent
_EN = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
_ES = Path("locale") / "es" / "LC_MESSAGES" / "django.po"

# (catalogue, source files whose texts we show: location prefixes as it cites them)
CATALOGUES = (
    (
        _DJANGO / "conf" / _EN,
        (
            "core/validators.py",
            "forms/",
            "db/models/base.py",
            "db/models/constraints.py",
            "db/models/fields/__init__.py",
            "db/models/fields/files.py",
            "db/models/fields/related.py",
            "template/defaultfilters.py",
            "utils/dates.py",
            "utils/dateformat.py",
            "utils/timesince.py",
            "utils/ipv6.py",
        ),
    ),
    (
        _DJANGO / "contrib" / "auth" / _EN,
        ("contrib/auth/password_validation.py", "contrib/auth/forms.py"),
    ),
    (
        _ALLAUTH / _ES,
        ("account/", "mfa/", "core/", "templates/account/", "templates/mfa/", "templates/allauth/"),
    ),
    (_FILTERS / _ES, ("",)),
)


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def _parse(path: Path) -> list[dict]:
    """The live entries of a .po file: msgctxt, msgid, msgid_plural and locations."""
    entries, entry, field = [], {"locations": []}, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry and not entry.get("obsolete"):
                entries.append(entry)
            entry, field = {"locations": []}, None
        elif line.startswith("#:"):
            entry["locations"] += [loc.rsplit(":", 1)[0] for loc in line[2:].split()]
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and field:
            entry[field].append(line)
        else:
            field, _, value = line.partition(" ")
            field = "msgstr" if field.startswith("msgstr") else field
            entry.setdefault(field, []).append(value)
    for entry in entries:
        for key in ("msgctxt", "msgid", "msgid_plural"):
            if key in entry:
                entry[key] = _unquote(entry[key])
    return [entry for entry in entries if entry["msgid"]]


@functools.cache
def library_entries() -> tuple[tuple[str | None, str, str | None], ...]:
    """(context, msgid, msgid_plural) of every library text Aluna can show."""
    seen, found = set(), []
    for path, shown in CATALOGUES:
        for entry in _parse(path):
            key = (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))
            if key not in seen and any(
                location.startswith(prefix) for location in entry["locations"] for prefix in shown
            ):
                seen.add(key)
                found.append(key)
    return tuple(found)
