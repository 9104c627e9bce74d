"""The portal's Celery application: a worker and one beat run the scheduled jobs."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongjiang_portal.settings")

app = Celery("rongjiang_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
