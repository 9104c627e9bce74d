"""The labour ledger as Excel (家庭就业扶贫台账): one row per person counted as labour on a day.

Streams through `settlements.xlsx_writer` in chunks: for each chunk of persons, their current jobs, profiles
and training counts are read in three queries. ID numbers are text cells, masked unless asked for.
"""

import datetime
import itertools
import tempfile

from django.db.models import Count

from settlements import id_numbers, xlsx_writer
from settlements.xlsx_writer import DATE, TEXT, SheetColumn

from . import labour
from .models import Employment, LabourProfile, TrainingRecord
from .selectors import WorkStatus, work_status

CHUNK = 2000
COLUMNS = [
    SheetColumn("安置点", 8),
    SheetColumn("户编号", 14, TEXT),
    SheetColumn("姓名", 10),
    SheetColumn("身份证号", 22, TEXT),
    SheetColumn("性别", 6),
    SheetColumn("年龄", 6),
    SheetColumn("文化程度", 10),
    SheetColumn("健康状况", 10),
    SheetColumn("劳动技能", 16),
    SheetColumn("培训意愿", 14),
    SheetColumn("就业意愿", 14),
    SheetColumn("就业状态", 14),
    SheetColumn("就业类型", 16),
    SheetColumn("用工单位", 24),
    SheetColumn("上岗日期", 12, DATE),
    SheetColumn("月收入（元）", 10),
    SheetColumn("已结业培训（次）", 10),
]


def write_labour_ledger(stays, day: datetime.date, *, full_ids: bool):
    """Write the labour `stays` (from `selectors.labour_ledger`) to a temporary file; returns (file, rows)."""
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the response closes (and so deletes) it
    count = 0
    with xlsx_writer.XlsxSheetWriter(output, "家庭就业扶贫台账", COLUMNS) as sheet:
        for chunk in _chunks(stays.iterator(chunk_size=CHUNK)):
            facts = _facts([stay.person_id for stay in chunk], day)
            for stay in chunk:
                sheet.write_row(_row(stay, day, facts, full_ids))
                count += 1
    output.seek(0)
    return output, count


def _chunks(iterable):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def _facts(person_ids, day):
    jobs = Employment.objects.active_on(day).filter(person_id__in=person_ids).select_related("employer")
    profiles = LabourProfile.objects.filter(person_id__in=person_ids)
    trainings = (
        TrainingRecord.objects.filter(person_id__in=person_ids, completed=True, end_date__lte=day)
        .values("person_id")
        .annotate(n=Count("id"))
    )
    return (
        {job.person_id: job for job in jobs},
        {profile.person_id: profile for profile in profiles},
        {row["person_id"]: row["n"] for row in trainings},
    )


def _row(stay, day, facts, full_ids):
    jobs, profiles, trainings = facts
    person, job, profile = stay.person, jobs.get(stay.person_id), profiles.get(stay.person_id)
    return [
        stay.household.settlement.name,
        stay.household.code,
        person.name,
        person.id_number if full_ids else id_numbers.mask(person.id_number),
        person.get_sex_display(),
        labour.age_on(person.birth_date, day),
        person.get_education_display(),
        person.get_health_display(),
        profile.skills if profile else "",
        profile.training_wish if profile else "",
        profile.job_wish if profile else "",
        WorkStatus.LABELS[work_status(stay=stay)],
        job.get_kind_display() if job else "",
        job.employer_label if job else "",
        job.start_date if job else None,
        job.monthly_pay if job else None,
        trainings.get(stay.person_id, 0),
    ]
