"""The culture facilities' dated rule: how many culture volunteer teams each settlement must have (附件3 六（二）).

The facilities' standards themselves are the core's (`settlements.facility_data`, judged by
`settlements.facilities.judge`); this rule is the app's own, seeded by `manage.py load_rules`.
"""

import datetime

from settlements import dated_rules

VOLUNTEER_TEAMS = "culture.volunteer_teams"
PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号


def _volunteer_teams_problem(params) -> str | None:
    value = params.get("per_settlement")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        return "per_settlement 须为不小于 1 的整数（每个安置点至少几支社区文化志愿服务队伍）。"
    return None


dated_rules.declare(VOLUNTEER_TEAMS, "每个安置点社区文化志愿服务队伍数", check=_volunteer_teams_problem)


def seed_rows() -> list[dict]:
    return [
        {
            "code": VOLUNTEER_TEAMS,
            "valid_from": PLAN_DATE,
            "name": "每个安置点社区文化志愿服务队伍数",
            "params": {"per_settlement": 1},
            "basis": "附件3 六（二）：指导和帮助安置点社区发展至少一支社区文化志愿服务队伍",
            "reading": "“至少一支”含一支：某日在活动（已成立、未解散，解散当天仍算）的社区文化志愿服务队"
            "少于 1 支的安置点标出；演出团体、民间文艺社团、健身团队、电影放映队不计入。",
        }
    ]


dated_rules.register_seed_rows("culture.facilities", seed_rows)


def volunteer_teams_required(day: datetime.date) -> int | None:
    """The teams each settlement must have on `day`, or None when no row is in force."""
    params = dated_rules.params_on(VOLUNTEER_TEAMS, day)
    return params["per_settlement"] if params else None
