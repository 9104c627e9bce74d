"""Photos in a real browser, on a facility's page (the first owner): a clerk picks several photos at once, sees
them as thumbnails (served by the portal under its Content-Security-Policy), opens one at print size, is told in
Chinese why a PDF is refused, and deletes one after the confirmation page."""

import pytest

from settlements import services
from settlements.models import Facility, FacilityKind, Photo, ResponsibleUnit, Settlement, User
from settlements.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.settlements.test_photos import PDF, exif_of, halves, jpeg, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def owner_page(settings, reference, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = User.objects.create_superuser("setup", password=PASSWORD)
    market = services.facility_save(
        actor=office,
        facility=Facility(name="富民农贸市场"),
        kinds=FacilityKind.objects.filter(code="farmers_market"),
        settlements=Settlement.objects.filter(code="fumin"),
        attributes={},
    )
    return f"/facilities/{market.pk}/"


def picked(name, content, mime="image/jpeg"):
    return {"name": name, "mimeType": mime, "buffer": content}


def test_clerk_uploads_views_and_deletes_photos(page, owner_page, screenshot_dir):
    services.user_create(
        username="clerk",
        password=PASSWORD,
        role=Role.CLERK,
        full_name="龙文员",
        unit=ResponsibleUnit.objects.get(name="文体社区服务中心"),
    )
    log_in(page, "clerk", PASSWORD)
    page.goto(owner_page)
    assert page.get_by_test_id("photo-count").inner_text() == "共 0 张"
    chooser = page.locator('input[type="file"][name="photos"]')
    assert chooser.get_attribute("accept") == "image/*" and chooser.get_attribute("multiple") is not None

    sideways = jpeg(halves((1200, 600)), exif=exif_of(orientation=6, taken="2026:04:03 10:20:30", gps=True))
    chooser.set_input_files([picked("竖拍.jpg", sideways), picked("门牌.png", png(halves((800, 600))), "image/png")])
    page.fill("#photo_caption", "入户走访")
    page.get_by_role("button", name="上传照片").click()
    page.wait_for_load_state()
    assert "已上传 2 张照片。" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("photo-count").inner_text() == "共 2 张"
    assert "拍摄于 2026-04-03 10:20" in page.get_by_test_id("photo").first.inner_text()
    page.wait_for_function("[...document.querySelectorAll('.photo-tile img')].every(i => i.complete)")
    sizes = page.locator(".photo-tile img").evaluate_all("images => images.map(i => [i.naturalWidth, i.naturalHeight])")
    assert sizes == [[160, 320], [320, 240]]  # the thumbnails, the first turned upright
    page.screenshot(path=screenshot_dir / "photo-gallery.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "photo-gallery-phone.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    chooser.set_input_files([picked("通知.pdf", PDF, "application/pdf")])
    page.get_by_role("button", name="上传照片").click()
    page.wait_for_load_state()
    assert "文件“通知.pdf”不是图片" in page.locator(".alert-danger").inner_text()
    assert Photo.objects.count() == 2

    with page.expect_navigation():
        page.locator(".photo-tile a").first.click()
    assert page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [600, 1200]
    page.go_back()

    page.get_by_role("link", name="删除").first.click()
    page.wait_for_url("**/delete/**")
    assert "确定删除服务设施" in page.content()
    page.get_by_role("button", name="确认删除").click()
    page.wait_for_url(f"**{owner_page}")
    assert "已删除照片。" in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("photo-count").inner_text() == "共 1 张"
    assert Photo.objects.count() == 1
