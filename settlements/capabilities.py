"""The portal's one permission vocabulary: what a role may do, asked the same way everywhere.

A capability is a named thing a user may do ("import ledgers", "reveal ID numbers", "run the dispatch").
Each is defined once, by the app that owns it, with the roles that have it and the Chinese sentence shown to
a user who lacks it. Views check it with `@capability_required(...)`, services with `require(...)` (so a
service refuses an actor without the capability whatever the view did), templates with `{% if can.NAME %}`
(the `capabilities` context processor).

Scope (which settlements, which tasks) is not a capability: it stays with the scoped querysets
(`Settlement.objects.for_user`, `Task.objects.for_user`).
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Role


@dataclass(frozen=True)
class Capability:
    """Something a user may do: its name (a Python identifier, used in templates), label, roles, refusal."""

    name: str
    label: str
    roles: frozenset[str]
    refusal: str
    needs_unit: bool = False  # only users who belong to a responsible unit (reporters report for a unit)
    superuser: bool = True  # a superuser has it whatever their role

    def held_by(self, user) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if self.needs_unit and not user.unit_id:
            return False
        return (self.superuser and user.is_superuser) or user.role in self.roles


_REGISTRY: dict[str, Capability] = {}


def define(
    name: str, label: str, roles: Iterable[str], refusal: str, *, needs_unit: bool = False, superuser: bool = True
) -> Capability:
    """Register a capability (once per name) and return it. Apps call this at import time."""
    if not name.isidentifier():
        raise ValueError(f"capability name {name!r} must be a Python identifier")
    capability = Capability(name, label, frozenset(roles), refusal, needs_unit=needs_unit, superuser=superuser)
    existing = _REGISTRY.get(name)
    if existing is not None and existing != capability:
        raise ValueError(f"capability {name!r} is defined twice, differently")
    _REGISTRY[name] = capability
    return capability


def all_capabilities() -> list[Capability]:
    return list(_REGISTRY.values())


def get(name: str) -> Capability:
    return _REGISTRY[name]


def has(user, capability: Capability) -> bool:
    return capability.held_by(user)


def require(user, capability: Capability, message: str | None = None) -> None:
    """Refuse (PermissionDenied, shown as a 403 page in Chinese) a user without `capability`."""
    if not capability.held_by(user):
        raise PermissionDenied(message or capability.refusal)


def capability_required(capability: Capability):
    """A view decorator: the user must be logged in (else the login page) and hold `capability` (else 403)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            require(request.user, capability)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


class UserCapabilities:
    """What a template asks: `{% if can.import_ledgers %}`. Unknown names are False, never an error."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, name: str) -> bool:
        capability = _REGISTRY.get(name)
        return capability is not None and capability.held_by(self._user)

    def __contains__(self, name: str) -> bool:
        return self[name]


# --- the core's capabilities ------------------------------------------------------------------------------------
# The one place each rule lives: which roles hold each capability (the README's roles table says the same).

SEE_ALL_SETTLEMENTS = define(
    "see_all_settlements",
    "查阅全部安置点",
    {Role.OFFICE, Role.TEAM_LEAD, Role.LEADER},
    "您的角色只能查阅本中心所辖安置点。",
)
# Clerks read the households of their centre's settlements (scope: `Settlement.objects.for_user`).
READ_REGISTRY = define(
    "read_registry", "查阅户籍台账", SEE_ALL_SETTLEMENTS.roles | {Role.CLERK}, "您的角色无权查看户籍台账。"
)
KEEP_HOUSEHOLDS = define(
    "keep_households", "录入和维护户籍台账", {Role.OFFICE, Role.CLERK}, "您的角色只能查阅，不能修改户籍台账。"
)
KEEP_FACILITIES = define(
    "keep_facilities",
    "登记和维护服务设施",
    KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改服务设施台账。",
)
KEEP_GRIDS = define(
    "keep_grids",
    "划分网格，维护网格员和楼长（院长）",
    KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改网格、网格员和楼长（院长）。",
)
KEEP_COMMUNITY_GROUPS = define(
    "keep_community_groups",
    "登记社会组织、志愿者队伍和文体团体",
    KEEP_HOUSEHOLDS.roles,
    "您的角色只能查阅，不能修改社会组织、志愿者队伍和文体团体。",
)
IMPORT_LEDGERS = define("import_ledgers", "导入台账", KEEP_HOUSEHOLDS.roles, "您的角色无权导入台账。")
REVEAL_ID_NUMBERS = define(
    "reveal_id_numbers",
    "查看和导出完整身份证号",
    {Role.OFFICE, Role.CLERK},
    "您的角色无权查看或导出完整身份证号。",
)

# 三员分立: each administrator's duty is one capability held by that role alone, and none of the three holds
# any other. The Django superuser is for set-up from the command line only: the portal refuses it on every
# page (`settlements.accounts.middleware`), so `superuser=True` below grants nothing on the web; it lets the
# set-up commands and the shell call the services.
MANAGE_USERS = define(
    "manage_users",
    "创建和停用用户账号，维护基础数据",
    {Role.SYSTEM_ADMIN},
    "只有系统管理员可以管理用户账号和基础数据。",
    superuser=False,
)
MANAGE_SECURITY = define(
    "manage_security",
    "分配角色和权限，解除锁定，设定安全策略",
    {Role.SECURITY_ADMIN},
    "只有安全管理员可以分配角色、解除锁定和设定安全策略。",
    superuser=False,
)
READ_AUDIT_TRAIL = define(
    "read_audit_trail",
    "查询和导出审计记录",
    {Role.AUDIT_ADMIN},
    "只有安全审计员可以查询审计记录。",
    superuser=False,
)

# The work plan's capabilities are defined here too, so the core's `User` and the shared navigation can ask
# them without importing `tasks`. The others read the tasks of their unit (and team leads their team's).
SEE_ALL_TASKS = define(
    "see_all_tasks",
    "查阅全部工作任务和工作总览",
    {Role.OFFICE, Role.LEADER},
    "工作总览和全部任务供领导小组办公室和县领导查阅。",
)
REPORT_PROGRESS = define(
    "report_progress",
    "填报任务进展",
    {Role.REPORTER, Role.TEAM_LEAD},
    "您的账号不能填报进展：须为责任单位填报员或专班班长，并指定所属单位。",
    needs_unit=True,
    superuser=False,
)
RUN_DISPATCH = define(
    "run_dispatch",
    "审核进展报告，组织调度会，督办事项",
    {Role.OFFICE},
    "只有领导小组办公室可以审核报告、组织调度会和办结督办事项。",
)
