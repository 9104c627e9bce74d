"""The yearly selection rule (annex 3 四(二), master plan item 11) as dated rule data (`settlements.dated_rules`):
declared here with a check of its parameters, its first row registered for `manage.py load_rules`, read as the
row in force on a day."""

import datetime

from settlements import dated_rules

YEARLY_SELECTION = "culture.yearly_selection"
PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号: the plan's rules take effect the day it was issued


def _is_count(value, low) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _problem(params):
    if not _is_count(params.get("per_year"), 1) or params["per_year"] > 12:
        return "“per_year”须为 1 至 12 之间的整数（每个安置点每年至少举行几次评选）。"
    if not _is_count(params.get("from_year"), 2016) or params["from_year"] > 2100:
        return "“from_year”须为 2016 至 2100 之间的年份（从哪一年起检查）。"
    return None


dated_rules.declare(YEARLY_SELECTION, "每年评先选优（每个安置点每年次数）", check=_problem)

ROWS = [
    {
        "code": YEARLY_SELECTION,
        "name": "每年评先选优（每个安置点每年次数）",
        "valid_from": PLAN_DATE,
        "params": {"per_year": 1, "from_year": 2019},
        "basis": "附件3 四（二）、总体方案第11项：“每年举行一次“文明家庭”、“勤劳致富模范户”、“身边好人”等评选活动”。",
        "reading": (
            "原文列举后写“等”，任何类别的评选（含五（四）所列好媳妇、好公婆等及“其他”）都计为当年的评选。"
            "每个安置点每个评选年度至少 1 次；当年尚未结束的不标记，年度结束后仍无评选的标记为缺评选。"
            "检查的首个年度为 2019 年与该安置点首户入住年度中较晚的一年（尚无入住户的安置点不检查）。"
            "评选记入其“评选年度”，公布日期可在该年度或次年（年度评选常在次年初公布）。"
            "统计某日的情况时，适用该日有效的规则。"
        ),
    },
]

dated_rules.register_seed_rows("culture.selections", lambda: ROWS)


def yearly_selection_params(day: datetime.date) -> dict | None:
    """{"per_year", "from_year"} in force on `day`, or None when no row is (the page says the rule is missing)."""
    return dated_rules.params_on(YEARLY_SELECTION, day)
