"""The staffing rules of the settlements' clinics (annex 1 task 5) as dated rule data (`settlements.dated_rules`):
declared here with a check of their parameters, seeded from `ROWS` by `manage.py load_rules` (with the
seed's sentence and how the portal reads it), read as the row in force on a day.

    services.clinic_doctors          village doctors by served population (bands)
    services.clinic_woman_doctor     a woman doctor from 2 doctors on
    services.clinic_western_chinese  a doctor who practises both Western and Chinese medicine (能西会中)
    services.clinic_staff            2 medical workers per settlement clinic, trained

The rules judge the village clinics of the settlements: facilities of kind 卫生室 or 社区卫生服务中心 (the 文体
centre stands for the clinics of 卧龙、阳光、特和 it shares offices with) serving a settlement. A 乡镇卫生院 is
shown with its served population, not judged by the village-doctor rules (定威: “不再设立村卫生室”).
"""

import datetime
from dataclasses import dataclass

from settlements import dated_rules
from settlements.models import DatedRule

from .rules import _bands_problem, _is_count, count_for

CLINIC_DOCTORS = "services.clinic_doctors"
CLINIC_WOMAN_DOCTOR = "services.clinic_woman_doctor"
CLINIC_WESTERN_CHINESE = "services.clinic_western_chinese"
CLINIC_STAFF = "services.clinic_staff"

JUDGED_KINDS = ("clinic", "community_health_centre")  # village clinics; a township hospital is not judged
PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号

BAND_SENTENCE = (
    "附件1第5项：“每村服务人口少于 1000 人的，配置 1 名村医；每村服务人口在 1000 人至 2000 人的，配置 2 名村医；"
    "每村服务人口在 2000 人至 3000 人的，配置 3 名村医；每村服务人口在 3000 人以上的，配置 4 名村医”"
    "（引《贵州省关于进一步加强乡村医生队伍建设的实施方案》）。"
)
WOMAN_SENTENCE = "配备 2 名以上乡村医生的村卫生室，应有 1 名女乡村医生"
WESTERN_CHINESE_SENTENCE = "同时，至少应有 1 名能西会中的乡村医生"
STAFF_SENTENCE = "按每个安置点卫生室 2 名医务人员进行配备的要求，并完成培训工作"


def _first_band_starts_at_zero(params):
    problem = _bands_problem(params)
    if problem:
        return problem.replace("干部人数", "村医人数")
    if params["bands"][0][0] != 0:
        return "第1段的下限须为 0：每个卫生室都按服务人口配备村医。"
    if params["bands"][-1][1] is not None:
        return "最后一段须不设上限（null）：服务人口再多也有应配的村医人数。"
    return None


def _woman_problem(params):
    if not _is_count(params.get("from_doctors"), 1):
        return "“from_doctors”须为正整数（配备几名以上乡村医生的卫生室须有女乡村医生）。"
    return None


def _western_chinese_problem(params):
    if not isinstance(params.get("every_clinic"), bool):
        return (
            "“every_clinic”须为 true（每个卫生室都须有能西会中的乡村医生）或 false"
            "（只适用于须配女乡村医生的卫生室，即配备 2 名以上乡村医生的）。"
        )
    return None


def _staff_problem(params):
    if not _is_count(params.get("min_staff"), 1):
        return "“min_staff”须为正整数（每个安置点卫生室至少配备几名医务人员）。"
    if not isinstance(params.get("trained"), bool):
        return "“trained”须为 true（医务人员须完成培训）或 false。"
    return None


dated_rules.declare(CLINIC_DOCTORS, "卫生室按服务人口配备村医", check=_first_band_starts_at_zero)
dated_rules.declare(CLINIC_WOMAN_DOCTOR, "卫生室女乡村医生", check=_woman_problem)
dated_rules.declare(CLINIC_WESTERN_CHINESE, "卫生室能西会中的乡村医生", check=_western_chinese_problem)
dated_rules.declare(CLINIC_STAFF, "安置点卫生室医务人员配备和培训", check=_staff_problem)


ROWS = [
    {
        "code": CLINIC_DOCTORS,
        "name": "卫生室按服务人口配备村医",
        "valid_from": PLAN_DATE,
        "params": {"bands": [[0, 999, 1], [1000, 1999, 2], [2000, 2999, 3], [3000, None, 4]]},
        "basis": BAND_SENTENCE,
        "reading": (
            "“以上”含本数：3000 人配 4 名；原文“1000 人至 2000 人”“2000 人至 3000 人”端点重叠，按下一档的起点归属"
            "（1000 人配 2 名，2000 人配 3 名）。即 不足 1000 人 1 名，1000—1999 人 2 名，2000—2999 人 3 名，"
            "3000 人及以上 4 名。服务人口 = 统计当日该卫生室所服务的各安置点在住人员（户籍台账中当日有在住期间的人员）"
            "之和：文体社区卫生服务中心服务卧龙、阳光、特和三个小区，三个小区的在住人员合计。"
            "村医 = 当日在岗、岗位为“乡村医生”的人员。适用于服务安置点的卫生室和社区卫生服务中心；"
            "乡镇卫生院不是村卫生室，不按本条考核（原文：定威安置点为定威乡卫生院所在地，不再设立村卫生室）。"
        ),
    },
    {
        "code": CLINIC_WOMAN_DOCTOR,
        "name": "卫生室女乡村医生",
        "valid_from": PLAN_DATE,
        "params": {"from_doctors": 2},
        "basis": f"附件1第5项：“{WOMAN_SENTENCE}”。",
        "reading": "“2 名以上”含 2 名：当日在岗乡村医生达到 2 名的卫生室，其中至少 1 名为女性。",
    },
    {
        "code": CLINIC_WESTERN_CHINESE,
        "name": "卫生室能西会中的乡村医生",
        "valid_from": PLAN_DATE,
        "params": {"every_clinic": True},
        "basis": f"附件1第5项：“{WESTERN_CHINESE_SENTENCE}”。",
        "reading": (
            "适用于每个卫生室（不论配备几名乡村医生）：当日在岗乡村医生中至少 1 名能西会中。"
            "原文此句紧接“配备 2 名以上乡村医生的村卫生室……”之后，也可理解为只约束配备 2 名以上的卫生室；"
            "如采用这一理解，将 every_clinic 改为 false（新增一行规则数据，自生效之日起适用）。"
        ),
    },
    {
        "code": CLINIC_STAFF,
        "name": "安置点卫生室医务人员配备和培训",
        "valid_from": PLAN_DATE,
        "params": {"min_staff": 2, "trained": True},
        "basis": f"附件1第5项：“{STAFF_SENTENCE}”。",
        "reading": (
            "每个服务安置点的卫生室当日在岗医务人员（乡村医生和其他医务人员）至少 2 名，且每人都已完成培训"
            "（登记了不晚于当日的完成培训日期）。与按服务人口配备村医的规定同时适用，两条分别判断、分别显示："
            "一个卫生室可能医务人员已满 2 名，而村医仍少于服务人口应配的人数。"
        ),
    },
]


# --- the rows in force, read as what the code applies ---------------------------------------------------------

NAMES = {
    code: dated_rules.declared(code).name
    for code in (CLINIC_DOCTORS, CLINIC_WOMAN_DOCTOR, CLINIC_WESTERN_CHINESE, CLINIC_STAFF)
}


@dataclass(frozen=True)
class ClinicRules:
    """The rows of the staffing rules in force on a day; a rule without a row that day is None (not judged: the
    pages say so)."""

    day: datetime.date
    doctors: DatedRule | None
    woman: DatedRule | None
    western_chinese: DatedRule | None
    staff: DatedRule | None

    @property
    def missing(self) -> list[str]:
        rows = {CLINIC_DOCTORS: self.doctors, CLINIC_WOMAN_DOCTOR: self.woman}
        rows |= {CLINIC_WESTERN_CHINESE: self.western_chinese, CLINIC_STAFF: self.staff}
        return [NAMES[code] for code, row in rows.items() if row is None]


def clinic_rules(day: datetime.date) -> ClinicRules:
    return ClinicRules(
        day,
        dated_rules.row_on(CLINIC_DOCTORS, day),
        dated_rules.row_on(CLINIC_WOMAN_DOCTOR, day),
        dated_rules.row_on(CLINIC_WESTERN_CHINESE, day),
        dated_rules.row_on(CLINIC_STAFF, day),
    )


def doctors_required(population: int, bands: list) -> int:
    """Village doctors a clinic needs for `population` served persons: the band that holds the number (both ends
    included), read as the cadres' bands are."""
    return count_for(population, bands)


def band_text(low: int, high: int | None, count: int) -> str:
    """“服务人口 1000—1999 人配 2 名村医”, as the portal reads the band."""
    if high is None:
        return f"服务人口 {low} 人及以上配 {count} 名村医"
    if low == 0:
        return f"服务人口不足 {high + 1} 人配 {count} 名村医"
    return f"服务人口 {low}—{high} 人配 {count} 名村医"


def quoted(basis: str) -> str:
    """The seed's words in a rule's basis (between its outer quotation marks), or the whole basis."""
    start, end = basis.find("“"), basis.rfind("”")
    return basis[start + 1 : end] if 0 <= start < end else basis


def band_clause(basis: str, index: int, bands: list) -> str:
    """The seed's clause of band `index` when the basis prints one clause per band (“……；……”), else the portal's
    reading of the band."""
    clauses = [clause.strip() for clause in quoted(basis).split("；")]
    if len(clauses) == len(bands):
        return clauses[index].removesuffix("。")
    return band_text(*bands[index])
