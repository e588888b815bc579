"""Crisis entries of the process timeline (registered from CrisisConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accompaniment.timeline import TimelineEntry

from .models import CrisisIntervention


def intervention_entries(*, process, user, since=None, limit=None):
    crises = CrisisIntervention.objects.filter(process=process).order_by("-contacted_at")
    if since is not None:
        crises = crises.filter(contacted_at__gte=since)
    # The encrypted actions and referrals stay on the crisis page.
    crises = crises.only("id", "process_id", "contacted_at", "risk_level", "channel", "status")
    for crisis in crises[:limit] if limit else crises:
        yield TimelineEntry(
            when=crisis.contacted_at,
            kind="crisis",
            title=_("Crisis intervention · risk %(risk)s")
            % {"risk": crisis.get_risk_level_display()},
            url=reverse("crisis:crisis-detail", kwargs={"crisis_id": crisis.pk}),
            detail=f"{crisis.get_channel_display()} · {crisis.get_status_display()}",
        )
