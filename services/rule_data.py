"""The rows the portal starts with for the rules of `services.rules`, as the seed gives them: each with the
seed's sentence (`basis`, quoted from fixtures/sources/rongjiang_2019_follow_up_plan.txt) and, where the seed is
silent or ambiguous, how the portal reads it (`reading`). `manage.py load_rules` creates each once
(`settlements.dated_rules.ensure`); a row the office has corrected in the admin is left alone, and a new reading
is a new row from the day it takes effect.

The plan is dated 2019-05-20 (榕党办发〔2019〕20号): the rules it makes take effect that day. The relief's own
period (十三五, 2016–2020) is a parameter of its row, which therefore holds from 2016-01-01.
"""

import datetime

from settlements import dated_rules

from . import health_rules, property_rules, rules, schooling_rules

PLAN_DATE = datetime.date(2019, 5, 20)

ROWS = [
    {
        "code": rules.CITIZEN_CARD_MONTHS,
        "name": "市民证办理时限（入住后月数）",
        "valid_from": PLAN_DATE,
        "params": {"months": 6},
        "basis": (
            "总体方案第1项：“……暂时未迁移户籍的办理“易地扶贫搬迁市民证”……搬迁对象搬迁入住后6个月内完成相关手续办理”。"
        ),
        "reading": (
            "到期日 = 本人入住之日（随户入住的为该户的入住日期；之后才加入本户的，为本人在本户的起始日期；"
            "曾在多户居住的取最早一次）加 6 个自然月，日序相同，该月没有这一天的取该月最后一天。"
            "到期日当天发证为按时，次日起为逾期。已迁移户籍的人员不需办证。"
            "附件1第8项“在5月底完成易地扶贫搬迁市民证的发放工作”是该项任务的完成时限（已是工作任务的期限），"
            "不是对每个人的规则。统计某日的情况时，适用该日有效的规则。"
        ),
    },
    {
        "code": rules.ORIGIN_CADRES,
        "name": "迁出地乡镇派驻干部人数",
        "valid_from": PLAN_DATE,
        "params": {"bands": [[300, 1000, 1], [1001, None, 2]]},
        "basis": (
            "附件1第10项：“在2019年6月底，按照搬迁300人—1000人的迁出地乡镇明确1名干部、"
            "1000人以上明确2名干部到搬迁安置点进行服务”。"
        ),
        "reading": (
            "恰为 1000 人的乡镇按原文第一段计，应派 1 名；超过 1000 人的应派 2 名；"
            "不足 300 人的原文未作规定，按不需派驻计。人数 = 统计当日在住、所在户的迁出乡镇为该乡镇的搬迁人口，"
            "按全县合计（不按安置点分开计算）；已派数 = 当日在岗的该乡镇派驻干部，不论派驻在哪个安置点。"
        ),
    },
    {
        "code": rules.SERVICE_DAY,
        "name": "每月服务日（星期、时段、次数）",
        "valid_from": PLAN_DATE,
        "params": {
            "weekday": 3,
            "afternoon_from": "12:00",
            "afternoon_to": "18:00",
            "per_month": 1,
            "from_month": "2019-06",
        },
        "basis": (
            "附件1第10项：“县生态移民局联合县政务服务中心或相关单位每月到各安置点一次为移民群众服务，"
            "具体安排在周四下午到易地扶贫搬迁安置点为搬迁户集中办理相关业务”。"
        ),
        "reading": (
            "每个安置点每个自然月至少 1 次，须在星期四，开始时间在 12:00 至 18:00 之间（下午）。"
            "从方案印发（2019-05-20）后的第一个完整月份 2019 年 6 月起计；"
            "安置点首户入住晚于此的，从首户入住的月份起计。"
            "当月尚未结束的不算缺漏。"
        ),
    },
    {
        "code": rules.ONE_TIME_RELIEF,
        "name": "一次性临时救助的期间和次数",
        "valid_from": datetime.date(2016, 1, 1),
        "params": {"from": "2016-01-01", "to": "2020-12-31", "per_household": 1},
        "basis": "附件1第7项：““十三五”期间持续实施搬迁贫困群众一次性临时救助政策”。",
        "reading": (
            "“十三五”即 2016 年 1 月 1 日至 2020 年 12 月 31 日；“一次性”理解为每户在此期间至多发放一次。"
            "原文未给出救助标准，金额按民政部门实际发放的填写。"
        ),
    },
    {
        "code": rules.MEDICAL_SCHEMES,
        "name": "计为医疗保险的险种",
        "valid_from": PLAN_DATE,
        "params": {"schemes": ["resident_medical", "employee_medical"]},
        "basis": "附件1第6项：“不得因搬迁出现漏保断保，确保所有搬迁群众应保尽保”。",
        "reading": (
            "每名在住搬迁人员每天都须有一项有效的医疗保险（城乡居民基本医疗保险或城镇职工基本医疗保险），"
            "同一人前后两段医疗保险之间不得有未覆盖的日子。养老保险只登记、不检查：原文未给出参加养老保险的年龄。"
        ),
    },
]


ROWS += health_rules.ROWS + property_rules.ROWS  # the clinics' staffing, the cooperatives' subsidy years


dated_rules.register_seed_rows("services", lambda: [*ROWS, *schooling_rules.ROWS])
