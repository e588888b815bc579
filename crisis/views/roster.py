from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aluna.core.access import role_required
from aluna.core.roles import Role

from ..forms.roster import ConfirmForm, ShiftForm
from ..selectors.roster import roster_weeks, shift_get, week_start_for
from ..services.roster import SlotTaken, shift_create, shift_delete

ROSTER_WEEKS = 8


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def roster_view(request):
    """Who is on call in the coming weeks, and a form to add a slot."""
    this_week = week_start_for(day=timezone.localdate())
    initial = {"week_start": this_week, "position": 0}
    form = ShiftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shift_create(actor=request.user, request=request, **form.cleaned_data)
        except SlotTaken:
            form.add_error(None, _("That slot was just taken. Check the roster and retry."))
        else:
            messages.success(request, _("The on-call slot was added."))
            return redirect("crisis:roster")
    context = {
        "form": form,
        "weeks": roster_weeks(start=this_week, weeks=ROSTER_WEEKS),
        "this_week": this_week,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "crisis/roster/roster.html", context, status=status)


@role_required(Role.COORDINATION)
@require_http_methods(["GET", "POST"])
def roster_shift_delete_view(request, shift_id):
    shift = shift_get(shift_id=shift_id)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        shift_delete(shift=shift, actor=request.user, request=request)
        messages.success(request, _("The on-call slot was removed."))
        return redirect("crisis:roster")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "crisis/roster/shift_delete.html", {"shift": shift, "form": form}, status=status
    )
