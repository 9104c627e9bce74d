"""Backups that restore (等保 2.0 第三级：数据备份恢复).

- `backup_take` copies the database (one consistent snapshot) and the files the portal keeps (MEDIA_ROOT: the
  uploaded ledgers and evidence; AUDIT_ARCHIVE_DIR: the audit trail's archive files) into one timestamped
  folder under BACKUP_DIR with a manifest (time, database, applied migrations, rows per table, the audit
  chain's last entry, the SHA-256 of every file), then keeps the newest BACKUP_KEEP backups.
- `backup_drill` restores a backup into a fresh, temporary database and checks it against its manifest:
  the files' SHA-256, `migrate --check`, the rows per table, the audit chain. The nightly job takes a backup;
  the office runs the drill every month.
- `backup_restore` restores a backup for real, into an empty database and the configured folders, with the
  same checks.

The restored database is checked by `manage.py` in a process of its own, connected to it through the
environment (`engines`), so the checks run exactly as the portal would run on it.
"""

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from settlements import audit

from . import contents, engines
from .contents import AUDIT_ARCHIVE_FOLDER, MEDIA_FOLDER
from .engines import BackupError

PARTIAL_SUFFIX = ".partial"  # a backup being written; renamed when its manifest is complete
FOLDER_TIME_FORMAT = "%Y%m%d-%H%M%S"


BACKUP_TAKEN = audit.define_action("backup.taken", "备份数据库和文件", audit.SECURITY)
BACKUP_DRILL = audit.define_action("backup.drill", "恢复演练", audit.SECURITY)
BACKUP_RESTORED = audit.define_action("backup.restored", "从备份恢复", audit.SECURITY)


@dataclass
class Backup:
    path: Path
    manifest: dict
    removed: list[Path] = field(default_factory=list)  # older backups removed to keep the newest N


# --- taking a backup ---------------------------------------------------------------------------------------


def backup_take(*, to: Path | None = None, keep: int | None = None) -> Backup:
    """Back up the database and the files into a new folder under `to` (BACKUP_DIR), then keep the newest
    `keep` (BACKUP_KEEP) backups there. A backup that fails leaves nothing behind and removes none."""
    root = Path(to or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    _check_keep(keep)
    engine = engines.for_this_portal()
    folder = _new_folder(root)
    try:
        manifest = _fill(folder, engine, root)
        done = folder.with_name(folder.name.removesuffix(PARTIAL_SUFFIX))
        folder.rename(done)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    removed = backups_prune(directory=root, keep=keep)
    audit.record(
        actor=None,
        action=BACKUP_TAKEN,
        category=audit.SECURITY,
        detail={"backup": str(done), "files": len(manifest["files"]), "removed": [path.name for path in removed]},
    )
    return Backup(done, manifest, removed)


def _new_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.localtime().strftime(FOLDER_TIME_FORMAT)
    name, number = stamp, 1
    while (root / name).exists() or (root / f"{name}{PARTIAL_SUFFIX}").exists():
        number += 1
        name = f"{stamp}-{number}"
    folder = root / f"{name}{PARTIAL_SUFFIX}"
    folder.mkdir(mode=0o700)  # the backup holds full ID numbers: readable by the portal's account only
    return folder


def _fill(folder: Path, engine, root: Path) -> dict:
    with engine.frozen():
        created = timezone.localtime()
        facts = contents.database_facts()
        engine.dump(folder / engine.dump_name)
    archive_dir = audit.archive_dir()
    files = {engine.dump_name: contents.file_entry(folder / engine.dump_name)}
    files |= contents.copy_tree(
        Path(settings.MEDIA_ROOT), folder / MEDIA_FOLDER, prefix=MEDIA_FOLDER, skip=(archive_dir, root)
    )
    files |= contents.copy_tree(archive_dir, folder / AUDIT_ARCHIVE_FOLDER, prefix=AUDIT_ARCHIVE_FOLDER, skip=(root,))
    manifest = {
        "format": contents.MANIFEST_FORMAT,
        "created_at": created.isoformat(),
        "database": {**engine.describe(), "file": engine.dump_name},
        **facts,
        "files": files,
    }
    contents.write_manifest(folder, manifest)
    return manifest


# --- keeping the newest N ------------------------------------------------------------------------------------


def backups_list(*, directory: Path) -> list[Backup]:
    """The complete backups in `directory`, oldest first. Folders without a readable manifest are not the
    portal's backups and are never touched."""
    found = []
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        if not path.is_dir() or path.name.endswith(PARTIAL_SUFFIX):
            continue
        try:
            found.append(Backup(path, contents.read_manifest(path)))
        except BackupError:
            continue
    return sorted(found, key=lambda backup: (contents.created_at(backup.manifest), backup.path.name))


def backups_prune(*, directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups in `directory`; the removed folders."""
    _check_keep(keep)
    old = [backup.path for backup in backups_list(directory=directory)[:-keep]]
    for path in old:
        shutil.rmtree(path)
    return old


def _check_keep(keep: int) -> None:
    if keep < 1:
        raise BackupError(f"保留的备份份数必须至少为 1（现为 {keep}）。")


# --- restoring -----------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    """What a drill or a restore found, as the report prints it: the checks that passed and the problems."""

    title: str
    backup: Path
    manifest: dict
    target: str = ""
    target_note: str = ""
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, passed: list[str], problems: list[str]) -> None:
        self.passed.extend(passed)
        self.problems.extend(problems)

    def lines(self) -> list[str]:
        database = self.manifest["database"]
        lines = [
            f"{self.title}报告",
            f"备份：{self.backup}（{contents.created_at(self.manifest):%Y-%m-%d %H:%M:%S} 备份，"
            f"{database['engine']} {database['server_version']}，数据库 {database['name']}）",
        ]
        if self.target:
            lines.append(f"恢复到：{self.target}{self.target_note}")
        lines += [line if line.startswith(" ") else f"[通过] {line}" for line in self.passed]
        lines += [f"[不符] {problem}" for problem in self.problems]
        verdict = "通过" if self.ok else f"未通过，共 {len(self.problems)} 处不符"
        lines.append(f"结论：{self.title}{verdict}。")
        return lines


def backup_drill(*, path: Path | None = None, keep_database: bool = False) -> RestoreReport:
    """Restore the backup in `path` (the newest in BACKUP_DIR when None) into a new, temporary database, check
    it against the manifest, then drop the database unless `keep_database`."""
    folder = Path(path) if path else _newest_backup()
    manifest = contents.read_manifest(folder)
    engine = _engine_for(manifest)
    note = "（已按 --keep 保留，查看后请删除）" if keep_database else "（演练结束后已删除）"
    report = RestoreReport("恢复演练", folder, manifest, target_note=note)
    report.add(*contents.check_files(folder, manifest))
    target = engine.create_scratch()
    report.target = engine.label(target)
    try:
        engine.restore(folder / engine.dump_name, target)
    except BackupError as failure:
        report.add([], [f"数据库恢复失败：{failure}"])
    else:
        report.add([f"数据库已恢复（{engine.dump_name}）。"], [])
        _check_restored(engine, target, report, folder / MEDIA_FOLDER, folder / AUDIT_ARCHIVE_FOLDER)
    finally:
        if not keep_database:
            engine.drop_scratch(target)
    _record(BACKUP_DRILL, report)
    return report


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore the backup in `path` for real: into the configured database, which must be empty, and its files
    into MEDIA_ROOT and AUDIT_ARCHIVE_DIR (a different file already there is refused, not overwritten)."""
    folder = Path(path)
    manifest = contents.read_manifest(folder)
    engine = _engine_for(manifest)
    report = RestoreReport("恢复", folder, manifest)
    files_passed, files_problems = contents.check_files(folder, manifest)
    if files_problems:
        raise BackupError("备份未通过文件校验，未恢复：" + "；".join(files_problems))
    report.add(files_passed, [])
    copies = _file_destinations(manifest)
    _refuse_a_database_in_use(engine)
    _refuse_overwriting(folder, copies)
    target = dict(connection.settings_dict)
    report.target = engine.label(target)
    connection.close()  # SQLite: the file is replaced; PostgreSQL: pg_restore works on its own connection
    engine.restore(folder / engine.dump_name, target)
    report.add([f"数据库已恢复（{engine.dump_name}）。", _copy_files(folder, copies)], [])
    _check_restored(engine, target, report, Path(settings.MEDIA_ROOT), audit.archive_dir())
    _record(BACKUP_RESTORED, report)
    return report


def _check_restored(engine, target: dict, report: RestoreReport, media_root: Path, archive_dir: Path) -> None:
    """Check the restored database in a `manage.py` of its own, with the restored files as its folders."""
    environment = {**engine.environment(target), "MEDIA_ROOT": str(media_root), "AUDIT_ARCHIVE_DIR": str(archive_dir)}
    facts = _restored_facts(environment, report)
    if facts is not None:
        _check_migrations(environment, facts, report)
        report.add(*contents.compare_facts(report.manifest, facts))


def _restored_facts(environment: dict, report: RestoreReport) -> dict | None:
    finished = _manage(environment, "database_facts")
    if finished.returncode != 0:
        report.add([], [f"读取恢复后的数据库失败：{_last_line(finished.stderr)}"])
        return None
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _check_migrations(environment: dict, facts: dict, report: RestoreReport) -> None:
    finished = _manage(environment, "migrate", "--check")
    if finished.returncode == 0:
        report.add(["迁移检查通过（migrate --check）：恢复后的数据库没有未应用的迁移。"], [])
        return
    applied = {(app, name) for app, names in facts["migrations"].items() for name in names}
    missing = sorted(set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes) - applied)
    named = "、".join(f"{app}.{name}" for app, name in missing[:10]) or _last_line(finished.stderr)
    report.add([], [f"迁移检查未通过（migrate --check）：恢复后的数据库缺少当前代码的迁移：{named}。"])


def _manage(environment: dict, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def _last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "（没有输出）"


def _engine_for(manifest: dict):
    engine = engines.for_this_portal()
    if manifest["database"]["engine"] != engine.vendor:
        raise BackupError(
            f"此备份的数据库是 {manifest['database']['engine']}，平台当前配置的是 {engine.vendor}："
            "请在同类数据库上恢复。"
        )
    return engine


def _newest_backup() -> Path:
    backups = backups_list(directory=Path(settings.BACKUP_DIR))
    if not backups:
        raise BackupError(f"备份目录 {settings.BACKUP_DIR} 中还没有备份。")
    return backups[-1].path


def _refuse_a_database_in_use(engine) -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        raise BackupError(
            f"{engine.label(connection.settings_dict)} 不是空库（已有 {len(tables)} 张表）：只能恢复到新建的空数据库。"
            "请新建一个空库（PostgreSQL：createdb；SQLite：一个尚不存在的文件），让 DATABASE_URL 指向它后再恢复。"
        )


def _file_destinations(manifest: dict) -> dict[str, Path]:
    """Where each media and archive file of the backup goes in a real restore."""
    roots = {MEDIA_FOLDER: Path(settings.MEDIA_ROOT), AUDIT_ARCHIVE_FOLDER: audit.archive_dir()}
    destinations = {}
    for name in manifest["files"]:
        prefix, _, relative = name.partition("/")
        if prefix in roots:
            destinations[name] = roots[prefix] / relative
    return destinations


def _refuse_overwriting(folder: Path, copies: dict[str, Path]) -> None:
    clashes = [
        str(destination)
        for name, destination in copies.items()
        if destination.exists() and contents.sha256(destination) != contents.sha256(folder / name)
    ]
    if clashes:
        raise BackupError(f"目标位置已有内容不同的文件，未恢复（不会覆盖）：{'、'.join(clashes[:10])}")


def _copy_files(folder: Path, copies: dict[str, Path]) -> str:
    for name, destination in copies.items():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, destination)
    media = sum(1 for name in copies if name.startswith(f"{MEDIA_FOLDER}/"))
    return (
        f"已复制媒体文件 {media} 个到 {settings.MEDIA_ROOT}，"
        f"审计归档 {len(copies) - media} 个到 {audit.archive_dir()}。"
    )


def _record(action: str, report: RestoreReport) -> None:
    audit.record(
        actor=None,
        action=action,
        category=audit.SECURITY,
        outcome=audit.SUCCESS if report.ok else audit.REFUSED,
        detail={"backup": str(report.backup), "target": report.target, "problems": report.problems[:10]},
    )
