"""The columns of the two ledgers the services import: the 医保局's enrolment ledger (参保台账, one row per
enrolment) and the 市民证 issue ledger (市民证发放台账, one row per card). The check, the preview and the blank
template read the columns from here."""

from settlements.imports.columns import DATE, TEXT, Column, yes_no_column
from settlements.imports.person_records import ID_NUMBER, NAME

from .models import EnrolmentPlace, Scheme

SCHEME_SYNONYMS = {
    "城乡居民基本医疗保险": ("城乡居民医保", "居民医保", "城乡居民医疗保险", "新农合"),
    "城乡居民基本养老保险": ("城乡居民养老保险", "居民养老", "城乡居民养老"),
    "城镇职工基本医疗保险": ("职工医保", "职工基本医疗保险", "城镇职工医疗保险"),
    "城镇职工基本养老保险": ("职工养老", "职工基本养老保险", "城镇职工养老保险"),
}
PLACE_SYNONYMS = {"安置地": ("安置点", "本县安置地", "榕江县"), "迁出地": ("原籍", "户籍地")}

INSURANCE_COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("险种", "scheme", required=True, choices=tuple(Scheme.choices), width=22, synonyms=SCHEME_SYNONYMS),
    Column("参保地", "place", choices=tuple(EnrolmentPlace.choices), width=8, synonyms=PLACE_SYNONYMS),
    Column(
        "参保起始日期", "start_date", required=True, width=12, kind=DATE, header_aliases=("参保开始日期", "起保日期")
    ),
    Column("参保截止日期", "end_date", width=12, kind=DATE, header_aliases=("参保终止日期", "止保日期")),
    yes_no_column("代缴补贴", "premium_subsidy", width=8),
    Column("备注", "note", width=20),
)

CARD_COLUMNS = (
    ID_NUMBER,
    NAME,
    Column("市民证号", "number", required=True, width=16, kind=TEXT),
    Column("发证日期", "issued_on", required=True, width=12, kind=DATE),
)

COMMON_GUIDE = (
    "身份证号须是户籍台账中已登记、在您管理范围内的搬迁人员；姓名须与户籍台账一致。身份证号请按文本填写。",
    "日期写作 2019-05-01、2019/5/1 或 2019年5月1日，或使用 Excel 的日期格式。",
    "红色表头为必填列；有下拉列表的列请从列表中选择。空白单元格不会清除平台中已有的内容。",
    "表头行以上可以有标题行；列的顺序可以调整；可以增加其他列，导入时会被忽略。",
)

INSURANCE_GUIDE = (
    "填写说明（参保台账）",
    "1. 每行填写一名人员在一个险种的一段参保期间（医保局台账的“参保起止日期”）。",
    *(f"{number}. {line}" for number, line in enumerate(COMMON_GUIDE, start=2)),
    "6. 参保截止日期填写保障期的最后一天（含当天）；仍在参保的留空。参保地留空的按安置地登记。",
    "7. 同一人员、同一险种、同一参保起始日期的行视为同一条参保记录：再次导入时更新该记录，不会重复登记。"
    "同一人员同一险种的参保期间不能重叠。",
)

CARD_GUIDE = (
    "填写说明（市民证发放台账）",
    "1. 每行填写一名人员的易地扶贫搬迁市民证；每人只有一张市民证，再次导入时更新证号或发证日期。",
    *(f"{number}. {line}" for number, line in enumerate(COMMON_GUIDE, start=2)),
    "6. 户籍已迁入安置地的人员不需办理市民证；一个市民证号只能登记给一人。",
    "7. 导入后，户籍台账中该人员的户籍状态随之改为“未迁移，持市民证”。",
)
