"""The subject pickers' type-ahead: a POST (the text typed may be a name, so it never
travels in a URL or a query string), answered with aliases and initials in JSON."""

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from aluna.core.access import role_required
from aluna.core.roles import Role

from ..selectors.subjects import PICKER_QUERY_MAX_LENGTH, picker_label, subject_picker_matches
from ..services.subjects import subject_record_picker_search


class PickerSearchForm(forms.Form):
    q = forms.CharField(
        max_length=PICKER_QUERY_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Type part of an alias or the initials."),
            "max_length": gettext_lazy("Type at most 80 characters."),
        },
    )
    kind = forms.ChoiceField(choices=[("", ""), ("collective", "collective")], required=False)


@role_required(Role.COORDINATION, Role.ACCOMPANIMENT)
@require_POST
@never_cache
def subject_picker_search(request):
    form = PickerSearchForm(request.POST)
    if not form.is_valid():
        error = form.errors["q"][0] if "q" in form.errors else _("Check what you typed.")
        return JsonResponse({"results": [], "more": False, "error": error}, status=400)
    subjects, more = subject_picker_matches(
        user=request.user,
        query=form.cleaned_data["q"],
        collectives_only=form.cleaned_data["kind"] == "collective",
    )
    subject_record_picker_search(actor=request.user, results=len(subjects), request=request)
    results = [
        {"id": str(s.pk), "alias": s.alias, "initials": s.initials, "label": picker_label(s)}
        for s in subjects
    ]
    return JsonResponse({"results": results, "more": more})
