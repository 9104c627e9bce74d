"""The monthly sessions annex 3 asks of every settlement, as dated rule data (`settlements.dated_rules`): which
kinds, how many a month, from which month. Declared here with a check of its parameters; its first row, with the
seed's sentences and the portal's reading, is loaded by `manage.py load_rules`.
"""

import datetime
import re
from dataclasses import dataclass

from settlements import dated_rules

from .models import SessionKind

MONTHLY_SESSIONS = "culture.monthly_sessions"
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号


def _is_positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 31


def _monthly_problem(params) -> str | None:
    kinds = params.get("kinds")
    if not isinstance(kinds, dict) or not kinds:
        return '“kinds”须为“活动类别: 每月至少场次”的一组，如 {"gratitude": 1, "literacy": 1}。'
    unknown = [kind for kind in kinds if kind not in SessionKind.values]
    if unknown:
        names = "、".join(f"{value}（{label}）" for value, label in SessionKind.choices)
        return f"“kinds”中的活动类别“{'、'.join(unknown)}”不存在，可选：{names}。"
    if not all(_is_positive(count) for count in kinds.values()):
        return "“kinds”中每月至少场次须为 1 至 31 的整数。"
    from_month = params.get("from_month")
    if not (isinstance(from_month, str) and MONTH.fullmatch(from_month)):
        return "“from_month”须写作 2019-06 这样的月份（从该月起计）。"
    return None


dated_rules.declare(MONTHLY_SESSIONS, "每月必须开展的教育活动（类别、场次）", check=_monthly_problem)


@dataclass(frozen=True)
class MonthlyRule:
    kinds: dict[str, int]  # kind -> sessions required each month, in the order of SessionKind
    from_month: datetime.date  # its first day

    def required(self, kind: str) -> int:
        return self.kinds.get(kind, 0)


def monthly_rule(day: datetime.date) -> MonthlyRule | None:
    """The rule in force on `day`, or None when no row is (the pages say so)."""
    params = dated_rules.params_on(MONTHLY_SESSIONS, day)
    if params is None:
        return None
    order = [kind for kind in SessionKind.values if kind in params["kinds"]]
    return MonthlyRule(
        kinds={kind: params["kinds"][kind] for kind in order},
        from_month=datetime.date.fromisoformat(params["from_month"] + "-01"),
    )


ROWS = [
    {
        "code": MONTHLY_SESSIONS,
        "name": "每月必须开展的教育活动（类别、场次）",
        "valid_from": PLAN_DATE,
        "params": {"kinds": {SessionKind.GRATITUDE.value: 1, SessionKind.LITERACY.value: 1}, "from_month": "2019-06"},
        "basis": (
            "附件3（一）：“用好新时代文明实践中心、道德讲堂、移民夜校，每月定期开展一期感恩教育”；"
            "附件3（四）：“通过每月定期开展一次扫盲和城镇生产生活方式适应性教育培训，"
            "逐步由乡村农民向城镇市民转变，更快更好地融入现代城市生活”。"
            "另：总体方案第13项：“通过不定期开展城镇生产生活方式适应性教育培训和扫盲再教育”。"
        ),
        "reading": (
            "两份文件不一致：扫盲及城镇生产生活方式适应性教育培训，附件3写“每月定期开展一次”，"
            "总体方案第13项写“不定期开展”。平台按附件3的每月一次执行（附件3是该项工作的实施方案，且议题要求如此），"
            "如县里决定按“不定期”执行，应新增一条规则数据，自决定之日起生效。"
            "每个安置点每个自然月至少开展感恩教育 1 期、扫盲及适应性教育培训 1 次，活动日期所在的月份计入该月"
            "（月末最后一天开展的计入当月）。"
            "从方案印发（2019-05-20）后的第一个完整月份 2019 年 6 月起计；"
            "安置点首户入住晚于此的，从首户入住的月份起计；"
            "当月尚未结束的不算缺漏。统计某日的情况时，适用该日有效的规则。"
        ),
    },
]

dated_rules.register_seed_rows("culture.sessions", lambda: ROWS)
