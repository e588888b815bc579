import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aluna.settings")

app = Celery("aluna")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
