"""A trainer creates a cohort, imports participants from CSV, takes attendance with
the keyboard and issues certificates, whose PDFs are read back."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from aluna.accounts.factories import UserFactory
from aluna.core.roles import Role
from training.factories import (
    CohortFactory,
    EnrolmentFactory,
    ProgrammeFactory,
    TrainingSessionFactory,
)
from training.models import Attendance, Cohort, Questionnaire, Response
from training.services import attendance_mark, questionnaire_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = "name,organisation,state\nMaría López,Red de Defensoras,07\nJuan Gómez,Colectivo,Chiapas\n"


def _sign_in(page, client, live_server) -> None:
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )


def test_trainer_can_run_a_cohort_from_import_to_certificates(page, live_server, login, trainer):
    programme = ProgrammeFactory(name="Protección integral")
    questionnaire_save(
        actor=trainer, programme=programme, kind="exit", title="Salida", likert=["Uno"], open_=[]
    )
    _sign_in(page, login(trainer), live_server)
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)

    # Create the cohort.
    page.goto(live_server.url + reverse("training:programme-detail", args=[programme.pk]))
    page.get_by_role("link", name="New cohort").click()
    form = page.get_by_test_id("training-form")
    form.locator("input[name=name]").fill("Generación Altos")
    form.locator("input[name=starts_on]").fill(start.isoformat())
    form.locator("input[name=ends_on]").fill((today + dt.timedelta(days=200)).isoformat())
    form.locator("input[name=capacity]").fill("30")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Generación Altos"))).to_be_visible()
    cohort = Cohort.objects.get()

    # Import participants from CSV.
    page.get_by_role("link", name="Import participants").click()
    page.locator("input[name=file]").set_input_files(
        {"name": "participantes.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_test_id("participant-row")).to_have_count(2)

    # Add a session that took place last week.
    page.get_by_role("link", name="Add a session").click()
    form = page.get_by_test_id("training-form")
    form.locator("input[name=date]").fill((today - dt.timedelta(days=7)).isoformat())
    form.locator("input[name=topic]").fill("Análisis de riesgo")
    form.locator("input[name=place]").fill("San Cristóbal")
    form.get_by_role("button", name="Save").click()

    # Take attendance with the keyboard: P, then P for the next person.
    page.get_by_role("link", name="Take attendance").click()
    # The keys are bound by a deferred script: wait for the new page's load before typing.
    page.wait_for_url(re.compile(r"/asistencia/$"), wait_until="load")
    rows = page.get_by_test_id("attendance-row")
    rows.nth(0).locator("input[data-status=present]").focus()
    page.keyboard.press("p")
    expect(rows.nth(0).get_by_test_id("attendance-saved")).to_be_visible()
    page.keyboard.press("p")
    expect(rows.nth(1).get_by_test_id("attendance-saved")).to_be_visible()
    assert sorted(Attendance.objects.values_list("status", flat=True)) == ["present", "present"]

    # Both did the exit evaluation (recorded on paper and typed in later).
    exit_q = Questionnaire.objects.get(kind="exit")
    for enrolment in cohort.enrolments.all():
        Response.objects.create(questionnaire=exit_q, enrolment=enrolment)

    # Issue the certificates and read one back.
    page.get_by_role("link", name="Back to the cohort").click()
    for issued in (1, 2):
        page.get_by_role("button", name="Issue", exact=True).first.click()
        expect(page.get_by_test_id("certificate-link")).to_have_count(issued)
    with page.expect_download() as download_info:
        page.get_by_test_id("certificate-link").first.click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Protección integral" in text
    assert re.search(r"Verification code: [A-Z0-9]{12}", text)


def test_trainer_can_take_attendance_on_a_phone(phone_page, live_server, login, trainer):
    cohort = CohortFactory(facilitators=[trainer])
    for _ in range(3):
        EnrolmentFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort)
    page = phone_page
    _sign_in(page, login(trainer), live_server)

    for url in (
        reverse("training:cohort-detail", args=[cohort.pk]),
        reverse("training:attendance", args=[session.pk]),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    row = page.get_by_test_id("attendance-row").nth(2)
    row.get_by_text("Excused", exact=True).tap()
    expect(row.get_by_test_id("attendance-saved")).to_be_visible()
    assert Attendance.objects.get().status == "excused"


def test_trainer_sees_a_mark_a_colleague_changed_meanwhile_and_can_choose_again(
    page, live_server, login, trainer
):
    colleague = UserFactory(full_name="Teresa Tallerista", roles=[Role.TRAINING])
    cohort = CohortFactory(facilitators=[trainer, colleague])
    enrolment = EnrolmentFactory(cohort=cohort)
    session = TrainingSessionFactory(cohort=cohort)
    _sign_in(page, login(trainer), live_server)
    page.goto(live_server.url + reverse("training:attendance", args=[session.pk]))
    row = page.get_by_test_id("attendance-row").first

    # Both pages showed "no mark"; the colleague saves first.
    attendance_mark(
        actor=colleague, session=session, enrolment=enrolment, status="present", expected_version=0
    )
    row.get_by_text("Absent", exact=True).click()

    expect(row.get_by_test_id("attendance-conflict")).to_contain_text("Teresa Tallerista")
    expect(row.locator("input[data-status=present]")).to_be_checked()
    assert Attendance.objects.get().status == "present"

    row.get_by_text("Absent", exact=True).click()

    expect(row.get_by_test_id("attendance-saved")).to_be_visible()
    assert Attendance.objects.get().status == "absent"
