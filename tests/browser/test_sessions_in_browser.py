"""On a phone-sized screen (375 px wide), a clerk finds this month's gratitude session missing (grey) on the
settlement's calendar, records it with two photos taken on the phone, and the month's cell turns green."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from culture.models import Session, SessionKind
from settlements import services as registry_services
from settlements.models import Photo, ResponsibleUnit, Settlement
from settlements.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.culture import session_factories as make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(color) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (800, 600), color).save(output, "JPEG", quality=85)
    return output.getvalue()


def test_a_clerk_records_this_months_gratitude_session_with_two_photos_and_the_month_turns_green(
    page, reference, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path / "media"
    registry_services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    make.moved_in("fumin")
    fumin = Settlement.objects.get(code="fumin")
    month = f"{timezone.localdate():%Y-%m}"
    cell = f"cell-gratitude-{month}"
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, "clerk", PASSWORD)

    page.goto(f"/culture/sessions/calendar/{fumin.pk}/")
    assert page.get_by_test_id(cell).get_attribute("data-state") == "not_due"
    page.get_by_role("link", name="登记活动").click()
    assert page.locator("#id_settlement").input_value() == str(fumin.pk)
    page.select_option("#id_kind", SessionKind.GRATITUDE.value)
    page.fill("#id_held_on", f"{timezone.localdate():%Y-%m-%d}")
    page.fill("#id_title", "感党恩、听党话、跟党走")
    page.fill("#id_venue_text", "富民小区广场")
    page.select_option("#id_organiser", label="文体社区服务中心")
    page.fill("#id_participant_count", "52")
    chooser = page.locator('input[type="file"][name="photos"]')
    assert chooser.get_attribute("accept") == "image/*" and chooser.get_attribute("multiple") is not None
    chooser.set_input_files(
        [
            {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg((200, 40, 40))},
            {"name": "签到.jpg", "mimeType": "image/jpeg", "buffer": jpeg((40, 40, 200))},
        ]
    )
    page.screenshot(path=screenshot_dir / "session-form-phone.png", full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/culture/sessions/*/")
    assert "已保存教育活动。" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("photo-count").inner_text() == "共 2 张"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # no sideways scrolling on the phone
    page.screenshot(path=screenshot_dir / "session-phone.png", full_page=True)
    assert Session.objects.get().participant_count == 52 and Photo.objects.count() == 2

    page.get_by_role("link", name="富民", exact=True).first.click()
    green = page.get_by_test_id(cell)
    assert green.get_attribute("data-state") == "held" and green.inner_text() == "1"
    page.screenshot(path=screenshot_dir / "session-calendar-phone.png", full_page=True)
