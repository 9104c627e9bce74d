from django.core.management.base import BaseCommand

from services.rule_data import ensure_rules


class Command(BaseCommand):
    help = (
        "载入基本公共服务的规则数据（市民证时限、派驻干部、服务日、临时救助、医疗保险险种；只补充缺少的，可重复执行）。"
    )

    def handle(self, *args, **options):
        created = ensure_rules()
        self.stdout.write(f"基本公共服务规则数据新增 {created} 条。")
