"""The portal's roles and the duty of each, as the home page states it."""

from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "领导小组办公室"
    TEAM_LEAD = "team_lead", "专班班长"
    REPORTER = "reporter", "责任单位填报员"
    CLERK = "clerk", "社区服务中心工作人员"
    LEADER = "leader", "县领导"
    # 三员分立 (GB/T 22239-2019 level 3): three administrators, none of whom can act as another, and none of
    # whom reads personal data or does the office's daily work.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "安全审计员"


ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# An account the system administrator has just created holds no role (and so no capability) until the
# security administrator assigns one.
NO_ROLE_LABEL = "未分配角色"


# What each role may do is defined once, in settlements/capabilities.py; here are the roles and their duties.
ROLE_DUTIES = {
    Role.OFFICE: "跟踪全部任务和指标，审核进展报告，组织月度调度会并导出调度报告，查阅和维护全县户籍台账。",
    Role.TEAM_LEAD: "牵头本专班任务，按月汇报本单位任务进展，接收本专班逾期提醒；查阅全县安置点台账。",
    Role.REPORTER: "填报本单位牵头或参与任务的进展。",
    Role.CLERK: "录入和维护本中心所辖安置点的户籍台账（一户一册、一人一档）；查阅本中心承担的任务。",
    Role.LEADER: "只读查阅全县工作进展和统计。",
    Role.SYSTEM_ADMIN: "创建和停用用户账号，维护基础数据（安置点、单位、专班等）；不能查看个人信息，不能分配角色。",
    Role.SECURITY_ADMIN: "为用户分配角色和权限，解除登录锁定，设定密码和双因素认证策略；不能查看个人信息。",
    Role.AUDIT_ADMIN: "查询和导出审计记录；不能修改任何数据，不能查看个人信息。",
}
