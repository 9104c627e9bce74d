from django.core.management.base import BaseCommand

from employment.models import LabourRule, SubsidyRule
from employment.rule_data import ensure_labour_rule, ensure_subsidy_rules


class Command(BaseCommand):
    help = "载入劳动力认定规则和附件2的补贴规则（只补充缺少的，不改动已修改的规则；可重复执行）。"

    def handle(self, *args, **options):
        labour = ensure_labour_rule(LabourRule)
        subsidies = ensure_subsidy_rules(SubsidyRule)
        self.stdout.write(f"劳动力认定规则新增 {int(labour)} 条，补贴规则新增 {subsidies} 条。")
