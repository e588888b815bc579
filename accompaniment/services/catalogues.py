from django.db import transaction

from aluna.audit.models import AuditAction
from aluna.audit.services import audit_record, audit_target_type

from ..catalogues import Catalogue
from ..models import CatalogueEntry

# --- Catalogues -------------------------------------------------------------------


def _audit_catalogue_change(
    *, action: str, catalogue: Catalogue, entry: CatalogueEntry, actor, request, **metadata
) -> None:
    audit_record(
        action=action,
        actor=actor,
        target_type=audit_target_type(entry),
        target_id=str(entry.pk),
        request=request,
        metadata={"catalogue": catalogue.slug, "code": entry.code, **metadata},
    )


def catalogue_entry_create(
    *, catalogue: Catalogue, actor, data: dict, request=None
) -> CatalogueEntry:
    """Add an entry to `catalogue` from validated form data.

    Side effects: inserts the entry and an audit event, in one transaction.
    """
    entry = catalogue.model(**{name: data[name] for name in catalogue.fields if name in data})
    entry.full_clean()
    with transaction.atomic():
        entry.save(force_insert=True)
        _audit_catalogue_change(
            action=AuditAction.CREATE,
            catalogue=catalogue,
            entry=entry,
            actor=actor,
            request=request,
        )
    return entry


def catalogue_entry_update(
    *, catalogue: Catalogue, entry: CatalogueEntry, actor, data: dict, request=None
) -> CatalogueEntry:
    """Change the labels, position (and dimension) of an entry. The code never changes:
    reports and exports refer to it.

    Side effects: updates the entry and inserts an audit event naming the changed
    fields, in one transaction. Nothing is written when nothing changed.
    """
    changed = [
        name
        for name in catalogue.fields
        if name != "code" and name in data and getattr(entry, name) != data[name]
    ]
    if not changed:
        return entry
    for name in changed:
        setattr(entry, name, data[name])
    entry.full_clean()
    with transaction.atomic():
        entry.save(update_fields=changed)
        _audit_catalogue_change(
            action=AuditAction.UPDATE,
            catalogue=catalogue,
            entry=entry,
            actor=actor,
            request=request,
            changed=":".join(changed),
        )
    return entry


def catalogue_entry_set_active(
    *, catalogue: Catalogue, entry: CatalogueEntry, is_active: bool, actor, request=None
) -> CatalogueEntry:
    """Deactivate or reactivate an entry. Entries are never deleted: records that use
    one keep showing it, forms stop offering it.

    Side effects: updates the entry and inserts an audit event, in one transaction.
    Nothing is written when the entry is already in that state (a double submit).
    """
    if entry.is_active == is_active:
        return entry
    with transaction.atomic():
        entry.is_active = is_active
        entry.save(update_fields=["is_active"])
        _audit_catalogue_change(
            action=AuditAction.UPDATE,
            catalogue=catalogue,
            entry=entry,
            actor=actor,
            request=request,
            is_active=is_active,
        )
    return entry
