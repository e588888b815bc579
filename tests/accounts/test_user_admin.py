"""User management for administración: invite, edit roles, deactivate, compromised device."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from aluna.accounts import services
from aluna.accounts.factories import UserFactory
from aluna.accounts.models import Invitation, User
from aluna.audit.models import AuditEvent
from aluna.core.roles import Role
from tests.fixtures.mfa import mark_recently_reauthenticated

STRONG_PASSWORD = "luna-nueva-sobre-el-rio-42"


@pytest.fixture(autouse=True)
def _accounts_wiring(settings):
    settings.LANGUAGE_CODE = "en"  # assert on English source texts, whatever locale/ holds


@pytest.fixture
def managed(db):
    return UserFactory(
        email="maria@aluna.test", full_name="María Acompañante", roles=[Role.ACCOMPANIMENT]
    )


def _urls(user_id):
    return {
        "accounts:user-list": reverse("accounts:user-list"),
        "accounts:user-create": reverse("accounts:user-create"),
        "accounts:user-detail": reverse("accounts:user-detail", kwargs={"user_id": user_id}),
        "accounts:user-edit": reverse("accounts:user-edit", kwargs={"user_id": user_id}),
        "accounts:user-deactivate": reverse(
            "accounts:user-deactivate", kwargs={"user_id": user_id}
        ),
        "accounts:user-compromised": reverse(
            "accounts:user-compromised", kwargs={"user_id": user_id}
        ),
    }


def _invitation_link(message) -> str:
    return re.search(r"https?://\S+/invitacion/\S+/", message.body).group(0)


# --- Access -------------------------------------------------------------------------------


def test_anonymous_cannot_open_user_management(client, managed):
    for url in _urls(managed.pk).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "who", ["coordinator", "accompanier", "other_accompanier", "trainer", "advocate", "outsider"]
)
def test_non_administrators_cannot_open_user_management(cast, login, managed, who):
    client = login(cast[who])
    mark_recently_reauthenticated(client, cast[who])
    for url in _urls(managed.pk).values():
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"full_name": "x", "roles": [Role.ADMINISTRATION]}).status_code == 403
        )
    assert managed.groups.filter(name=Role.ADMINISTRATION).exists() is False


def test_administrator_can_open_every_user_management_page(admin_user, login, managed):
    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user)
    for name, url in _urls(managed.pk).items():
        assert client.get(url).status_code == 200, name


def test_administrator_gets_404_for_an_unknown_user(admin_user, login):
    client = login(admin_user)
    url = reverse(
        "accounts:user-detail", kwargs={"user_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.get(url).status_code == 404


# --- List ---------------------------------------------------------------------------------


def test_administrator_can_search_users_by_name_and_filter_by_role(admin_user, login, cast):
    client = login(admin_user)

    by_name = client.get(reverse("accounts:user-list"), {"q": "tallerista"})
    by_role = client.get(reverse("accounts:user-list"), {"role": Role.ACCOMPANIMENT})

    assert [u.email for u in by_name.context["page"].object_list] == ["tomas@aluna.test"]
    assert [u.email for u in by_role.context["page"].object_list] == [
        "olga@aluna.test",
        "pablo@aluna.test",
    ]


def test_administrator_sees_an_empty_state_when_nothing_matches(admin_user, login):
    client = login(admin_user)

    response = client.get(reverse("accounts:user-list"), {"q": "nadie-se-llama-asi"})

    assert list(response.context["page"].object_list) == []
    assert "No user matches this search." in response.text


def test_administrator_can_page_through_users(admin_user, login):
    UserFactory.create_batch(30)
    client = login(admin_user)

    first = client.get(reverse("accounts:user-list"))
    second = client.get(reverse("accounts:user-list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 6


def test_user_list_query_count_does_not_grow_with_users(
    admin_user, login, django_assert_max_num_queries
):
    client = login(admin_user)
    client.get(reverse("accounts:user-list"))  # warm the session
    UserFactory.create_batch(20, roles=[Role.TRAINING])
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:user-list"))


# --- Invite -------------------------------------------------------------------------------


def test_administrator_can_invite_a_user_who_then_sets_a_password(
    admin_user, login, django_capture_on_commit_callbacks
):
    client = login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user-create"),
            {"email": "Nueva@Aluna.test", "full_name": "Nueva Persona", "roles": [Role.TRAINING]},
        )

    invited = User.objects.get(email="nueva@aluna.test")
    assert response.status_code == 302
    assert invited.has_usable_password() is False
    assert invited.role_codes == frozenset({Role.TRAINING.value})
    assert [m.to for m in mail.outbox] == [["nueva@aluna.test"]]
    assert (
        AuditEvent.objects.filter(action="invitation_sent", target_id=str(invited.pk)).count() == 1
    )

    anonymous = Client()
    link = _invitation_link(mail.outbox[0])
    assert anonymous.get(link).status_code == 200
    response = anonymous.post(
        link, {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
    )

    invited.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert invited.check_password(STRONG_PASSWORD) is True


def test_invited_user_cannot_set_a_short_password(invite):
    invited = invite()
    client = Client()

    response = client.post(
        invited["link"], {"new_password1": "corta123", "new_password2": "corta123"}
    )

    invited["user"].refresh_from_db()
    assert response.status_code == 200
    assert invited["user"].has_usable_password() is False


def test_invited_user_cannot_use_a_link_twice(invite):
    invited = invite()
    client = Client()
    client.post(
        invited["link"], {"new_password1": STRONG_PASSWORD, "new_password2": STRONG_PASSWORD}
    )

    response = client.post(
        invited["link"],
        {"new_password1": "otra-clave-muy-larga-9", "new_password2": "otra-clave-muy-larga-9"},
    )

    invited["user"].refresh_from_db()
    assert response.status_code == 410
    assert "This invitation link has expired or has already been used." in response.text
    assert invited["user"].check_password(STRONG_PASSWORD) is True


def test_invited_user_cannot_use_a_link_after_48_hours(invite):
    invited = invite()
    Invitation.objects.filter(user=invited["user"]).update(
        created_at=timezone.now() - timedelta(hours=48, minutes=1)
    )

    response = Client().get(invited["link"])

    assert response.status_code == 410
    assert "This invitation link has expired or has already been used." in response.text


def test_anyone_cannot_use_a_made_up_invitation_link(db):
    response = Client().get(reverse("accounts:invitation-accept", kwargs={"token": "inventado"}))
    assert response.status_code == 410


def test_administrator_cannot_invite_an_existing_address(admin_user, login, managed):
    client = login(admin_user)

    response = client.post(
        reverse("accounts:user-create"),
        {"email": "MARIA@aluna.test", "full_name": "Otra", "roles": []},
    )

    assert response.status_code == 200
    assert User.objects.filter(email__iexact="maria@aluna.test").count() == 1


@pytest.fixture
def invite(admin_user, django_capture_on_commit_callbacks):
    """Invite someone as an administrator would; return the user and the e-mailed link."""

    def _invite():
        request = RequestFactory().get("/")
        request.user = admin_user
        with django_capture_on_commit_callbacks(execute=True):
            user = services.user_invite(
                actor=admin_user,
                email="invitada@aluna.test",
                full_name="Invitada",
                role_codes=[Role.ADVOCACY],
                request=request,
            )
        return {"user": user, "link": _invitation_link(mail.outbox[-1])}

    return _invite


# --- Edit and mass assignment --------------------------------------------------------------


def test_administrator_must_reauthenticate_to_edit_roles(admin_user, login, managed):
    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user, seconds_ago=301)
    url = reverse("accounts:user-edit", kwargs={"user_id": managed.pk})

    get_response = client.get(url)
    post_response = client.post(url, {"full_name": "María", "roles": [Role.ADMINISTRATION]})

    assert get_response.status_code == 302
    assert get_response.url.startswith(reverse("account_reauthenticate"))
    assert post_response.status_code == 302
    assert post_response.url.startswith(reverse("account_reauthenticate"))
    assert managed.groups.filter(name=Role.ADMINISTRATION).exists() is False


def test_administrator_can_change_roles_and_it_is_audited(admin_user, login, managed):
    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user)

    response = client.post(
        reverse("accounts:user-edit", kwargs={"user_id": managed.pk}),
        {"full_name": managed.full_name, "roles": [Role.COORDINATION, Role.TRAINING]},
    )

    managed.refresh_from_db()
    event = AuditEvent.objects.get(action="role_changed")
    assert response.status_code == 302
    assert sorted(managed.groups.values_list("name", flat=True)) == ["coordinacion", "formacion"]
    assert event.actor == admin_user
    assert event.target_id == str(managed.pk)
    assert event.metadata == {"before": "acompanamiento", "after": "coordinacion:formacion"}


def test_administrator_cannot_remove_their_own_administration_role(admin_user, login):
    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user)

    response = client.post(
        reverse("accounts:user-edit", kwargs={"user_id": admin_user.pk}),
        {"full_name": admin_user.full_name, "roles": [Role.TRAINING]},
    )

    assert response.status_code == 200
    assert admin_user.groups.filter(name=Role.ADMINISTRATION).exists() is True


def test_administrator_cannot_mass_assign_protected_fields_on_edit(admin_user, login, managed):
    client = login(admin_user)
    mark_recently_reauthenticated(client, admin_user)
    stamp, pk = managed.security_stamp, managed.pk
    other_group = Group.objects.create(name="intrusos")

    client.post(
        reverse("accounts:user-edit", kwargs={"user_id": managed.pk}),
        {
            "full_name": "María",
            "roles": [Role.ACCOMPANIMENT],
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "",
            "security_stamp": "0" * 32,
            "groups": [other_group.pk],
            "id": "00000000-0000-0000-0000-000000000001",
            "email": "otra@aluna.test",
            "password": "x",
        },
    )

    managed = User.objects.get(pk=pk)
    assert managed.full_name == "María"
    assert (managed.is_superuser, managed.is_staff, managed.is_active) == (False, False, True)
    assert managed.security_stamp == stamp
    assert managed.email == "maria@aluna.test"
    assert list(managed.groups.values_list("name", flat=True)) == ["acompanamiento"]
    assert managed.check_password("correct horse battery staple") is True


def test_administrator_cannot_mass_assign_protected_fields_on_invite(admin_user, login):
    client = login(admin_user)
    other_group = Group.objects.create(name="intrusos")

    client.post(
        reverse("accounts:user-create"),
        {
            "email": "colada@aluna.test",
            "full_name": "Colada",
            "roles": [],
            "is_superuser": "on",
            "is_staff": "on",
            "security_stamp": "0" * 32,
            "groups": [other_group.pk],
            "id": "00000000-0000-0000-0000-000000000001",
            "password": "una-clave-elegida-por-el-atacante",
        },
    )

    created = User.objects.get(email="colada@aluna.test")
    assert (created.is_superuser, created.is_staff) == (False, False)
    assert str(created.pk) != "00000000-0000-0000-0000-000000000001"
    assert created.security_stamp != "0" * 32
    assert created.groups.count() == 0
    assert created.has_usable_password() is False


# --- Deactivate and compromised device -----------------------------------------------------


def test_administrator_can_deactivate_a_user_and_their_sessions_end(admin_user, login, managed):
    their_client = login(managed, client=Client())
    assert their_client.get(reverse("core:home")).status_code == 200
    client = login(admin_user)

    confirm = client.get(reverse("accounts:user-deactivate", kwargs={"user_id": managed.pk}))
    response = client.post(reverse("accounts:user-deactivate", kwargs={"user_id": managed.pk}))

    managed.refresh_from_db()
    assert confirm.status_code == 200
    assert response.status_code == 302
    assert managed.is_active is False
    assert their_client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="update", target_id=str(managed.pk)).count() == 1


@pytest.mark.parametrize(
    ("url_name", "question"),
    [
        ("accounts:user-deactivate", "María Acompañante will no longer be able to log in"),
        ("accounts:user-compromised", "Every session of María Acompañante ends now"),
    ],
)
def test_administrator_is_told_whom_a_confirmation_page_affects(
    admin_user, login, managed, url_name, question
):
    response = login(admin_user).get(reverse(url_name, kwargs={"user_id": managed.pk}))

    paragraphs = re.findall(r"<p>(.*?)</p>", response.text, re.S)
    assert response.status_code == 200
    assert len([p for p in paragraphs if p.startswith(question)]) == 1


def test_administrator_cannot_deactivate_themselves(admin_user, login):
    client = login(admin_user)

    response = client.post(reverse("accounts:user-deactivate", kwargs={"user_id": admin_user.pk}))

    admin_user.refresh_from_db()
    assert response.status_code == 403
    assert admin_user.is_active is True


def test_administrator_can_end_every_session_of_a_compromised_device(admin_user, login, managed):
    laptop = login(managed, client=Client())
    phone = login(managed, client=Client())
    client = login(admin_user)

    response = client.post(reverse("accounts:user-compromised", kwargs={"user_id": managed.pk}))

    managed.refresh_from_db()
    assert response.status_code == 302
    assert laptop.get(reverse("core:home")).status_code == 302
    assert phone.get(reverse("core:home")).status_code == 302
    assert managed.is_active is True
    assert managed.check_password("correct horse battery staple") is True
    event = AuditEvent.objects.get(action="sessions_revoked")
    assert (event.actor, event.target_id) == (admin_user, str(managed.pk))
    assert event.metadata == {"reason": "compromised_device"}
