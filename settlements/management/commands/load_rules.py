from django.core.management.base import BaseCommand

from settlements import dated_rules


class Command(BaseCommand):
    help = "载入各业务的规则数据（原文规定的时限、标准和档次；只补充缺少的，已由办公室修改的不动，可重复执行）。"

    def handle(self, *args, **options):
        created = dated_rules.ensure_seeded()
        self.stdout.write(f"规则数据新增 {created} 条。")
