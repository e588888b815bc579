"""Bad input, posted to every form of the project by a user allowed to use it.

For every URL the access matrix (tests/project/test_access_matrix.py) knows, and the
public ones, the test opens the page as a user of the right role, reads the
forms it renders (or, for POST-only actions, the page that renders them), and
posts hypothesis-generated bodies built from them: wrong types, empty and 1 MB
strings, NUL bytes and odd Unicode, far past and future dates, ids of records
the user may not see, unknown fields, repeated keys, missing and wrong CSRF
tokens; now and then the post comes from a user who may not see the record.
A second pass sets one field at a time to the edge of its type.

Whatever the body, no answer is a 500, and a refused submission (anything but
a redirect without an error message) leaves every table as it was. URLs that
answer a POST with 405 are counted as "not a form"; the number of POSTs is
printed at the end of the module.
"""

import os
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.bad_input import (
    CSRF_FIELD,
    CSRF_MODES,
    EXTREMES,
    Form,
    bad_bodies,
    changed_tables,
    csrf_is_refused,
    fingerprint,
    forms_posting_to,
    plausible_value,
    short,
    text_bytes,
    unique_forms,
    unoffered_choices,
    with_csrf,
)
from tests.fixtures.mfa import mark_recently_reauthenticated
from tests.project.test_access_matrix import (  # noqa: F401 (the matrix's record fixtures, reused)
    _FIXTURES,
    MATRIX,
    REAUTH,
    THIRD_PARTY_PREFIXES,
    _project_url_names,
    advocacy_grant_kwargs,
    advocacy_output_kwargs,
    advocacy_report_kwargs,
    catalogue_entry_kwargs,
    catalogue_kwargs,
    checkin_kwargs,
    colleague_kwargs,
    coordinators_notification,
    crisis_to_confirm_kwargs,
    protection_measure_kwargs,
    risk_assessment_kwargs,
    roster_shift_kwargs,
    security_plan_kwargs,
    team_aggression_kwargs,
    team_assessment_kwargs,
    team_crisis,
    team_crisis_kwargs,
    team_follow_up_kwargs,
    team_membership_kwargs,
    team_objective_kwargs,
    team_process_kwargs,
    team_session_kwargs,
    team_subject_kwargs,
    training_batch_kwargs,
    training_certificate_kwargs,
    training_cohort,
    training_cohort_kwargs,
    training_enrolment,
    training_enrolment_kwargs,
    training_programme_kwargs,
    training_response_kwargs,
    training_session_kwargs,
)

# Examples per form URL: about 70 form URLs, the file runs in under 3 minutes on one core.
# BAD_INPUT_EXAMPLES=200 digs deeper (about 10 minutes for the form URLs alone).
EXAMPLES_PER_FORM = int(os.environ.get("BAD_INPUT_EXAMPLES", 25))
# Pages that answer POST like GET (lists, details) get a few bodies of unknown fields.
EXAMPLES_PER_PAGE = 3

# Not posted to, and why. Everything else in the URLconf is.
EXCLUDED = {
    # Ends every session of the user: a logout, not a form.
    "accounts:logout-everywhere",
    # Ends one session of the user's own (any other id is a 404): a logout, not a form.
    "accounts:session-end",
}
# allauth's login, signup, password, reauthentication and MFA flows, and Django's
# admin: third-party forms, tested upstream and kept behind their own rate limits.
EXCLUDED_PREFIXES = THIRD_PARTY_PREFIXES

# Public pages, reached without logging in (the matrix covers signed-in users only).
PUBLIC_ROUTES = {
    "healthz": None,
    "manifest": None,
    "service-worker": None,
    "offline": None,
    "set_language": None,
    "training:certificate-verify": None,
    "accounts:invitation-accept": "invitation_kwargs",
}

# POST-only actions: their forms are rendered on another page.
HOSTS = {
    "crisis:crisis-acknowledge": "crisis:crisis-detail",
    "crisis:crisis-follow-up-done": "crisis:crisis-detail",
    "advocacy:report-generate": "advocacy:report-detail",
    "training:enrolment-status": "training:cohort-detail",
    "training:certificate-issue": "training:cohort-detail",
    "training:certificates-bulk": "training:cohort-detail",
    "notifications:mark-all-read": "notifications:list",
    "notifications:mark-read": "notifications:list",
    "set_language": "account_login",  # the language switcher, on every page
}
# Records a page needs before it shows the form (one per enrolment, one per notification).
EXTRA_FIXTURES = {
    "training:attendance": ["training_enrolment"],
    "training:response-create": ["training_enrolment"],
    "advocacy:grant-create": ["advocacy_grant_kwargs"],  # a donor to choose
    "notifications:mark-all-read": ["coordinators_notification"],
}
# POST endpoints without a form: a body with nothing but the CSRF token. (The
# "delivered to the donor" button shows only beside a downloadable PDF of a grant.)
FIELDLESS = {"accounts:heartbeat", "advocacy:report-deliver"}


def _picker_search_form(url):
    """The subject pickers' type-ahead, posted by static/js/picker.js, not by a form
    on the page: what it sends, declared here as the form it would be."""
    form = Form(action=url, htmx=True)  # a JSON answer, read by the script: a 200 is no save
    form.add("q", "text", value="Colectivo", maxlength=80)
    for option in ("", "collective"):
        form.add("kind", "select", option=option)
    return form


# POST endpoints called by a script: the fields it sends.
SCRIPTED = {"accompaniment:subject-picker-search": _picker_search_form}

# Who posts: the least powerful role the matrix lets in.
PREFERRED_ROLES = ["accompanier", "trainer", "advocate", "admin", "coordinator"]
# The notification of that URL is the coordinator's; anyone else's post is a 404.
ACTORS = {
    "notifications:mark-read": ("coordinator", ("accompanier", 404)),
    "notifications:mark-all-read": ("coordinator", None),
}

# Tables a refused request may legitimately write to.
UNCHECKED_TABLES = frozenset(
    {
        "audit_auditevent",  # every 403 and 404 is audited (AuditDenialMiddleware)
        "django_session",  # messages and the last-activity time live in the session
    }
)

CASES = Counter()  # url name -> examples posted
NOT_FORMS = set()  # url names answering a POST with 405
OUTCOMES = Counter()  # (url name, status) -> examples
PAGES = set()  # url names answering a POST like a GET, with no form posting to them
REPORTED = [0]  # the total last printed


def _routes():
    return sorted((set(MATRIX) | set(PUBLIC_ROUTES)) - EXCLUDED)


def test_new_url_cannot_escape_the_bad_input_tests():
    uncovered = sorted(
        name
        for name in _project_url_names()
        if name not in MATRIX
        and name not in PUBLIC_ROUTES
        and name not in EXCLUDED
        and not name.startswith(EXCLUDED_PREFIXES)
    )
    assert uncovered == []


@pytest.fixture(scope="module", autouse=True)
def _report_case_count(request):
    yield
    if not CASES or CASES.total() == REPORTED[0]:
        return  # pytest may set this fixture up again for a test it ran out of order
    REPORTED[0] = CASES.total()
    forms = len(CASES) - len(PAGES)
    line = (
        f"bad input: {sum(CASES.values())} POSTs: to {forms} form URLs and "
        f"{len(PAGES)} pages answering POST like GET; {len(NOT_FORMS)} URLs answer 405; "
        f"answers: {dict(sorted(Counter(s for _, s in OUTCOMES.elements()).items()))}"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if capture is not None:
        with capture.global_and_fixture_disabled():
            print(f"\n{line}")


@pytest.fixture
def invitation_kwargs(admin_user):
    import secrets

    from aluna.accounts.factories import UserFactory
    from aluna.accounts.models import Invitation
    from aluna.accounts.services import hash_invitation_token

    token = secrets.token_urlsafe(32)
    invited = UserFactory(email="invitada@aluna.test")
    invited.set_unusable_password()
    invited.save()
    Invitation.objects.create(
        user=invited, token_hash=hash_invitation_token(token), created_by=admin_user
    )
    return {"token": token}


@pytest.fixture
def foreign_ids(other_accompanier, coordinator):
    """Ids slipped into every choice field: records of another team and another cohort,
    an inactive user, and Olga (other_accompanier).

    Most are not the posting user's to choose, but some are valid on some forms: Olga
    is on the crisis staff (the roster and a crisis's responders offer her), and a
    coordinator may pick any team's process. The harness tells them apart by the
    options the page renders, so these records must exist before it renders the page:
    `target` depends on this fixture for that reason."""
    import datetime as dt

    from django.utils import timezone

    from accompaniment.factories import (
        CollectiveFactory,
        FieldAssessmentFactory,
        ObjectiveFactory,
        ProcessFactory,
        SessionFactory,
    )
    from aluna.accounts.factories import UserFactory
    from crisis.models import Aggression
    from crisis.services.interventions import crisis_record
    from security.models import ProtectionMeasure
    from security.services import plan_create
    from training.factories import CohortFactory, EnrolmentFactory, TrainingSessionFactory

    process = ProcessFactory(
        subject=CollectiveFactory(alias="Colectivo Ajeno"), lead=other_accompanier
    )
    crisis = crisis_record(
        actor=other_accompanier,
        data={
            "subject": process.subject,
            "contacted_at": timezone.now(),
            "channel": "phone",
            "risk_level": "high",
        },
    )
    aggression = Aggression.objects.create(
        occurred_at=timezone.now(), recorded_by=other_accompanier
    )
    aggression.subjects.set([process.subject])
    cohort = CohortFactory(facilitators=[coordinator])
    records = [
        process,
        process.subject,
        SessionFactory(process=process),
        ObjectiveFactory(process=process),
        FieldAssessmentFactory(process=process),
        crisis,
        aggression,
        ProtectionMeasure.objects.create(
            process=process, source="own", kind="phone", granted_on=dt.date(2030, 1, 1)
        ),
        plan_create(
            process=process,
            actor=other_accompanier,
            data={"title": "Plan ajeno", "review_on": dt.date(2030, 1, 1)},
        ),
        cohort,
        EnrolmentFactory(cohort=cohort),
        TrainingSessionFactory(cohort=cohort),
        UserFactory(email="inactiva@aluna.test", is_active=False),
        other_accompanier,
    ]
    return [str(record.pk) for record in records]


def _roles(name):
    """(who posts, (who may not, the status they get) or None)."""
    if name in ACTORS:
        return ACTORS[name]
    if name in PUBLIC_ROUTES:
        return "anonymous", None
    _, expectations = MATRIX[name]
    allowed = next(r for r in PREFERRED_ROLES if expectations[r] in {200, 405, REAUTH})
    denied = next(
        ((r, expectations[r]) for r in ("non_member", *_FIXTURES) if expectations[r] in {403, 404}),
        None,
    )
    return allowed, denied


def _signed_in_client(request, login, role):
    client = Client(enforce_csrf_checks=True)
    if role == "anonymous":
        return client
    user = request.getfixturevalue(_FIXTURES[role])
    login(user, client=client)
    mark_recently_reauthenticated(client, user)
    return client


def _csrf_token(client):
    for page in ("core:home", "account_login"):
        if "csrftoken" not in client.cookies:
            client.get(reverse(page))
    return client.cookies["csrftoken"].value


class Target:
    """A URL as its user sees it: the forms posting to it, and two signed-in clients."""

    def __init__(self, *, url, forms, is_form, client, denied_client, denied_status):
        self.url = url
        self.signed_in = "_auth_user_id" in client.session
        self.forms = forms
        # False for a page that answers POST like GET and renders no form posting to
        # itself: it gets a few bodies of unknown fields only.
        self.is_form = is_form
        self.client = client
        self.token = _csrf_token(client)
        self.denied_client = denied_client
        self.denied_status = denied_status
        self.denied_token = _csrf_token(denied_client) if denied_client else None


def _reverse(request, name):
    factory = PUBLIC_ROUTES.get(name) if name in PUBLIC_ROUTES else MATRIX.get(name, (None,))[0]
    kwargs = request.getfixturevalue(factory) if factory else {}
    return reverse(name, kwargs=kwargs)


def _forms_on(client, page_url, name):
    page = client.get(page_url)
    if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
        return page.status_code, []
    return 200, forms_posting_to(page.content.decode(), page_path=page_url, url_name=name)


@pytest.fixture
def target(request, login, name, foreign_ids):
    """None when the URL answers POST with 405.

    Every record the test uses (`foreign_ids`, the URL's records, both users) exists
    before the page is rendered: the options read from it are exactly what the form
    accepts when the test posts. A user or record created later would be a valid
    choice the page did not offer, and a post choosing it would look like a form
    accepting what it should refuse.
    """
    for fixture in EXTRA_FIXTURES.get(name, []):
        request.getfixturevalue(fixture)
    role, denied = _roles(name)
    client = _signed_in_client(request, login, role)
    denied_client, denied_status = None, None
    if denied is not None:
        denied_client = _signed_in_client(request, login, denied[0])
        denied_status = denied[1]
    url = _reverse(request, name)

    with transaction.atomic():
        probe = client.post(url, {CSRF_FIELD: _csrf_token(client)})
        transaction.set_rollback(True)
    if probe.status_code == 405:
        return None

    status, forms = _forms_on(client, url, name)
    if not forms and name in HOSTS:
        host_status, forms = _forms_on(client, _reverse(request, HOSTS[name]), name)
        assert host_status == 200, f"{name}: its host page {HOSTS[name]} answered {host_status}"
    if not forms and name in SCRIPTED:
        forms = [SCRIPTED[name](url)]
    is_form = bool(forms) or name in FIELDLESS
    if not is_form:
        assert status == 200, (
            f"{name} accepts POST but no form posting to it was found: add its page to HOSTS"
        )
    forms = forms or [Form(action=url)]
    return Target(
        url=url,
        forms=forms,
        is_form=is_form,
        client=client,
        denied_client=denied_client,
        denied_status=denied_status,
    )


def _rejected(response, *, signed_in, htmx) -> bool:
    """Anything but a redirect is a refusal (but a 2xx to htmx, which swaps in a saved
    row); so is a redirect with an error message, or one to the login page for a user
    who was signed in."""
    if htmx and response.status_code < 300:
        return False
    if response.status_code not in {301, 302, 303}:
        return True
    location = response["Location"]
    to_login = (reverse("account_login"), reverse("account_reauthenticate"))
    if signed_in and location.startswith(to_login):
        return True
    return any(m.level >= message_levels.ERROR for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("name", _routes())
@settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_user_cannot_break_a_form_with_bad_input(target, foreign_ids, name, data):
    if target is None:
        NOT_FORMS.add(name)
        return
    form = data.draw(st.sampled_from(target.forms), label="form")
    body = data.draw(bad_bodies(form, foreign_ids=foreign_ids), label="body")
    csrf = data.draw(st.sampled_from(CSRF_MODES), label="csrf")
    denied = target.denied_client is not None and data.draw(
        st.sampled_from([False] * 5 + [True]), label="denied"
    )
    if not target.is_form:
        PAGES.add(name)
        if CASES[name] >= EXAMPLES_PER_PAGE:
            return
    client, token = target.client, target.token
    if denied:
        client, token = target.denied_client, target.denied_token
    expected = None
    if text_bytes(body.data) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        expected = 400  # refused while reading the body, before any other check
    elif csrf_is_refused(csrf):
        expected = 403
    elif denied:
        expected = target.denied_status
    _post_and_check(
        target,
        name,
        client=client,
        body=with_csrf(body.data, mode=csrf, token=token),
        description=f"{body.description} (csrf {csrf})",
        htmx=form.htmx,
        expected=expected,
        must_refuse=bool(body.unoffered) and not denied,
    )


@pytest.mark.parametrize("name", ["crisis:roster"])
def test_harness_cannot_count_a_choice_the_page_offers_as_unoffered(
    target, foreign_ids, name, other_accompanier
):
    """Olga's id is one of the foreign ids, and she is on the crisis staff: the roster
    offers her, and the coordinator may put her on call. (Rendered before she existed,
    the page did not offer her; when hypothesis happened to pick her id for the `user`
    field, this valid post failed as "accepted a choice the page did not offer".)"""
    olga = str(other_accompanier.pk)
    (form,) = target.forms
    body = {field_name: plausible_value(field_) for field_name, field_ in form.fields.items()}
    body["user"] = [olga]

    response = _post_and_check(
        target,
        name,
        client=target.client,
        body=with_csrf(body, mode="right", token=target.token),
        description="Olga on call",
        must_refuse=bool(unoffered_choices(form, body)),
    )

    assert olga in foreign_ids
    assert unoffered_choices(form, body) == []
    assert response.status_code == 302


@pytest.mark.parametrize("name", _routes())
def test_user_cannot_break_a_form_with_extreme_values(target, name):
    """The form as rendered, with one field at a time at the edge of its type: the
    first and last dates there are, integers past 32 and 64 bits, a megabyte of text."""
    if target is None or not target.is_form:
        return
    for form in unique_forms(target.forms):
        baseline = {n: plausible_value(f) for n, f in form.fields.items()}
        for field_name, field_ in form.fields.items():
            for value in EXTREMES.get(field_.kind, []):
                _post_and_check(
                    target,
                    name,
                    client=target.client,
                    body=with_csrf(
                        {**baseline, field_name: [value]}, mode="right", token=target.token
                    ),
                    description=f"{field_name}={short(value)}",
                    htmx=form.htmx,
                )


def _post_and_check(
    target, name, *, client, body, description, htmx=False, expected=None, must_refuse=False
):
    """POST `body`; no 500, the `expected` status if given, and no write if refused.
    Returns the response."""
    CASES[name] += 1
    with transaction.atomic():
        before = fingerprint(exclude=UNCHECKED_TABLES)
        try:
            response = client.post(target.url, body)
        except Exception as error:  # the test client re-raises what the view raised
            pytest.fail(f"{name}: {type(error).__name__}: {str(error)[:200]} ({description})")
        changed = changed_tables(before, fingerprint(exclude=UNCHECKED_TABLES))
        transaction.set_rollback(True)

    OUTCOMES[name, response.status_code] += 1
    context = f"{name} answered {response.status_code} to {description}"
    assert response.status_code != 500, context
    if expected is not None:
        assert response.status_code == expected, context
    refused = _rejected(response, signed_in=target.signed_in, htmx=htmx)
    if must_refuse:
        assert refused, f"{context}: accepted a choice the page did not offer"
    if refused:
        assert changed == [], f"{context}: refused, yet wrote to {changed}"
    return response
