"""The nightly zero-employment alert: once per household per episode, to the settlement's centre."""

import pytest

from employment import alerts, services
from employment.models import EmploymentEnd, EmploymentKind, ZeroEmploymentEpisode
from settlements.roles import Role
from tasks.models import Notification
from tests.conftest import wait_until

from .factories import D, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_job(clerk):
    """A 富民 household whose only worker lost the job on 2026-11-20."""
    household, (worker,) = family()
    job = services.employment_start(
        person=worker, actor=clerk, kind=EmploymentKind.LOCAL_FIRM, employer_name="某厂", start_date=D(2025, 1, 1)
    )
    services.employment_end(employment=job, end_date=D(2026, 11, 20), reason=EmploymentEnd.LOST, actor=clerk)
    return household, worker


def test_the_centre_is_alerted_once_per_episode(clerk, make_user, lost_job):
    household, worker = lost_job
    other_centre = make_user(Role.CLERK, "场坝社区服务中心")
    assert alerts.zero_employment_alerts_send(D(2026, 11, 21)) == 1
    assert alerts.zero_employment_alerts_send(D(2026, 11, 21)) == 0  # the same night again
    assert alerts.zero_employment_alerts_send(D(2026, 11, 22)) == 0  # the next night: same episode
    note = Notification.objects.get(recipient=clerk)
    assert household.code in note.title and "2026-11-20离岗" in note.body
    assert not Notification.objects.filter(recipient=other_centre).exists()

    # back in work: the episode closes; losing work again opens a new one, alerted once more
    job = services.employment_start(
        person=worker, actor=clerk, kind=EmploymentKind.FLEXIBLE, start_date=D(2026, 11, 22)
    )
    assert alerts.zero_employment_alerts_send(D(2026, 11, 23)) == 0
    assert ZeroEmploymentEpisode.objects.get().ended_on == D(2026, 11, 23)
    services.employment_end(employment=job, end_date=D(2026, 11, 22), reason=EmploymentEnd.QUIT, actor=clerk)
    assert alerts.zero_employment_alerts_send(D(2026, 11, 23)) == 1
    assert Notification.objects.filter(recipient=clerk, title__startswith="零就业家庭").count() == 2


def test_the_alert_is_scheduled_nightly_in_shanghai_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["alert-zero-employment-households"]
    assert entry["task"] == alerts.alert_zero_employment_households.name
    assert entry["schedule"].hour == {2}


@pytest.mark.worker
def test_the_alert_runs_in_a_real_worker_twice_and_alerts_once(clerk, lost_job, celery_worker_queue):
    for _ in range(2):
        alerts.alert_zero_employment_households.apply_async(args=["2026-11-21"], queue=celery_worker_queue)
    assert wait_until(lambda: ZeroEmploymentEpisode.objects.exists())
    assert wait_until(lambda: Notification.objects.filter(recipient=clerk).count() == 1, timeout=10)
    # let a possible second alert land before counting again
    assert not wait_until(lambda: Notification.objects.filter(recipient=clerk).count() > 1, timeout=3)
    assert ZeroEmploymentEpisode.objects.count() == 1
