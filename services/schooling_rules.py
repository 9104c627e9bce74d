"""The rules of 公共教育 as dated rule data (`settlements.dated_rules`): the school-age bands and the aid each stage
owes. Declared here with a check of their parameters, seeded by `manage.py load_rules` from `ROWS`
(each with the seed's sentence and the portal's reading), read as the row in force on a day.

School age is counted by school year: a day's school year starts on the day after the rule's cutoff (1 September
for "08-31") of the day's year if the day is after the cutoff, else of the year before, and a child's age is
their age on the cutoff of that start year. A child born 2020-08-31 is 6 on 2026-08-31 and so of compulsory
age from 2026-09-01; one born 2020-09-01 only from 2027-09-01.
"""

import datetime
import re
from dataclasses import dataclass

from settlements import dated_rules
from settlements.dates import birth_range

from .models import Stage

SCHOOL_AGE = "services.school_age"
STUDENT_AID = "services.student_aid"

CUTOFF = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
MAX_AGE = 30


# --- the checks of the parameters (each returns a Chinese sentence, or None) ------------------------------------


def _band_problem(label: str, band) -> str | None:
    if not (isinstance(band, list) and len(band) == 2 and all(_is_age(value) for value in band)):
        return f"“{label}”须写作 [最小年龄, 最大年龄]，均为 0 至 {MAX_AGE} 的整数。"
    if band[0] > band[1]:
        return f"“{label}”的最小年龄不能大于最大年龄。"
    return None


def _is_age(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AGE


def _cutoff_problem(cutoff) -> str | None:
    if not (isinstance(cutoff, str) and CUTOFF.fullmatch(cutoff)):
        return "“cutoff”须写作 08-31 这样的月-日（计算年龄的日期，次日为学年开始）。"
    month, day = map(int, cutoff.split("-"))
    try:
        datetime.date(2001, month, day)  # a year without 29 February: the day must exist every year
    except ValueError:
        return f"“cutoff”{cutoff} 不是每年都有的日期。"
    if (month, day) == (12, 31):
        return "“cutoff”不能为 12-31：学年须在同一年内开始。"
    return None


def _school_age_problem(params) -> str | None:
    previous_high = -1
    for stage in Stage:
        problem = _band_problem(stage.value, params.get(stage.value))
        if problem:
            return problem
        low, high = params[stage.value]
        if low <= previous_high:
            return "各学段的年龄须按学前、义务教育、高中从小到大排列，互不重叠。"
        previous_high = high
    return _cutoff_problem(params.get("cutoff"))


def _student_aid_problem(params) -> str | None:
    for stage in Stage:
        scheme = params.get(stage.value)
        if not (isinstance(scheme, str) and scheme.strip() and len(scheme) <= 20):
            return f"“{stage.value}”须为该学段资助项目的名称（不超过 20 个字），如“两免两补”。"
    return None


dated_rules.declare(SCHOOL_AGE, "学龄段（学前、义务教育、高中）", check=_school_age_problem)
dated_rules.declare(STUDENT_AID, "各学段学生资助项目", check=_student_aid_problem)


# --- the rows in force, read as what the code applies ---------------------------------------------------------


@dataclass(frozen=True)
class SchoolAge:
    """The school-age rule in force on a day: an age band per stage, counted on the cutoff of the school year."""

    bands: dict[str, tuple[int, int]]  # stage -> (youngest, oldest) age on the cutoff
    cutoff_month: int
    cutoff_day: int

    def school_year(self, day: datetime.date) -> int:
        """The year the school year of `day` started in (2026 for 2026-09-01 to 2027-08-31)."""
        after_cutoff = (day.month, day.day) > (self.cutoff_month, self.cutoff_day)
        return max(day.year if after_cutoff else day.year - 1, datetime.MINYEAR)

    def cutoff(self, school_year: int) -> datetime.date:
        """The day ages are counted on for `school_year` (its start's eve)."""
        return datetime.date(school_year, self.cutoff_month, self.cutoff_day)

    def school_year_start(self, school_year: int) -> datetime.date:
        return self.cutoff(school_year) + datetime.timedelta(days=1)

    def age(self, birth: datetime.date, day: datetime.date) -> int:
        """A child's age as the rule counts it for the school year of `day`."""
        cutoff = self.cutoff(self.school_year(day))
        return cutoff.year - birth.year - ((cutoff.month, cutoff.day) < (birth.month, birth.day))

    def stage(self, birth: datetime.date, day: datetime.date) -> str:
        """The stage whose band holds the child's age for the school year of `day`, or "" (none)."""
        age = self.age(birth, day)
        return next((stage for stage, (low, high) in self.bands.items() if low <= age <= high), "")

    def births(self, stage: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        """Birth dates (oldest, youngest, inclusive) of the children of `stage` in the school year of `day`."""
        low, high = self.bands[stage]
        return birth_range(self.cutoff(self.school_year(day)), low, high)

    def band_text(self, stage: str) -> str:
        low, high = self.bands[stage]
        return f"{low}—{high}周岁"

    @property
    def cutoff_text(self) -> str:
        return f"{self.cutoff_month}月{self.cutoff_day}日"


def school_age(day: datetime.date) -> SchoolAge | None:
    """The school-age rule in force on `day`, or None when there is none (the pages say so)."""
    params = dated_rules.params_on(SCHOOL_AGE, day)
    if params is None:
        return None
    month, cutoff_day = map(int, params["cutoff"].split("-"))
    return SchoolAge({stage.value: tuple(params[stage.value]) for stage in Stage}, month, cutoff_day)


def aid_schemes(day: datetime.date) -> dict[str, str] | None:
    """{stage: the aid scheme it owes} in force on `day`, or None."""
    params = dated_rules.params_on(STUDENT_AID, day)
    return {stage.value: params[stage.value] for stage in Stage} if params else None


# --- the seed's rows (basis: the seed's sentence; reading: how the portal reads it) -----------------------------

PLAN_DATE = datetime.date(2019, 5, 20)  # 榕党办发〔2019〕20号

ROWS = [
    {
        "code": SCHOOL_AGE,
        "name": "学龄段（学前、义务教育、高中）",
        "valid_from": PLAN_DATE,
        "params": {"preschool": [3, 5], "compulsory": [6, 15], "high_school": [16, 18], "cutoff": "08-31"},
        "basis": (
            "附件1第1项：“绝不能让一个搬迁群众子女因搬迁而辍学”；第3项：“严格履行控辍保学责任，不让一个学生辍学”。"
        ),
        "reading": (
            "原文件未规定学龄。按义务教育法（年满六周岁入学，九年）：学前 3—5 周岁、义务教育 6—15 周岁、"
            "高中 16—18 周岁，年龄按学年开始当年的 8 月 31 日计算（9 月 1 日开学）：某日所在学年自当年 9 月 1 日"
            "（该日在 9 月 1 日之前的，为上一年的 9 月 1 日）开始。2020-08-31 出生的儿童自 2026-09-01 起为义务教育"
            "适龄，2020-09-01 出生的自 2027-09-01 起。义务教育适龄、在住、当日没有在读记录（含最后一次离校为辍学的）"
            "即为失学辍学；在读任何学校（含幼儿园）的不计。县里确定口径后新增一条规则。"
        ),
    },
    {
        "code": STUDENT_AID,
        "name": "各学段学生资助项目",
        "valid_from": PLAN_DATE,
        "params": {"preschool": "两补", "compulsory": "两免两补", "high_school": "两助三免"},
        "basis": (
            "附件1第4项：“学前教育阶段要落实“两补”政策，义务教育阶段要落实“两免两补”政策，"
            "高中阶段教育要落实“两助三免”政策，确保“应助尽助””。"
        ),
        "reading": (
            "资助标准（金额）原文件未给出，按实际发放的登记，可空。学段按学生当日在读学校的学段确定"
            "（幼儿园为学前，小学、初中为义务教育，高中为高中阶段）。当日在读、在住的学生，本学年没有本学段"
            "资助项目的发放记录（发放日期在当日或之前）即列入“应助未助”。"
        ),
    },
]
