"""The portal's roles and what each may do: the one place these rules live."""

from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "领导小组办公室"
    TEAM_LEAD = "team_lead", "专班班长"
    REPORTER = "reporter", "责任单位填报员"
    CLERK = "clerk", "社区服务中心工作人员"
    LEADER = "leader", "县领导"


# Roles that read the households of every settlement.
SEES_ALL_SETTLEMENTS = frozenset({Role.OFFICE, Role.TEAM_LEAD, Role.LEADER})
# Roles that read household records at all (clerks within their own settlements).
SEES_REGISTRY = SEES_ALL_SETTLEMENTS | {Role.CLERK}
# Roles that write household and person records (a clerk only within their own settlements).
EDITS_REGISTRY = frozenset({Role.OFFICE, Role.CLERK})
# Roles that may ask for a full resident ID number (each reveal is logged).
REVEALS_ID_NUMBERS = frozenset({Role.OFFICE, Role.CLERK})
# Roles that read every task of the work plan; the others read the tasks of their unit (and team leads their
# team's tasks too).
SEES_ALL_TASKS = frozenset({Role.OFFICE, Role.LEADER})
# Roles that report monthly progress on their unit's tasks.
REPORTS_PROGRESS = frozenset({Role.REPORTER, Role.TEAM_LEAD})
# Roles that review reports, run the dispatch meeting and record its follow-up actions.
RUNS_DISPATCH = frozenset({Role.OFFICE})

ROLE_DUTIES = {
    Role.OFFICE: "跟踪全部任务和指标，审核进展报告，组织月度调度会并导出调度报告，维护基础数据，管理用户。",
    Role.TEAM_LEAD: "牵头本专班任务，按月汇报本单位任务进展，接收本专班逾期提醒；查阅全县安置点台账。",
    Role.REPORTER: "填报本单位牵头或参与任务的进展。",
    Role.CLERK: "录入和维护本中心所辖安置点的户籍台账（一户一册、一人一档）；查阅本中心承担的任务。",
    Role.LEADER: "只读查阅全县工作进展和统计。",
}
