"""The rules of annex 4 items 12 and 14 (A4-R8, A4-R12, A4-R13) as dated rule data (`settlements.dated_rules`):
declared here with a check of their parameters, seeded from `ROWS` by `manage.py load_rules`, read as the row in
force on a day. Nothing here is a constant of the code: which categories must be published in both places and how
many days apart, how many days a consultation must precede a decision, which categories are listed as the fees
and funded projects the residents follow.
"""

import datetime

from settlements import dated_rules

from .models import AffairCategory

ASSISTANCE_MIRROR = "governance.assistance_mirror"
CONSULT_FIRST = "governance.consult_before_decision"
WATCHED_FEES = "governance.fees_and_projects"

PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号, with its annexes


def _is_count(value, low=0, high=366) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _categories_problem(params):
    categories = params.get("categories")
    if not isinstance(categories, list) or not categories or not set(categories) <= set(AffairCategory.values):
        names = "、".join(f"{value}（{label}）" for value, label in AffairCategory.choices)
        return f"“categories”须为公开类别代码的列表，可选：{names}。"
    return None


def _mirror_problem(params):
    if not _is_count(params.get("days_apart"), 0, 30):
        return "“days_apart”须为 0 至 30 的整数（两地公开日期最多相差几天，0 为同一天）。"
    return _categories_problem(params)


def _consult_problem(params):
    if not _is_count(params.get("days_before"), 0, 365):
        return "“days_before”须为 0 至 365 的整数（协商会议至少早于决策几天，1 为须在决策前一天或更早）。"
    return None


dated_rules.declare(ASSISTANCE_MIRROR, "社会救助和精准帮扶在迁入地社区和迁出村同步公开", check=_mirror_problem)
dated_rules.declare(CONSULT_FIRST, "先协商后决策", check=_consult_problem)
dated_rules.declare(WATCHED_FEES, "及时公开的收费事项和全程公开的资助项目", check=_categories_problem)

params_on = dated_rules.params_on


def mirrored_categories(day: datetime.date) -> list[str]:
    params = params_on(ASSISTANCE_MIRROR, day)
    return params["categories"] if params else []


ROWS = [
    {
        "code": ASSISTANCE_MIRROR,
        "name": "社会救助和精准帮扶在迁入地社区和迁出村同步公开",
        "valid_from": PLAN_DATE,
        "params": {"categories": [AffairCategory.ASSISTANCE.value], "days_apart": 0},
        "basis": "附件4第14项：“搬迁群众享受社会救助和精准帮扶等优待政策实施情况在迁入地社区和迁出村实行同步公开”。",
        "reading": (
            "“同步公开”理解为同一天公开：安置点社区公开的每一条社会救助和精准帮扶事项，须在迁出村（按户籍台账中"
            "本安置点搬迁户的迁出乡镇、迁出村写法）有对应的公开，且公开日期与社区相同。只在社区公开、"
            "迁出村未公开，或两地公开日期不同的，列为未同步公开，并写明缺哪一处或哪一天不同。"
            "按某日统计时，只计该日及以前的公开。"
        ),
    },
    {
        "code": CONSULT_FIRST,
        "name": "先协商后决策",
        "valid_from": PLAN_DATE,
        "params": {"days_before": 1},
        "basis": (
            "附件4第12项：“凡涉及搬迁群众切身利益的重大事项或需搬迁群众投工投劳的公共公益事项，"
            "都应实行先协商后决策、先协商后实施”。"
        ),
        "reading": (
            "会议记录中标明“涉及群众切身利益或需投工投劳”的决定，须关联本安置点一次居民协商议事会议，"
            "且该协商会议的日期早于作出决定的会议日期至少 1 天。会议只登记日期、不登记时刻，"
            "同一天的协商无法证明在决策之前，按未先协商计。没有关联协商、协商在同日或之后的，"
            "决定照常登记（保留事实），并列入“未先协商后决策”清单，而不是拒绝登记。"
        ),
    },
    {
        "code": WATCHED_FEES,
        "name": "及时公开的收费事项和全程公开的资助项目",
        "valid_from": PLAN_DATE,
        "params": {
            "categories": [
                AffairCategory.PROPERTY_FEE.value,
                AffairCategory.UTILITIES.value,
                AffairCategory.NETWORK_TV.value,
                AffairCategory.GAS.value,
                AffairCategory.FUNDED_PROJECT.value,
            ]
        },
        "basis": (
            "附件4第14项：“对搬迁群众关心的社区物业管理费、水电费、网络电视费、燃气费定价以及收缴情况及时公开”；"
            "“对涉及搬迁群众的公共财政资助或第三方资助的项目全程公开”。"
        ),
        "reading": (
            "原文“及时”“全程”未给出公开周期：这些类别只列出已公开的情况，不按固定周期检查。"
            "公开目录中由县领导小组办公室设定为“每月”或“每季度”的事项，才按设定的周期检查是否按期公开。"
        ),
    },
]

dated_rules.register_seed_rows("governance.open_affairs", lambda: ROWS)
