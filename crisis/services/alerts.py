"""Crisis alerts: who is told of a new crisis, and the escalation when nobody answers.

Run by the Celery tasks of crisis/tasks.py (`crisis.send_alerts` right after a
crisis is saved, `crisis.escalate` every minute). Each person gets at most one
alert per crisis (a unique constraint) and the intervention row is locked while
alerting, so a retried or duplicated task notifies nobody twice. The alert itself
is an in-app notification whose e-mail the notifications app sends after commit.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_noop

from accompaniment.models import RiskLevel
from aluna.notifications.services import notification_send

from ..models import ESCALATING_RISKS, CrisisAlert, CrisisIntervention, CrisisStatus
from ..selectors.roster import on_call_for

logger = logging.getLogger(__name__)

NOTIFICATION_KIND = "crisis"
# One template per risk level: the e-mail states the level in words, and carries
# no parameter that could hold a name or a place.
ALERT_MESSAGES = {
    RiskLevel.LOW: gettext_noop("New crisis, risk level: low. Open it from the crisis board."),
    RiskLevel.MEDIUM: gettext_noop(
        "New crisis, risk level: medium. Open it from the crisis board."
    ),
    RiskLevel.HIGH: gettext_noop("New crisis, risk level: high. Open it from the crisis board."),
    RiskLevel.CRITICAL: gettext_noop(
        "New crisis, risk level: critical. Open it from the crisis board."
    ),
}
ESCALATION_MESSAGES = {
    RiskLevel.HIGH: gettext_noop(
        "Unacknowledged crisis, risk level: high (escalation step %(step)s). Please acknowledge it."
    ),
    RiskLevel.CRITICAL: gettext_noop(
        "Unacknowledged crisis, risk level: critical (escalation step %(step)s). "
        "Please acknowledge it."
    ),
}


def crisis_url(intervention_id) -> str:
    """The crisis page: the only link an alert or reminder carries."""
    return reverse("crisis:crisis-detail", kwargs={"crisis_id": intervention_id})


def _escalation_delay() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "CRISIS_ESCALATION_MINUTES", 30))


def _locked_intervention(intervention_id) -> CrisisIntervention | None:
    return (
        CrisisIntervention.objects.select_for_update(of=("self",))
        .select_related("process")
        .filter(pk=intervention_id)
        .first()
    )


def crisis_alerts_send(*, intervention_id, now: dt.datetime) -> int:
    """Alert the on-call person (roster position 0) and the process team, once each.

    The intervention row is locked and each person has at most one alert per crisis,
    so a retried or duplicated task notifies nobody twice. Returns the number of
    people alerted now.
    """
    with transaction.atomic():
        intervention = _locked_intervention(intervention_id)
        if intervention is None or intervention.status != CrisisStatus.OPEN:
            return 0
        on_call = on_call_for(at=now)[:1]
        team = list(intervention.process.team.filter(is_active=True))
        already = set(
            CrisisAlert.objects.filter(intervention=intervention).values_list(
                "recipient_id", flat=True
            )
        )
        recipients = []
        for user in [*on_call, *team]:
            if user.pk not in already:
                already.add(user.pk)
                recipients.append(user)
        if not recipients:
            return 0
        CrisisAlert.objects.bulk_create(
            CrisisAlert(intervention=intervention, recipient=user, escalation_step=0, sent_at=now)
            for user in recipients
        )
        level = "warning" if intervention.risk_level in ESCALATING_RISKS else "info"
        notification_send(
            recipients=recipients,
            kind=NOTIFICATION_KIND,
            message=ALERT_MESSAGES[RiskLevel(intervention.risk_level)],
            url=crisis_url(intervention.pk),
            level=level,
        )
    logger.info("crisis alert sent to %s people", len(recipients))
    return len(recipients)


def _escalate_one(*, intervention_id, now: dt.datetime, roster: list) -> bool:
    with transaction.atomic():
        intervention = _locked_intervention(intervention_id)
        if intervention is None or intervention.status != CrisisStatus.OPEN:
            return False
        alerts = CrisisAlert.objects.filter(intervention=intervention)
        summary = alerts.aggregate(last_sent=Max("sent_at"), step=Max("escalation_step"))
        if alerts.filter(acknowledged_at__isnull=False).exists():
            return False
        if summary["last_sent"] is None or summary["last_sent"] > now - _escalation_delay():
            return False
        alerted = set(alerts.values_list("recipient_id", flat=True))
        step = (summary["step"] or 0) + 1
        # Roster position n is escalation step n; skip people already alerted.
        candidates = [user for user in roster[step:] if user.pk not in alerted]
        if not candidates:
            return False
        recipient = candidates[0]
        CrisisAlert.objects.create(
            intervention=intervention, recipient=recipient, escalation_step=step, sent_at=now
        )
        notification_send(
            recipients=[recipient],
            kind=NOTIFICATION_KIND,
            message=ESCALATION_MESSAGES[RiskLevel(intervention.risk_level)],
            params={"step": step},
            url=crisis_url(intervention.pk),
            level="danger",
        )
    logger.info("crisis alert escalated to step %s", step)
    return True


def crisis_alerts_escalate(*, now: dt.datetime) -> int:
    """Escalate open high/critical crises whose alerts nobody acknowledged within
    CRISIS_ESCALATION_MINUTES: alert the next person on the roster, once per step.
    Returns the number of escalations made."""
    due = (
        CrisisIntervention.objects.filter(
            status=CrisisStatus.OPEN,
            risk_level__in=ESCALATING_RISKS,
            alerts__isnull=False,
        )
        .exclude(alerts__acknowledged_at__isnull=False)
        .annotate(last_sent=Max("alerts__sent_at"))
        .filter(last_sent__lte=now - _escalation_delay())
        .values_list("pk", flat=True)
    )
    ids = list(due)
    if not ids:
        return 0
    roster = on_call_for(at=now)
    return sum(_escalate_one(intervention_id=pk, now=now, roster=roster) for pk in ids)
