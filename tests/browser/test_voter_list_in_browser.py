"""The office builds a committee's voter list from the registry, posts it (refused at 19 days before election
day, accepted at 20) and opens the 张榜 sheet to print: names grouped by building, no ID number."""

import datetime

import pytest

from governance.models import Election
from settlements import services as registry_services
from settlements.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.governance import committee_factories as make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_posts_a_voter_list_and_prints_it(page, reference, screenshot_dir):
    registry_services.user_create(username="office", password=PASSWORD, role=Role.OFFICE, full_name="领导小组办公室")
    election = make.election(make.committee(("fumin",), name="富民社区居民委员会"))
    voter = make.resident(name="龙光明", building="3栋")
    make.resident(name="吴秀英", building="1栋")
    make.resident(name="杨小明", birth=datetime.date(2010, 1, 1))  # a child: not a voter

    log_in(page, "office", PASSWORD)
    page.get_by_role("link", name="社区治理").first.click()
    page.get_by_role("link", name="选举", exact=True).click()
    page.get_by_test_id("elections").get_by_role("link", name="富民社区居民委员会").click()
    page.get_by_role("link", name="选民名单").click()
    page.get_by_role("link", name="按户籍台账生成（刷新）名单").click()
    page.get_by_role("button", name="确定").click()
    assert "新增 2 人" in page.locator(".alert-success").inner_text()
    assert "在名单上 2 人" in page.get_by_test_id("voter-summary").inner_text()

    page.get_by_role("link", name="登记张榜公布").click()
    page.fill("#id_list_posted_on", "2019-09-01")
    page.get_by_role("button", name="保存").click()
    error = page.locator(".invalid-feedback").inner_text()
    assert "2019-09-01" in error and "2019-09-20" in error and "20 天" in error
    page.fill("#id_list_posted_on", "2019-08-31")
    page.get_by_role("button", name="保存").click()
    assert "已登记张榜公布" in page.locator(".alert-success").inner_text()
    assert Election.objects.get(pk=election.pk).list_posted_on == datetime.date(2019, 8, 31)

    page.get_by_role("link", name="打印张榜名单").click()
    sheet = page.get_by_test_id("voter-sheet").inner_text()
    assert sheet.index("1栋") < sheet.index("吴秀英") < sheet.index("3栋") < sheet.index("龙光明")
    assert "杨小明" not in sheet and voter.id_number not in sheet and voter.id_number[-4:] not in sheet
    page.emulate_media(media="print")
    assert page.get_by_role("button", name="打印").is_hidden()
    page.screenshot(path=screenshot_dir / "voter-sheet.png", full_page=True)
