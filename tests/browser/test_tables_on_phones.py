"""On a 360 px phone no list makes the page scroll sideways or cuts a column off: a
wide table becomes cards, or scrolls inside its own box with its first column kept in
view, and that box can be reached with the keyboard and has a name."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from accompaniment.factories import CollectiveFactory, ProcessFactory
from aluna.audit.models import AuditEvent
from training.factories import CohortFactory, EnrolmentFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}

# For every table of the page, what is wrong with it on this screen ([] when fine).
_TABLE_PROBLEMS_JS = """() => {
  const width = window.innerWidth;
  const problems = [];
  document.querySelectorAll('main table').forEach((table, index) => {
    const name = table.dataset.testid || `table ${index + 1}`;
    const row = table.querySelector('tbody > tr');
    if (!row) return;
    if (getComputedStyle(row).display === 'block' || getComputedStyle(row).display === 'flex') {
      // Cards: every cell of every card inside the screen.
      table.querySelectorAll('tbody > tr > *').forEach((cell) => {
        const box = cell.getBoundingClientRect();
        if (box.width && (box.left < 0 || box.right > width + 0.5)) {
          problems.push(`${name}: a card's cell runs off the screen (${Math.round(box.right)} px)`);
        }
      });
      return;
    }
    const scroller = table.closest('.table-scroll, .table-responsive');
    if (!scroller) { problems.push(`${name}: neither cards nor in a scrolling box`); return; }
    if (scroller.scrollWidth <= scroller.clientWidth) return;  // fits: nothing to keep in view
    const first = row.firstElementChild;
    if (getComputedStyle(first).position !== 'sticky') {
      problems.push(`${name}: its first column scrolls away`);
    }
    if (scroller.getAttribute('tabindex') !== '0') {
      problems.push(`${name}: its scrolling box cannot be reached with the keyboard`);
    }
    if (scroller.getAttribute('role') !== 'region' || !scroller.getAttribute('aria-label')) {
      problems.push(`${name}: its scrolling box has no name`);
    }
  });
  const overflow = document.documentElement.scrollWidth - width;
  if (overflow > 0) problems.push(`the page is wider than the screen by ${overflow} px`);
  return problems;
}"""


def _open_as(page, live_server, client, path: str) -> None:
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size(PHONE)
    page.goto(path)
    page.wait_for_load_state("networkidle")


def _table_problems(page) -> list[str]:
    from tests.fixtures.pagecheck import axe_violations

    return page.evaluate(_TABLE_PROBLEMS_JS) + [f"axe: {v}" for v in axe_violations(page)]


def test_accompanier_can_read_every_column_of_the_subject_list_on_a_phone(
    page, live_server, login, accompanier, team_process
):
    ProcessFactory(
        subject=CollectiveFactory(alias="Red Nacional de Defensoras Comunitarias del Istmo"),
        lead=accompanier,
    )

    _open_as(page, live_server, login(accompanier), reverse("accompaniment:index"))

    assert _table_problems(page) == []
    card = page.get_by_test_id("subject-list").locator("tbody tr").first
    cell = card.locator("td[data-label='Procesos abiertos']")
    expect(cell).to_have_text("1")
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_trainer_can_reach_take_attendance_on_a_phone(page, live_server, login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    for _ in range(3):
        EnrolmentFactory(
            cohort=cohort,
            participant__organisation="Colectivo de Mujeres Indígenas Defensoras del Territorio",
        )
    TrainingSessionFactory(cohort=cohort, topic="Análisis de riesgo y planes de protección")

    _open_as(
        page,
        live_server,
        login(trainer),
        reverse("training:cohort-detail", kwargs={"cohort_id": cohort.pk}),
    )

    assert _table_problems(page) == []
    link = page.get_by_role("link", name="Tomar asistencia")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # Not cut: the whole words fit in the link's own box.
    assert link.evaluate("(a) => a.scrollWidth <= a.clientWidth || a.scrollWidth <= a.offsetWidth")


@pytest.mark.parametrize(
    "path",
    [
        reverse("accounts:user-list"),
        reverse("audit:list"),
        reverse("accompaniment:catalogue-list"),
        reverse("accompaniment:catalogue-entries", kwargs={"catalogue": "aggression-types"}),
    ],
    ids=["users", "audit-log", "catalogues", "catalogue-entries"],
)
def test_admin_can_read_the_users_audit_log_and_catalogues_on_a_phone(
    page, live_server, login, admin_user, coordinator, trainer, path
):
    client = login(admin_user)  # its sign-in is on the audit log
    assert AuditEvent.objects.exists()

    _open_as(page, live_server, client, path)

    assert _table_problems(page) == []


def test_coordinator_can_scroll_a_wide_table_with_its_first_column_in_view_at_320_px(
    page, live_server, login, coordinator, team_process
):
    from accompaniment.factories import FieldAssessmentFactory
    from accompaniment.models import PsychosocialField

    FieldAssessmentFactory(process=team_process, field=PsychosocialField.INTERNAL_DYNAMICS)
    path = reverse("accompaniment:dashboard-organisation", kwargs={"process_id": team_process.pk})

    _open_as(page, live_server, login(coordinator), path)
    page.set_viewport_size({"width": 320, "height": 740})  # WCAG's reflow width
    page.get_by_text("Las mismas cifras en forma de tabla").click()

    expect(page.locator("main .table-responsive")).to_have_attribute("tabindex", "0")
    assert _table_problems(page) == []
    scroller = page.locator("main .table-responsive")
    assert scroller.evaluate("(box) => box.scrollWidth > box.clientWidth")  # it does scroll
    first = scroller.locator("tbody tr td, tbody tr th").first
    before = first.bounding_box()["x"]
    scroller.evaluate("(box) => { box.scrollLeft = box.scrollWidth; }")
    assert first.bounding_box()["x"] == before  # the date stays in view


def test_coordinator_can_read_aggressions_and_pending_measures_as_cards_on_a_phone(
    page, live_server, login, coordinator, accompanier, team_process
):
    import datetime as dt

    from security.models import MeasureStatus, ProtectionMeasure

    ProtectionMeasure.objects.create(
        process=team_process,
        kind="escorts",
        status=MeasureStatus.NOT_IMPLEMENTED,
        source="federal",
        granted_on=dt.date(2026, 1, 5),
    )
    client = login(coordinator)

    _open_as(page, live_server, client, reverse("security:measures-not-implemented"))

    assert _table_problems(page) == []
    card = page.get_by_test_id("measure-list").locator("tbody tr").first
    expect(card.locator("td").last).to_have_text("05/01/2026")

    page.goto(reverse("crisis:aggression-list"))
    assert _table_problems(page) == []
