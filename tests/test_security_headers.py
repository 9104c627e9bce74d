"""The headers every response carries (Content-Security-Policy, Permissions-Policy, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy), templates that need no inline script or style, and requests too large for the portal
refused in Chinese (413), never a 500."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from settlements.roles import Role
from tasks import services as task_services
from tests.tasks.factories import make_task

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "display-capture"]


def csp_directives(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def assert_security_headers(response):
    assert csp_directives(response) == POLICY
    permissions = dict(part.strip().split("=") for part in response["Permissions-Policy"].split(","))
    assert all(permissions[feature] == "()" for feature in DENIED_FEATURES), permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def evidence(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = make_user(Role.REPORTER, "县人力资源社会保障局")
    report = task_services.report_submit(
        task=make_task(),
        actor=reporter,
        period=datetime.date.today(),
        progress="本月培训 2 期。",
        files=[SimpleUploadedFile("现场.png", PNG)],
    )
    return reporter, report.evidence.get()


@pytest.mark.django_db
def test_the_login_page_and_a_page_behind_it_carry_the_headers(client, users):
    assert_security_headers(client.get(reverse("login")))
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("household_list"))
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_an_admin_page_carries_the_headers(client, users):
    client.force_login(users["office"])
    response = client.get("/admin/settlements/household/")
    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.django_db
def test_downloads_carry_the_headers(client, users, evidence):
    client.force_login(users["clerk_wenti"])
    template = client.get(reverse("imports:template", args=["registry"]))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_security_headers(template)
    reporter, picture = evidence
    client.force_login(reporter)
    image = client.get(reverse("tasks:evidence", args=[picture.pk]))  # shown in the page, not downloaded
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert_security_headers(image)


@pytest.mark.django_db
def test_static_files_served_by_whitenoise_carry_the_headers(settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ as collectstatic would have copied it
    response = Client().get(settings.STATIC_URL + "js/portal.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "WhiteNoise" in type(response).__name__
    assert_security_headers(response)


@pytest.mark.django_db
def test_error_pages_carry_the_headers(client, users):
    client.force_login(users["clerk_wenti"])
    not_found = client.get("/households/999999/")
    assert not_found.status_code == 404
    assert_security_headers(not_found)


# --- the templates ----------------------------------------------------------------------------------------------

INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
}


def portal_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(settings.BASE_DIR / ".venv")
    ]
    return sorted(path for folder in folders if folder.exists() for path in folder.rglob("*.html"))


def test_templates_hold_no_inline_script_handler_or_style():
    """The policy would refuse them: behaviour goes in static/js/ (data attributes, static/js/portal.js), data in
    json_script, looks in static/css/portal.css."""
    templates = portal_templates()
    assert len(templates) > 50 and any(path.name == "base.html" for path in templates)
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_htmx_injects_no_style_and_evaluates_nothing():
    base = (settings.BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles": false, "allowEval": false' in base
    assert ".htmx-request .htmx-indicator" in (settings.BASE_DIR / "static/css/portal.css").read_text()


# --- requests too large ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_larger_than_request_max_mb_is_refused_before_it_is_read(client, settings):
    settings.REQUEST_MAX_MB = 1
    response = client.post(
        reverse("imports:upload"), data=b"x" * (1024 * 1024 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "一次提交不能超过 1 MB" in page
    assert_security_headers(response)


@pytest.mark.django_db
def test_form_fields_too_large_or_too_many_are_refused_in_chinese(client, users):
    client.force_login(users["clerk_wenti"])
    too_large = client.post(reverse("household_create"), {"code": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    assert too_large.status_code == 413 and "提交的内容过大" in too_large.content.decode()
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    too_many = client.post(reverse("household_create"), fields)
    assert too_many.status_code == 413 and "表单字段、文件过多" in too_many.content.decode()


@pytest.mark.django_db
def test_too_many_files_are_refused_in_chinese(client, users):
    client.force_login(users["clerk_wenti"])
    files = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = client.post(reverse("imports:upload"), {"kind": "registry", "file": files})
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()


@pytest.mark.django_db
def test_a_request_for_another_host_gets_a_chinese_400_not_a_500(client):
    response = client.get(reverse("login"), HTTP_HOST="portal.elsewhere.example")
    assert response.status_code == 400
    assert "请求无法处理" in response.content.decode()
