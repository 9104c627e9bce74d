"""Print what a backup's manifest records of the database, as one line of JSON (the restore drill reads it)."""

import json

from django.core.management.base import BaseCommand

from settlements import backups


class Command(BaseCommand):
    help = "以 JSON 打印数据库的已应用迁移、各表行数和审计链末条（恢复演练用它核对恢复后的数据库）。"

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(backups.database_facts(), ensure_ascii=False))
