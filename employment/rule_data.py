"""The employment rules the portal starts with, as the seed gives them: the first labour rule and the
subsidies of annex 2. Loaded by the data migrations and by `manage.py load_employment_rules` (which the test
suite's reference data also runs); rows are created by code or date with get_or_create, so a rule the office
has corrected in the admin is left alone.

The subsidies (培训和就业服务体系建设工作方案), one `SubsidyRule` row each, with the seed's figures:

`basis` quotes the seed (fixtures/sources/rongjiang_2019_follow_up_plan.txt) word for word; where a rule rests
on two passages they are joined by "……". A line break of the printed page inside a sentence is dropped.
`params` holds what the conditions test (months, shares, kinds), the seed's line numbers and, where the seed
leaves a point open, the reading the portal applies (`reading`). The evaluators are in employment/subsidies.py.

The seed prints no start date for any subsidy (the plan is dated 2019-05-20 and the subsidies are "按规定"
policies already in force), so `valid_from` is empty; it prints an end date only for the two post subsidies of
item 8. Rows are created by code with get_or_create, so a rule the office has corrected is left alone.
"""

import datetime
from decimal import Decimal

BASIS = (
    "附件2要求台账掌握搬迁劳动力“年龄结构、文化程度、劳动技能、身体状况”，但两份原文件均未给出劳动力的年龄界限。"
    "此处按《劳动法》最低就业年龄16周岁、扶贫劳动力台账通行的59周岁上限设定，并将在校学生、残疾（无劳动能力）、"
    "患有大病者排除在外。县里确定正式口径后，请在此处新增一条规则（设定生效日期），不要修改本条，以便历史统计可以复现。"
)

LABOUR_RULE = {
    "name": "劳动年龄人口（16—59周岁）",
    "valid_from": datetime.date(2016, 1, 1),
    "min_age": 16,
    "max_age": 59,
    "excluded_conditions": ["student", "disabled", "seriously_ill"],
    "stable_months": 3,
    "basis": BASIS,
}

ITEM_4_HIRING = (
    "对吸纳搬迁劳动力稳定就业3个月以上，签订1年以上劳动合同，缴纳社会保险的，按规定给予每人500元的吸纳就业一次性补贴。"
)
ITEM_4_INSURANCE = "对企业吸纳搬迁劳动力就业的，参照就业困难人员落实社会保险补贴。"
ITEM_5_TRACKING = (
    "对人力资源服务机构、劳务公司、劳务合作社、劳务经纪人等市场主体针对搬迁劳动力开展职业指导、专场招聘会等就业服务活动，"
    "实现有组织劳务输出，输出的劳动力稳定就业 6 个月以上，且提供 1 年跟踪服务的，"
    "按规定给予人力资源服务机构等单位每人 400 元的一次性跟踪服务补贴。"
)
ITEM_5_SEEKING = (
    "对搬迁劳动力通过有组织输出到户籍所在县以外省内就业的，给予每人 500 元的一次性求职创业补贴，"
    "输出到户籍所在省以外就业，给予每人 1000 元的一次性求职创业补贴。"
)
ITEM_6_LOANS = (
    "对有创业意愿并有一定创业条件的搬迁劳动力，及时开展创业培训，落实税费减免、资金补贴、场地安排、创业担保贷款及贴息等政策。"
    "符合条件的，可申请最高不超过 15 万元的创业担保贷款，小微企业当年新招用符合创业担保贷款申请条件的人员数量达到企业现有在职职工 25%"
    "（超过 100 人的企业达到 15%）并与其签订 1 年以上劳动合同的，可申请最高不超过 300 万元的创业担保贷款。"
)
ITEM_6_STARTUP = (
    "对创业企业或个体工商户自工商登记注册之日起正常运营 6 个月以上的搬迁劳动力，可给予 5000 元的一次性创业补贴。"
)
ITEM_7_AWARDS = (
    "对吸纳贫困劳动力就业数量多、成效好的就业扶贫车间和就业扶贫基地，人社部门要按规定向省州申报省级就业扶贫车间和就业扶贫基地，"
    "省级按规定给予每个就业扶贫基地3万、每个就业扶贫车间1万元的一次性资金奖补。"
)
ITEM_8_POSTS = (
    "按照“总量控制、适度开发”的原则，通过就业补助资金和东西部帮扶资金开发移民安置点保洁员、保安员，文化活动室管理员等"
    "非全日制就业扶贫公益性岗位180个，针对县内易地扶贫搬迁；劳动力进行就业援助。"
)
ITEM_8_ASSISTANCE = (
    "根据《黔东南州就业扶贫援助补贴发放实施细则》文件精神，对符合条件的建档立卡贫困劳动力和易地扶贫搬迁劳动力，"
    "每月按照每人400元的标准给予就业扶贫援助补贴，缓解易地扶贫搬迁贫困家庭生活压力，享受截止时间为2021年12月30日。"
)
ITEM_8_EAST_WEST = "东西部帮扶资金每人每月补贴100元，享受截止时间为2020年12月30日。"
ITEM_12_ON_THE_JOB = (
    "对各类生产经营主体吸纳搬迁劳动力就业并开展以工代训的，根据吸纳人数，符合条件的，"
    "按照原则上不超过每人每月500元给予生产经营主体一定期限的职业培训补贴，一般不超过3个月。"
)
ITEM_12_LIVING = (
    "对各类培训机构（含用工企业等）开展搬迁劳动力脱产培训的，根据培训天数和培训后的就业情况，"
    "统一落实培训补贴和培训期间每天 40 元的生活补助，搬迁劳动力中的建档立卡贫困户所需生活补贴由扶贫资金列支，"
    "非建档立卡贫困户从就业补助资金中列支。"
)

EMPLOYER_KINDS = ["enterprise", "cooperative", "individual", "hr_agency"]
ORGANISED = ["organised_province", "organised_outside"]

RULES = [
    {
        "code": "hiring_subsidy",
        "name": "吸纳就业一次性补贴",
        "subject": "employer",
        "amount": Decimal("500"),
        "unit": "once",
        "params": {
            "min_months": 3,
            "min_contract_months": 12,
            "social_insurance": True,
            "employer_kinds": EMPLOYER_KINDS,
            "seed_lines": "248",
            "reading": "每名搬迁劳动力对同一用工单位享受一次；“以上”含本数（3个月、12个月）。原文鼓励企业、合作社、个体工商户等"
            "吸纳就业，机关事业单位（含公益性岗位）不在此列。",
        },
        "basis": ITEM_4_HIRING,
    },
    {
        "code": "hiring_social_insurance",
        "name": "企业吸纳就业社会保险补贴",
        "subject": "employer",
        "amount": Decimal("0"),
        "unit": "once",
        "params": {
            "employer_kinds": ["enterprise"],
            "social_insurance": True,
            "eligibility_only": True,
            "seed_lines": "248",
            "reading": "原文未列金额，只规定“参照就业困难人员落实社会保险补贴”。系统只判断资格（企业吸纳、在岗、已缴纳社会保险），"
            "金额和期限按就业困难人员社会保险补贴的规定另行核定，不进入补贴花名册。",
        },
        "basis": ITEM_4_INSURANCE,
    },
    {
        "code": "tracking_service",
        "name": "一次性跟踪服务补贴",
        "subject": "employer",
        "amount": Decimal("400"),
        "unit": "once",
        "params": {
            "min_months": 6,
            "follow_up_months": 12,
            "employment_kinds": ORGANISED,
            "agency_kinds": EMPLOYER_KINDS,
            "seed_lines": "250-252",
            "reading": "发给组织输出的机构（就业记录的“组织输出或推荐机构”），每名输出的劳动力一次。输出的劳动力须在岗满6个月；"
            "“提供1年跟踪服务”按已提供理解：登记的跟踪服务月数达到12个月，且自上岗之日起已满1年，才计发。",
        },
        "basis": ITEM_5_TRACKING,
    },
    {
        "code": "job_seeking_in_province",
        "name": "一次性求职创业补贴（省内县外）",
        "subject": "person",
        "amount": Decimal("500"),
        "unit": "once",
        "params": {
            "employment_kind": "organised_province",
            "group_kinds": ORGANISED,
            "seed_lines": "252",
            "reading": "户籍所在县即榕江县。求职创业补贴每人只享受一次，按首次有组织输出的去向计发（省内县外500元、省外1000元）。",
        },
        "basis": ITEM_5_SEEKING,
    },
    {
        "code": "job_seeking_outside",
        "name": "一次性求职创业补贴（省外）",
        "subject": "person",
        "amount": Decimal("1000"),
        "unit": "once",
        "params": {
            "employment_kind": "organised_outside",
            "group_kinds": ORGANISED,
            "seed_lines": "252",
            "reading": "户籍所在省即贵州省。求职创业补贴每人只享受一次，按首次有组织输出的去向计发（省内县外500元、省外1000元）。",
        },
        "basis": ITEM_5_SEEKING,
    },
    {
        "code": "startup_subsidy",
        "name": "一次性创业补贴",
        "subject": "person",
        "amount": Decimal("5000"),
        "unit": "once",
        "params": {
            "min_months": 6,
            "seed_lines": "254",
            "reading": "自主创业或个体经营的就业记录，自登记的工商登记日期起满6个月且仍在经营，每人一次。",
        },
        "basis": ITEM_6_STARTUP,
    },
    {
        "code": "startup_loan_person",
        "name": "创业担保贷款（个人）",
        "subject": "person",
        "amount": Decimal("150000"),
        "unit": "cap",
        "params": {
            "eligibility_only": True,
            "wish_keyword": "创业",
            "seed_lines": "254",
            "reading": "只判断申请资格，金额为最高额度，贷款由经办机构审核，不进入补贴花名册。“有创业意愿并有一定创业条件”按"
            "劳动年龄内、且正在自主创业或就业意愿中写明“创业”理解。",
        },
        "basis": ITEM_6_LOANS,
    },
    {
        "code": "startup_loan_small_firm",
        "name": "创业担保贷款（小微企业）",
        "subject": "employer",
        "amount": Decimal("3000000"),
        "unit": "cap",
        "params": {
            "eligibility_only": True,
            "min_share_percent": 25,
            "large_firm_staff": 100,
            "large_firm_share_percent": 15,
            "min_contract_months": 12,
            "seed_lines": "254",
            "reading": "只判断申请资格，金额为最高额度。“当年”指核查日所在自然年；新招用人员按系统登记的、当年上岗且劳动合同"
            "满12个月的搬迁劳动力计（台账外的其他符合条件人员系统无从得知）；在职职工按用工单位登记的人数。",
        },
        "basis": ITEM_6_LOANS,
    },
    {
        "code": "on_the_job_training",
        "name": "以工代训职业培训补贴",
        "subject": "employer",
        "amount": Decimal("500"),
        "unit": "per_month",
        "params": {
            "max_months": 3,
            "seed_lines": "278",
            "reading": "发给开展以工代训的生产经营主体：以工代训培训记录所在单位须同期吸纳该劳动力就业；按培训月数（自开班日起"
            "每满或不满一个月计一个月）每月500元，同一单位对同一人累计不超过3个月，于结业当月计发。",
        },
        "basis": ITEM_12_ON_THE_JOB,
    },
    {
        "code": "off_the_job_living",
        "name": "脱产培训生活补助",
        "subject": "person",
        "amount": Decimal("40"),
        "unit": "per_day",
        "params": {
            "poor_fund": "扶贫资金",
            "other_fund": "就业补助资金",
            "seed_lines": "278-280",
            "reading": "按培训记录的培训天数每天40元，于结业当月计发；建档立卡贫困户成员由扶贫资金列支，其他由就业补助资金列支。",
        },
        "basis": ITEM_12_LIVING,
    },
    {
        "code": "assistance_subsidy",
        "name": "就业扶贫援助补贴",
        "subject": "person",
        "amount": Decimal("400"),
        "unit": "per_month",
        "valid_to": datetime.date(2021, 12, 30),
        "params": {
            "post_funding": "employment_fund",
            "fund": "就业补助资金",
            "seed_lines": "260-262",
            "reading": "第8项“托底解决困难人群就业”：补贴对象是在就业补助资金开发的非全日制就业扶贫公益性岗位上岗的建档立卡贫困"
            "劳动力和易地扶贫搬迁劳动力（台账内人员均为搬迁劳动力），每人每月400元；东西部帮扶资金开发的岗位按每人每月100元"
            "另列（见东西部帮扶资金公益性岗位补贴）。享受至2021年12月30日（含当天）。",
        },
        "basis": ITEM_8_POSTS + ITEM_8_ASSISTANCE,
    },
    {
        "code": "east_west_subsidy",
        "name": "东西部帮扶资金公益性岗位补贴",
        "subject": "person",
        "amount": Decimal("100"),
        "unit": "per_month",
        "valid_to": datetime.date(2020, 12, 30),
        "params": {
            "post_funding": "east_west",
            "fund": "东西部帮扶资金",
            "seed_lines": "260-262",
            "reading": "东西部帮扶资金开发的公益性岗位上岗的搬迁劳动力，每人每月100元，享受至2020年12月30日（含当天）。",
        },
        "basis": ITEM_8_POSTS + "……" + ITEM_8_EAST_WEST,
    },
    {
        "code": "workshop_award_base",
        "name": "省级就业扶贫基地一次性奖补",
        "subject": "workshop",
        "amount": Decimal("30000"),
        "unit": "once",
        "params": {
            "workshop_kind": "base",
            "fund": "省级奖补资金",
            "seed_lines": "258",
            "reading": "认定为省级就业扶贫基地（登记了“认定为省级日期”）的，于认定当月计发一次。",
        },
        "basis": ITEM_7_AWARDS,
    },
    {
        "code": "workshop_award_workshop",
        "name": "省级就业扶贫车间一次性奖补",
        "subject": "workshop",
        "amount": Decimal("10000"),
        "unit": "once",
        "params": {
            "workshop_kind": "workshop",
            "fund": "省级奖补资金",
            "seed_lines": "258",
            "reading": "认定为省级就业扶贫车间（登记了“认定为省级日期”）的，于认定当月计发一次。",
        },
        "basis": ITEM_7_AWARDS,
    },
]


def ensure_labour_rule(rule_model) -> bool:
    """The first labour rule, when no rule exists yet (`rule_model` may be a migration's historical model)."""
    if rule_model.objects.exists():
        return False
    rule_model.objects.create(**LABOUR_RULE)
    return True


def ensure_subsidy_rules(rule_model) -> int:
    """Every subsidy rule not yet present; returns how many were created."""
    created = 0
    for rule in RULES:
        fields = dict(rule)
        created += rule_model.objects.get_or_create(code=fields.pop("code"), defaults=fields)[1]
    return created
