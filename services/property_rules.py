"""The property-management cooperatives' subsidy years (annex 1 task 11) as dated rule data: the county subsidises a
settlement's 物业管理合作社或公司 in its first years, counted from its founding (the facility's `in_use_on`), and from
the next year on it charges fees. Declared and seeded here like the other rules of the app (`services.rules`)."""

import datetime
from dataclasses import dataclass

from settlements import dated_rules
from settlements.dates import add_months

from .rules import _is_count, params_on

PROPERTY_SUBSIDY = "services.property_subsidy"

ROWS = [
    {
        "code": PROPERTY_SUBSIDY,
        "name": "物业管理合作社或公司的补贴年限",
        "valid_from": datetime.date(2019, 5, 20),
        "params": {"subsidised_years": 3},
        "basis": (
            "附件1第11项：“每个安置点县政府前三年给予适当补贴给物业管理合作社或公司，第四年政府不再补贴，"
            "由合作社或公司实行缴费物业管理”。"
        ),
        "reading": (
            "年度自成立之日起算（成立满一年为第二年）；补贴金额原文为“适当”，不设金额。"
            "成立日为设施登记的“建成投入使用（成立）日期”；第 n 年从成立日的第 n−1 个周年日开始，"
            "2 月 29 日成立的，平年的周年日为 2 月 28 日。第 1 至 3 年为补贴期，第 4 年起为缴费物业管理。"
        ),
    },
]


def _subsidy_problem(params):
    if not _is_count(params.get("subsidised_years"), 1) or params["subsidised_years"] > 50:
        return "“subsidised_years”须为 1 至 50 之间的整数（成立后前几年给予补贴）。"
    return None


dated_rules.declare(PROPERTY_SUBSIDY, "物业管理合作社或公司的补贴年限", check=_subsidy_problem)


def subsidised_years(day: datetime.date) -> int | None:
    params = params_on(PROPERTY_SUBSIDY, day)
    return params["subsidised_years"] if params else None


def year_of(founded: datetime.date, day: datetime.date) -> int:
    """Which year of its life a body founded on `founded` is in on `day` (1 from the founding day; the next year
    begins on each anniversary, 28 February for a 29 February founding in a common year); 0 before founding."""
    if day < founded:
        return 0
    years = day.year - founded.year
    if add_months(founded, 12 * years) > day:
        years -= 1
    return years + 1


class Phase:
    NOT_FOUNDED = "not_founded"
    SUBSIDISED = "subsidised"
    FEE_BASED = "fee_based"
    CLOSED = "closed"
    NO_DATE = "no_date"  # its founding date is not recorded
    NO_RULE = "no_rule"  # no row of the rule in force that day


@dataclass(frozen=True)
class CoopYear:
    """A cooperative on a day: the year it is in, and whether the county subsidises it or it charges fees."""

    year: int
    phase: str
    subsidised_years: int | None
    last_subsidised_day: datetime.date | None  # the last day of its last subsidised year

    @property
    def label(self) -> str:
        if self.phase == Phase.SUBSIDISED:
            return f"补贴期 第 {self.year} 年"
        if self.phase == Phase.FEE_BASED:
            return f"缴费物业管理（成立第 {self.year} 年）"
        return {
            Phase.NOT_FOUNDED: "尚未成立",
            Phase.CLOSED: "已停用",
            Phase.NO_DATE: "未登记成立日期",
            Phase.NO_RULE: "当日没有生效的补贴年限规则",
        }[self.phase]


def coop_year(*, founded: datetime.date | None, closed: datetime.date | None, day: datetime.date) -> CoopYear:
    years = subsidised_years(day)
    if founded is None or years is None:
        return CoopYear(0, Phase.NO_DATE if founded is None else Phase.NO_RULE, years, None)
    last_subsidised = add_months(founded, 12 * years) - datetime.timedelta(days=1)
    year = year_of(founded, day)
    if closed is not None and closed <= day:
        phase = Phase.CLOSED
    elif year == 0:
        phase = Phase.NOT_FOUNDED
    else:
        phase = Phase.SUBSIDISED if year <= years else Phase.FEE_BASED
    return CoopYear(year, phase, years, last_subsidised)
