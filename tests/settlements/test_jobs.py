import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from settlements import services
from settlements.tasks import purge_expired_sessions
from tests.conftest import wait_until


def make_session(expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["marker"] = True
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return store.session_key


@pytest.mark.django_db
def test_purge_removes_only_expired_sessions():
    expired = make_session(-datetime.timedelta(minutes=1))
    alive = make_session(datetime.timedelta(minutes=10))
    assert services.sessions_purge_expired() == 1
    assert set(Session.objects.values_list("session_key", flat=True)) == {alive}
    assert expired not in Session.objects.values_list("session_key", flat=True)


def test_the_purge_is_scheduled_daily_in_shanghai_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-sessions"]
    assert entry["task"] == purge_expired_sessions.name
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert entry["schedule"].hour == {3}


@pytest.mark.worker
def test_purge_runs_in_a_real_celery_worker_on_redis(celery_worker_queue):
    expired = make_session(-datetime.timedelta(minutes=1))
    alive = make_session(datetime.timedelta(minutes=10))
    purge_expired_sessions.apply_async(queue=celery_worker_queue)
    assert wait_until(lambda: not Session.objects.filter(session_key=expired).exists())
    assert Session.objects.filter(session_key=alive).exists()
