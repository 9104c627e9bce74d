"""How each database engine is copied into a backup and restored from one.

- PostgreSQL: `pg_dump --format=custom` under the snapshot the manifest's facts were read in (so the row counts
  and the audit chain's last entry describe exactly what was dumped, however busy the portal is), and
  `pg_restore` into an empty database; both of the server's major version.
- SQLite (the embedded default): the online backup API, while the portal's connection holds the write lock
  (the settings open every transaction IMMEDIATE), so nothing changes between the facts and the copy.

Connection settings reach the PostgreSQL programs and the checking `manage.py` through libpq's environment
(PGHOST, PGUSER, PGPASSWORD, ...), never on a command line, which every local user can read.
"""

import contextlib
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg2
from django.db import connection, transaction
from psycopg2 import sql

# Debian installs every PostgreSQL major version's programs here; PATH holds only the newest one's wrappers.
POSTGRES_PROGRAM_DIRS = Path("/usr/lib/postgresql")


class BackupError(Exception):
    """A backup, restore or drill that cannot go on; the message is Chinese and says what to do."""


def for_this_portal():
    """The engine of the portal's configured database."""
    if connection.vendor == "postgresql":
        return Postgres()
    if connection.vendor == "sqlite":
        return Sqlite()
    raise BackupError(f"不支持备份 {connection.vendor} 数据库。")


class Postgres:
    vendor = "postgresql"
    dump_name = "database.dump"

    def __init__(self):
        self._snapshot = None

    # --- backing up ---

    @contextlib.contextmanager
    def frozen(self):
        """A read-only REPEATABLE READ transaction whose snapshot is exported: what is read in the block and
        what `dump` writes are the same state of the database."""
        _refuse_inside_a_transaction()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            self._snapshot = cursor.fetchone()[0]
            try:
                yield
            finally:
                self._snapshot = None

    def dump(self, path: Path) -> None:
        self._run("pg_dump", "--format=custom", f"--snapshot={self._snapshot}", f"--file={path}")

    def describe(self) -> dict:
        return {
            "engine": self.vendor,
            "name": connection.settings_dict["NAME"],
            "server_version": _server_version_text(),
        }

    # --- restoring ---

    def create_scratch(self) -> dict:
        """A new, empty database on the portal's server with a name of its own; its settings."""
        name = f"{connection.settings_dict['NAME'][:40]}_drill_{secrets.token_hex(4)}"
        self._administer(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
        return {**connection.settings_dict, "NAME": name}

    def drop_scratch(self, target: dict) -> None:
        """Drop a drill's database. A plain DROP first: it stops the autovacuum workers a fresh restore sets
        going. DROP ... WITH (FORCE) refuses to end those for a role that is not a superuser (they belong to no
        role: "must be a member of the role whose process is being terminated"). Only a session still
        connected (a drill kept with --keep, opened in psql) makes the plain DROP fail; that one is ended
        WITH (FORCE)."""
        name = sql.Identifier(target["NAME"])
        try:
            self._administer(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        except BackupError as failure:
            if not isinstance(failure.__cause__, psycopg2.errors.ObjectInUse):
                raise
            self._administer(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    def restore(self, dump: Path, target: dict) -> None:
        """Restore `dump` into the empty database `target`, in one transaction: all of it or nothing. Objects
        belong to the restoring role (as after `migrate`); grants are given again by `grant_portal_role`."""
        self._run(
            "pg_restore",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={target['NAME']}",
            str(dump),
            target=target,
        )

    def label(self, target: dict) -> str:
        return f"PostgreSQL 数据库 {target['NAME']}"

    def environment(self, target: dict) -> dict:
        """The process environment of a program connecting to `target`: libpq's variables, and a DATABASE_URL
        naming only the database, so that the portal's settings connect through the same variables."""
        variables = {
            "PGHOST": target.get("HOST") or "",
            "PGPORT": str(target.get("PORT") or ""),
            "PGUSER": target.get("USER") or "",
            "PGPASSWORD": target.get("PASSWORD") or "",
            "PGDATABASE": target["NAME"],
            "PGSSLMODE": (target.get("OPTIONS") or {}).get("sslmode", ""),
        }
        # What the settings leave empty, libpq takes from the environment, as the portal's own connection does.
        environment = {**os.environ, **{key: value for key, value in variables.items() if value}}
        environment["DATABASE_URL"] = f"postgres:///{quote(target['NAME'], safe='')}"
        return environment

    # --- the programs ---

    def _run(self, program: str, *arguments: str, target: dict | None = None) -> None:
        finished = subprocess.run(
            [self.program(program), *arguments],
            env=self.environment(target or connection.settings_dict),
            capture_output=True,
            text=True,
        )
        if finished.returncode != 0:
            raise BackupError(f"{program} 失败：{finished.stderr.strip() or finished.stdout.strip()}")

    def program(self, name: str) -> str:
        """The path of `name` (pg_dump, pg_restore) of the server's major version: the one on PATH when it is
        that version, else Debian's copy under /usr/lib/postgresql/<major>/bin."""
        major = connection.pg_version // 10000
        on_path = shutil.which(name)
        if on_path and program_major_version(on_path) == major:
            return on_path
        versioned = POSTGRES_PROGRAM_DIRS / str(major) / "bin" / name
        if versioned.is_file() and program_major_version(str(versioned)) == major:
            return str(versioned)
        found = f"（PATH 中的 {on_path} 是 {program_major_version(on_path)} 版）" if on_path else ""
        raise BackupError(
            f"找不到与数据库服务器主版本（PostgreSQL {major}）相同的 {name}{found}："
            f"请安装 postgresql-client-{major}（apt-get install postgresql-client-{major}）。"
        )

    def _administer(self, statement) -> None:
        """CREATE or DROP DATABASE (outside any transaction), connected to the server's maintenance database."""
        try:
            administration = psycopg2.connect(**{**connection.get_connection_params(), "dbname": "postgres"})
        except psycopg2.Error as failure:
            raise BackupError(f"无法连接数据库服务器的 postgres 库：{str(failure).strip()}") from failure
        try:
            administration.autocommit = True
            with administration.cursor() as cursor:
                cursor.execute(statement)
        except psycopg2.Error as failure:
            raise BackupError(
                f"{str(failure).strip()}（新建和删除演练数据库需要 CREATEDB 权限：请以表的属主身份运行）"
            ) from failure
        finally:
            administration.close()


def program_major_version(path: str) -> int | None:
    """The major version a PostgreSQL client program reports (`pg_dump (PostgreSQL) 15.18 ...` → 15)."""
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"\)\s*(\d+)", output)
    return int(match.group(1)) if match else None


def _server_version_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


class Sqlite:
    vendor = "sqlite"
    dump_name = "database.sqlite3"

    # --- backing up ---

    @contextlib.contextmanager
    def frozen(self):
        """The portal's connection holds the write lock for the block (BEGIN IMMEDIATE), so no one writes
        between the facts read in it and the copy `dump` makes through a second, reading connection."""
        _refuse_inside_a_transaction()
        with transaction.atomic():
            yield

    def dump(self, path: Path) -> None:
        source = sqlite3.connect(Path(connection.settings_dict["NAME"]).resolve().as_uri() + "?mode=ro", uri=True)
        copy = sqlite3.connect(path)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()

    def describe(self) -> dict:
        return {
            "engine": self.vendor,
            "name": str(connection.settings_dict["NAME"]),
            "server_version": sqlite3.sqlite_version,
        }

    # --- restoring ---

    def create_scratch(self) -> dict:
        folder = Path(tempfile.mkdtemp(prefix="restore-drill-"))
        return {**connection.settings_dict, "NAME": str(folder / "portal.sqlite3")}

    def drop_scratch(self, target: dict) -> None:
        shutil.rmtree(Path(target["NAME"]).parent, ignore_errors=True)

    def restore(self, dump: Path, target: dict) -> None:
        path = Path(target["NAME"])
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        try:
            shutil.copyfile(dump, path)
        except OSError as failure:
            raise BackupError(f"复制数据库文件失败：{failure}") from failure

    def label(self, target: dict) -> str:
        return f"SQLite 数据库文件 {target['NAME']}"

    def environment(self, target: dict) -> dict:
        return {**os.environ, "DATABASE_URL": f"sqlite:///{Path(target['NAME']).resolve()}"}


def _refuse_inside_a_transaction() -> None:
    if connection.in_atomic_block:
        raise BackupError("备份不能在数据库事务中进行：事务中未提交的数据不会进入备份。")
