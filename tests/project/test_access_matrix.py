"""The access matrix: every URL of the project, every kind of visitor, one expectation.

A new view cannot be added without its row here: `test_every_url_has_a_row`
walks the URLconf and fails on any pattern missing from MATRIX (or from the
third-party allow-lists below). Then each row is requested as each member of
the cast and the status compared with the expectation.

Expectations: an HTTP status, or LOGIN (a redirect to the login page).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aluna.core.roles import Role

LOGIN = "login"
REAUTH = "reauthenticate"
# "accompanier" is on the team of the records a row's kwargs build; "non_member"
# is another accompanier, on no team of theirs.
ROLES = ["admin", "coordinator", "accompanier", "non_member", "trainer", "advocate", "outsider"]


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(*allowed, ok=200, denied=403):
    if "accompanier" in allowed:
        allowed = (*allowed, "non_member")
    return {role: (ok if role in allowed else denied) for role in ROLES}


def team_record(*, ok=200, coordinator=None):
    """A case record: coordination and the team see it, another accompanier gets 404
    (its existence is not revealed), every other role 403."""
    expected = only("coordinator", "accompanier", ok=ok)
    expected["non_member"] = 404
    if coordinator is not None:
        expected["coordinator"] = coordinator
    return expected


# url name -> (kwargs factory name or None, {visitor: expected}); anonymous is
# always LOGIN unless the url is in PUBLIC.
MATRIX = {
    "core:home": (None, everyone(200)),
    "accompaniment:index": (None, only("coordinator", "accompanier")),
    "security:index": (None, only("coordinator", "accompanier")),
    "training:index": (None, only("coordinator", "trainer")),
    "advocacy:index": (None, only("coordinator", "advocate")),
    "accompaniment:catalogue-list": (None, only("admin")),
    "accompaniment:catalogue-entries": ("catalogue_kwargs", only("admin")),
    "accompaniment:catalogue-entry-create": ("catalogue_kwargs", only("admin")),
    "accompaniment:catalogue-entry-edit": ("catalogue_entry_kwargs", only("admin")),
    "accompaniment:catalogue-entry-toggle": ("catalogue_entry_kwargs", only("admin")),
    "accounts:user-list": (None, only("admin")),
    "accounts:security-policy": (None, only("admin")),
    "accounts:user-create": (None, only("admin")),
    "accounts:user-detail": ("colleague_kwargs", only("admin")),
    # Changing roles asks for the second factor again first.
    "accounts:user-edit": ("colleague_kwargs", only("admin", ok=REAUTH)),
    "accounts:user-deactivate": ("colleague_kwargs", only("admin")),
    "accounts:user-compromised": ("colleague_kwargs", only("admin")),
    "accounts:my-security": (None, everyone(200)),
    "accounts:logout-everywhere": (None, everyone(405)),
    # POST only; someone else's session is a 404 (tests/accounts/test_my_sessions.py).
    "accounts:session-end": ("user_session_kwargs", everyone(405)),
    "accounts:heartbeat": (None, everyone(405)),
    "audit:list": (None, only("admin")),
    "accompaniment:subject-create": (None, only("coordinator", "accompanier")),
    # The pickers' type-ahead: POST only (what is typed never goes into a URL).
    "accompaniment:subject-picker-search": (None, only("coordinator", "accompanier", ok=405)),
    "accompaniment:subject-detail": ("team_subject_kwargs", team_record()),
    "accompaniment:subject-edit": ("team_subject_kwargs", team_record()),
    "accompaniment:subject-delete": ("team_subject_kwargs", only("coordinator")),
    # The subject's file asks for the second factor again first.
    "accompaniment:subject-pdf": ("team_subject_kwargs", only("coordinator", ok=REAUTH)),
    "accompaniment:membership-create": ("team_subject_kwargs", team_record()),
    "accompaniment:membership-end": ("team_membership_kwargs", team_record()),
    "accompaniment:process-create": ("team_subject_kwargs", team_record()),
    "accompaniment:process-detail": ("team_process_kwargs", team_record()),
    "accompaniment:process-edit": ("team_process_kwargs", team_record()),
    "accompaniment:process-status": ("team_process_kwargs", team_record()),
    "accompaniment:process-timeline": ("team_process_kwargs", team_record()),
    "accompaniment:process-archive": ("team_process_kwargs", only("coordinator")),
    "accompaniment:process-delete": ("team_process_kwargs", only("coordinator")),
    "accompaniment:objective-create": ("team_process_kwargs", team_record()),
    "accompaniment:objective-edit": ("team_objective_kwargs", team_record()),
    "accompaniment:assessment-create": ("team_process_kwargs", team_record()),
    "accompaniment:assessment-edit": ("team_assessment_kwargs", team_record()),
    "accompaniment:session-create": ("team_process_kwargs", team_record()),
    "accompaniment:session-detail": ("team_session_kwargs", team_record()),
    "accompaniment:session-edit": ("team_session_kwargs", team_record()),
    "accompaniment:dashboard": (None, only("coordinator")),
    # Role first: another accompanier gets 403 here, not 404.
    "accompaniment:dashboard-organisation": ("team_process_kwargs", only("coordinator")),
    "accompaniment:attention": (None, only("coordinator", "accompanier")),
    "crisis:aggression-list": (None, only("coordinator", "accompanier")),
    "crisis:aggression-create": (None, only("coordinator", "accompanier")),
    "crisis:aggression-detail": ("team_aggression_kwargs", team_record()),
    "crisis:aggression-edit": ("team_aggression_kwargs", team_record()),
    "crisis:aggression-stats": (None, only("coordinator")),
    "crisis:roster": (None, only("coordinator")),
    "crisis:response-times": (None, only("coordinator")),
    "crisis:roster-shift-delete": ("roster_shift_kwargs", only("coordinator")),
    "security:measures-not-implemented": (None, only("coordinator", "accompanier")),
    "security:checkin-create": (None, only("coordinator", "accompanier")),
    "security:process": ("team_process_kwargs", team_record()),
    "security:assessment-create": ("team_process_kwargs", team_record()),
    "security:measure-create": ("team_process_kwargs", team_record()),
    "security:plan-create": ("team_process_kwargs", team_record()),
    "security:assessment-detail": ("risk_assessment_kwargs", team_record()),
    "security:assessment-edit": ("risk_assessment_kwargs", team_record()),
    "security:measure-edit": ("protection_measure_kwargs", team_record()),
    "security:plan-detail": ("security_plan_kwargs", team_record()),
    "security:plan-edit": ("security_plan_kwargs", team_record()),
    "security:plan-measure-add": ("security_plan_kwargs", team_record()),
    "security:plan-protocol-add": ("security_plan_kwargs", team_record()),
    "security:checkin-detail": ("checkin_kwargs", team_record()),
    "security:checkin-close": ("checkin_kwargs", team_record()),
    "crisis:crisis-board": (None, only("coordinator", "accompanier")),
    "crisis:crisis-create": (None, only("coordinator", "accompanier")),
    "crisis:crisis-detail": ("team_crisis_kwargs", team_record()),
    "crisis:crisis-edit": ("team_crisis_kwargs", team_record()),
    # Only its author resolves a crisis whose subject is to be confirmed.
    "crisis:crisis-subject-confirm": (
        "crisis_to_confirm_kwargs",
        {**only("accompanier"), "coordinator": 404, "non_member": 404},
    ),
    # POST-only; their refusals are tested in tests/crisis/test_crisis.py.
    "crisis:crisis-acknowledge": (
        "team_crisis_kwargs",
        only("coordinator", "accompanier", ok=405),
    ),
    "crisis:crisis-follow-up-done": (
        "team_follow_up_kwargs",
        only("coordinator", "accompanier", ok=405),
    ),
    "advocacy:output-list": (None, only("coordinator", "advocate")),
    "advocacy:output-create": (None, only("coordinator", "advocate")),
    "advocacy:output-detail": ("advocacy_output_kwargs", only("coordinator", "advocate")),
    "advocacy:output-edit": ("advocacy_output_kwargs", only("coordinator", "advocate")),
    "advocacy:output-delete": ("advocacy_output_kwargs", only("coordinator", "advocate")),
    "advocacy:grant-list": (None, only("coordinator", "advocate")),
    "advocacy:donor-create": (None, only("coordinator", "advocate")),
    "advocacy:grant-create": (None, only("coordinator", "advocate")),
    "advocacy:grant-detail": ("advocacy_grant_kwargs", only("coordinator", "advocate")),
    "advocacy:report-list": (None, only("coordinator", "advocate")),
    "advocacy:report-create": (None, only("coordinator", "advocate")),
    "advocacy:report-detail": ("advocacy_report_kwargs", only("coordinator", "advocate")),
    "advocacy:report-edit": ("advocacy_report_kwargs", only("coordinator", "advocate")),
    "advocacy:report-status": ("advocacy_report_kwargs", only("coordinator", "advocate")),
    "advocacy:report-generate": (
        "advocacy_report_kwargs",
        only("coordinator", "advocate", ok=405),
    ),
    # Downloads ask for the second factor again first.
    "advocacy:report-download": (
        "advocacy_report_kwargs",
        only("coordinator", "advocate", ok=REAUTH),
    ),
    "advocacy:report-csv": ("advocacy_report_kwargs", only("coordinator", "advocate", ok=REAUTH)),
    "advocacy:report-preview": ("advocacy_report_kwargs", only("coordinator", "advocate")),
    "advocacy:report-deliver": (
        "advocacy_report_kwargs",
        only("coordinator", "advocate", ok=405),
    ),
    "training:programme-list": (None, only("coordinator", "trainer")),
    "training:programme-create": (None, only("coordinator", "trainer")),
    "training:programme-detail": ("training_programme_kwargs", only("coordinator", "trainer")),
    "training:questionnaire-edit": ("training_programme_kwargs", only("coordinator", "trainer")),
    "training:cohort-create": ("training_programme_kwargs", only("coordinator", "trainer")),
    "training:cohort-detail": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:participant-add": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:cohort-import": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:cohort-import-template": (
        "training_cohort_kwargs",
        only("coordinator", "trainer"),
    ),
    "training:session-create": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:cohort-evaluation": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:response-create": ("training_response_kwargs", only("coordinator", "trainer")),
    "training:cohort-follow-up": ("training_cohort_kwargs", only("coordinator", "trainer")),
    "training:attendance": ("training_session_kwargs", only("coordinator", "trainer")),
    "training:follow-up-create": ("training_enrolment_kwargs", only("coordinator", "trainer")),
    "training:certificate-pdf": ("training_certificate_kwargs", only("coordinator", "trainer")),
    "training:batch-progress": ("training_batch_kwargs", only("coordinator", "trainer")),
    "training:enrolment-status": (
        "training_enrolment_kwargs",
        only("coordinator", "trainer", ok=405),
    ),
    "training:certificate-issue": (
        "training_enrolment_kwargs",
        only("coordinator", "trainer", ok=405),
    ),
    "training:certificates-bulk": (
        "training_cohort_kwargs",
        only("coordinator", "trainer", ok=405),
    ),
    "notifications:list": (None, everyone(200)),
    # POST-only actions: a GET is refused for everyone (their POST rules are
    # tested in tests/notifications/test_notifications.py).
    "notifications:mark-all-read": (None, everyone(405)),
    "notifications:mark-read": ("coordinators_notification", everyone(405)),
}

# Reachable without logging in: the allow-list of LoginRequiredMiddleware.
PUBLIC = {
    "healthz",
    "manifest",
    "service-worker",
    "offline",
    "set_language",
    "accounts:invitation-accept",
    "training:certificate-verify",
    "account_login",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "mfa_authenticate",
}

# Third-party pages for a signed-in user: allauth's own account and MFA pages
# (they act on request.user only) and Django's admin (staff only).
THIRD_PARTY_PREFIXES = ("account_", "mfa_", "admin:")


def _walk(resolver=None, namespace=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, ns, route)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield name, route


def _project_url_names():
    names = set()
    for name, route in _walk():
        if name is None:
            # Unnamed patterns are the admin's (its catch-all, our login redirect).
            assert route.startswith("admin/"), route
            continue
        names.add(name)
    return names


def test_every_url_has_a_row():
    missing = sorted(
        name
        for name in _project_url_names()
        if name not in MATRIX and name not in PUBLIC and not name.startswith(THIRD_PARTY_PREFIXES)
    )
    assert missing == []


def test_matrix_has_no_stale_row():
    assert sorted(set(MATRIX) - _project_url_names()) == []


@pytest.fixture
def team_subject_kwargs(team_subject):
    return {"subject_id": team_subject.pk}


@pytest.fixture
def team_membership_kwargs(team_subject):
    from accompaniment.factories import PoliticalSubjectFactory
    from accompaniment.models import Membership

    membership = Membership.objects.create(
        defender=PoliticalSubjectFactory(), collective=team_subject
    )
    return {"membership_id": membership.pk}


@pytest.fixture
def team_process_kwargs(team_process):
    return {"process_id": team_process.pk}


@pytest.fixture
def team_session_kwargs(team_process):
    from accompaniment.factories import SessionFactory

    return {"session_id": SessionFactory(process=team_process).pk}


@pytest.fixture
def team_objective_kwargs(team_process):
    from accompaniment.factories import ObjectiveFactory

    return {"objective_id": ObjectiveFactory(process=team_process).pk}


@pytest.fixture
def team_assessment_kwargs(team_process):
    from accompaniment.factories import FieldAssessmentFactory

    return {"assessment_id": FieldAssessmentFactory(process=team_process).pk}


@pytest.fixture
def team_aggression_kwargs(team_subject, accompanier):
    from django.utils import timezone

    from accompaniment.models import AggressionType
    from crisis.models import Aggression

    aggression = Aggression.objects.create(occurred_at=timezone.now(), recorded_by=accompanier)
    aggression.types.set([AggressionType.objects.get(code="threat")])
    aggression.subjects.set([team_subject])
    return {"aggression_id": aggression.pk}


@pytest.fixture
def roster_shift_kwargs(coordinator):
    import datetime as dt

    from django.utils import timezone

    from crisis.models import OnCallShift

    today = timezone.localdate()
    shift = OnCallShift.objects.create(
        week_start=today - dt.timedelta(days=today.weekday()), user=coordinator, position=0
    )
    return {"shift_id": shift.pk}


@pytest.fixture
def risk_assessment_kwargs(team_process, accompanier):
    import datetime as dt

    from security.services import risk_assessment_create

    assessment = risk_assessment_create(
        process=team_process,
        actor=accompanier,
        assessed_on=dt.date.today(),
        threats=[{"description": "x", "likelihood": 2, "impact": 2}],
        vulnerabilities=[],
        capacities=[],
    )
    return {"assessment_id": assessment.pk}


@pytest.fixture
def protection_measure_kwargs(team_process):
    import datetime as dt

    from security.models import ProtectionMeasure

    measure = ProtectionMeasure.objects.create(
        process=team_process, source="own", kind="phone", granted_on=dt.date(2030, 1, 1)
    )
    return {"measure_id": measure.pk}


@pytest.fixture
def security_plan_kwargs(team_process, accompanier):
    import datetime as dt

    from security.services import plan_create

    plan = plan_create(
        process=team_process,
        actor=accompanier,
        data={"title": "Plan", "review_on": dt.date.today() + dt.timedelta(days=9)},
    )
    return {"plan_id": plan.pk}


@pytest.fixture
def checkin_kwargs(accompanier, coordinator):
    import datetime as dt

    from accompaniment.models import FederalEntity
    from security.services import checkin_create

    checkin = checkin_create(
        actor=accompanier,
        state=FederalEntity.objects.get(code="07"),
        municipality="Ocosingo",
        expected_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        contacts=[coordinator],
    )
    return {"checkin_id": checkin.pk}


@pytest.fixture
def team_crisis(accompanier, team_subject):
    from django.utils import timezone

    from crisis.services.interventions import crisis_record

    return crisis_record(
        actor=accompanier,
        data={
            "subject": team_subject,
            "contacted_at": timezone.now(),
            "channel": "phone",
            "risk_level": "high",
        },
    )


@pytest.fixture
def team_crisis_kwargs(team_crisis):
    return {"crisis_id": team_crisis.pk}


@pytest.fixture
def crisis_to_confirm_kwargs(accompanier, team_subject):
    """Pablo's crisis sent from his phone's queue with an alias matching none of his cases."""
    from django.utils import timezone

    from crisis.services.interventions import crisis_record

    crisis = crisis_record(
        actor=accompanier,
        data={
            "pending_alias": "Alias sin confirmar",
            "contacted_at": timezone.now(),
            "channel": "phone",
            "risk_level": "high",
        },
    )
    return {"crisis_id": crisis.pk}


@pytest.fixture
def team_follow_up_kwargs(team_crisis):
    return {"follow_up_id": team_crisis.follow_ups.first().pk}


@pytest.fixture
def advocacy_output_kwargs(db):
    import datetime as dt

    from advocacy.models import AdvocacyOutput, OutputKind

    output = AdvocacyOutput.objects.create(
        kind=OutputKind.VIDEO, title="Video", date=dt.date(2030, 1, 1)
    )
    return {"output_id": output.pk}


@pytest.fixture
def advocacy_grant_kwargs(db):
    import datetime as dt

    from advocacy.models import Donor, Grant

    grant = Grant.objects.create(
        donor=Donor.objects.create(name="Donante"),
        project="Proyecto",
        start=dt.date(2030, 1, 1),
        end=dt.date(2030, 12, 31),
    )
    return {"grant_id": grant.pk}


@pytest.fixture
def advocacy_report_kwargs(db):
    import datetime as dt

    from advocacy.models import DonorReport

    report = DonorReport.objects.create(
        title="Informe", start=dt.date(2030, 1, 1), end=dt.date(2030, 12, 31)
    )
    return {"report_id": report.pk}


@pytest.fixture
def training_programme_kwargs(db):
    from training.factories import ProgrammeFactory

    return {"programme_id": ProgrammeFactory().pk}


@pytest.fixture
def training_cohort(trainer):
    from training.factories import CohortFactory

    return CohortFactory(facilitators=[trainer])


@pytest.fixture
def training_cohort_kwargs(training_cohort):
    return {"cohort_id": training_cohort.pk}


@pytest.fixture
def training_response_kwargs(training_cohort, trainer):
    from training.services import questionnaire_save

    questionnaire_save(
        actor=trainer,
        programme=training_cohort.programme,
        kind="entry",
        title="Entrada",
        likert=["Uno"],
        open_=[],
    )
    return {"cohort_id": training_cohort.pk, "kind": "entry"}


@pytest.fixture
def training_session_kwargs(training_cohort):
    from training.factories import TrainingSessionFactory

    return {"session_id": TrainingSessionFactory(cohort=training_cohort).pk}


@pytest.fixture
def training_enrolment(training_cohort):
    from training.factories import EnrolmentFactory

    return EnrolmentFactory(cohort=training_cohort)


@pytest.fixture
def training_enrolment_kwargs(training_enrolment):
    return {"enrolment_id": training_enrolment.pk}


@pytest.fixture
def training_certificate_kwargs(training_enrolment):
    from django.utils import timezone

    from training.models import Certificate

    Certificate.objects.create(enrolment=training_enrolment, issued_on=timezone.localdate())
    return {"enrolment_id": training_enrolment.pk}


@pytest.fixture
def training_batch_kwargs(training_cohort):
    from training.models import CertificateBatch

    batch = CertificateBatch.objects.create(cohort=training_cohort, finished=True)
    return {"batch_id": batch.pk}


@pytest.fixture
def colleague_kwargs(db):
    from aluna.accounts.factories import UserFactory

    return {"user_id": UserFactory(email="colega@aluna.test", roles=[Role.TRAINING]).pk}


@pytest.fixture
def user_session_kwargs(db):
    import uuid

    return {"session_id": uuid.uuid4()}


@pytest.fixture
def catalogue_kwargs(db):
    return {"catalogue": "areas-of-defence"}


@pytest.fixture
def catalogue_entry_kwargs(db):
    from accompaniment.models import AreaOfDefence

    entry, _ = AreaOfDefence.objects.get_or_create(
        code="land-and-territory",
        defaults={"label_es": "Tierra y territorio", "label_en": "Land and territory"},
    )
    return {"catalogue": "areas-of-defence", "pk": entry.pk}


@pytest.fixture
def coordinators_notification(coordinator):
    from aluna.notifications.models import Notification

    notification = Notification.objects.create(
        recipient=coordinator, kind="test", message="Test", url="/"
    )
    return {"notification_id": notification.pk}


@pytest.fixture
def url_kwargs(request):
    """Builds the kwargs of a row: a record the visitor's team owns, etc."""

    def build(factory_name):
        if factory_name is None:
            return {}
        return request.getfixturevalue(factory_name)

    return build


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_visitor_is_sent_to_login(client, db, url_kwargs, name):
    factory_name, _ = MATRIX[name]
    url = reverse(name, kwargs=url_kwargs(factory_name))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "who"), [(name, who) for name in sorted(MATRIX) for who in ROLES])
def test_visitor_gets_the_expected_answer(request, login, url_kwargs, name, who):
    factory_name, expectations = MATRIX[name]
    url = reverse(name, kwargs=url_kwargs(factory_name))
    client = login(request.getfixturevalue(_FIXTURES[who]))

    response = client.get(url)

    expected = expectations[who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == REAUTH:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == expected


_FIXTURES = {
    "admin": "admin_user",
    "coordinator": "coordinator",
    "accompanier": "accompanier",
    "non_member": "other_accompanier",
    "trainer": "trainer",
    "advocate": "advocate",
    "outsider": "outsider",
}
