"""Political subjects: the discreet list, name search, detail, create, edit, delete,
memberships."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accompaniment.factories import CollectiveFactory, PoliticalSubjectFactory, ProcessFactory
from accompaniment.models import (
    AreaOfDefence,
    FederalEntity,
    Membership,
    PoliticalSubject,
    SubjectKind,
)
from aluna.audit.models import AuditEvent
from aluna.core.concurrency import STALE_EDIT_MESSAGE

INDEX = reverse("accompaniment:index")
CREATE = reverse("accompaniment:subject-create")


def _detail(subject):
    return reverse("accompaniment:subject-detail", kwargs={"subject_id": subject.pk})


def _edit(subject):
    return reverse("accompaniment:subject-edit", kwargs={"subject_id": subject.pk})


def _delete(subject):
    return reverse("accompaniment:subject-delete", kwargs={"subject_id": subject.pk})


def _last_event():
    return AuditEvent.objects.order_by("-sequence").first()


def _form_data(subject=None, **overrides):
    data = {
        "name": "María López Hernández",
        "alias": "Girasol",
        "kind": str(SubjectKind.objects.get(code="individual-defender").pk),
        "areas": [str(AreaOfDefence.objects.order_by("position").first().pk)],
        "state": str(FederalEntity.objects.get(code="20").pk),
        "municipality": "Juchitán",
        "contact": "+52 951 000 0000 (Signal)",
        "referral_source": "network",
        "consent_date": "",
        "consent_scope": "",
        "gender_identity": "",
        "age_range": "",
        "indigenous_people": "",
        "indigenous_language": "",
        "family_role": "",
        "other_factors": "",
    }
    if subject is not None:
        data.update(
            name=subject.name,
            alias=subject.alias,
            kind=str(subject.kind_id),
            areas=[str(a.pk) for a in subject.areas.all()],
            state=str(subject.state_id) if subject.state_id else "",
            municipality=subject.municipality,
            contact=subject.contact,
            referral_source=subject.referral_source,
            version=str(subject.version),
        )
    data.update(overrides)
    return data


# --- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["index", "subject-create"])
def test_anonymous_visitor_cannot_open_subject_pages(client, db, url_name):
    response = client.get(reverse(f"accompaniment:{url_name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_visitor_cannot_open_a_subject(client, team_subject):
    response = client.get(_detail(team_subject))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["admin_user", "trainer", "advocate", "outsider"])
def test_other_roles_cannot_open_subject_pages(request, login, team_subject, who):
    client = login(request.getfixturevalue(who))
    urls = [
        INDEX,
        CREATE,
        _detail(team_subject),
        _edit(team_subject),
        _delete(team_subject),
        reverse("accompaniment:membership-create", kwargs={"subject_id": team_subject.pk}),
    ]

    statuses = [client.get(url).status_code for url in urls]

    assert statuses == [403] * len(urls)


def test_non_member_cannot_see_another_teams_subject(login, other_accompanier, team_subject):
    client = login(other_accompanier)
    urls = [
        _detail(team_subject),
        _edit(team_subject),
        reverse("accompaniment:membership-create", kwargs={"subject_id": team_subject.pk}),
    ]

    statuses = [client.get(url).status_code for url in urls]

    assert statuses == [404, 404, 404]
    assert AuditEvent.objects.filter(action="view").count() == 0


def test_non_member_cannot_edit_another_teams_subject_by_post(
    login, other_accompanier, team_subject
):
    client = login(other_accompanier)

    response = client.post(_edit(team_subject), _form_data(team_subject, alias="Robado"))

    assert response.status_code == 404
    assert PoliticalSubject.objects.get(pk=team_subject.pk).alias == "Colectivo Semilla"


def test_accompanier_cannot_delete_a_subject(login, accompanier, team_subject):
    client = login(accompanier)

    get = client.get(_delete(team_subject))
    post = client.post(_delete(team_subject), {"confirm": "True"})

    assert (get.status_code, post.status_code) == (403, 403)
    assert PoliticalSubject.objects.filter(pk=team_subject.pk, is_archived=False).exists()


# --- The discreet list --------------------------------------------------------------


def test_accompanier_can_list_only_the_subjects_in_scope(login, accompanier, team_subject):
    PoliticalSubjectFactory(alias="Ajeno")
    client = login(accompanier)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert [s.alias for s, _ in response.context["rows"]] == ["Colectivo Semilla"]
    assert response.context["rows"][0][1] == 1  # one open process


def test_coordinator_can_list_every_subject(login, coordinator, team_subject):
    PoliticalSubjectFactory(alias="Ajeno")
    client = login(coordinator)

    response = client.get(INDEX)

    assert [s.alias for s, _ in response.context["rows"]] == ["Ajeno", "Colectivo Semilla"]


def test_the_list_never_shows_the_full_name(login, coordinator):
    subject = PoliticalSubjectFactory(name="María López", alias="Girasol")
    client = login(coordinator)

    html = client.get(INDEX).content.decode()

    assert "Girasol" in html
    assert subject.initials in html
    assert "López" not in html
    assert "María" not in html


def test_coordinator_can_filter_by_kind_state_area_and_alias(login, coordinator):
    area = AreaOfDefence.objects.order_by("position").first()
    oaxaca = FederalEntity.objects.get(code="20")
    PoliticalSubjectFactory(alias="Individual Chiapas")
    wanted = CollectiveFactory(alias="Colectivo Oaxaca", state=oaxaca, areas=[area])
    CollectiveFactory(alias="Colectivo Sin Area", state=oaxaca)
    client = login(coordinator)

    response = client.get(
        INDEX,
        {"kind": wanted.kind_id, "state": oaxaca.pk, "area": area.pk, "q": "oaxa"},
    )

    assert [s.alias for s, _ in response.context["rows"]] == ["Colectivo Oaxaca"]


def test_coordinator_can_filter_archived_subjects(login, coordinator):
    PoliticalSubjectFactory(alias="Vigente")
    PoliticalSubjectFactory(alias="Archivado", is_archived=True)
    client = login(coordinator)

    default = client.get(INDEX)
    archived = client.get(INDEX, {"archived": "yes"})
    every = client.get(INDEX, {"archived": "all"})

    assert [s.alias for s, _ in default.context["rows"]] == ["Vigente"]
    assert [s.alias for s, _ in archived.context["rows"]] == ["Archivado"]
    assert [s.alias for s, _ in every.context["rows"]] == ["Archivado", "Vigente"]


def test_coordinator_can_sort_by_most_recent(login, coordinator):
    old = PoliticalSubjectFactory(alias="Aaa antiguo")
    PoliticalSubject.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    PoliticalSubjectFactory(alias="Zzz reciente")
    client = login(coordinator)

    response = client.get(INDEX, {"sort": "recent"})

    assert [s.alias for s, _ in response.context["rows"]] == ["Zzz reciente", "Aaa antiguo"]


def test_coordinator_can_page_through_the_list(login, coordinator):
    for n in range(27):
        PoliticalSubjectFactory(alias=f"Sujeto {n:02d}")
    client = login(coordinator)

    second = client.get(INDEX, {"page": 2})

    assert [s.alias for s, _ in second.context["rows"]] == ["Sujeto 25", "Sujeto 26"]


def test_coordinator_sees_an_empty_state_when_there_are_no_subjects(login, coordinator):
    response = login(coordinator).get(INDEX)

    assert response.context["rows"] == []
    assert response.context["filtered"] is False
    assert "empty-state" in response.content.decode()


def test_coordinator_sees_an_empty_state_when_nothing_matches(login, coordinator):
    PoliticalSubjectFactory(alias="Girasol")

    response = login(coordinator).get(INDEX, {"q": "nada"})

    assert response.context["rows"] == []
    assert response.context["filtered"] is True
    assert "empty-state" in response.content.decode()


# --- Search by name (blind index) ------------------------------------------------------


def test_accompanier_can_find_a_subject_by_name_without_the_name_in_any_url(login, accompanier):
    maria = PoliticalSubjectFactory(name="María López", alias="Girasol", created_by=accompanier)
    PoliticalSubjectFactory(name="Juan Pérez", alias="Roble", created_by=accompanier)
    PoliticalSubjectFactory(name="María Ajena", alias="Fuera")  # outside his scope
    client = login(accompanier)

    response = client.post(INDEX, {"name": "maria"})

    assert response.status_code == 302
    location = response["Location"]
    assert "maria" not in location.lower()
    assert location.startswith(f"{INDEX}?name_search=")
    listing = client.get(location)
    html = listing.content.decode()
    assert [s.pk for s, _ in listing.context["rows"]] == [maria.pk]
    assert "María López" not in html
    assert "maria" not in html.lower().replace("maría", "")
    event = _last_event()
    assert (event.action, event.metadata["results"]) == ("search", 1)
    assert event.actor == accompanier


def test_accompanier_name_search_keeps_other_filters_and_paging_links_clean(login, accompanier):
    for n in range(30):
        PoliticalSubjectFactory(
            name=f"Rosa Gómez {n}", alias=f"Rosa {n:02d}", created_by=accompanier
        )
    client = login(accompanier)

    location = client.post(INDEX, {"name": "rosa gomez"})["Location"]
    listing = client.get(location)

    assert listing.context["page_obj"].paginator.count == 30
    assert "gomez" not in listing.content.decode().lower()
    assert _last_event().metadata["results"] == 30


def test_accompanier_with_an_unknown_name_search_token_sees_nothing(login, accompanier):
    PoliticalSubjectFactory(alias="Girasol", created_by=accompanier)
    client = login(accompanier)

    response = client.get(INDEX, {"name_search": "forged-token"})

    assert response.context["rows"] == []
    assert response.context["name_search_expired"] is True


def test_accompanier_empty_name_search_is_refused_without_audit(login, accompanier):
    client = login(accompanier)

    response = client.post(INDEX, {"name": "   "})

    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="search").count() == 0


# --- Detail -----------------------------------------------------------------------------


def test_team_member_can_see_the_full_name_and_every_view_is_audited(
    login, accompanier, team_subject
):
    client = login(accompanier)

    first = client.get(_detail(team_subject))
    client.get(_detail(team_subject))

    assert first.status_code == 200
    assert team_subject.name in first.content.decode()
    views = AuditEvent.objects.filter(action="view", target_id=str(team_subject.pk))
    assert views.count() == 2
    assert "who-viewed" not in first.content.decode()


def test_coordinator_can_see_who_consulted_the_subject(login, coordinator, team_subject):
    client = login(coordinator)

    response = client.get(_detail(team_subject))

    assert 'class="card mt-3 who-viewed"' in response.content.decode()
    assert [e.action for e in response.context["viewed_by"]] == ["view"]


def test_team_member_sees_the_subjects_processes_and_memberships(login, accompanier, team_subject):
    defender = PoliticalSubjectFactory(alias="Integrante", created_by=accompanier)
    Membership.objects.create(defender=defender, collective=team_subject, role="vocera")
    client = login(accompanier)

    response = client.get(_detail(team_subject))

    assert [m.defender.alias for m in response.context["as_collective"]] == ["Integrante"]
    assert [p.pk for p in response.context["processes"]] == [team_subject.processes.get().pk]


# --- Create -------------------------------------------------------------------------


def test_accompanier_can_create_a_subject_and_then_see_it(login, accompanier):
    client = login(accompanier)

    response = client.post(CREATE, _form_data())

    subject = PoliticalSubject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(subject)
    assert (subject.name, subject.alias, subject.initials) == (
        "María López Hernández",
        "Girasol",
        "M.L.H.",
    )
    assert subject.created_by == accompanier
    assert subject.areas.count() == 1
    assert _last_event().action == "create"
    assert client.get(_detail(subject)).status_code == 200


def test_accompanier_can_record_factors_with_consent(login, accompanier):
    client = login(accompanier)
    data = _form_data(
        consent_date=str(timezone.localdate()),
        consent_scope="Estadísticas internas",
        gender_identity="woman",
        indigenous_people="Zapoteca",
    )

    response = client.post(CREATE, data)

    assert response.status_code == 302
    assert PoliticalSubject.objects.get().indigenous_people == "Zapoteca"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gender_identity": "woman"}, None),  # factors without consent
        ({"alias": "x" * 1_000_000}, "alias"),
        ({"name": "María\x00López"}, "name"),
        ({"contact": "tel\x00"}, "contact"),
        ({"kind": str(uuid.uuid4())}, "kind"),
        ({"kind": "not-a-uuid"}, "kind"),
        ({"state": str(uuid.uuid4())}, "state"),
        ({"name": "   "}, "name"),
        ({"alias": "María López Hernández"}, "alias"),
        ({"consent_date": "2999-01-01", "consent_scope": "x"}, "consent_date"),
        ({"consent_date": "31/31/2024"}, "consent_date"),
        ({"referral_source": "bribe"}, "referral_source"),
    ],
)
def test_accompanier_cannot_create_a_subject_with_bad_input(login, accompanier, overrides, field):
    client = login(accompanier)

    response = client.post(CREATE, _form_data(**overrides))

    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors if field else form.non_field_errors()
    assert PoliticalSubject.objects.count() == 0
    assert AuditEvent.objects.filter(action="create").count() == 0


def test_accompanier_cannot_pick_a_deactivated_kind(login, accompanier):
    kind = SubjectKind.objects.get(code="network")
    kind.is_active = False
    kind.save()
    client = login(accompanier)

    response = client.post(CREATE, _form_data(kind=str(kind.pk)))

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


# --- Edit and concurrency ------------------------------------------------------------


def test_team_member_can_edit_and_only_changed_field_names_are_audited(
    login, accompanier, team_subject
):
    client = login(accompanier)
    form = client.get(_edit(team_subject))

    response = client.post(
        _edit(team_subject),
        _form_data(team_subject, alias="Semilla Nueva", municipality="Tlaxiaco"),
    )

    assert form.status_code == 200
    assert response.status_code == 302
    saved = PoliticalSubject.objects.get(pk=team_subject.pk)
    assert (saved.alias, saved.municipality, saved.version) == ("Semilla Nueva", "Tlaxiaco", 2)
    event = _last_event()
    assert (event.action, event.metadata["fields"]) == ("update", "alias:municipality")


def test_team_member_cannot_overwrite_a_newer_save(login, coordinator, accompanier, team_subject):
    from django.test import Client

    first = login(coordinator, client=Client())
    second = login(accompanier)
    first_data = _form_data(team_subject, alias="Alias de Carmen")
    second_data = _form_data(team_subject, alias="Alias de Pablo", municipality="Mitla")

    saved = first.post(_edit(team_subject), first_data)
    refused = second.post(_edit(team_subject), second_data)

    assert saved.status_code == 302
    assert refused.status_code == 409
    html = refused.content.decode()
    assert refused.context["form"].non_field_errors() == [STALE_EDIT_MESSAGE]
    assert "Alias de Carmen" in [value for _, value in refused.context["stale_values"]]
    assert 'data-testid="stale-values"' in html
    assert refused.context["form"]["alias"].value() == "Alias de Pablo"
    assert 'value="Alias de Pablo"' in html
    current = PoliticalSubject.objects.get(pk=team_subject.pk)
    assert (current.alias, current.version) == ("Alias de Carmen", 2)
    assert current.municipality == team_subject.municipality


def test_team_member_cannot_change_protected_fields_by_adding_post_fields(
    login, accompanier, other_accompanier, team_subject
):
    client = login(accompanier)
    data = _form_data(
        team_subject,
        alias="Semilla",
        created_by=str(other_accompanier.pk),
        is_archived="on",
        initials="ZZ",
        id=str(uuid.uuid4()),
    )

    client.post(_edit(team_subject), data)

    saved = PoliticalSubject.objects.get(pk=team_subject.pk)
    assert saved.alias == "Semilla"
    assert saved.created_by_id == team_subject.created_by_id
    assert saved.is_archived is False
    assert saved.initials == team_subject.initials
    assert saved.version == 2


def test_team_member_cannot_skip_the_version_check_with_a_forged_version(
    login, accompanier, team_subject
):
    client = login(accompanier)

    response = client.post(_edit(team_subject), _form_data(team_subject, alias="X", version="7"))

    assert response.status_code == 409
    assert PoliticalSubject.objects.get(pk=team_subject.pk).version == 1


def test_team_member_cannot_save_bad_input_on_edit(login, accompanier, team_subject):
    client = login(accompanier)

    response = client.post(_edit(team_subject), _form_data(team_subject, alias="a\x00b"))

    assert response.status_code == 400
    assert PoliticalSubject.objects.get(pk=team_subject.pk).alias == "Colectivo Semilla"


# --- Delete -------------------------------------------------------------------------


def test_coordinator_is_asked_to_confirm_before_deleting(login, coordinator):
    subject = PoliticalSubjectFactory()
    client = login(coordinator)

    response = client.get(_delete(subject))

    assert response.status_code == 200
    assert "data-confirm" in response.content.decode()
    assert PoliticalSubject.objects.filter(pk=subject.pk).exists()


def test_coordinator_can_delete_a_subject_without_processes(login, coordinator):
    subject = PoliticalSubjectFactory()
    client = login(coordinator)

    response = client.post(_delete(subject), {"confirm": "True"})

    assert response.status_code == 302
    assert PoliticalSubject.objects.filter(pk=subject.pk).exists() is False
    event = _last_event()
    assert (event.action, event.target_id) == ("delete", str(subject.pk))


def test_coordinator_deleting_a_subject_with_processes_archives_it(
    login, coordinator, team_subject
):
    client = login(coordinator)

    response = client.post(_delete(team_subject), {"confirm": "True"})

    assert response.status_code == 302
    assert PoliticalSubject.objects.get(pk=team_subject.pk).is_archived is True
    assert _last_event().action == "update"


# --- Memberships ---------------------------------------------------------------------


def test_accompanier_can_add_a_defender_to_a_collective_in_scope(login, accompanier, team_subject):
    defender = PoliticalSubjectFactory(created_by=accompanier)
    client = login(accompanier)
    url = reverse("accompaniment:membership-create", kwargs={"subject_id": defender.pk})

    response = client.post(
        url,
        {
            "collective": str(team_subject.pk),
            "role": "vocera",
            "start_date": "2023-01-01",
            "end_date": "",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.collective, membership.role) == (team_subject, "vocera")
    assert _last_event().action == "create"


def test_accompanier_cannot_join_a_collective_outside_scope(login, accompanier):
    defender = PoliticalSubjectFactory(created_by=accompanier)
    foreign = CollectiveFactory()
    client = login(accompanier)
    url = reverse("accompaniment:membership-create", kwargs={"subject_id": defender.pk})

    response = client.post(url, {"collective": str(foreign.pk)})

    assert response.status_code == 400
    assert "collective" in response.context["form"].errors
    assert Membership.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"start_date": "2024-05-01", "end_date": "2024-01-01"}, "end_date"),
        ({"collective": "individual"}, "collective"),
        ({"start_date": "not a date"}, "start_date"),
        ({"role": "x" * 5000}, "role"),
    ],
)
def test_accompanier_cannot_record_an_invalid_membership(
    login, accompanier, team_subject, data, error
):
    defender = PoliticalSubjectFactory(created_by=accompanier)
    other_individual = PoliticalSubjectFactory(created_by=accompanier)
    payload = {"collective": str(team_subject.pk), **data}
    if payload["collective"] == "individual":
        payload["collective"] = str(other_individual.pk)
    client = login(accompanier)
    url = reverse("accompaniment:membership-create", kwargs={"subject_id": defender.pk})

    response = client.post(url, payload)

    assert response.status_code == 400
    assert error in response.context["form"].errors
    assert Membership.objects.count() == 0


def test_accompanier_cannot_make_a_collective_a_member(login, accompanier, team_subject):
    other = CollectiveFactory(created_by=accompanier)
    client = login(accompanier)
    url = reverse("accompaniment:membership-create", kwargs={"subject_id": team_subject.pk})

    response = client.post(url, {"collective": str(other.pk)})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Membership.objects.count() == 0


def test_accompanier_can_end_a_membership_after_confirming(login, accompanier, team_subject):
    defender = PoliticalSubjectFactory(created_by=accompanier)
    membership = Membership.objects.create(defender=defender, collective=team_subject)
    client = login(accompanier)
    url = reverse("accompaniment:membership-end", kwargs={"membership_id": membership.pk})

    confirm = client.get(url)
    response = client.post(url, {"confirm": "True"})

    assert confirm.status_code == 200
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()


def test_non_member_cannot_end_another_teams_membership(login, other_accompanier, team_subject):
    defender = PoliticalSubjectFactory()
    membership = Membership.objects.create(defender=defender, collective=team_subject)
    client = login(other_accompanier)
    url = reverse("accompaniment:membership-end", kwargs={"membership_id": membership.pk})

    response = client.post(url, {"confirm": "True"})

    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.end_date is None


# --- Query counts ---------------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_subjects(login, accompanier):
    client = login(accompanier)
    for _ in range(2):
        ProcessFactory(lead=accompanier)
    client.get(INDEX)  # the session row, and the catalogue options kept after their first read
    small = _count_queries(client, INDEX)
    for _ in range(10):
        ProcessFactory(lead=accompanier)
    client.get(INDEX)  # the total is counted once after a change, then kept (CachedCountPaginator)
    large = _count_queries(client, INDEX)

    assert small == large


def test_detail_query_count_does_not_grow_with_processes_and_members(
    login, coordinator, team_subject
):
    area = AreaOfDefence.objects.order_by("position").first()
    team_subject.areas.add(area)
    client = login(coordinator)

    def grow(n):
        for _ in range(n):
            ProcessFactory(subject=team_subject)
            Membership.objects.create(defender=PoliticalSubjectFactory(), collective=team_subject)

    grow(1)
    small = _count_queries(client, _detail(team_subject))
    grow(10)
    large = _count_queries(client, _detail(team_subject))

    assert small == large
