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
- `@audited("household.update")` wraps a service: one entry for its success or its refusal.
"""

import contextvars
import datetime
import functools
import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditArchive, AuditCategory, AuditEntry, AuditOutcome

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


# --- appending --------------------------------------------------------------------------------------------


def record(
    *,
    actor,
    action: str,
    category: str = WRITE,
    target=None,
    outcome: str = SUCCESS,
    detail: dict | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one entry to the trail. `actor` is a User (or None for an anonymous event, then `actor_name`
    says who was named, e.g. the username of a failed login); `target` a model instance or None."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=user,
        actor_name=(user.get_username() if user else actor_name)[:150],
        category=category,
        action=action[:60],
        outcome=outcome,
        detail=_plain(detail or {}),
        ip_address=_client_address.get(),
        **_target_fields(target),
    )
    with transaction.atomic():
        _lock_the_chain()
        entry.at = timezone.now()  # taken under the lock, so time order is id order (archive relies on it)
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


# --- services that write ------------------------------------------------------------------------------


def audited(action: str, *, target: str | None = None, actor: str = "actor"):
    """Wrap a service: record one entry when it succeeds and one when it refuses (PermissionDenied or
    ValidationError, re-raised). The actor is the keyword argument named `actor` (or "user"); the target is
    the service's result when it is a model instance, else the keyword argument named `target`."""

    def decorator(service):
        @functools.wraps(service)
        def wrapped(*args, **kwargs):
            who = kwargs.get(actor, kwargs.get("user"))
            try:
                result = service(*args, **kwargs)
            except (PermissionDenied, ValidationError) as refusal:
                record(
                    actor=who,
                    action=action,
                    target=kwargs.get(target) if target else None,
                    outcome=REFUSED,
                    detail={"reason": refusal_text(refusal)},
                )
                raise
            subject = result if isinstance(result, models.Model) else (kwargs.get(target) if target else None)
            record(actor=who, action=action, target=subject)
            return result

        return wrapped

    return decorator


def refusal_text(refusal: Exception) -> str:
    if isinstance(refusal, ValidationError):
        return "；".join(refusal.messages)[:500]
    return str(refusal)[:500]


class AuditRequestMiddleware:
    """Make the client's address available to `record()` for the length of a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _client_address.reset(token)


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


def verify(*, chunk_size: int = 5000) -> Verification:
    """Recompute the whole chain: archived files first, then the table. Every break is named by entry id."""
    result = Verification()
    expected_previous = GENESIS_HASH
    for archive in AuditArchive.objects.order_by("last_id"):
        expected_previous = _verify_archive(archive, expected_previous, result)
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        expected_previous = _verify_entry(entry, expected_previous, result)
        result.last_id = entry.id
    result.last_hash = expected_previous
    return result


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
    last_id = AuditEntry.objects.filter(at__lt=cutoff).order_by("id").values_list("id", flat=True).last()
    if last_id is None:
        return None
    entries = AuditEntry.objects.filter(id__lte=last_id).order_by("id")
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
