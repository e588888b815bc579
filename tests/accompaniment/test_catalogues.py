"""Catalogues of the accompaniment hub: seeded by a data migration, kept by administración."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accompaniment.catalogues import CATALOGUES
from accompaniment.models import (
    AggressionType,
    AreaOfDefence,
    CopingMechanism,
    Dimension,
    FederalEntity,
    Perpetrator,
    PsychosocialImpact,
    SubjectKind,
)
from accompaniment.selectors.catalogues import active_entries
from aluna.audit.models import AuditEvent
from aluna.core.navigation import items_for

pytestmark = pytest.mark.django_db

AREAS_URL = reverse("accompaniment:catalogue-entries", kwargs={"catalogue": "areas-of-defence"})
CREATE_AREA_URL = reverse(
    "accompaniment:catalogue-entry-create", kwargs={"catalogue": "areas-of-defence"}
)


def _entry_url(name, entry, catalogue="areas-of-defence"):
    return reverse(f"accompaniment:{name}", kwargs={"catalogue": catalogue, "pk": entry.pk})


def _area_data(**overrides):
    data = {
        "code": "right-to-water",
        "label_es": "Derecho al agua",
        "label_en": "Right to water",
        "position": "200",
    }
    data.update(overrides)
    return data


# --- The seed ------------------------------------------------------------------------


def test_migration_loaded_the_32_federal_entities_with_their_inegi_keys():
    codes = list(FederalEntity.objects.order_by("code").values_list("code", flat=True))

    assert codes == [f"{n:02d}" for n in range(1, 33)]
    assert FederalEntity.objects.get(code="09").label_es == "Ciudad de México"
    assert FederalEntity.objects.get(code="16").label_es == "Michoacán"


def test_migration_loaded_every_domain_list():
    assert AreaOfDefence.objects.count() == 15
    assert SubjectKind.objects.count() == 7
    assert AggressionType.objects.count() == 22
    assert Perpetrator.objects.count() == 16
    assert PsychosocialImpact.objects.count() == 20
    assert CopingMechanism.objects.count() == 12
    assert AreaOfDefence.objects.get(code="indigenous-peoples-rights").label_es == (
        "Derechos de los pueblos indígenas"
    )
    assert Perpetrator.objects.get(code="unidentified").label_es == "No identificado"


def test_psychosocial_impacts_cover_every_dimension():
    dimensions = set(PsychosocialImpact.objects.values_list("dimension", flat=True))

    assert dimensions == set(Dimension.values)
    assert PsychosocialImpact.objects.get(code="fear").dimension == Dimension.PERSONAL


def test_every_seeded_entry_is_active_and_labelled_in_both_languages():
    for catalogue in CATALOGUES.values():
        assert catalogue.model.objects.filter(is_active=False).count() == 0
        assert catalogue.model.objects.filter(label_es="").count() == 0
        assert catalogue.model.objects.filter(label_en="").count() == 0


def test_labels_switch_with_the_language():
    area = AreaOfDefence.objects.get(code="land-and-territory")

    with translation.override("en"):
        english = str(area)
    with translation.override("es-mx"):
        spanish = str(area)

    assert english == "Land and territory"
    assert spanish == "Tierra y territorio"


def test_active_entries_leave_out_deactivated_ones_and_keep_the_order():
    AreaOfDefence.objects.filter(code="environment").update(is_active=False)

    codes = list(active_entries(AreaOfDefence).values_list("code", flat=True))

    assert len(codes) == 14
    assert codes[:2] == ["land-and-territory", "indigenous-peoples-rights"]


# --- Administración keeps the catalogues ----------------------------------------------


def test_admin_can_see_every_catalogue_with_its_counts(login, admin_user):
    AreaOfDefence.objects.filter(code="environment").update(is_active=False)
    client = login(admin_user)

    response = client.get(reverse("accompaniment:catalogue-list"))

    assert response.status_code == 200
    summaries = {s["catalogue"].slug: s for s in response.context["summaries"]}
    assert list(summaries) == list(CATALOGUES)
    assert (summaries["areas-of-defence"]["total"], summaries["areas-of-defence"]["active"]) == (
        15,
        14,
    )
    assert summaries["federal-entities"]["total"] == 32


def test_admin_sees_the_catalogues_entry_in_the_menu(admin_user, coordinator):
    admin_urls = [item.url_name for item in items_for(admin_user)]
    coordinator_urls = [item.url_name for item in items_for(coordinator)]

    assert admin_urls.count("accompaniment:catalogue-list") == 1
    assert coordinator_urls.count("accompaniment:catalogue-list") == 0


def test_admin_can_search_and_filter_entries(login, admin_user):
    AreaOfDefence.objects.filter(code="right-to-food").update(is_active=False)
    client = login(admin_user)

    by_label = client.get(AREAS_URL, {"q": "derecho a la"})
    inactive = client.get(AREAS_URL, {"status": "inactive"})
    english = client.get(AREAS_URL, {"q": "Labour"})

    assert [e.code for e in by_label.context["page_obj"]] == [
        "right-to-health",
        "right-to-education",
        "right-to-food",
    ]
    assert [e.code for e in inactive.context["page_obj"]] == ["right-to-food"]
    assert [e.code for e in english.context["page_obj"]] == ["labour-rights"]


def test_admin_sees_an_empty_state_when_nothing_matches(login, admin_user):
    client = login(admin_user)

    response = client.get(AREAS_URL, {"q": "zzz-nothing"})

    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert "Ninguna entrada coincide con esta búsqueda." in response.content.decode()


def test_admin_can_page_through_a_long_catalogue(login, admin_user):
    AreaOfDefence.objects.bulk_create(
        AreaOfDefence(code=f"extra-{n:03d}", label_es=f"Extra {n}", label_en=f"Extra {n}")
        for n in range(60)
    )
    client = login(admin_user)

    first = client.get(AREAS_URL)
    second = client.get(AREAS_URL, {"page": 2})

    assert len(first.context["page_obj"]) == 50
    assert len(second.context["page_obj"]) == 75 - 50


def test_admin_can_create_an_entry_and_it_is_audited(login, admin_user):
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    response = client.post(CREATE_AREA_URL, _area_data(code="Right-To-Water"))

    assert response.status_code == 302
    assert response["Location"] == AREAS_URL
    entry = AreaOfDefence.objects.get(code="right-to-water")
    assert (entry.label_es, entry.label_en, entry.position, entry.is_active) == (
        "Derecho al agua",
        "Right to water",
        200,
        True,
    )
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.actor, event.target_type, event.target_id) == (
        "create",
        admin_user,
        "accompaniment.areaofdefence",
        str(entry.pk),
    )
    assert event.metadata == {"catalogue": "areas-of-defence", "code": "right-to-water"}


def test_admin_can_create_a_psychosocial_impact_with_its_dimension(login, admin_user):
    client = login(admin_user)
    url = reverse(
        "accompaniment:catalogue-entry-create", kwargs={"catalogue": "psychosocial-impacts"}
    )

    response = client.post(
        url,
        {
            "code": "shame",
            "label_es": "Vergüenza",
            "label_en": "Shame",
            "dimension": Dimension.FAMILY,
            "position": "5",
        },
    )

    assert response.status_code == 302
    assert PsychosocialImpact.objects.get(code="shame").dimension == Dimension.FAMILY


def test_admin_can_edit_an_entry_but_not_its_code(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    response = client.post(
        _entry_url("catalogue-entry-edit", entry),
        {
            "code": "hijacked",
            "label_es": "Medio ambiente y clima",
            "label_en": "Environment and climate",
            "position": "20",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.code, entry.label_es, entry.label_en) == (
        "environment",
        "Medio ambiente y clima",
        "Environment and climate",
    )
    assert AuditEvent.objects.count() == events_before + 1
    event = AuditEvent.objects.order_by("-sequence").first()
    assert (event.action, event.target_id, event.metadata["changed"]) == (
        "update",
        str(entry.pk),
        "label_es:label_en",
    )


def test_admin_saving_an_unchanged_entry_writes_no_audit_event(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    response = client.post(
        _entry_url("catalogue-entry-edit", entry),
        {"label_es": entry.label_es, "label_en": entry.label_en, "position": entry.position},
    )

    assert response.status_code == 302
    assert AuditEvent.objects.count() == events_before


def test_admin_is_asked_to_confirm_before_deactivating(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    client = login(admin_user)

    response = client.get(_entry_url("catalogue-entry-toggle", entry))

    assert response.status_code == 200
    assert response.context["form"].initial == {"is_active": "0"}
    entry.refresh_from_db()
    assert entry.is_active is True


def test_admin_can_deactivate_and_reactivate_an_entry_with_audit(login, admin_user):
    entry = Perpetrator.objects.get(code="cacique")
    url = _entry_url("catalogue-entry-toggle", entry, catalogue="perpetrators")
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    deactivated = client.post(url, {"is_active": "0"})
    entry.refresh_from_db()
    state_after_deactivation = entry.is_active
    client.post(url, {"is_active": "1"})
    entry.refresh_from_db()

    assert deactivated.status_code == 302
    assert state_after_deactivation is False
    assert entry.is_active is True
    events = list(AuditEvent.objects.order_by("-sequence")[:2])
    assert AuditEvent.objects.count() == events_before + 2
    assert [(e.action, e.metadata["is_active"]) for e in events] == [
        ("update", True),
        ("update", False),
    ]


def test_admin_double_submit_of_a_deactivation_does_not_undo_it(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    url = _entry_url("catalogue-entry-toggle", entry)
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    client.post(url, {"is_active": "0"})
    client.post(url, {"is_active": "0"})

    entry.refresh_from_db()
    assert entry.is_active is False
    assert AuditEvent.objects.count() == events_before + 1


def test_admin_cannot_delete_an_entry(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    client = login(admin_user)

    response = client.delete(_entry_url("catalogue-entry-toggle", entry))

    assert response.status_code == 405
    assert AreaOfDefence.objects.filter(pk=entry.pk).count() == 1
    assert [name for name in _url_names() if "catalogue" in name and "delete" in name] == []


def _url_names():
    from accompaniment.urls import urlpatterns

    return [pattern.name for pattern in urlpatterns if getattr(pattern, "name", None)]


def test_django_admin_offers_no_delete_for_catalogue_entries(rf, admin_user):
    from django.contrib import admin as django_admin

    request = rf.get("/")
    request.user = admin_user
    for catalogue in CATALOGUES.values():
        model_admin = django_admin.site._registry[catalogue.model]
        assert model_admin.has_delete_permission(request) is False


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "land-and-territory"}, "code"),
        ({"code": "LAND-AND-TERRITORY"}, "code"),
        ({"code": "no spaces allowed"}, "code"),
        ({"code": ""}, "code"),
        ({"label_es": ""}, "label_es"),
        ({"label_en": "   "}, "label_en"),
        ({"label_es": "x" * 10_000}, "label_es"),
        ({"label_en": "Right\x00to water"}, "label_en"),
        ({"position": "-1"}, "position"),
    ],
)
def test_admin_cannot_create_an_entry_from_bad_input(login, admin_user, overrides, field):
    client = login(admin_user)
    rows_before = AreaOfDefence.objects.count()
    events_before = AuditEvent.objects.count()

    response = client.post(CREATE_AREA_URL, _area_data(**overrides))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert AreaOfDefence.objects.count() == rows_before
    assert AuditEvent.objects.count() == events_before


def test_admin_gets_a_clear_message_for_a_duplicate_code(login, admin_user):
    client = login(admin_user)

    response = client.post(CREATE_AREA_URL, _area_data(code="environment"))

    assert response.context["form"].errors["code"] == [
        "Otra entrada de este catálogo ya usa este código."
    ]


def test_admin_cannot_edit_an_entry_into_an_overlong_label(login, admin_user):
    entry = AreaOfDefence.objects.get(code="environment")
    client = login(admin_user)
    events_before = AuditEvent.objects.count()

    response = client.post(
        _entry_url("catalogue-entry-edit", entry),
        {"label_es": "x" * 10_000, "label_en": "Environment", "position": "20"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["label_es"]
    entry.refresh_from_db()
    assert entry.label_es == "Medio ambiente"
    assert AuditEvent.objects.count() == events_before


def test_admin_gets_404_for_an_unknown_catalogue_or_an_entry_of_another(login, admin_user):
    perpetrator = Perpetrator.objects.get(code="unidentified")
    client = login(admin_user)

    unknown = client.get(reverse("accompaniment:catalogue-entries", kwargs={"catalogue": "users"}))
    crossed = client.get(_entry_url("catalogue-entry-edit", perpetrator))

    assert (unknown.status_code, crossed.status_code) == (404, 404)


# --- Everyone else ---------------------------------------------------------------------


def _catalogue_urls():
    entry = AreaOfDefence.objects.get(code="environment")
    return [
        reverse("accompaniment:catalogue-list"),
        AREAS_URL,
        CREATE_AREA_URL,
        _entry_url("catalogue-entry-edit", entry),
        _entry_url("catalogue-entry-toggle", entry),
    ]


@pytest.mark.parametrize("who", ["coordinator", "accompanier", "trainer", "advocate", "outsider"])
def test_other_roles_cannot_reach_the_catalogues(request, login, who):
    client = login(request.getfixturevalue(who))
    entry = AreaOfDefence.objects.get(code="environment")

    statuses = [client.get(url).status_code for url in _catalogue_urls()]
    posted = [
        client.post(CREATE_AREA_URL, _area_data()).status_code,
        client.post(_entry_url("catalogue-entry-toggle", entry), {"is_active": "0"}).status_code,
    ]

    assert statuses == [403] * 5
    assert posted == [403, 403]
    entry.refresh_from_db()
    assert entry.is_active is True
    assert AreaOfDefence.objects.filter(code="right-to-water").count() == 0


def test_anonymous_visitor_cannot_reach_the_catalogues(client):
    login_url = reverse("account_login")

    responses = [client.get(url) for url in _catalogue_urls()]

    assert [r.status_code for r in responses] == [302] * 5
    assert all(r["Location"].startswith(login_url) for r in responses)


# --- Performance --------------------------------------------------------------------------


def _queries_for_entry_list(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(AREAS_URL)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_entry_list_query_count_does_not_grow_with_the_entries(login, admin_user):
    client = login(admin_user)
    client.get(AREAS_URL)  # warm the session and any per-process caches
    AreaOfDefence.objects.bulk_create(
        AreaOfDefence(code=f"few-{n}", label_es=f"Pocas {n}", label_en=f"Few {n}") for n in range(5)
    )
    with_5 = _queries_for_entry_list(client)
    AreaOfDefence.objects.bulk_create(
        AreaOfDefence(code=f"many-{n}", label_es=f"Muchas {n}", label_en=f"Many {n}")
        for n in range(45)
    )

    with_50 = _queries_for_entry_list(client)

    assert with_5 == with_50


def test_loading_the_seed_again_adds_no_row():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accompaniment.migrations.0002_load_catalogues")
    AreaOfDefence.objects.filter(code="environment").update(label_en="Changed")
    counts_before = {slug: c.model.objects.count() for slug, c in CATALOGUES.items()}

    migration.load_catalogues(apps, None)

    assert {slug: c.model.objects.count() for slug, c in CATALOGUES.items()} == counts_before
    assert AreaOfDefence.objects.get(code="environment").label_en == "Environment"
