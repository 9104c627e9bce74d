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

from .roles import (
    EDITS_REGISTRY,
    REPORTS_PROGRESS,
    REVEALS_ID_NUMBERS,
    RUNS_DISPATCH,
    SEES_ALL_SETTLEMENTS,
    SEES_ALL_TASKS,
    SEES_REGISTRY,
    Role,
)


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

SEE_ALL_SETTLEMENTS = define(
    "see_all_settlements", "查阅全部安置点", SEES_ALL_SETTLEMENTS, "您的角色只能查阅本中心所辖安置点。"
)
READ_REGISTRY = define("read_registry", "查阅户籍台账", SEES_REGISTRY, "您的角色无权查阅户籍台账。")
KEEP_HOUSEHOLDS = define("keep_households", "录入和维护户籍台账", EDITS_REGISTRY, "您的角色只能查阅，不能修改台账。")
IMPORT_LEDGERS = define("import_ledgers", "导入台账", EDITS_REGISTRY, "您的角色无权导入台账。")
REVEAL_ID_NUMBERS = define(
    "reveal_id_numbers", "查看和导出完整身份证号", REVEALS_ID_NUMBERS, "您的角色无权查看或导出完整身份证号。"
)
ADMINISTER = define("administer", "维护基础数据和用户", {Role.OFFICE}, "只有领导小组办公室可以进行此操作。")

# The work plan's capabilities are defined here too, beside the roles they come from, so the core's pages
# (home, navigation) can ask them without importing `tasks`.
SEE_ALL_TASKS = define("see_all_tasks", "查阅全部工作任务", SEES_ALL_TASKS, "您的角色只能查阅本单位的任务。")
REPORT_PROGRESS = define(
    "report_progress",
    "填报任务进展",
    REPORTS_PROGRESS,
    "只有责任单位的填报员和专班班长可以填报进展。",
    needs_unit=True,
    superuser=False,
)
RUN_DISPATCH = define(
    "run_dispatch", "审核进展报告，组织调度会", RUNS_DISPATCH, "只有领导小组办公室可以审核报告和组织调度会。"
)
