"""The portal's settings and its two ways of serving: the embedded default and production."""

import base64
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
SETTINGS_VARIABLES = [
    "DEBUG",
    "SECRET_KEY",
    "PERSONAL_DATA_KEYS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "PORTAL_VAR_DIR",
    "STATIC_ROOT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
]


def environment(tmp_path: Path, **values) -> dict:
    """The process environment without the test run's settings, plus `values`; no .env file is read."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    base.update(PORTAL_ENV_FILE=os.devnull, PORTAL_VAR_DIR=str(tmp_path / "var"))
    base.update(values)
    return base


def production(tmp_path: Path, **values) -> dict:
    defaults = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.rongjiang.example",
        "DATABASE_URL": "postgres://portal:secret@127.0.0.1:5432/portal",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://mail.rongjiang.example:25",
        "PERSONAL_DATA_KEYS": personal_data_key(1),
    }
    return environment(tmp_path, **{**defaults, **values})


def personal_data_key(version: int) -> str:
    """A `version:base64key` entry of PERSONAL_DATA_KEYS, as the README says to make one."""
    return f"{version}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def manage(env, *args, timeout=120):
    return subprocess.run([*MANAGE, *args], env=env, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, timeout=60):
    """GET `url` once the server answers; returns (status, body).

    The first request of a fresh worker loads the whole portal, which on a loaded machine can take a while:
    each attempt may wait for the rest of the time allowed.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=max(deadline - time.monotonic(), 1)) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage(production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS", "EMAIL_URL", "PERSONAL_DATA_KEYS"]
)
def test_production_refuses_to_start_without_its_configuration(tmp_path, missing):
    env = production(tmp_path)
    del env[missing]
    result = manage(env, "check")
    assert result.returncode != 0
    assert f"环境变量 {missing} 未设置" in result.stderr


def test_a_command_without_its_configuration_names_what_is_missing(tmp_path):
    """Django would run the command without its apps and fail with "Models aren't loaded yet"."""
    result = manage(environment(tmp_path), "migrate", "--check")
    assert result.returncode != 0
    assert "环境变量 SECRET_KEY 未设置" in result.stderr and "DEBUG=true" in result.stderr
    assert "AppRegistryNotReady" not in result.stderr
    local = manage(environment(tmp_path, DEBUG="true"), "makemigrations", "--check", "--dry-run")
    assert local.returncode == 0, local.stderr


def test_comparing_models_with_migrations_needs_no_configuration(tmp_path):
    """`makemigrations --check` reads code only: it passes in an empty environment, as CI and a reviewer run it."""
    for arguments in (("--check",), ("--check", "--dry-run")):
        result = manage(environment(tmp_path), "makemigrations", *arguments)
        assert result.returncode == 0, result.stderr
        assert "No changes detected" in result.stdout


def test_production_refuses_a_weak_secret_key(tmp_path):
    result = manage(production(tmp_path, SECRET_KEY="short"), "check")
    assert result.returncode != 0
    assert "SECRET_KEY 太短或不安全" in result.stderr


@pytest.mark.parametrize(
    "keys",
    [
        "1:c2hvcnQ=",  # 5 bytes
        "one:" + base64.b64encode(b"k" * 32).decode(),
        "1:not base64!",
        "1:" + base64.b64encode(b"k" * 32).decode() + ",1:" + base64.b64encode(b"j" * 32).decode(),  # a version twice
        "1:" + base64.b64encode(b"local-development-personal-data-key-not-secret").decode(),  # DEBUG's own key
    ],
)
def test_production_refuses_a_malformed_or_development_personal_data_key(tmp_path, keys):
    result = manage(production(tmp_path, PERSONAL_DATA_KEYS=keys), "check")
    assert result.returncode != 0
    assert "PERSONAL_DATA_KEYS" in result.stderr


def test_production_accepts_two_personal_data_keys_during_a_rotation(tmp_path):
    keys = f"{personal_data_key(2)},{personal_data_key(1)}"
    result = manage(production(tmp_path, PERSONAL_DATA_KEYS=keys), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


@contextlib.contextmanager
def run_server(command, env, port):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_embedded_default_migrates_on_sqlite_and_serves_the_login_page(tmp_path):
    env = environment(tmp_path, DEBUG="true")
    assert "DATABASE_URL" not in env
    migrated = manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    assert (tmp_path / "var" / "portal.sqlite3").exists()
    port = free_port()
    with run_server([*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"], env, port) as base:
        status, body = fetch(f"{base}/accounts/login/")
        assert status == 200 and "登录" in body and settings.PORTAL_TITLE in body
        status, css = fetch(f"{base}/static/vendor/bootstrap/bootstrap.min.css")
        assert status == 200 and "Bootstrap" in css


def test_production_serves_pages_and_its_own_assets_with_gunicorn(tmp_path):
    port = free_port()
    env = production(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    env["STATIC_ROOT"] = str(tmp_path / "static")
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = manage(env, *args, timeout=300)
        assert result.returncode == 0, result.stderr
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir", str(settings.BASE_DIR)]
    with run_server([*command, "rongjiang_portal.wsgi:application"], env, port) as base:
        status, body = fetch(f"{base}/accounts/login/")
        assert status == 200 and "登录" in body
        stylesheet = next(part.split('"')[0] for part in body.split('href="') if "bootstrap" in part.split('"')[0])
        assert stylesheet.startswith("/static/vendor/bootstrap/bootstrap.") and stylesheet != (
            "/static/vendor/bootstrap/bootstrap.min.css"
        ), "a hashed file name from the manifest"
        status, css = fetch(base + stylesheet)
        assert status == 200 and "Bootstrap" in css
