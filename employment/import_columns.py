"""The columns of the two ledgers the employment import reads: 就业台账 (one row per job) and 培训台账 (one row
per place on a course), their Chinese columns and how each maps to `Employment` and `TrainingRecord`.

The check, the preview and the blank template all read the columns from here. A column is the registry
ledger's `settlements.ledger.Column`, so the registry import's cell parsers can read it.
"""

from settlements.imports.columns import DATE, TEXT, Column, yes_no_column
from settlements.imports.person_records import ID_NUMBER, NAME

from .models import EmploymentEnd, EmploymentKind, JobPlace, TrainingKind

PLACE_SYNONYMS = {"县内": ("本县", "榕江县内", "县城"), "省内县外": ("省内",), "省外": ("外省",)}

EMPLOYMENT_COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("就业类型", "kind", required=True, choices=tuple(EmploymentKind.choices), width=22),
    Column("用工单位", "employer", width=24),
    Column("岗位", "job_title", width=12),
    Column("就业地点", "place", choices=tuple(JobPlace.choices), width=10, synonyms=PLACE_SYNONYMS),
    Column("上岗日期", "start_date", required=True, width=12, kind=DATE),
    Column("离岗日期", "end_date", width=12, kind=DATE),
    Column("离岗原因", "end_reason", choices=tuple(EmploymentEnd.choices), width=24),
    Column("劳动合同期限（月）", "contract_months", width=10),
    yes_no_column("缴纳社会保险", "social_insurance", width=8),
    Column("月收入（元）", "monthly_pay", width=10),
    Column("车间或基地", "workshop", width=20),
    Column("公益性岗位编号", "welfare_post", width=14, kind=TEXT),
)

TRAINING_COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("培训项目", "course", required=True, width=24),
    Column("培训类型", "kind", required=True, choices=tuple(TrainingKind.choices), width=10),
    Column("行业或工种", "sector", width=12),
    Column("培训机构", "provider", required=True, width=24),
    Column("开班日期", "start_date", required=True, width=12, kind=DATE),
    Column("结业日期", "end_date", required=True, width=12, kind=DATE),
    Column("培训天数", "days", required=True, width=8),
    yes_no_column("以工代训", "on_the_job", width=8),
    yes_no_column("已结业", "completed", width=8),
)


COMMON_GUIDE = (
    "身份证号须是户籍台账中已登记、在您管理范围内的搬迁人员；姓名须与户籍台账一致。身份证号请按文本填写。",
    "日期写作 2019-05-01、2019/5/1 或 2019年5月1日，或使用 Excel 的日期格式。",
    "红色表头为必填列；有下拉列表的列请从列表中选择。空白单元格不会清除平台中已有的内容。",
    "表头行以上可以有标题行；列的顺序可以调整；可以增加其他列，导入时会被忽略。",
)

EMPLOYMENT_GUIDE = (
    "填写说明（就业台账）",
    "1. 每行填写一名人员的一份工作；同一人员的多份工作分行填写。",
    *(f"{number}. {line}" for number, line in enumerate(COMMON_GUIDE, start=2)),
    "6. 同一人员、同一上岗日期、同一用工单位（未填用工单位时为同一就业类型）的行视为同一份工作："
    "再次导入时更新该工作，不会重复登记。",
    "7. 除灵活就业外，同一人员不能同时有两份在岗的工作；已离岗的工作请填写离岗日期和离岗原因。",
    "8. 就业类型为扶贫车间或基地时须填写车间或基地的名称；为公益性岗位时须填写岗位编号，"
    "一个公益性岗位同一时间只能由一人在岗。除自主创业、灵活就业外须填写用工单位。",
)

TRAINING_GUIDE = (
    "填写说明（培训台账）",
    "1. 每行填写一名人员参加的一期培训。",
    *(f"{number}. {line}" for number, line in enumerate(COMMON_GUIDE, start=2)),
    "6. 同一人员、同一培训项目、同一开班日期的行视为同一条培训记录：再次导入时更新该记录，不会重复登记。",
    "7. 结业日期不能早于开班日期；培训天数填写整数。",
)
