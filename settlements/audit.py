"""The audit trail (安全审计, GB/T 22239-2019 level 3): one append-only log of security events, of every
write through a service, and of every access to personal data.

- `record(...)` appends one entry. Entries form a hash chain: each stores the SM3 digest of the one before
  it and its own digest over its content, so `verify()` (the `verify_audit_trail` command) reports any row
  edited or deleted in the database. Appends are serialised (an advisory lock on PostgreSQL, the write lock
  on SQLite) and `previous_hash` is unique, so the chain cannot fork.
- The database refuses UPDATE of an entry, and DELETE of any entry not yet archived and older than the
  retention floor (migration 0009's trigger); the portal's production database role does not own the
  table, so it cannot drop the trigger (`grant_portal_role`).
- `archive(...)` moves entries older than `AUDIT_RETENTION_DAYS` (at least 180) to a gzip JSON-lines file
  under `AUDIT_ARCHIVE_DIR` and records the file's digest in `AuditArchive`; nothing is dropped silently.
- `@audited("household.update", "修改搬迁户")` wraps a service: one entry for its success or its refusal.
  A service it calls, or one called inside `covered()` (an import, the demo data), records nothing of its own.

Actions are named "<entity>.<verb>" (household.update, progress_report.submit, personal_data.export_full,
logout.timeout, import.registry): the entity as its model is named, in snake case, then what happened. Each is
defined once with its Chinese label and category (`define_action`; `@audited` defines its service's), so the
audit page's filter lists them all.
"""

import contextlib
import contextvars
import datetime
import functools
import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from . import capabilities, id_numbers
from .models import (
    AuditArchive,
    AuditCategory,
    AuditEntry,
    AuditOutcome,
    AuditVerification,
    PersonalDataAccessKind,
    VerificationStatus,
)

logger = logging.getLogger(__name__)

SUCCESS = AuditOutcome.SUCCESS
REFUSED = AuditOutcome.REFUSED
SECURITY = AuditCategory.SECURITY
WRITE = AuditCategory.WRITE
PERSONAL_DATA = AuditCategory.PERSONAL_DATA

GENESIS_HASH = "0" * 64
RETENTION_FLOOR_DAYS = (
    180  # the law's minimum (网络安全法 第二十一条: 网络日志留存不少于六个月); the trigger enforces it
)
_LOCK_KEY = 0x52_4A_41_55  # "RJAU": the advisory lock that serialises appends on PostgreSQL

# The client address of the request being served, set by `AuditRequestMiddleware`, so that a service called
# from a view records where the request came from without every view passing it down.
_client_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_client_address", default=None)
# Set while a service (or a batch such as an import) that records one entry for the whole runs: the services it
# calls record nothing of their own.
_covered: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_covered", default=False)
# The refusals raised inside a transaction of the request's own (which rolls back with them), recorded when
# the request ends; None outside a request.
_deferred_refusals: contextvars.ContextVar[list | None] = contextvars.ContextVar("audit_deferred", default=None)


# --- actions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    category: str


_ACTIONS: dict[str, Action] = {}


def define_action(name: str, label: str, category: str = WRITE) -> str:
    """Register an action with its Chinese label and category (once per name); returns the name."""
    action = Action(name, label, category)
    existing = _ACTIONS.get(name)
    if existing is not None and existing != action:
        raise ValueError(f"audit action {name!r} is defined twice, differently")
    _ACTIONS[name] = action
    return name


def all_actions() -> list[Action]:
    order = list(AuditCategory.values)
    return sorted(_ACTIONS.values(), key=lambda action: (order.index(action.category), action.name))


def action_label(name: str) -> str:
    """The Chinese label of an action; an action no one defined shows its name."""
    action = _ACTIONS.get(name)
    return action.label if action else name


for _kind in PersonalDataAccessKind:
    define_action(_kind.value, _kind.label, PERSONAL_DATA)
LOGOUT_TIMEOUT = define_action("logout.timeout", "会话超时退出", SECURITY)
AUDIT_EXPORT = define_action("audit.export", "导出审计记录", SECURITY)
AUDIT_VERIFY = define_action("audit.verify", "校验审计记录摘要链", SECURITY)

# How the audit page and its export name the keys of an entry's detail; another key shows as it is.
DETAIL_LABELS = {
    "reason": "原因",
    "record_count": "记录数",
    "description": "内容",
    "file_name": "文件",
    "sha256": "文件SHA-256",
    "valid_only": "只导入无误的行",
    "counts": "统计",
    "last_request": "最后一次请求",
    "expired_at": "会话到期",
    "command": "命令",
    "intact": "摘要链完整",
    "checked": "已校验条数",
    "problem_count": "问题数",
}


def detail_text(detail: dict) -> str:
    """An entry's detail as one line: 原因：…；记录数：120."""
    return "；".join(f"{DETAIL_LABELS.get(key, key)}：{_detail_value(value)}" for key, value in detail.items())


def _detail_value(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- appending --------------------------------------------------------------------------------------------


def record(
    *,
    actor,
    action: str,
    category: str | None = None,
    target=None,
    outcome: str = SUCCESS,
    detail: dict | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry to the trail. `actor` is a User (or None for an anonymous event, then `actor_name`
    says who was named, e.g. the username of a failed login); `target` a model instance or None. The category
    is the action's (`define_action`) unless given; an action no one defined is a write."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=user,
        actor_name=(user.get_username() if user else actor_name)[:150],
        category=category or (_ACTIONS[action].category if action in _ACTIONS else WRITE),
        action=action[:60],
        outcome=outcome,
        detail=_plain(detail or {}),
        ip_address=_client_address.get(),
        **_target_fields(target),
    )
    with transaction.atomic():
        _lock_the_chain()
        entry.at = timezone.now()  # taken under the lock, so the entries appended here are in time order
        entry.previous_hash = _last_hash()
        entry.entry_hash = entry_digest(entry)
        entry.save(force_insert=True)
    return entry


def _target_fields(target) -> dict:
    if target is None:
        return {}
    if isinstance(target, models.Model):
        return {
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk or "")[:40],
            "target_label": str(target)[:200],
        }
    return {"target_label": str(target)[:200]}


def _plain(detail: dict) -> dict:
    """The detail as JSON will store and give it back (so the digest computed now verifies later)."""
    return json.loads(json.dumps(detail, ensure_ascii=False, default=str))


def _lock_the_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    # SQLite: the portal opens every transaction IMMEDIATE, which already holds the database's write lock.


def _last_hash() -> str:
    last = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
    if last is not None:
        return last
    archived = AuditArchive.objects.order_by("-last_id").values_list("last_entry_hash", flat=True).first()
    return archived or GENESIS_HASH


def entry_digest(entry: AuditEntry) -> str:
    """SM3 over the entry's content and the previous entry's digest (hex)."""
    content = [
        entry.previous_hash,
        entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        entry.actor_id,
        entry.actor_name,
        entry.category,
        entry.action,
        entry.outcome,
        entry.target_type,
        entry.target_id,
        entry.target_label,
        entry.detail,
        entry.ip_address,
    ]
    digest = hashes.Hash(hashes.SM3())
    digest.update(json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())
    return digest.finalize().hex()


# --- services that write, and access to personal data ---------------------------------------------------


def audited(
    action: str, label: str = "", *, target: str | None = None, actor: str = "actor", result_is_target: bool = True
):
    """Wrap a service (put it above `@transaction.atomic`, so the entry is recorded after the service's own
    transaction): record one entry when it succeeds and one when it refuses (PermissionDenied or
    ValidationError, re-raised). The actor is the keyword argument named `actor` (or "user"); the target is the
    service's result when it is a model instance (unless `result_is_target` is false), else the keyword argument
    named `target`. The services it calls record nothing of their own (they are covered by its entry)."""
    if label:
        define_action(action, label)

    def decorator(service):
        @functools.wraps(service)
        def wrapped(*args, **kwargs):
            if _covered.get():
                return service(*args, **kwargs)
            who = kwargs.get(actor, kwargs.get("user"))
            named = kwargs.get(target) if target else None
            with refusals_recorded(actor=who, action=action, target=named), covered():
                result = service(*args, **kwargs)
            subject = result if result_is_target and isinstance(result, models.Model) else named
            record(actor=who, action=action, target=subject)
            return result

        wrapped.audit_action = action
        return wrapped

    return decorator


@contextlib.contextmanager
def covered():
    """Services called inside record no entry of their own: the caller records one for the whole (an import
    records one entry with its counts, the demo data one for the seed)."""
    token = _covered.set(True)
    try:
        yield
    finally:
        _covered.reset(token)


@contextlib.contextmanager
def refusals_recorded(*, actor, action: str, target=None):
    """Record a PermissionDenied or ValidationError raised inside as a refused `action`, then re-raise it."""
    try:
        yield
    except (PermissionDenied, ValidationError) as refusal:
        if not _covered.get():
            _record_refusal(actor=actor, action=action, target=target, detail={"reason": refusal_text(refusal)})
        raise


def _record_refusal(**entry) -> None:
    """A refusal raised inside a transaction the request opened would roll back with it: such refusals are
    recorded when the request ends (`AuditRequestMiddleware`); any other at once."""
    deferred = _deferred_refusals.get()
    if deferred is not None and connection.in_atomic_block:
        deferred.append(entry)
    else:
        record(outcome=REFUSED, **entry)


def refusal_text(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return "；".join(refusal.messages)[:500]
    return str(refusal)[:500]


def record_access(*, actor, action: str, target=None, record_count: int = 1, description: str = "") -> AuditEntry:
    """Record that `actor` saw or exported data (a reveal, an export): what, how many. An ID number in the
    description (a search typed in full) is masked: the audit administrator reads no full numbers."""
    return record(
        actor=actor,
        action=action,
        target=target,
        detail={"record_count": record_count, "description": id_numbers.mask_in_text(description)[:500]},
    )


class AuditRequestMiddleware:
    """For the length of a request: make the client's address available to `record()`, and record the
    refusals deferred by `_record_refusal` when it ends. A request that carries the cookie of a session
    which has expired ends that session here, recording the timeout (`services.session_end_expired`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = _client_address.set(request.META.get("REMOTE_ADDR") or None)
        deferred = _deferred_refusals.set([])
        try:
            _end_expired_session(request)
            return self.get_response(request)
        finally:
            try:
                for entry in _deferred_refusals.get():
                    record(outcome=REFUSED, **entry)
            finally:
                _deferred_refusals.reset(deferred)
                _client_address.reset(address)


def _end_expired_session(request) -> None:
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    user = getattr(request, "user", None)
    if not key or user is None or user.is_authenticated or request.session.session_key is not None:
        return  # no cookie, a live session, or (session_key kept) an anonymous session that has not expired
    from .services import session_end_expired  # the services import this module

    session_end_expired(session_key=key)


# --- verifying ------------------------------------------------------------------------------------------


@dataclass
class Verification:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_id: int | None = None
    last_hash: str = GENESIS_HASH

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(*, chunk_size: int = 5000, progress=None) -> Verification:
    """Recompute the whole chain: archived files first, then the table. Every break is named by entry id.
    `progress(fraction)` (optional) is called after each chunk of the table."""
    result = Verification()
    expected_previous = GENESIS_HASH
    for archive in AuditArchive.objects.order_by("last_id"):
        expected_previous = _verify_archive(archive, expected_previous, result)
    total = AuditEntry.objects.count() if progress else 0
    for index, entry in enumerate(AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size), start=1):
        expected_previous = _verify_entry(entry, expected_previous, result)
        result.last_id = entry.id
        if progress and index % chunk_size == 0:
            progress(index / max(total, 1))
    result.last_hash = expected_previous
    return result


MAX_STORED_PROBLEMS = 100
STALE_VERIFICATION = datetime.timedelta(hours=6)  # a check still "running" after this died with its worker
MSG_VERIFICATION_RUNNING = "摘要链正在校验中，请等待本次校验完成。"


def verification_start(*, actor) -> AuditVerification:
    """The audit administrator asks for a check of the chain (the page queues `tasks.verify_audit_trail`,
    which runs `verification_run`); one check at a time."""
    capabilities.require(actor, capabilities.READ_AUDIT_TRAIL)
    running = AuditVerification.objects.filter(status=VerificationStatus.RUNNING)
    running.filter(requested_at__lt=timezone.now() - STALE_VERIFICATION).update(status=VerificationStatus.FAILED)
    if running.exists():
        raise ValidationError(MSG_VERIFICATION_RUNNING)
    return AuditVerification.objects.create(requested_by=actor, status=VerificationStatus.RUNNING)


def verification_run(*, verification_id: int) -> AuditVerification:
    """Run a check asked for on the page, with its progress, and record it in the trail."""
    verification = AuditVerification.objects.select_related("requested_by").get(pk=verification_id)
    if verification.status != VerificationStatus.RUNNING:
        return verification  # already run (a job that ran twice)
    try:
        result = verify(progress=_verification_progress(verification))
    except Exception:
        logger.exception("Verifying the audit trail (check %s) failed", verification_id)
        verification.status = VerificationStatus.FAILED
        verification.finished_at = timezone.now()
        verification.save(update_fields=["status", "finished_at"])
        return verification
    verification.status, verification.progress, verification.finished_at = VerificationStatus.DONE, 100, timezone.now()
    verification.checked, verification.last_id = result.checked, result.last_id
    verification.problems = result.problems[:MAX_STORED_PROBLEMS]
    verification.problem_count = len(result.problems)
    verification.save()
    record(
        actor=verification.requested_by,
        action=AUDIT_VERIFY,
        detail={"intact": result.intact, "checked": result.checked, "problem_count": len(result.problems)},
    )
    return verification


def _verification_progress(verification: AuditVerification):
    def report(fraction: float) -> None:
        AuditVerification.objects.filter(pk=verification.pk).update(progress=min(int(fraction * 100), 99))

    return report


def _verify_entry(entry: AuditEntry, expected_previous: str, result: Verification) -> str:
    result.checked += 1
    if entry.previous_hash != expected_previous:
        result.problems.append(f"第 {entry.id} 条：前一条摘要不符，其前的记录被删除或改动。")
    if entry_digest(entry) != entry.entry_hash:
        result.problems.append(f"第 {entry.id} 条：内容与摘要不符，记录被改动。")
    return entry.entry_hash


def _verify_archive(archive: AuditArchive, expected_previous: str, result: Verification) -> str:
    path = archive_dir() / archive.file_name
    if not path.exists():
        result.problems.append(f"归档文件 {archive.file_name} 不存在。")
        return archive.last_entry_hash
    if _file_sha256(path) != archive.file_sha256:
        result.problems.append(f"归档文件 {archive.file_name} 的SHA-256与登记不符，文件被改动。")
        return archive.last_entry_hash
    if archive.first_previous_hash != expected_previous:
        result.problems.append(f"归档文件 {archive.file_name} 与前一段记录不相连。")
    for entry in _read_archive(path):
        expected_previous = _verify_entry(entry, expected_previous, result)
    return expected_previous


# --- archiving --------------------------------------------------------------------------------------------


def retention_days() -> int:
    return max(settings.AUDIT_RETENTION_DAYS, RETENTION_FLOOR_DAYS)


def archive_dir() -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR)


def archive(*, now: datetime.datetime | None = None) -> AuditArchive | None:
    """Move the entries older than the retention period to a new archive file, then delete them from the
    table (which the trigger allows only for archived entries past the floor). None when there are none."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    # Every entry before the first one still within the retention period (time order is id order, except for
    # entries moved into the chain from an older log, which wait until those before them are old enough).
    first_kept = AuditEntry.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    entries = AuditEntry.objects.order_by("id")
    if first_kept is not None:
        entries = entries.filter(id__lt=first_kept)
    if not entries.exists():
        return None
    first = entries.first()
    last = entries.last()
    path = archive_dir() / f"audit-{first.id:012d}-{last.id:012d}.jsonl.gz"
    count = _write_archive(path, entries)
    with transaction.atomic():
        registered = AuditArchive.objects.create(
            file_name=path.name,
            file_sha256=_file_sha256(path),
            first_id=first.id,
            last_id=last.id,
            entry_count=count,
            first_previous_hash=first.previous_hash,
            last_entry_hash=last.entry_hash,
        )
        AuditEntry.objects.filter(id__lte=last.id).delete()
    return registered


def _write_archive(path: Path, entries) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for entry in entries.iterator(chunk_size=5000):
            out.write(json.dumps(_as_archived(entry), ensure_ascii=False) + "\n")
            count += 1
    return count


_ARCHIVED_FIELDS = [
    "id", "at", "actor_id", "actor_name", "category", "action", "outcome", "target_type", "target_id",
    "target_label", "detail", "ip_address", "previous_hash", "entry_hash",
]  # fmt: skip


def _as_archived(entry: AuditEntry) -> dict:
    row = {name: getattr(entry, name) for name in _ARCHIVED_FIELDS}
    row["at"] = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return row


def _read_archive(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as archived:
        for line in archived:
            row = json.loads(line)
            row["at"] = datetime.datetime.fromisoformat(row["at"])
            yield AuditEntry(**row)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as archived:
        for block in iter(lambda: archived.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
