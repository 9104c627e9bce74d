"""Give the portal's production database role what it needs, and no more (PostgreSQL).

The tables belong to the role that runs the migrations; the portal runs as another role, which may read and
write the registry but may only append to the audit trail: it cannot update or truncate an entry, delete
one the trigger protects, or drop the trigger (only the owner can). Run it as the owner after every
`migrate`: `DATABASE_URL=<owner's URL> python manage.py grant_portal_role rongjiang_app`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

AUDIT_TABLES = ("settlements_auditentry", "settlements_auditarchive")


def grant_statements(role: str) -> list[sql.Composed]:
    name = sql.Identifier(role)
    audit = sql.SQL(", ").join(sql.Identifier(table) for table in AUDIT_TABLES)
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}").format(audit, name),
        # Deleting an audit entry is left to the trigger (archived entries past 180 days only); an archive
        # record is never deleted.
        sql.SQL("REVOKE DELETE ON {} FROM {}").format(sql.Identifier("settlements_auditarchive"), name),
    ]


class Command(BaseCommand):
    help = "为平台运行所用的数据库角色授权（审计记录只允许追加）。以表的属主身份在每次 migrate 之后运行。"

    def add_arguments(self, parser):
        parser.add_argument("role", help="平台运行所用的 PostgreSQL 角色名")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 需要为平台角色授权。")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"数据库角色 {role} 不存在。")
            for statement in grant_statements(role):
                cursor.execute(statement)
        self.stdout.write(f"已为 {role} 授权：可读写业务表，审计记录只能追加。")
