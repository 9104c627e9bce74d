"""fixtures/plan_tasks.json holds the plan's numbered tasks exactly as the seed prints them.

No database: the fixture is checked against a fresh parse of the seed text.
"""

import calendar
import datetime
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tasks import indicators

BASE_DIR = Path(__file__).resolve().parents[2]
PLAN = BASE_DIR / "fixtures" / "sources" / "rongjiang_2019_follow_up_plan.txt"
TASKS = BASE_DIR / "fixtures" / "plan_tasks.json"
UNITS = BASE_DIR / "fixtures" / "responsible_units.json"

# tasks counted per document: 0 = master plan, 1..7 = 附件1..附件7
TASKS_PER_DOCUMENT = {0: 23, 1: 11, 2: 12, 3: 5, 4: 7, 5: 16, 6: 16, 7: 10}

# each document starts at its title heading (normalised); the 综治中心 sub-annex lies inside document 6
DOCUMENT_TITLES = [
    "榕江县易地扶贫搬迁后续扶持工作方案",
    "榕江县易地扶贫搬迁安置点基本公共服务体系工作方案",
    "榕江县易地扶贫搬迁培训和就业服务体系建设工作方案",
    "榕江县易地扶贫搬迁文化服务体系建设工作方案",
    "榕江县易地扶贫搬迁安置点社区治理体系工作方案",
    "榕江县易地扶贫搬迁安置点基层党建体系建设工作方案",
    "榕江县易地扶贫搬迁安置点社会治安综合治理维护社会稳定的工作方案",
    "榕江县易地扶贫搬迁“三块地”资源盘活工作方案",
]
SETTLEMENTS = {"fumin", "wolong", "yangguang", "tehe", "fengle", "fenghuang", "dingwei"}
PROJECT_YEARS = {2016, 2017, 2018, None}
ANNEX_TEAMS = {
    1: "public_services",
    2: "employment",
    3: "culture",
    4: "governance",
    5: "party_building",
    6: "public_security",
    7: "land",
}
MASTER_TEAMS = {  # the master plan's sections （一）…（五）
    "一": "public_services",
    "二": "employment",
    "三": "culture",
    "四": "governance",
    "五": "party_building",
}
TASK_KEYS = [
    "document",
    "number",
    "section",
    "work_team",
    "title",
    "text",
    "units",
    "units_as_printed",
    "deadlines",
    "targets",
]
DEADLINE_KEYS = {"due_on", "wording", "settlement", "project_year", "label"}
# the facilities a deadline requires, its reading, and the household duty it dates (`tasks.household_duties`)
OPTIONAL_DEADLINE_KEYS = {"facility_kinds", "reading", "duty"}
TARGET_KEYS = {"label", "value", "unit", "due_on", "wording", "indicator"}
OPTIONAL_TARGET_KEYS = {"per_settlement"}  # the value is each settlement's to reach

LIST = re.compile(r"责任单位[：:]([^）)]*)[）)]")
LIST_AT = re.compile(r"[（(]责任单位[：:]([^）)]*)[）)]。?")
NUMBER_BEFORE = re.compile(r"(\d+[.．]|[（(][一二三四五六七][）)])$")
DATE_IN_WORDING = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})日)?")


def normalise(text):
    return re.sub(r"\s+|\*\*|#+", "", text)


@cache
def seed_lines():
    return PLAN.read_text(encoding="utf-8").split("\n")


@cache
def seed():
    return normalise("\n".join(seed_lines()))


@cache
def document_spans():
    """(start, end) offsets of each document in the normalised seed, found at its title heading."""
    starts, offset = [], 0
    for line in seed_lines():
        if line.startswith("#") and normalise(line) in DOCUMENT_TITLES:
            assert normalise(line) == DOCUMENT_TITLES[len(starts)]
            starts.append(offset)
        offset += len(normalise(line))
    assert len(starts) == len(DOCUMENT_TITLES)
    return list(zip(starts, [*starts[1:], len(seed())], strict=True))


@cache
def time_limit_lines():
    """The 完成时限 lines annexes 4 and 7 print after a 责任单位 list (normalised)."""
    return [normalise(line) for line in seed_lines() if normalise(line).startswith("完成时限")]


@cache
def plan():
    return json.loads(TASKS.read_text(encoding="utf-8"))


def tasks():
    return plan()["tasks"]


@cache
def canonical_names():
    names = {}
    for unit in json.loads(UNITS.read_text(encoding="utf-8")):
        for name in [unit["fields"]["name"], *unit["fields"]["aliases"]]:
            names[normalise(name)] = unit["fields"]["name"]
    return names


def task_id(task):
    return f"{task['document']}-{task['number']}"


def where(task):
    """(start, end) of the task's text in the normalised seed, searched within its own document."""
    start, end = document_spans()[task["document"]]
    text = normalise(task["text"])
    found = seed().find(text, start, end)
    assert found >= 0, f"{task_id(task)}: text not printed in document {task['document']}"
    return found, found + len(text)


def time_limit_after(task):
    """The 完成时限 line printed right after the task's 责任单位 list, or ''."""
    _, end = where(task)
    rest = seed()[end:]
    listed = LIST_AT.match(rest)
    rest = rest[listed.end() :] if listed else rest
    return max((line for line in time_limit_lines() if rest.startswith(line)), key=len, default="")


def test_the_fixture_has_the_agreed_shape():
    assert set(plan()) == {"source", "tasks"}
    assert plan()["source"] == "fixtures/sources/rongjiang_2019_follow_up_plan.txt"
    for task in tasks():
        assert list(task) == TASK_KEYS, task_id(task)
        for deadline in task["deadlines"]:
            assert DEADLINE_KEYS <= set(deadline) <= DEADLINE_KEYS | OPTIONAL_DEADLINE_KEYS, task_id(task)
        for target in task["targets"]:
            assert TARGET_KEYS <= set(target) <= TARGET_KEYS | OPTIONAL_TARGET_KEYS, task_id(task)


def test_tasks_per_document():
    assert Counter(task["document"] for task in tasks()) == Counter(TASKS_PER_DOCUMENT)
    assert sum(TASKS_PER_DOCUMENT.values()) == 100


def test_every_responsible_unit_list_in_the_seed_belongs_to_exactly_one_task():
    printed = Counter(normalise(span) for span in LIST.findall(seed()))
    assert sum(printed.values()) == 100
    attached = Counter(normalise(task["units_as_printed"]) for task in tasks())
    assert attached == printed  # no list left over, none used twice, no task without a list


def test_each_task_is_printed_as_numbered_item_text_then_its_own_list():
    for task in tasks():
        start, end = where(task)
        assert NUMBER_BEFORE.search(seed()[:start]), f"{task_id(task)}: text does not start after its number"
        listed = LIST_AT.match(seed()[end:])
        assert listed, f"{task_id(task)}: text is not followed by its 责任单位 list"
        assert normalise(listed.group(1)) == normalise(task["units_as_printed"]), task_id(task)


def test_texts_sections_and_titles_are_as_printed():
    for task in tasks():
        assert task["text"] == task["text"].strip() and "**" not in task["text"] and "#" not in task["text"]
        assert "责任单位" not in task["text"], task_id(task)
        assert normalise(task["section"]) in seed(), task_id(task)
        assert "**" not in task["section"] and "#" not in task["section"]
        assert 0 < len(task["title"]) <= 30, task_id(task)
        if task["document"] not in (6, 7):  # annexes 6 and 7 print no title phrase; their titles are short clauses
            assert normalise(task["text"]).startswith(normalise(task["title"]) + "。"), task_id(task)


def test_numbers_are_unique_within_each_document_and_printed_style():
    for document in TASKS_PER_DOCUMENT:
        numbers = [task["number"] for task in tasks() if task["document"] == document]
        assert len(numbers) == len(set(numbers)), document
        assert all(re.fullmatch(r"\d+|[一二三四五六七八九十]+(-\d+)?", number) for number in numbers)


def test_work_teams():
    for task in tasks():
        if task["document"] == 0:
            expected = MASTER_TEAMS[re.match(r"[（(]([一二三四五])[）)]", task["section"]).group(1)]
        else:
            expected = ANNEX_TEAMS[task["document"]]
        assert task["work_team"] == expected, task_id(task)


def test_units_are_canonical_and_follow_the_printed_list():
    canonical = canonical_names()
    assert len(set(canonical.values())) == 60  # 59 in the 责任单位 lists and annex 6; 县文明办 of annex 3 五 3、6
    for task in tasks():
        printed = [name.strip("。.") for name in re.split(r"[、，,；;]", normalise(task["units_as_printed"]))]
        printed = [name for name in printed if name]
        assert all(name in canonical for name in printed), (task_id(task), printed)
        expected = list(dict.fromkeys(canonical[name] for name in printed))
        assert task["units"] == expected, task_id(task)
        assert set(task["units"]) <= set(canonical.values())


def test_deadlines_are_worded_as_printed_and_are_real_dates():
    for task in tasks():
        time_limit = time_limit_after(task)
        for deadline in task["deadlines"]:
            wording = normalise(deadline["wording"])
            assert wording in normalise(task["text"]) or wording in time_limit, (task_id(task), wording)
            due = datetime.date.fromisoformat(deadline["due_on"])
            year, month, day = DATE_IN_WORDING.search(wording).groups()
            assert (due.year, due.month) == (int(year or 2019), int(month)), (task_id(task), wording)
            if day is None:
                assert due.day == calendar.monthrange(due.year, due.month)[1], (task_id(task), wording)
            else:
                assert due.day == int(day), (task_id(task), wording)
            assert deadline["settlement"] is None or deadline["settlement"] in SETTLEMENTS
            assert deadline["project_year"] in PROJECT_YEARS
            assert isinstance(deadline["label"], str)
        entries = [(d["due_on"], d["settlement"], d["project_year"], d["label"]) for d in task["deadlines"]]
        assert len(entries) == len(set(entries)), task_id(task)


def test_annex_4_and_7_time_limits_are_all_recorded():
    for task in tasks():
        if time_limit_after(task):
            assert task["deadlines"], task_id(task)
    assert sum(bool(time_limit_after(task)) for task in tasks()) == len(time_limit_lines()) == 16


def test_targets_are_numbers_stated_in_the_text():
    for task in tasks():
        for target in task["targets"]:
            assert isinstance(target["value"], int | float) and not isinstance(target["value"], bool)
            assert target["unit"] and target["label"], task_id(task)
            assert normalise(target["wording"]) in normalise(task["text"]), task_id(task)
            if target["due_on"] is not None:
                datetime.date.fromisoformat(target["due_on"])
            indicator = target["indicator"]
            assert indicator == "" or indicators.get(indicator) or indicators.county(indicator), task_id(task)


def test_the_employment_targets_are_tied_to_the_indicators_that_measure_them():
    tied = {
        (target["value"], target["indicator"])
        for task in tasks()
        if task["document"] == 2
        for target in task["targets"]
    }
    assert {
        (6, "employment.workshops"),
        (200, "employment.workshop_employees"),
        (180, "employment.welfare_posts_held"),
        (1510, "employment.trained_persons"),
        (1130, "employment.placed_through_training"),
    } <= tied


def find(document, number):
    (task,) = [task for task in tasks() if (task["document"], task["number"]) == (document, number)]
    return task


@pytest.mark.parametrize(
    ("value", "unit"),
    [(1510, "人"), (1130, "人")],
)
def test_annex_2_training_targets_are_due_by_october_2019(value, unit):
    (target,) = [target for target in find(2, "12")["targets"] if target["value"] == value]
    assert (target["unit"], target["due_on"]) == (unit, "2019-10-31")
    assert str(value) in target["wording"]


def test_annex_7_contracted_land_certification_by_project_year():
    task = find(7, "1")
    assert task["title"] == "推进完成搬迁户土地承包经营权的确权登记颁证工作"
    assert {(d["project_year"], d["due_on"]) for d in task["deadlines"]} == {
        (2016, "2019-12-31"),
        (2017, "2019-12-31"),
        (2018, "2020-06-30"),
    }


def test_annex_1_farmers_markets_per_settlement():
    task = find(1, "11")
    markets = {(d["settlement"], d["due_on"]) for d in task["deadlines"] if d["label"] == "农贸市场"}
    assert markets == {
        ("wolong", "2019-05-31"),
        ("fumin", "2019-05-31"),
        ("dingwei", "2019-05-31"),
        ("fengle", "2019-05-31"),
        ("fenghuang", "2019-05-31"),
        ("yangguang", "2019-12-31"),
        ("tehe", "2019-12-31"),
    }


def test_six_facilities_deadlines_match_in_master_plan_and_annex_1():
    def facilities(task):
        return {(d["settlement"], d["due_on"]) for d in task["deadlines"]}

    assert facilities(find(0, "5")) == facilities(find(1, "9"))
    assert facilities(find(1, "9")) == {
        *((s, "2019-06-30") for s in ("fumin", "wolong", "dingwei", "fengle", "fenghuang")),
        ("yangguang", "2019-12-31"),
        ("tehe", "2019-12-31"),
    }


def test_camera_points_in_annex_6():
    cameras = {t["label"].split("：")[1]: t["value"] for t in find(6, "14")["targets"]}
    assert cameras == {"特和": 16, "卧龙": 17, "阳光": 17, "王岭": 8, "廉租房安置区": 14, "酒厂片区": 14}


def test_annex_1s_facility_targets_are_tied_to_the_facility_indicators():
    tied = {
        (target["label"], target["indicator"])
        for task in tasks()
        if task["document"] == 1
        for target in task["targets"]
    }
    assert ("易地扶贫搬迁社区农贸市场（卧龙、富民、定威、丰乐、凤凰）", "settlements.farmers_markets") in tied
    assert ("安置点物业管理合作社或公司", "settlements.property_coops") in tied
    # the second market target names two settlements: the county's total would not measure it
    assert ("易地扶贫搬迁社区农贸市场（阳光、特和）", "") in tied


def test_the_targets_set_for_each_settlement_are_marked_so():
    marked = {target["label"] for task in tasks() for target in task["targets"] if target.get("per_settlement")}
    assert marked == {
        "每个安置点派驻警务人员",
        "每个安置点卫生室配备医务人员",
        "安置点党组织每两年至少发展党员",
        "各安置点储备后备力量",
        "每月感恩教育",
        "每月扫盲及适应性教育培训",
        "每月扫盲及适应性教育培训（本项写“不定期”，按附件3每月一次）",
    }


def test_the_monthly_sessions_are_targets_of_each_settlement_tied_to_this_months_sessions():
    tied = {
        (task["document"], task["number"]): (target["value"], target["unit"], target["indicator"])
        for task in tasks()
        for target in task["targets"]
        if target["label"].startswith("每月")
    }
    gratitude = (1, "期", "culture.gratitude_sessions_this_month")
    literacy = (1, "次", "culture.literacy_sessions_this_month")
    assert tied == {(0, "10"): gratitude, (3, "一"): gratitude, (0, "13"): literacy, (3, "四"): literacy}
