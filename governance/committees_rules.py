"""The seed's numbers for committees and elections as dated rule data (`settlements.dated_rules`): declared here
with a check of their parameters, seeded from `ROWS` by `manage.py load_rules`, read as the row in force on a day.

    governance.committee_size     a committee per ~1,000 households; 800 or fewer: none, attached to another's
    governance.voter_list_days    the voter list posted at least 20 days before election day

The voting age (18 on election day) is the law's (《城市居民委员会组织法》第八条), not the seed's, and is not a
rule row.
"""

import datetime
from dataclasses import dataclass

from settlements import dated_rules
from settlements.models import DatedRule

COMMITTEE_SIZE = "governance.committee_size"
VOTER_LIST_DAYS = "governance.voter_list_days"
VOTING_AGE = 18  # 《中华人民共和国城市居民委员会组织法》第八条：年满十八周岁的本居住地区居民

PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号, with annex 4


def _is_count(value, low=0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _size_problem(params):
    about, small = params.get("about_households"), params.get("small_max")
    if not _is_count(about, 1):
        return "“about_households”须为正整数（户数在多少户左右的设立一个居民委员会）。"
    if not _is_count(small, 0) or small >= about:
        return "“small_max”须为小于“about_households”的非负整数（户数在多少户以下的不设立居民委员会，含本数）。"
    return None


def _days_problem(params):
    days = params.get("days")
    if not _is_count(days, 1) or days > 365:
        return "“days”须为 1 至 365 之间的整数（选举日前至少多少天张榜公布选民名单）。"
    return None


dated_rules.declare(COMMITTEE_SIZE, "居民委员会设置的户数", check=_size_problem)
dated_rules.declare(VOTER_LIST_DAYS, "选民名单张榜公布的提前天数", check=_days_problem)


ROWS = [
    {
        "code": COMMITTEE_SIZE,
        "name": "居民委员会设置的户数",
        "valid_from": PLAN_DATE,
        "params": {"about_households": 1000, "small_max": 800},
        "basis": (
            "附件4第2项：“户数在1000户左右的，设立一个居民委员会”；"
            "“户数在800户以下的不设立居民委员会，按照100户—150户设立若干个居民小组，直接并入就近的居民委员会进行管理”。"
        ),
        "reading": (
            "户数 = 统计当日在住（已入住、未迁出）的搬迁户数。“800户以下”含 800 户：800 户及以下的安置点不设居委会，"
            "应并入另一个安置点的居委会（即所属居委会还管辖一个超过 800 户的安置点；"
            "只管辖 800 户及以下安置点的居委会列为不合规定）。801 户及以上的安置点应有本安置点的居委会——"
            "801 户至约 1000 户之间原文没有哪一句话覆盖，本系统按“应设”列出，并注明原文未作规定。"
            "“左右”原文没有给出幅度：页面在规则旁列出户数，不判断是否“左右”。"
        ),
    },
    {
        "code": VOTER_LIST_DAYS,
        "name": "选民名单张榜公布的提前天数",
        "valid_from": PLAN_DATE,
        "params": {"days": 20},
        "basis": "附件4第11项(4)：“要在选举日 20 天前张榜公布选民名单”。",
        "reading": (
            "选举日减去张榜公布日期不少于 20 天：恰好提前 20 天的允许，提前 19 天的拒绝。按张榜公布当日有效的规则判断。"
        ),
    },
]

dated_rules.register_seed_rows("governance.committees", lambda: ROWS)


@dataclass(frozen=True)
class SizeRule:
    row: DatedRule
    about: int
    small_max: int

    def attached(self, households: int) -> bool:
        """A settlement this small has no committee of its own (A4-R4, "800户以下" taken as ≤ 800)."""
        return households <= self.small_max

    def uncovered(self, households: int) -> bool:
        """801 to under ~1,000 households: no sentence of the seed covers the band."""
        return self.small_max < households < self.about


def size_rule(day: datetime.date) -> SizeRule | None:
    row = dated_rules.row_on(COMMITTEE_SIZE, day)
    if row is None:
        return None
    return SizeRule(row, row.params["about_households"], row.params["small_max"])


def voter_list_days(day: datetime.date) -> DatedRule | None:
    return dated_rules.row_on(VOTER_LIST_DAYS, day)
