from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.core.access import role_required
from aluna.core.roles import Role

from ..forms.catalogues import (
    CatalogueEntryActivationForm,
    CatalogueEntrySearchForm,
    catalogue_entry_form_class,
)
from ..selectors.catalogues import (
    catalogue_entries_for_list_page,
    catalogue_entry_get,
    catalogue_get,
    catalogue_next_position,
    catalogue_summaries,
)
from ..services.catalogues import (
    catalogue_entry_create,
    catalogue_entry_set_active,
    catalogue_entry_update,
)

CATALOGUE_PAGE_SIZE = 50


# --- Catalogues (administración) --------------------------------------------------


@role_required(Role.ADMINISTRATION)
def catalogue_list(request):
    summaries = catalogue_summaries()
    return render(request, "accompaniment/catalogue_list.html", {"summaries": summaries})


@role_required(Role.ADMINISTRATION)
def catalogue_entries(request, catalogue):
    catalogue = catalogue_get(slug=catalogue)
    search_form = CatalogueEntrySearchForm(request.GET)
    filters = search_form.cleaned_data if search_form.is_valid() else {}
    entries = catalogue_entries_for_list_page(
        catalogue=catalogue, search=filters.get("q", ""), status=filters.get("status", "")
    )
    page = Paginator(entries, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "catalogue": catalogue,
        "search_form": search_form,
        "filtered": bool(filters.get("q") or filters.get("status")),
        "page_obj": page,
        "query": query.urlencode(),
    }
    return render(request, "accompaniment/catalogue_entries.html", context)


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def catalogue_entry_create_view(request, catalogue):
    catalogue = catalogue_get(slug=catalogue)
    initial = {"position": catalogue_next_position(catalogue=catalogue)}
    form = catalogue_entry_form_class(catalogue)(
        request.POST or None, catalogue=catalogue, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        entry = catalogue_entry_create(
            catalogue=catalogue, actor=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, _("“%(label)s” was added.") % {"label": entry.label})
        return redirect("accompaniment:catalogue-entries", catalogue=catalogue.slug)
    context = {"catalogue": catalogue, "form": form, "entry": None}
    return render(request, "accompaniment/catalogue_entry_form.html", context)


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def catalogue_entry_edit_view(request, catalogue, pk):
    catalogue = catalogue_get(slug=catalogue)
    entry = catalogue_entry_get(catalogue=catalogue, pk=pk)
    form = catalogue_entry_form_class(catalogue)(
        request.POST or None, instance=entry, catalogue=catalogue
    )
    if request.method == "POST" and form.is_valid():
        # The service compares with the stored row, not with the form's instance
        # (which validation has already modified).
        entry = catalogue_entry_update(
            catalogue=catalogue,
            entry=catalogue_entry_get(catalogue=catalogue, pk=pk),
            actor=request.user,
            data=form.cleaned_data,
            request=request,
        )
        messages.success(request, _("“%(label)s” was saved.") % {"label": entry.label})
        return redirect("accompaniment:catalogue-entries", catalogue=catalogue.slug)
    context = {"catalogue": catalogue, "form": form, "entry": entry}
    return render(request, "accompaniment/catalogue_entry_form.html", context)


@role_required(Role.ADMINISTRATION)
@require_http_methods(["GET", "POST"])
def catalogue_entry_toggle_view(request, catalogue, pk):
    """GET asks for confirmation; only POST changes anything."""
    catalogue = catalogue_get(slug=catalogue)
    entry = catalogue_entry_get(catalogue=catalogue, pk=pk)
    initial = {"is_active": "0" if entry.is_active else "1"}
    form = CatalogueEntryActivationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        is_active = form.cleaned_data["is_active"]
        catalogue_entry_set_active(
            catalogue=catalogue,
            entry=entry,
            is_active=is_active,
            actor=request.user,
            request=request,
        )
        if is_active:
            message = _("“%(label)s” is active again.")
        else:
            message = _("“%(label)s” was deactivated. Records that use it keep it.")
        messages.success(request, message % {"label": entry.label})
        return redirect("accompaniment:catalogue-entries", catalogue=catalogue.slug)
    context = {"catalogue": catalogue, "entry": entry, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "accompaniment/catalogue_entry_toggle.html", context, status=status)
