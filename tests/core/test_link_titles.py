"""A button says where it leads: the page an action link opens is titled with the
link's own words ("Registrar una sesión" opens "Registrar una sesión", not a page
called "Nueva sesión").

Walks every main page of every role on the small demo data (the pages of
tests/browser/main_pages.py), follows each link whose text starts with a verb of
action, and reads the <h1> of the page it opens.
"""

import html
import re

import pytest
from django.test import Client

from aluna.core.seeding import seed_all
from tests.browser.main_pages import ROLES, main_pages
from tests.fixtures.seeded import demo_user

pytestmark = pytest.mark.django_db

ACTION = re.compile(
    r"^(Agregar|Registrar|Crear|Importar|Analizar|Valorar|Editar|Invitar|Elaborar|Cambiar)\b"
)
# Links whose page names its subject rather than repeating the action, on purpose.
TITLED_BY_SUBJECT = {
    # the attendance sheet of one session: "Asistencia · Generación 002 · 22/01/2024"
    "Tomar asistencia",
}
_LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#?]*)"[^>]*>(.*?)</a>', re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def _text(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _is_action(label: str) -> bool:
    """ "Registrar una sesión" is an action; a record's own words ("Elaborar
    colectivamente el impacto de las agresiones.", an objective) are not."""
    return (
        bool(ACTION.match(label))
        and len(label.split()) <= 6
        and not label.endswith(".")
        and label not in TITLED_BY_SUBJECT
    )


def _action_links(client, path) -> set[tuple[str, str]]:
    body = client.get(path).content.decode()
    return {(_text(label), href) for href, label in _LINK.findall(body) if _is_action(_text(label))}


def test_every_action_link_opens_a_page_titled_with_its_words(login):
    seed_all(scale="small", log=lambda _: None)
    disagreements, followed = [], 0
    for key in ROLES:
        client = login(demo_user(key), client=Client(headers={"accept-language": "es-mx"}))
        links = {link for _, path in main_pages(key) for link in _action_links(client, path)}
        for label, href in sorted(links):
            response = client.get(href)
            if response.status_code != 200:
                continue
            followed += 1
            title = _text(_H1.search(response.content.decode()).group(1))
            if not title.lower().startswith(label.lower()):
                disagreements.append(f"{key}: “{label}” opens “{title}” ({href})")

    assert followed > 20
    assert disagreements == []
