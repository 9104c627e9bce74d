"""Backups that restore: the backup holds the database and the files with a manifest, the drill restores it into
a fresh database and finds every difference, the nightly job keeps the newest N, a real restore fills an empty
database. Transactional: pg_dump sees only committed data."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from settlements import audit, backups, tasks
from settlements.backups import engines
from settlements.models import AuditEntry, Household, Person, Relation
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER = "media/imports/2026/文体社区台账.xlsx"


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.AUDIT_RETENTION_DAYS = 180
    return tmp_path


@pytest.fixture
def registry(reference, folders):
    """Two households and three persons, audit entries of which the old ones are archived to a file, and an
    uploaded ledger."""
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        for n in range(3):
            audit.record(actor=None, action="test.old", detail={"n": n})
    assert audit.archive() is not None
    household, _ = factories.household_with_head("fumin")
    factories.add_member(household, name="王芳", relation=Relation.SPOUSE, male=False)
    factories.household_with_head("fengle")
    audit.record(actor=None, action="test.recent")
    ledger = Path(settings.MEDIA_ROOT) / "imports" / "2026" / "文体社区台账.xlsx"
    ledger.parent.mkdir(parents=True)
    ledger.write_bytes(b"PK\x03\x04 ledger with full ID numbers")


def _drill(path, *arguments):
    """Run the drill command (on the newest backup in BACKUP_DIR when `path` is None); (passed, its output)."""
    out, err = _Sink(), _Sink()
    try:
        call_command("restore_drill", *([str(path)] if path else []), *arguments, stdout=out, stderr=err)
    except CommandError as failure:
        return False, out.text + err.text + str(failure)
    return True, out.text + err.text


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _restored_into(report_text: str) -> str:
    line = next(line for line in report_text.splitlines() if line.startswith("恢复到："))
    return line.removeprefix("恢复到：PostgreSQL 数据库 ").split("（")[0]


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _query(database: str, statement: str):
    other = psycopg2.connect(**{**connection.get_connection_params(), "dbname": database})
    try:
        with other.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall()
    finally:
        other.close()


def _rewrite_manifest(path: Path, change) -> None:
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


# --- the backup and the drill --------------------------------------------------------------------------------


def _another_connection_writes_after_the_facts_are_read(monkeypatch):
    """While the backup runs, another connection commits a row between the reading of the manifest's facts
    and pg_dump: the snapshot keeps it out of both."""
    read_facts = backups.services.contents.database_facts

    def facts_then_a_concurrent_write():
        facts = read_facts()
        writer = psycopg2.connect(**connection.get_connection_params())
        writer.autocommit = True
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO django_content_type (app_label, model) VALUES ('elsewhere', 'written')")
        writer.close()
        return facts

    monkeypatch.setattr(backups.services.contents, "database_facts", facts_then_a_concurrent_write)


def test_the_drill_restores_what_the_backup_took(registry, monkeypatch):
    last_entry = AuditEntry.objects.order_by("-id").first()
    chained = AuditEntry.objects.count() + 3  # and the 3 archived
    _another_connection_writes_after_the_facts_are_read(monkeypatch)
    backup = backups.backup_take()

    manifest = backup.manifest
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert manifest["row_counts"]["settlements_household"] == Household.objects.count() == 2
    assert manifest["row_counts"]["settlements_person"] == Person.objects.count() == 3
    assert manifest["audit"] == {
        "intact": True,
        "checked": chained,
        "last_id": last_entry.id,
        "last_hash": last_entry.entry_hash,
        "problems": [],
    }
    assert "0010_administrator_roles" in manifest["migrations"]["settlements"]
    archived = [name for name in manifest["files"] if name.startswith("audit-archive/")]
    assert len(archived) == 1
    assert manifest["files"][LEDGER]["sha256"] == backups.contents.sha256(backup.path / LEDGER)
    assert AuditEntry.objects.filter(action="backup.taken").exists()
    assert ContentType.objects.filter(app_label="elsewhere").exists()
    assert manifest["row_counts"]["django_content_type"] == ContentType.objects.count() - 1

    passed, report = _drill(backup.path, "--keep")
    scratch = _restored_into(report)
    try:
        assert passed, report
        assert (
            "[通过] 文件校验通过：3 个文件的 SHA-256 与清单一致（数据库 1 个，媒体文件 1 个，审计归档 1 个）" in report
        )
        assert "[通过] 迁移检查通过（migrate --check）" in report
        assert "settlements_household：2 行" in report
        assert "settlements_person：3 行" in report
        chain_end = f"最后一条第 {last_entry.id} 条（摘要 {last_entry.entry_hash}）"
        assert f"审计链完整，与清单一致：共校验 {chained} 条，{chain_end}" in report
        assert report.rstrip().endswith("结论：恢复演练通过。")
        assert f"恢复到：PostgreSQL 数据库 {scratch}（已按 --keep 保留，查看后请删除）" in report
        assert scratch != connection.settings_dict["NAME"]
        assert _query(scratch, "SELECT count(*) FROM settlements_person") == [(3,)]
        assert _query(scratch, "SELECT count(*) FROM django_content_type WHERE app_label = 'elsewhere'") == [(0,)]
    finally:
        engines.Postgres().drop_scratch({"NAME": scratch})
    assert not _database_exists(scratch)
    drilled = AuditEntry.objects.get(action="backup.drill")
    assert drilled.outcome == audit.SUCCESS


def _cut_the_dump_short(path):
    dump = path / "database.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])


def _remove_the_ledger(path):
    (path / LEDGER).unlink()


def _change_the_archive_file(path):
    archive = next((path / "audit-archive").iterdir())
    archive.write_bytes(archive.read_bytes() + b"\0")


def _count_one_person_more(path):
    _rewrite_manifest(path, lambda manifest: manifest["row_counts"].update(settlements_person=4))


def _claim_another_audit_end(path):
    _rewrite_manifest(path, lambda manifest: manifest["audit"].update(last_hash="f" * 64))


def _assert_the_drill_failed(report):
    assert "结论：恢复演练未通过" in report
    assert "恢复演练未通过：共" in report
    assert "（演练结束后已删除）" in report
    assert not _database_exists(_restored_into(report))  # dropped even when the drill fails
    assert AuditEntry.objects.get(action="backup.drill").outcome == audit.REFUSED


def test_a_damaged_dump_fails_the_drill(registry):
    backup = backups.backup_take()
    _cut_the_dump_short(backup.path)

    passed, report = _drill(None)  # the newest backup

    assert not passed
    assert f"备份：{backup.path}（" in report
    assert "[不符] 文件 database.dump：SHA-256 与清单不符，文件已被改动或损坏。" in report
    assert "[不符] 数据库恢复失败：pg_restore 失败" in report
    _assert_the_drill_failed(report)


def test_the_drill_names_every_difference_from_the_manifest(registry):
    """One drill, four differences (each tampering is independent of the others, so one restore finds all)."""
    backup = backups.backup_take()
    archive_name = next((backup.path / "audit-archive").iterdir()).name
    _remove_the_ledger(backup.path)
    _change_the_archive_file(backup.path)
    _count_one_person_more(backup.path)
    _claim_another_audit_end(backup.path)

    passed, report = _drill(backup.path)

    assert not passed
    for problem in [
        f"[不符] 文件 {LEDGER}：清单中有，备份中缺失。",
        f"[不符] 文件 audit-archive/{archive_name}：SHA-256 与清单不符",
        f"[不符] 恢复后的审计链不完整：归档文件 {archive_name} 的SHA-256与登记不符",
        "[不符] 表 settlements_person：清单 4 行，恢复后 3 行。",
        "[不符] 审计链末条与清单不符：清单为最后一条第",
        f"（摘要 {'f' * 64}），恢复后为最后一条第",
        "结论：恢复演练未通过，共 5 处不符。",
    ]:
        assert problem in report, report
    assert "[通过] 迁移检查通过" in report  # what still agrees is reported as passed
    _assert_the_drill_failed(report)


def test_a_file_added_to_a_backup_is_named(registry):
    backup = backups.backup_take()
    (backup.path / "media" / "planted.xlsx").write_bytes(b"not from the portal")
    assert backups.contents.check_files(backup.path, backup.manifest) == (
        [],
        ["文件 media/planted.xlsx：备份中有，清单中没有。"],
    )


def test_a_drill_of_a_folder_that_is_not_a_backup_says_so(folders):
    (folders / "elsewhere").mkdir()
    passed, output = _drill(folders / "elsewhere")
    assert not passed
    assert f"恢复演练无法进行：{folders / 'elsewhere'} 不是备份目录：没有 manifest.json。" in output


# --- retention and the nightly job ---------------------------------------------------------------------------


def test_the_nightly_job_keeps_the_newest_backups(reference, folders, settings):
    settings.BACKUP_KEEP = 2
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "settlements.tasks.take_backup" in schedule
    (Path(settings.BACKUP_DIR) / "notes").mkdir(parents=True)  # not a backup: never removed
    taken = []
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2026, 11, day, 4, 15, tzinfo=datetime.UTC), tick=False):
            taken.append(Path(tasks.take_backup()))
    assert [path.name for path in taken] == ["20261101-121500", "20261102-121500", "20261103-121500"]
    remaining = sorted(path.name for path in Path(settings.BACKUP_DIR).iterdir())
    assert remaining == ["20261102-121500", "20261103-121500", "notes"]
    removed = AuditEntry.objects.filter(action="backup.taken").order_by("id").last().detail["removed"]
    assert removed == ["20261101-121500"]


def test_two_backups_in_the_same_second_get_folders_of_their_own(reference, folders):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 4, 15, tzinfo=datetime.UTC), tick=False):
        first = backups.backup_take(keep=5)
        second = backups.backup_take(keep=5)
    assert (first.path.name, second.path.name) == ("20261101-121500", "20261101-121500-2")


def test_keeping_no_backup_is_refused(folders):
    with pytest.raises(backups.BackupError, match="保留的备份份数必须至少为 1"):
        backups.backup_take(keep=0)


# --- the PostgreSQL programs ---------------------------------------------------------------------------------


def test_the_password_reaches_pg_dump_through_the_environment_only(reference, folders, monkeypatch):
    calls = []
    real_run = subprocess.run

    def spying_run(command, *args, **kwargs):
        calls.append((command, kwargs.get("env", {})))
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(engines.subprocess, "run", spying_run)
    backups.backup_take()
    password = connection.settings_dict["PASSWORD"]
    dumps = [(command, env) for command, env in calls if Path(command[0]).name == "pg_dump" and len(command) > 2]
    assert len(dumps) == 1
    command, env = dumps[0]
    assert env["PGPASSWORD"] == password
    assert not [argument for argument in command if password in argument]
    assert any(argument.startswith("--snapshot=") for argument in command)


@pytest.fixture
def pg_dump_of_another_version(tmp_path, monkeypatch):
    """PATH's pg_dump reports another major version than the server's."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_pg_dump_of_the_servers_major_version_is_taken_from_debians_folder(db, pg_dump_of_another_version):
    major = connection.pg_version // 10000
    assert engines.Postgres().program("pg_dump") == f"/usr/lib/postgresql/{major}/bin/pg_dump"


def test_a_backup_without_pg_dump_of_the_servers_version_is_refused(
    reference, folders, pg_dump_of_another_version, monkeypatch, tmp_path
):
    monkeypatch.setattr(engines, "POSTGRES_PROGRAM_DIRS", tmp_path / "no-postgresql")
    major = connection.pg_version // 10000
    with pytest.raises(backups.BackupError) as refused:
        backups.backup_take()
    assert f"找不到与数据库服务器主版本（PostgreSQL {major}）相同的 pg_dump" in str(refused.value)
    assert "是 9 版" in str(refused.value)
    assert f"postgresql-client-{major}" in str(refused.value)
    assert list(Path(settings.BACKUP_DIR).iterdir()) == []  # the unfinished folder is removed


# --- dropping a drill's database -----------------------------------------------------------------------------


def _statements_sent(monkeypatch, engine):
    """The statements `engine` sends to the maintenance database, as text, while still sending them."""
    sent = []
    administer = engine._administer
    connection.ensure_connection()

    def recording(statement):
        sent.append(statement.as_string(connection.connection))
        administer(statement)

    monkeypatch.setattr(engine, "_administer", recording)
    return sent


def test_a_drill_database_nobody_is_connected_to_is_dropped_without_force(db, monkeypatch):
    """WITH (FORCE) run by a role that is not a superuser fails when an autovacuum worker is in the database
    (CI saw "must be a member of the role whose process is being terminated" right after a restore); a plain
    DROP stops such workers itself."""
    engine = engines.Postgres()
    scratch = engine.create_scratch()
    sent = _statements_sent(monkeypatch, engine)
    engine.drop_scratch(scratch)
    assert not _database_exists(scratch["NAME"])
    assert sent == [f'DROP DATABASE IF EXISTS "{scratch["NAME"]}"']


def test_a_session_left_in_a_drill_database_is_ended_and_the_database_dropped(db, monkeypatch):
    engine = engines.Postgres()
    scratch = engine.create_scratch()
    left_open = psycopg2.connect(**{**connection.get_connection_params(), "dbname": scratch["NAME"]})
    sent = _statements_sent(monkeypatch, engine)
    try:
        engine.drop_scratch(scratch)
        assert not _database_exists(scratch["NAME"])
        assert sent[-1].endswith("WITH (FORCE)")
        with pytest.raises(psycopg2.OperationalError), left_open.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        left_open.close()


# --- a real restore ------------------------------------------------------------------------------------------


def test_a_real_restore_fills_an_empty_database_and_the_folders(registry, tmp_path):
    backup = backups.backup_take()
    engine = engines.Postgres()
    empty = engine.create_scratch()
    try:
        environment = {
            **engine.environment(empty),
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "AUDIT_ARCHIVE_DIR": str(tmp_path / "restored-archive"),
        }
        finished = subprocess.run(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "restore", str(backup.path)],
            env=environment,
            capture_output=True,
            text=True,
        )
        assert finished.returncode == 0, finished.stdout + finished.stderr
        assert "结论：恢复通过。" in finished.stdout
        assert "settlements_person：3 行" in finished.stdout
        assert (tmp_path / "restored-media" / "imports" / "2026" / "文体社区台账.xlsx").read_bytes().startswith(b"PK")
        assert len(list((tmp_path / "restored-archive").iterdir())) == 1
        assert _query(empty["NAME"], "SELECT count(*) FROM settlements_household") == [(2,)]
        assert _query(empty["NAME"], "SELECT outcome FROM settlements_auditentry WHERE action = 'backup.restored'") == [
            ("success",)
        ]
    finally:
        engine.drop_scratch(empty)


def test_a_real_restore_refuses_a_database_that_is_not_empty(registry):
    backup = backups.backup_take()
    with pytest.raises(CommandError, match="不是空库"):
        call_command("restore", str(backup.path), stdout=_Sink())
    assert Person.objects.count() == 3
