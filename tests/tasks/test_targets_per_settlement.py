"""A target set for each settlement ("每个安置点卫生室 2 名医务人员") is measured settlement by settlement, not
against the county's total: the panels mark each settlement below it, and the task page and the dispatch report
say how many settlements reach it and which do not."""

import datetime

import pytest
from django.urls import reverse

from settlements.models import Settlement
from tasks import selectors
from tasks.models import Target
from tests.factories import add_member, household_with_head
from tests.tasks.factories import make_task

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def persons_per_settlement(reference):
    """富民 3 residents, 丰乐 1; the other settlements none (the indicator does not report them)."""
    home, _ = household_with_head("fumin", move_in_date=D(2019, 1, 1))
    add_member(home, name="杨二", relation="son", birth=D(2005, 1, 1))
    add_member(home, name="杨三", relation="daughter", birth=D(2007, 1, 1))
    household_with_head("fengle", move_in_date=D(2019, 1, 1))


def target(per_settlement):
    task = make_task(targets=[("每个安置点在住人口", 2)])
    Target.objects.filter(task=task).update(indicator_key="settlements.persons", per_settlement=per_settlement)
    return Target.objects.get(task=task)


def rows():
    return {row.indicator.key: row for row in selectors.indicator_table(day=datetime.date.today()).rows}


def test_each_settlement_reported_below_the_target_is_named_and_the_county_total_is_not_the_measure(
    persons_per_settlement,
):
    per_settlement = target(True)
    assert (
        str(selectors.target_progress(target=per_settlement, rows_by_key=rows()))
        == "2 个安置点中 1 个达到（未达到：丰乐）"
    )
    per_settlement.per_settlement = False
    assert selectors.target_progress(target=per_settlement, rows_by_key=rows()) == 4


def test_the_panel_marks_the_settlements_below_a_target_set_for_each(persons_per_settlement):
    target(True)
    settlements = list(Settlement.objects.filter(code__in=["fumin", "fengle", "dingwei"]))
    panel = selectors.indicator_panel(day=datetime.date.today(), settlements=settlements, prefixes=("settlements",))
    (line,) = [line for line in panel.lines if line.key == "settlements.persons"]
    shown = {settlement.code: cell for settlement, cell in zip(settlements, line.cells, strict=True)}
    assert shown == {"fumin": (3, False), "fengle": (1, True), "dingwei": (0, False)}  # 定威 is not reported
    assert line.per_settlement and line.target == 2


def test_the_task_page_says_how_many_settlements_reach_it(persons_per_settlement, client, users):
    task = target(True).task
    client.force_login(users["office"])
    page = client.get(reverse("tasks:task_detail", args=[task.pk])).content.decode()
    assert "每个安置点 2" in page and "2 个安置点中 1 个达到（未达到：丰乐）" in page
