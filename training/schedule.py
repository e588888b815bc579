"""When the follow-up after a course falls due: +N months after a cohort ends.

Plain date arithmetic shared by the reads (pending follow-ups on the home page)
and the writes (the reminders), so neither has to import the other.
"""

import calendar
import datetime as dt

from django.conf import settings


def follow_up_months() -> list[int]:
    return list(getattr(settings, "TRAINING_FOLLOW_UP_MONTHS", [1, 3, 6]))


def months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
