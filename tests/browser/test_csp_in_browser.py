"""The Content-Security-Policy in Chromium: a script, an event handler, a javascript: link or a style injected into
a page the portal served does not run, while the portal's own scripts (static files) all work under the policy,
in the portal's pages and in the admin, without one violation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from settlements import services
from settlements.models import LedgerImport, ResponsibleUnit
from settlements.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.factories import household_with_head
from tests.tasks.factories import make_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = (
    "<script>window.injectedScript = true;</script>"
    '<img src="/static/no-such-image.png" onerror="window.injectedHandler = true">'
    '<a id="injected-link" href="javascript:window.injectedUrl = true">链接</a>'
    '<p id="injected-style" style="color: rgb(255, 0, 0)">样式</p>'
)


def csp_violations(page) -> list[str]:
    """The messages Chromium logs for what the policy refused, as they come."""
    violations = []
    page.on(
        "console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else 0
    )
    return violations


def serve_with_injection(page, path, *, keep_policy: bool):
    """Serve `path` as the portal answers it, with INJECTED before </body> (and without its CSP header unless
    `keep_policy`)."""

    def inject(route):
        response = route.fetch()
        dropped = {"content-length"} if keep_policy else {"content-length", "content-security-policy"}
        headers = {name: value for name, value in response.headers.items() if name.lower() not in dropped}
        route.fulfill(response=response, headers=headers, body=response.text().replace("</body>", INJECTED + "</body>"))

    page.route(f"**{path}", inject)


def what_ran(page) -> dict:
    return page.evaluate(
        """() => ({
            script: window.injectedScript === true,
            handler: window.injectedHandler === true,
            url: window.injectedUrl === true,
            style: getComputedStyle(document.getElementById("injected-style")).color === "rgb(255, 0, 0)",
        })"""
    )


def login(page, username):
    """Through the real login, and the second factor where the role needs one (its enrolment page included)."""
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def test_an_injected_inline_script_handler_link_and_style_do_not_run(page, browser, live_server):
    violations = csp_violations(page)
    serve_with_injection(page, "/accounts/login/", keep_policy=True)
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")  # the image has failed, its onerror handler refused
    with page.expect_console_message(lambda message: "JavaScript URL" in message.text):
        page.click("#injected-link")
    assert what_ran(page) == {"script": False, "handler": False, "url": False, "style": False}
    assert any("inline script" in text for text in violations), violations
    assert any("inline event handler" in text for text in violations), violations
    assert any("inline style" in text for text in violations), violations

    # The control: the same page without the policy runs all four, so it is the policy that stopped them.
    context = browser.new_context(base_url=live_server.url)
    unprotected = context.new_page()
    serve_with_injection(unprotected, "/accounts/login/", keep_policy=False)
    unprotected.goto("/accounts/login/")
    unprotected.wait_for_load_state("load")
    unprotected.click("#injected-link")
    unprotected.wait_for_function("window.injectedUrl === true")  # no policy here to refuse the evaluation
    assert what_ran(unprotected) == {"script": True, "handler": True, "url": True, "style": True}
    context.close()


def test_the_portals_own_scripts_work_under_the_policy(page, reference, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    centre = ResponsibleUnit.objects.get(name="文体社区服务中心")
    clerk = services.user_create(username="clerk", password=PASSWORD, role=Role.CLERK, full_name="龙文员", unit=centre)
    services.user_create(
        username="office",
        password=PASSWORD,
        role=Role.OFFICE,
        full_name="杨主任",
        unit=ResponsibleUnit.objects.get(name="县生态移民局"),
    )
    services.user_create(username="sysadmin", password=PASSWORD, role=Role.SYSTEM_ADMIN, full_name="王管理")
    household, head = household_with_head("fumin")
    make_task(title="逾期的任务", deadlines=[timezone.localdate() - datetime.timedelta(days=10)])
    running = LedgerImport.objects.create(kind="registry", user=clerk, file="imports/x.xlsx", file_name="台账.xlsx")
    LedgerImport.objects.filter(pk=running.pk).update(status="checking", progress=40)
    violations = csp_violations(page)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept() if "查看完整身份证号" in dialog.message else dialog.dismiss()

    page.on("dialog", answer)
    login(page, "clerk")

    # The household form adds a member row (static/js/member_rows.js).
    page.goto("/households/new/")
    page.get_by_role("button", name="添加一行").click()
    assert page.locator("#id_members-1-name").is_visible()

    # htmx reveals one full ID number after its own confirmation (no eval, no inline style).
    page.goto(f"/households/{household.pk}/")
    page.get_by_role("button", name="显示").click()
    assert page.get_by_test_id("full-id-number").inner_text() == head.id_number

    # data-print prints the household's file (the page's own print, replaced here to see it called).
    page.goto(f"/households/{household.pk}/file/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") is True

    # data-confirm asks before the full-number export; dismissed, nothing is exported.
    page.goto("/persons/")
    page.get_by_role("link", name="导出Excel（含完整身份证号）").click()
    assert page.url.endswith("/persons/")
    assert dialogs == [
        "查看完整身份证号将被记录，确定查看吗？",
        "导出完整身份证号属于个人信息导出，将记录您的账号、时间和导出人数。确定导出吗？",
    ]

    # The progress bar's width comes from data-progress; the kind filter submits itself.
    page.goto(f"/imports/{running.pk}/")
    assert page.get_by_test_id("import-progress").locator(".progress-bar").evaluate("bar => bar.style.width") == "40%"
    page.goto("/imports/")
    page.select_option("#kind-filter", "registry")
    page.wait_for_url("**/imports/?kind=registry")

    # The office's overview draws its charts, tooltips included, inside the SVG.
    login(page, "office")
    page.goto("/overview/")
    chart = page.locator("#chart-teams svg")
    chart.wait_for()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The legend names 已逾期 once; the tooltip, drawn in the SVG, names it again.
    expect(page.locator("#chart-teams svg text").filter(has_text="已逾期")).to_have_count(2)
    assert page.locator("#chart-units svg").is_visible()

    # The admin's own scripts: the household with its member inline (the office), a work team with the lead
    # unit's autocomplete (the system administrator).
    page.goto(f"/admin/settlements/household/{household.pk}/change/")
    assert page.locator("#id_code").input_value() == household.code
    login(page, "sysadmin")
    page.goto("/admin/settlements/workteam/add/")
    page.locator(".select2-selection").first.click()
    page.keyboard.type("文体")
    page.get_by_role("option", name="文体社区服务中心").wait_for()

    assert violations == []
