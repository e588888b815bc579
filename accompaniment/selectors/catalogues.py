from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ..catalogues import CATALOGUES, Catalogue
from ..models import CatalogueEntry

# --- Catalogues -------------------------------------------------------------------


def active_entries(model: type[CatalogueEntry]) -> QuerySet:
    """The entries a form may offer: active ones, in catalogue order."""
    return model.objects.filter(is_active=True)


def catalogue_get(*, slug: str) -> Catalogue:
    try:
        return CATALOGUES[slug]
    except KeyError:
        raise Http404 from None


def catalogue_entry_get(*, catalogue: Catalogue, pk) -> CatalogueEntry:
    try:
        return catalogue.model.objects.get(pk=pk)
    except catalogue.model.DoesNotExist:
        raise Http404 from None


def catalogue_summaries() -> list[dict]:
    """Every catalogue with its number of entries and of active ones (one query each)."""
    summaries = []
    for catalogue in CATALOGUES.values():
        counts = catalogue.model.objects.aggregate(
            total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
        )
        summaries.append({"catalogue": catalogue, **counts})
    return summaries


def catalogue_entries_for_list_page(
    *, catalogue: Catalogue, search: str = "", status: str = ""
) -> QuerySet:
    entries = catalogue.model.objects.all()
    if search:
        entries = entries.filter(
            Q(code__icontains=search)
            | Q(label_es__icontains=search)
            | Q(label_en__icontains=search)
        )
    if status == "active":
        entries = entries.filter(is_active=True)
    elif status == "inactive":
        entries = entries.filter(is_active=False)
    return entries


def catalogue_next_position(*, catalogue: Catalogue) -> int:
    """A position after the last entry, so a new entry lands at the end by default."""
    last = catalogue.model.objects.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 10
