import itertools

import pytest
from django.core.management import call_command
from django.test import Client

from settlements import services
from settlements.models import ResponsibleUnit, WorkTeam
from settlements.roles import Role
from tests import factories

PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_has_passed_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a user who has done every step of the login: for a role whose
    security policy asks for a second factor, the session carries their verified authenticator, as after the
    verify page. The steps themselves are tested through the login page (tests/settlements/test_second_factor.py)."""
    force_login = Client.force_login

    def force_login_with_second_factor(client, user, backend=None):
        force_login(client, user, backend)
        factories.pass_second_factor(client, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _same_test_data_whatever_ran_before(monkeypatch):
    """Each test makes the same household codes, room numbers and ID numbers whatever tests ran before it: a
    room or ID number that happened to contain another test's search term would make a search test pass or
    fail with the number and order of the tests before it."""
    factories.HouseholdFactory.reset_sequence(0)
    monkeypatch.setattr(factories, "_sequence", itertools.count(1))


@pytest.fixture
def reference(db):
    """The reference data from fixtures/, as the set-up command loads it, and the employment rules (which the
    migrations load, but a transactional test's flush removes)."""
    call_command("load_reference_data", verbosity=0)
    call_command("load_employment_rules", verbosity=0)
    call_command("load_rules", verbosity=0)


@pytest.fixture
def plan(reference):
    """The work plan from fixtures/plan_tasks.json: its tasks, deadlines (the facility and photo deadlines among
    them) and targets, as `manage.py load_plan` loads it."""
    call_command("load_plan", verbosity=0)


@pytest.fixture
def make_user(reference):
    """make_user(role, unit_name=None, team_code=None, username=None) -> a user created by the service."""
    counter = iter(range(1, 10_000))

    def make(role, unit_name=None, team_code=None, username=None):
        return services.user_create(
            username=username or f"{role}-{next(counter)}",
            password=PASSWORD,
            role=role,
            full_name="测试用户",
            unit=ResponsibleUnit.objects.get(name=unit_name) if unit_name else None,
            work_team=WorkTeam.objects.get(code=team_code) if team_code else None,
        )

    return make


@pytest.fixture
def users(make_user):
    """One user of each role, with two clerks of different centres."""
    return {
        "office": make_user(Role.OFFICE, "县生态移民局"),
        "leader": make_user(Role.LEADER),
        "team_lead": make_user(Role.TEAM_LEAD, "县人力资源社会保障局", "employment"),
        "reporter": make_user(Role.REPORTER, "县教育科技局"),
        "clerk_wenti": make_user(Role.CLERK, "文体社区服务中心"),
        "clerk_changba": make_user(Role.CLERK, "场坝社区服务中心"),
    }


@pytest.fixture
def administrators(make_user):
    """The three administrators (三员分立)."""
    return {
        "system_admin": make_user(Role.SYSTEM_ADMIN),
        "security_admin": make_user(Role.SECURITY_ADMIN),
        "audit_admin": make_user(Role.AUDIT_ADMIN),
    }


# --- A real Celery worker on Redis ---------------------------------------------------------------------


def database_url_for_subprocess():
    """The URL of the database this test uses (the test database), for a worker process."""
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_queue(transactional_db):
    """Start `celery worker` in its own process, on Redis, reading the test database; yield its queue.

    The queue is unique to the test, so no other worker on the machine takes its jobs.
    """
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("The worker tests need CELERY_BROKER_URL on Redis: run them with scripts/test.")
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "PORTAL_ENV_FILE": os.devnull}
    celery = str(Path(sys.executable).with_name("celery"))
    command = [
        celery,
        "-A",
        "rongjiang_portal",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    log = Path(settings.VAR_DIR) / f"{queue}.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until(condition, timeout=60.0, interval=0.2):
    """Poll `condition` until it is true or `timeout` seconds pass; returns its last value."""
    import time

    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return result


@pytest.fixture
def eager_jobs(settings):
    """Celery jobs run in this process when queued (the Celery app has read its settings already)."""
    from rongjiang_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
