"""An advocate checks, on a phone and in Spanish, what a donor report will hide and
coarsens states to regions before generating it."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.advocacy.test_preview import _report, seed_subjects
from tests.fixtures.pagecheck import page_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advocate_previews_the_hidden_figures_and_coarsens_states(
    phone_page, live_server, login, advocate
):
    seed_subjects()
    report = _report(advocate)
    client = login(advocate)
    page = phone_page
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "es-mx", "url": live_server.url},
        ]
    )

    page.goto(f"/incidencia/informes/{report.pk}/")
    page.get_by_role("link", name="Revisar qué oculta").click()

    risky = page.get_by_test_id("preview-risky")
    expect(risky).to_contain_text("Guerrero")
    expect(page.get_by_test_id("preview-hidden")).to_contain_text("Una cifra de 1 a 4.")
    assert page_problems(page) == []

    page.get_by_label("Mostrar regiones en lugar de estados").check()
    page.get_by_role("button", name="Guardar y volver a revisar").click()

    expect(page.get_by_text("Se guardaron los desgloses del informe.")).to_be_visible()
    expect(page.get_by_test_id("preview-risky")).to_contain_text("Sur")
    expect(page.get_by_test_id("preview-risky")).not_to_contain_text("Chiapas")
    assert page_problems(page) == []
