"""Security's scheduled tasks keep the names the beat schedule and the outbox hold."""

from django.conf import settings

from aluna.celery import app


def test_beat_can_find_every_security_task_by_its_name():
    scheduled = {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("security.")
    }

    assert scheduled == {
        "security.tasks.check_overdue_checkins",
        "security.tasks.purge_closed_checkins",
        "security.tasks.send_measure_expiry_reminders",
        "security.tasks.send_plan_review_reminders",
    }
    assert scheduled <= set(app.tasks)
