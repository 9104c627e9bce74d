"""An import from upload to done, whatever its kind: upload → check → preview → confirm or cancel → write →
done or failed, with progress.

`import_start` and `import_confirm` record the step and return; the pages queue the job that follows
(`tasks.check_import`, `tasks.write_import`, which only call `import_check` and `import_write`), so this
module and the jobs never import each other.

An import is one entry of the audit trail ("import.<kind>"), recorded when its write has committed, with its
counts and the SHA-256 of the uploaded file; a refused upload, confirmation or cancellation, and a write that
wrote nothing, are recorded as refused. The rows it writes are not entries of their own (`audit.covered`)."""

import datetime
import hashlib
import logging
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import audit, capabilities, dated_facts, id_numbers, uploads
from ..models import ImportStatus, LedgerImport
from . import importer as registry
from .checking import CheckResult, LedgerError, check

logger = logging.getLogger(__name__)

MSG_NOT_XLSX = (
    "只能导入 Excel 文件（.xlsx）。如为 .xls、.csv 或 WPS 格式，或设了打开密码，请先另存为不加密的 .xlsx 再上传。"
)
MSG_TOO_LARGE = "文件“{name}”超过{mb}MB，请分批导入。"
MSG_UNKNOWN_KIND = "没有这种台账。"
MSG_NOT_OWNER = "只有上传该文件的用户可以确认或取消导入。"
MSG_NOT_CHECKED = "该导入不在“已检查，待确认”状态，不能确认或取消。"
MSG_RECHECK_FAILED = "确认导入时重新检查发现{rows}行存在错误（平台中的台账可能在检查后有变动），未写入任何数据。"
MSG_WRITE_CONFLICT = "写入时与平台中的数据冲突（可能有人同时修改了台账），未写入任何数据，请重新上传检查。"
MSG_UNEXPECTED = "处理文件时发生意外错误，未写入任何数据。请联系领导小组办公室。"
MSG_FILE_DELETED = "上传的文件含完整身份证号，已于{date}按保留期限（{days}天）删除；本记录保留。"

RUNNING = (ImportStatus.CHECKING, ImportStatus.IMPORTING)


def importer_of(record: LedgerImport):
    importer = registry.get(record.kind)
    if importer is None:
        raise ValidationError(MSG_UNKNOWN_KIND)
    return importer


def imports_for_user(user, *, kind: str | None = None):
    """The imports `user` may see: all for who imports and sees every settlement (the office), their own for
    anyone else who may import, none for the others."""
    imports = LedgerImport.objects.select_related("user")
    if kind:
        imports = imports.filter(kind=kind)
    if capabilities.has(user, capabilities.IMPORT_LEDGERS) and capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
        return imports
    if registry.importers_for(user):
        return imports.filter(user=user)
    return imports.none()


def validate_upload(upload) -> None:
    """An uploaded file the import can read: an .xlsx by its content and its name, of at most UPLOAD_MAX_MB."""
    if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise ValidationError(MSG_TOO_LARGE.format(name=os.path.basename(upload.name), mb=settings.UPLOAD_MAX_MB))
    uploads.check(upload, {uploads.XLSX}, hint=MSG_NOT_XLSX)


def import_start(*, user, upload, kind: str) -> LedgerImport:
    """Store the upload of a `kind` ledger, to be checked (`import_check`)."""
    importer = registry.get(kind)
    if importer is None:
        raise ValidationError(MSG_UNKNOWN_KIND)
    with audit.refusals_recorded(actor=user, action=registry.audit_action(kind)):
        importer.require(user)
        validate_upload(upload)
    record = LedgerImport.objects.create(
        kind=kind,
        user=user,
        file=upload,
        file_name=os.path.basename(upload.name)[:200],
        status=ImportStatus.CHECKING,
        progress=0,
    )
    return record


def import_check(*, import_id: int) -> LedgerImport:
    """Check the stored file and record the preview; run by a Celery job."""
    record = LedgerImport.objects.select_related("user").get(pk=import_id)
    if record.status != ImportStatus.CHECKING:
        return record  # already checked (a job that ran twice)
    try:
        result = _check_record(record, 0, 100)
    except Exception:
        logger.exception("Checking %s import %s failed", record.kind, import_id)
        return _fail(record, MSG_UNEXPECTED)
    _store_check(record, result)
    record.status = ImportStatus.FAILED if result.fatal else ImportStatus.CHECKED
    record.progress = 100
    record.finished_at = timezone.now() if result.fatal else None
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    return record


def import_confirm(*, user, record: LedgerImport, valid_only: bool = False) -> LedgerImport:
    """The uploader confirms a checked import, to be written (`import_write`)."""
    with audit.refusals_recorded(actor=user, action=registry.audit_action(record.kind), target=record):
        importer = _owned_and_checked(user, record)
        wrong_rows = record.summary.get("rows_wrong", 0)
        if wrong_rows and not valid_only:
            raise ValidationError(importer.msg_has_wrong.format(rows=wrong_rows))
        claimed = LedgerImport.objects.filter(pk=record.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.IMPORTING, valid_only=valid_only, progress=0
        )
        if not claimed:  # confirmed twice (a double click): the first one writes
            raise ValidationError(MSG_NOT_CHECKED)
    record.refresh_from_db()
    return record


def import_cancel(*, user, record: LedgerImport) -> LedgerImport:
    with audit.refusals_recorded(actor=user, action=registry.audit_action(record.kind), target=record):
        _owned_and_checked(user, record)
    record.status = ImportStatus.CANCELLED
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "finished_at"])
    return record


def import_write(*, import_id: int) -> LedgerImport:
    """Check the file again against the database as it is now, then write it; run by a Celery job."""
    record = LedgerImport.objects.select_related("user").get(pk=import_id)
    if record.status != ImportStatus.IMPORTING:
        return record  # already written (a job that ran twice)
    try:
        importer = importer_of(record)
        result = _check_record(record, 0, 60)
    except Exception:
        logger.exception("Re-checking %s import %s failed", record.kind, import_id)
        return _fail(record, MSG_UNEXPECTED, audited=True)
    if result.fatal or (result.wrong_rows and not record.valid_only):
        _store_check(record, result)
        record.summary["notice"] = MSG_RECHECK_FAILED.format(rows=result.wrong_rows)
        record.status, record.progress = ImportStatus.CHECKED, 100
        record.save(update_fields=["summary", "errors", "preview", "status", "progress"])
        _audit_write(record, audit.REFUSED, reason=record.summary["notice"])
        return record
    LedgerImport.objects.filter(pk=record.pk).update(progress=60)
    try:
        written = write(
            importer, result, user=record.user, valid_only=record.valid_only, reason=importer.reason(record.pk)
        )
    except IntegrityError:
        logger.exception("Writing %s import %s conflicted with the database", record.kind, import_id)
        return _fail(record, MSG_WRITE_CONFLICT, audited=True)
    except Exception:
        logger.exception("Writing %s import %s failed", record.kind, import_id)
        return _fail(record, MSG_UNEXPECTED, audited=True)
    _store_check(record, result)
    record.summary["written"] = written
    record.status, record.progress, record.finished_at = ImportStatus.DONE, 100, timezone.now()
    record.save(update_fields=["summary", "errors", "preview", "status", "progress", "finished_at"])
    _audit_write(record, audit.SUCCESS, counts=record.summary)
    return record


def _audit_write(record: LedgerImport, outcome: str, **detail) -> None:
    """The import's one entry, after its transaction: who, which file (name and SHA-256), what it wrote."""
    audit.record(
        actor=record.user,
        action=registry.audit_action(record.kind),
        target=record,
        outcome=outcome,
        detail={
            "file_name": record.file_name,
            "sha256": _file_sha256(record),
            "valid_only": record.valid_only,
            **detail,
        },
    )


def _file_sha256(record: LedgerImport) -> str:
    """The uploaded file's SHA-256 (empty if the file can no longer be read)."""
    digest = hashlib.sha256()
    try:
        with record.file.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def write(importer, result: CheckResult, *, user, valid_only: bool = False, reason: str | None = None) -> dict:
    """Write a check's result: refused while the file is unreadable, or while a row is wrong unless
    `valid_only`; the importer writes in one transaction."""
    if result.fatal:
        raise ValidationError([error.text for error in result.file_errors])
    if result.wrong_rows and not valid_only:
        raise ValidationError(importer.msg_has_wrong.format(rows=result.wrong_rows))
    with audit.covered(), transaction.atomic():  # the import's one entry covers every row it writes
        counts = importer.write(result, user=user, valid_only=valid_only, reason=reason or f"{importer.title}导入")
        since = importer.earliest_day(result) or dated_facts.EVERY_DAY
        for model in importer.dated_models:  # bulk writes bypass save(): announce the dated facts they touch
            dated_facts.announce(model, since)
        return counts


def _owned_and_checked(user, record: LedgerImport):
    importer = importer_of(record)
    importer.require(user)
    if record.user_id != user.pk:
        raise PermissionDenied(MSG_NOT_OWNER)
    if record.status != ImportStatus.CHECKED:
        raise ValidationError(MSG_NOT_CHECKED)
    return importer


def _progress_reporter(record: LedgerImport, low: int, high: int):
    last = {"value": record.progress}

    def report(fraction: float) -> None:
        value = int(low + (high - low) * min(max(fraction, 0.0), 1.0))
        if value != last["value"]:
            last["value"] = value
            LedgerImport.objects.filter(pk=record.pk).update(progress=value)

    return report


def _check_record(record: LedgerImport, low: int, high: int) -> CheckResult:
    importer = importer_of(record)
    with record.file.open("rb") as file:
        return check(importer, file, record.user, progress=_progress_reporter(record, low, high))


def _store_check(record: LedgerImport, result: CheckResult) -> None:
    """The check's summary, errors and preview, with every full ID number in them masked (a number in a column
    the importer does not know, or typed where it does not belong, is shown only masked)."""
    record.summary = result.summary()
    record.errors = id_numbers.mask_in_data(result.stored_errors())
    record.preview = id_numbers.mask_in_data(result.preview())


def _fail(record: LedgerImport, message: str, *, audited: bool = False) -> LedgerImport:
    """The import ends, nothing written; a write that failed is in the audit trail as refused."""
    record.status = ImportStatus.FAILED
    record.errors = [LedgerError("", None, "", message).as_dict()]
    record.progress = 100
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "errors", "progress", "finished_at"])
    if audited:
        _audit_write(record, audit.REFUSED, reason=message)
    return record


def imports_purge_expired_files(*, now: datetime.datetime | None = None) -> int:
    """Delete the uploaded files (they hold full ID numbers) of imports uploaded more than
    `UPLOAD_RETENTION_DAYS` ago; returns how many. The records stay, with the file's name and when it was
    deleted. An import still waiting for its confirmation is cancelled (its file is gone); a running check or
    write keeps its file until it ends, and a later run deletes it."""
    now = now or timezone.now()
    uploaded_before = now - datetime.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    expired = (
        LedgerImport.objects.filter(created_at__lt=uploaded_before, file_deleted_at__isnull=True)
        .exclude(status__in=RUNNING)
        .order_by("pk")
    )
    deleted = 0
    for record in expired.iterator():
        if record.file:
            record.file.delete(save=False)  # a file already missing from the storage is no error
        record.file, record.file_deleted_at = "", now
        fields = ["file", "file_deleted_at"]
        if record.status == ImportStatus.CHECKED:
            record.status, record.finished_at = ImportStatus.CANCELLED, now
            fields += ["status", "finished_at"]
        record.save(update_fields=fields)
        deleted += 1
    return deleted


def file_deleted_sentence(record: LedgerImport) -> str:
    """What the import's page says of a file deleted under the retention rule ("" while it is kept)."""
    if record.file_deleted_at is None:
        return ""
    day = timezone.localtime(record.file_deleted_at).date()
    return MSG_FILE_DELETED.format(date=f"{day:%Y-%m-%d}", days=settings.UPLOAD_RETENTION_DAYS)
