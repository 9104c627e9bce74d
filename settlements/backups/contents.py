"""What a backup holds and how it is checked: the facts of the database (applied migrations, rows per table,
the audit chain's end), the files copied with their SHA-256, and the manifest that records both."""

import datetime
import hashlib
import json
import shutil
from pathlib import Path

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from settlements import audit

from .engines import BackupError

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
MEDIA_FOLDER = "media"  # MEDIA_ROOT: uploaded ledgers, evidence files
AUDIT_ARCHIVE_FOLDER = "audit-archive"  # AUDIT_ARCHIVE_DIR: the audit trail's archive files


# --- the database's facts ---------------------------------------------------------------------------------


def database_facts() -> dict:
    """The applied migrations, the rows of every table and the end of the audit chain, as the manifest records
    them and the drill compares them."""
    chain = audit.verify()
    return {
        "migrations": _applied_migrations(),
        "row_counts": _row_counts(),
        "audit": {
            "intact": chain.intact,
            "checked": chain.checked,
            "last_id": chain.last_id,
            "last_hash": chain.last_hash,
            "problems": chain.problems[:20],
        },
    }


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def compare_facts(expected: dict, restored: dict) -> tuple[list[str], list[str]]:
    """What agrees (the report's lines) and what does not (its problems) between the manifest's facts and the
    restored database's."""
    passed: list[str] = []
    problems: list[str] = []
    for check in (_compare_migrations, _compare_row_counts, _compare_audit):
        check(expected, restored, passed, problems)
    return passed, problems


def _compare_migrations(expected, restored, passed, problems):
    wanted = {(app, name) for app, names in expected["migrations"].items() for name in names}
    found = {(app, name) for app, names in restored["migrations"].items() for name in names}
    if wanted == found:
        passed.append(f"迁移记录与清单一致：{len(expected['migrations'])} 个应用，{len(wanted)} 个迁移。")
    for app, name in sorted(wanted - found):
        problems.append(f"迁移 {app}.{name}：清单中已应用，恢复后的数据库中没有。")
    for app, name in sorted(found - wanted):
        problems.append(f"迁移 {app}.{name}：恢复后的数据库中有，清单中没有。")


def _compare_row_counts(expected, restored, passed, problems):
    wanted, found = expected["row_counts"], restored["row_counts"]
    before = len(problems)
    for table in sorted(wanted.keys() | found.keys()):
        if table not in found:
            problems.append(f"表 {table}：清单中有 {wanted[table]} 行，恢复后的数据库中没有这张表。")
        elif table not in wanted:
            problems.append(f"表 {table}：恢复后的数据库中有 {found[table]} 行，清单中没有这张表。")
        elif wanted[table] != found[table]:
            problems.append(f"表 {table}：清单 {wanted[table]} 行，恢复后 {found[table]} 行。")
    if len(problems) == before:
        passed.append(f"各表行数与清单一致：{len(wanted)} 张表，共 {sum(wanted.values()):,} 行。")
        passed.extend(f"    {table}：{count:,} 行" for table, count in sorted(wanted.items()) if count)


def _compare_audit(expected, restored, passed, problems):
    wanted, found = expected["audit"], restored["audit"]
    if not wanted["intact"]:
        problems.append(
            f"备份时审计链已不完整（{len(wanted['problems'])} 处问题）：{'；'.join(wanted['problems'][:5])}"
        )
    if not found["intact"]:
        problems.append(f"恢复后的审计链不完整：{'；'.join(found['problems'][:5])}")
    ends_match = (wanted["last_id"], wanted["last_hash"]) == (found["last_id"], found["last_hash"])
    if not ends_match:
        problems.append(f"审计链末条与清单不符：清单为{chain_end(wanted)}，恢复后为{chain_end(found)}。")
    if wanted["intact"] and found["intact"] and ends_match:
        passed.append(f"审计链完整，与清单一致：共校验 {found['checked']} 条，{chain_end(found)}。")


def chain_end(chain: dict) -> str:
    """The audit chain's last entry as the reports name it."""
    if chain["last_id"] is None:
        return "表中没有审计记录" + ("" if chain["checked"] == 0 else f"（摘要 {chain['last_hash']}）")
    return f"最后一条第 {chain['last_id']} 条（摘要 {chain['last_hash']}）"


# --- files ----------------------------------------------------------------------------------------------


def copy_tree(source: Path, destination: Path, *, prefix: str, skip: tuple[Path, ...] = ()) -> dict[str, dict]:
    """Copy the regular files under `source` to `destination`; their manifest entries ("prefix/relative
    path": SHA-256 and size). Symbolic links and the folders in `skip` are left out."""
    entries = {}
    if not source.is_dir():
        return entries
    skipped = [folder.resolve() for folder in skip]
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file() or any(path.resolve().is_relative_to(s) for s in skipped):
            continue
        relative = path.relative_to(source)
        copied = destination / relative
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copied)
        entries[f"{prefix}/{relative.as_posix()}"] = file_entry(copied)
    return entries


def file_entry(path: Path) -> dict:
    return {"sha256": sha256(path), "bytes": path.stat().st_size}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        for block in iter(lambda: content.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_files(folder: Path, manifest: dict) -> tuple[list[str], list[str]]:
    """Every file the manifest names is in `folder` with its SHA-256, and no other file is."""
    listed = manifest["files"]
    problems = []
    for name, entry in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"文件 {name}：清单中有，备份中缺失。")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"文件 {name}：SHA-256 与清单不符，文件已被改动或损坏。")
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and name != MANIFEST_NAME and name not in listed:
            problems.append(f"文件 {name}：备份中有，清单中没有。")
    if problems:
        return [], problems
    return [f"文件校验通过：{len(listed)} 个文件的 SHA-256 与清单一致（{_file_summary(listed)}）。"], []


def _file_summary(listed: dict) -> str:
    media = sum(1 for name in listed if name.startswith(f"{MEDIA_FOLDER}/"))
    archives = sum(1 for name in listed if name.startswith(f"{AUDIT_ARCHIVE_FOLDER}/"))
    return f"数据库 1 个，媒体文件 {media} 个，审计归档 {archives} 个"


# --- the manifest ---------------------------------------------------------------------------------------


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是备份目录：没有 {MANIFEST_NAME}。") from None
    except (OSError, ValueError) as failure:
        raise BackupError(f"备份清单 {path} 无法读取：{failure}") from failure
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"备份清单 {path} 的格式无法识别。")
    for name in manifest.get("files", {}):
        if Path(name).is_absolute() or ".." in Path(name).parts:
            raise BackupError(f"备份清单 {path} 中的文件名 {name} 不在备份目录内。")
    return manifest


def created_at(manifest: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(manifest["created_at"])
