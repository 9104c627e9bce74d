"""The subsidies of annex 2 as rules: what is due to a person, an employer or a workshop, and why — or why not.

Each `SubsidyRule` row (created by migration 0003 with the seed's figures) is evaluated by the code registered
for its `code` here. What the seed fixes — amounts, months, shares, dates — is read from the row, so the office
can correct a figure in the admin without a release. A verdict lists its conditions one by one, the first
always the rule's validity on the day ("执行期限至 2021-12-30"), so a page can say why a subsidy is not due.

Periods of months. "n months" from a date end on the same day n months later, or on that month's last day
when it has no such day (2026-01-31 + 3 months = 2026-04-30), as 《民法典》第二百零二条 counts them; "以上"
includes the number (第一千二百五十九条). A job or business has lasted n months when it is still held on
that day — the day of leaving is not a day in the job, as everywhere in `employment.labour`. So a job started
2026-08-22 has lasted 3 months on 2026-11-22, not on 2026-11-19 (89 days) nor on 2026-11-21.
`labour.stable_since` counts back from the day instead; the two differ only when the start day does not exist
in the later month (a job started on 31 January is "stable" for the labour counts from 1 May, and has lasted
3 months for the subsidy on 30 April).

Once-only subsidies are due from the day their conditions are first met; a person or a (payer, worker) pair
gets each once, from the first record that qualifies. Nothing here records payments: the roster of a month
lists what became due in it, so each once-only subsidy appears in exactly one month's roster.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from settlements.dates import add_months
from settlements.models import Person

from . import labour
from .models import (
    Employer,
    EmployerKind,
    Employment,
    EmploymentKind,
    Funding,
    LabourProfile,
    SubsidyRule,
    SubsidySubject,
    TrainingRecord,
    Workshop,
    WorkshopKind,
    active_on,
)

ZERO = Decimal("0")

HIRING = "hiring_subsidy"
HIRING_INSURANCE = "hiring_social_insurance"
TRACKING = "tracking_service"
SEEKING_PROVINCE = "job_seeking_in_province"
SEEKING_OUTSIDE = "job_seeking_outside"
STARTUP = "startup_subsidy"
LOAN_PERSON = "startup_loan_person"
LOAN_FIRM = "startup_loan_small_firm"
ON_THE_JOB = "on_the_job_training"
LIVING = "off_the_job_living"
ASSISTANCE = "assistance_subsidy"
EAST_WEST = "east_west_subsidy"
BASE_AWARD = "workshop_award_base"
WORKSHOP_AWARD = "workshop_award_workshop"
# the order of annex 2 (items 4, 5, 6, 7, 8, 12): verdicts and the roster follow it
ORDER = [
    HIRING,
    HIRING_INSURANCE,
    TRACKING,
    SEEKING_PROVINCE,
    SEEKING_OUTSIDE,
    STARTUP,
    LOAN_PERSON,
    LOAN_FIRM,
    BASE_AWARD,
    WORKSHOP_AWARD,
    ASSISTANCE,
    EAST_WEST,
    ON_THE_JOB,
    LIVING,
]
ORGANISED = [EmploymentKind.ORGANISED_PROVINCE, EmploymentKind.ORGANISED_OUTSIDE]
MARKET_KINDS = [EmployerKind.ENTERPRISE, EmployerKind.COOPERATIVE, EmployerKind.INDIVIDUAL, EmployerKind.HR_AGENCY]

# condition labels that do not depend on a rule's figures (tests and pages reuse them)
LABEL_EMPLOYER_KIND = "用工单位类别符合"
LABEL_INSURANCE = "缴纳社会保险"
LABEL_ENTERPRISE = "吸纳单位为企业"
LABEL_IN_JOB = "核查日在该单位在岗"
LABEL_AGENCY_KIND = "输出单位为人力资源服务机构等市场主体"
LABEL_ORGANISED = "有组织劳务输出"
LABEL_FIRST_PLACEMENT = "首次有组织输出（求职创业补贴每人一次）"
LABEL_SELF_EMPLOYED = "自主创业或个体经营"
LABEL_REGISTERED = "已办理工商登记"
LABEL_LABOUR = "劳动年龄内的搬迁劳动力"
LABEL_STARTING = "有创业意愿或正在创业"
LABEL_SMALL = "小微企业"
LABEL_STAFF = "已登记在职职工人数"
LABEL_ON_THE_JOB = "以工代训"
LABEL_HIRED_BY = "同期被该单位吸纳就业"
LABEL_FINISHED = "培训已结业"
LABEL_OFF_THE_JOB = "脱产培训"
LABEL_RELOCATED = "建档立卡贫困劳动力或易地扶贫搬迁劳动力"
LABEL_PROVINCIAL = "认定为省级"
LABEL_ANY_WORKER = "有符合条件的人员"
LABEL_NO_EVALUATOR = "系统已有该补贴的判断规则"


def label_months(months: int) -> str:
    return f"稳定就业满{months}个月"


def label_contract(months: int) -> str:
    return f"签订{months}个月以上劳动合同"


def label_follow_up(months: int) -> str:
    return f"提供{months}个月跟踪服务"


def label_placement(kind: str) -> str:
    return f"{EmploymentKind(kind).label}就业"


def label_operating(months: int) -> str:
    return f"自工商登记起正常运营满{months}个月"


def label_share(percent: int, large_staff: int, large_percent: int) -> str:
    return f"当年新招用人员达到在职职工{percent}%（超过{large_staff}人的企业{large_percent}%）"


def label_max_months(months: int) -> str:
    return f"补贴期限不超过{months}个月"


def label_post(funding: str) -> str:
    return f"在{Funding(funding).label}开发的公益性岗位在岗"


def label_workshop_kind(kind: str) -> str:
    return f"类别为{WorkshopKind(kind).label}"


@dataclass
class Condition:
    label: str
    met: bool
    detail: str = ""


@dataclass
class Verdict:
    """One rule for one subject on one day. `amount` is what is due: 0 when not due; the cap for a loan."""

    rule: SubsidyRule
    due: bool
    amount: Decimal
    conditions: list[Condition]
    fund: str = ""
    subject_label: str = ""
    note: str = ""  # what the seed leaves to other rules (a loan's review, a social-insurance subsidy's amount)
    person: Person | None = None  # the person of a person's rule; the worker of a per-worker employer rule
    record: object = None  # the employment or training record the verdict rests on, when there is one

    @property
    def failing(self) -> list[Condition]:
        return [condition for condition in self.conditions if not condition.met]


@dataclass
class RosterRow:
    rule: SubsidyRule
    subject_label: str  # who receives it: the person, the employer or agency, the workshop
    id_number: str  # the person's full ID number ("" for a workshop); the export masks it
    settlement: str
    amount: Decimal
    fund: str
    basis_detail: str
    person_name: str = ""  # the person the subsidy is for (the worker, for an employer's per-worker subsidy)
    sort_key: tuple = field(default=(), repr=False, compare=False)


# --- dates --------------------------------------------------------------------------------------------------


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def months_of(start: datetime.date, end: datetime.date) -> int:
    """Months of a course from `start` to `end` (both days in it): every month begun counts as one. Counted, not
    stepped through, so a course stored as ending at the calendar's edge costs no more than any other."""
    whole = (end.year - start.year) * 12 + end.month - start.month  # the months until `end`'s month
    if whole <= 0:
        return 1
    return whole + 1 if add_months(start, whole) <= end else whole


def _d(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}"


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}".rstrip("0").rstrip(".") + "元"


# --- conditions shared by several rules -------------------------------------------------------------------------


def validity_label(rule: SubsidyRule) -> str:
    if rule.valid_from and rule.valid_to:
        return f"执行期限 {_d(rule.valid_from)} 至 {_d(rule.valid_to)}"
    if rule.valid_to:
        return f"执行期限至 {_d(rule.valid_to)}"
    if rule.valid_from:
        return f"执行期限自 {_d(rule.valid_from)} 起"
    return "执行期限"


def validity(rule: SubsidyRule, day: datetime.date) -> Condition:
    label = validity_label(rule)
    if rule.in_force_on(day):
        bounded = rule.valid_from or rule.valid_to
        return Condition(label, True, f"核查日 {_d(day)} 在执行期限内" if bounded else "原文未规定执行期限")
    if rule.valid_to and day > rule.valid_to:
        return Condition(label, False, f"核查日 {_d(day)} 已过截止日期 {_d(rule.valid_to)}（截止日当天仍可享受）")
    return Condition(label, False, f"核查日 {_d(day)} 早于起始日期 {_d(rule.valid_from)}")


def _lasting(label, since: datetime.date, months: int, day: datetime.date, record):
    """Whether `record` (a job, a business) has lasted `months` from `since` by `day`.

    Returns the condition and the day the months are complete, or None when the record began too late or ended
    too early ever to complete them (it must still be held on that day).
    """
    reached = add_months(since, months)
    if record.start_date > reached:
        detail = f"{_d(record.start_date)}才开始，晚于满{months}个月之日 {_d(reached)}"
        return Condition(label, False, detail), None
    if record.end_date is not None and record.end_date <= reached:
        detail = f"{_d(since)}起，{_d(record.end_date)}离岗，未满{months}个月（满{months}个月之日为 {_d(reached)}）"
        return Condition(label, False, detail), None
    if day < reached:
        detail = f"{_d(since)}起至核查日 {_d(day)} 共{(day - since).days}天，{_d(reached)}才满{months}个月"
        return Condition(label, False, detail), reached
    return Condition(label, True, f"{_d(since)}起，{_d(reached)}满{months}个月"), reached


def _contract(job: Employment, months: int) -> Condition:
    if job.contract_months is None:
        return Condition(label_contract(months), False, "未登记劳动合同期限")
    return Condition(label_contract(months), job.contract_months >= months, f"劳动合同期限{job.contract_months}个月")


def _insurance(job: Employment) -> Condition:
    return Condition(LABEL_INSURANCE, job.social_insurance, "已缴纳" if job.social_insurance else "未缴纳社会保险")


def _finished(training: TrainingRecord, day: datetime.date) -> Condition:
    if not training.completed:
        return Condition(LABEL_FINISHED, False, f"{training.course}尚未登记结业")
    if training.end_date > day:
        return Condition(LABEL_FINISHED, False, f"结业日期 {_d(training.end_date)} 晚于核查日 {_d(day)}")
    return Condition(LABEL_FINISHED, True, f"{training.course}，{_d(training.end_date)}结业")


def _held_on(record, day: datetime.date) -> bool:
    return record.start_date <= day and (record.end_date is None or record.end_date > day)


def _job_label(job: Employment) -> str:
    return f"{job.employer_label or job.get_kind_display()}（{_d(job.start_date)}上岗）"


# --- one record against one rule ------------------------------------------------------------------------------


@dataclass
class Check:
    """A record evaluated against a rule on a day. `met_on` is the day every condition but the rule's validity
    is first met (None when the record can never qualify); the roster reads it."""

    record: object
    conditions: list[Condition]
    met_on: datetime.date | None
    amount: Decimal
    detail: str = ""

    @property
    def passed(self) -> bool:
        return all(condition.met for condition in self.conditions)


def check_hiring(rule, job: Employment, day) -> Check:
    params = rule.params
    months, contract = params.get("min_months", 3), params.get("min_contract_months", 12)
    employer = job.employer
    kind = Condition(
        LABEL_EMPLOYER_KIND,
        employer.kind in params.get("employer_kinds", MARKET_KINDS),
        f"{employer}（{employer.get_kind_display()}）",
    )
    stay, reached = _lasting(label_months(months), job.start_date, months, day, job)
    static = [kind, _contract(job, contract)]
    if params.get("social_insurance", True):
        static.append(_insurance(job))
    met_on = reached if all(condition.met for condition in static) else None
    detail = (
        f"{employer}吸纳，{_d(job.start_date)}上岗，{_d(reached) if reached else '—'}满{months}个月；"
        f"劳动合同{job.contract_months}个月" + ("；已缴纳社会保险" if job.social_insurance else "")
    )
    return Check(job, [validity(rule, day), kind, stay, *static[1:]], met_on, rule.amount, detail)


def check_hiring_insurance(rule, job: Employment, day) -> Check:
    kinds = rule.params.get("employer_kinds", [EmployerKind.ENTERPRISE])
    employer = job.employer
    conditions = [
        validity(rule, day),
        Condition(LABEL_ENTERPRISE, employer.kind in kinds, f"{employer}（{employer.get_kind_display()}）"),
        Condition(
            LABEL_IN_JOB,
            _held_on(job, day),
            f"{_d(job.start_date)}上岗" + (f"，{_d(job.end_date)}离岗" if job.end_date else ""),
        ),
        _insurance(job),
    ]
    met_on = job.start_date if all(condition.met for condition in conditions[1:]) else None
    return Check(job, conditions, met_on, rule.amount)


def check_tracking(rule, job: Employment, day) -> Check:
    params = rule.params
    months, follow = params.get("min_months", 6), params.get("follow_up_months", 12)
    agency = job.placed_by
    kind = Condition(
        LABEL_AGENCY_KIND,
        agency.kind in params.get("agency_kinds", MARKET_KINDS),
        f"{agency}（{agency.get_kind_display()}）",
    )
    organised = Condition(
        LABEL_ORGANISED, job.kind in params.get("employment_kinds", ORGANISED), f"就业类型：{job.get_kind_display()}"
    )
    stay, reached = _lasting(f"输出后{label_months(months)}", job.start_date, months, day, job)
    recorded = job.follow_up_months or 0
    year_done = add_months(job.start_date, follow)
    follow_up = Condition(
        label_follow_up(follow),
        recorded >= follow and day >= year_done,
        f"已登记跟踪服务{recorded}个月；自上岗起{_d(year_done)}满{follow}个月"
        + ("" if day >= year_done else f"，核查日 {_d(day)} 尚未满"),
    )
    met_on = max(reached, year_done) if reached and kind.met and organised.met and recorded >= follow else None
    detail = (
        f"{agency}组织输出至{job.employer_label}，{_d(job.start_date)}上岗，满{months}个月在岗；"
        f"跟踪服务{recorded}个月，{_d(year_done)}满{follow}个月"
    )
    return Check(job, [validity(rule, day), kind, organised, stay, follow_up], met_on, rule.amount, detail)


def check_seeking(rule, job: Employment, day, first: Employment) -> Check:
    kind = rule.params["employment_kind"]
    placement = Condition(label_placement(kind), job.kind == kind, _job_label(job) + f"，{job.get_kind_display()}")
    is_first = first.pk == job.pk
    first_detail = (
        "本次为首次有组织输出"
        if is_first
        else f"首次有组织输出为{_job_label(first)}，{first.get_kind_display()}，按该次计发"
    )
    conditions = [validity(rule, day), placement, Condition(LABEL_FIRST_PLACEMENT, is_first, first_detail)]
    met_on = job.start_date if placement.met and is_first else None
    detail = f"有组织输出至{job.employer_label or '—'}（{job.get_kind_display()}），{_d(job.start_date)}上岗"
    return Check(job, conditions, met_on, rule.amount, detail)


def check_startup(rule, job: Employment, day) -> Check:
    months = rule.params.get("min_months", 6)
    self_employed = Condition(LABEL_SELF_EMPLOYED, job.kind == EmploymentKind.SELF_EMPLOYED, _job_label(job))
    registered_on = job.business_registered_on
    if registered_on is None:
        registered = Condition(LABEL_REGISTERED, False, "未登记工商登记日期")
        operating, reached = Condition(label_operating(months), False, "无工商登记日期，无法计算运营时间"), None
    else:
        registered = Condition(LABEL_REGISTERED, True, f"{_d(registered_on)}办理工商登记")
        operating, reached = _lasting(label_operating(months), registered_on, months, day, job)
    met_on = reached if self_employed.met else None
    detail = f"{_d(registered_on) if registered_on else '—'}工商登记，"
    detail += f"{_d(reached) if reached else '—'}正常运营满{months}个月"
    return Check(job, [validity(rule, day), self_employed, registered, operating], met_on, rule.amount, detail)


def check_on_the_job(rule, training: TrainingRecord, day, employed: bool) -> Check:
    course = f"{training.course}（{_d(training.start_date)}至{_d(training.end_date)}）"
    conditions = [
        validity(rule, day),
        Condition(LABEL_ON_THE_JOB, training.on_the_job, course if training.on_the_job else f"{course}为脱产培训"),
        Condition(
            LABEL_HIRED_BY,
            employed,
            f"培训期间在{training.employer}就业" if employed else f"培训期间在{training.employer}无就业记录",
        ),
        _finished(training, day),
    ]
    qualifies = training.on_the_job and employed and training.completed
    return Check(training, conditions, training.end_date if qualifies else None, rule.amount)


def check_living(rule, training: TrainingRecord, day) -> Check:
    course = f"{training.course}（{_d(training.start_date)}至{_d(training.end_date)}，{training.days}天）"
    conditions = [
        validity(rule, day),
        Condition(
            LABEL_OFF_THE_JOB, not training.on_the_job, course if not training.on_the_job else f"{course}为以工代训"
        ),
        _finished(training, day),
    ]
    met_on = training.end_date if not training.on_the_job and training.completed else None
    amount = rule.amount * training.days
    detail = f"{course}，{training.days}天×{_yuan(rule.amount)}={_yuan(amount)}"
    return Check(training, conditions, met_on, amount, detail)


def living_fund(rule, registered_poor: bool) -> str:
    params = rule.params
    if registered_poor:
        return f"{params.get('poor_fund', '扶贫资金')}（建档立卡贫困户）"
    return f"{params.get('other_fund', '就业补助资金')}（非建档立卡贫困户）"


def check_post(rule, person: Person, jobs: list[Employment], day) -> Check:
    """A per-month post subsidy: the person holds, on `day`, a welfare post developed with the rule's fund."""
    funding = rule.params["post_funding"]
    posts = [
        job
        for job in jobs
        if job.kind == EmploymentKind.WELFARE_POST
        and job.welfare_post_id
        and _held_on(job, day)
        and not (job.welfare_post.abolished_on and job.welfare_post.abolished_on <= day)
    ]
    holding = next((job for job in posts if job.welfare_post.funding == funding), None)
    if holding:
        post_detail = f"{holding.welfare_post}，{_d(holding.start_date)}起在岗"
    elif posts:
        post_detail = f"在岗的{posts[0].welfare_post}由{posts[0].welfare_post.get_funding_display()}开发"
    else:
        post_detail = f"核查日 {_d(day)} 无在岗的公益性岗位"
    poor = person.household.registered_poor
    conditions = [
        validity(rule, day),
        Condition(LABEL_RELOCATED, True, "易地扶贫搬迁劳动力" + ("（建档立卡贫困户）" if poor else "")),
        Condition(label_post(funding), holding is not None, post_detail),
    ]
    return Check(holding, conditions, day if holding else None, rule.amount, post_detail)


def check_workshop(rule, workshop: Workshop, day) -> Check:
    kind = rule.params["workshop_kind"]
    provincial_on = workshop.provincial_on
    if provincial_on is None:
        provincial = Condition(LABEL_PROVINCIAL, False, "未登记认定为省级的日期")
    elif provincial_on > day:
        provincial = Condition(LABEL_PROVINCIAL, False, f"{_d(provincial_on)}认定为省级，晚于核查日")
    else:
        provincial = Condition(LABEL_PROVINCIAL, True, f"{_d(provincial_on)}认定为省级")
    kind_condition = Condition(label_workshop_kind(kind), workshop.kind == kind, workshop.get_kind_display())
    met_on = provincial_on if kind_condition.met else None
    detail = f"{provincial_on and _d(provincial_on)}认定为省级{workshop.get_kind_display()}"
    return Check(workshop, [validity(rule, day), kind_condition, provincial], met_on, rule.amount, detail)


# --- verdicts -------------------------------------------------------------------------------------------------


def _rules(subject: str) -> list[SubsidyRule]:
    rank = {code: index for index, code in enumerate(ORDER)}
    return sorted(SubsidyRule.objects.filter(subject=subject), key=lambda rule: (rank.get(rule.code, 99), rule.code))


def _fund(rule) -> str:
    return rule.params.get("fund", "")


def _note(rule) -> str:
    return rule.params.get("reading", "") if rule.params.get("eligibility_only") else ""


def _from_check(rule, check: Check, **extra) -> Verdict:
    due = check.passed
    extra.setdefault("fund", _fund(rule))
    extra.setdefault("note", _note(rule))
    return Verdict(rule, due, check.amount if due else ZERO, check.conditions, record=check.record, **extra)


def _pick(checks: list[Check]) -> Check:
    """The first record that qualifies; when none does, the one that comes closest (the latest on a tie)."""
    passed = [check for check in checks if check.passed]
    if passed:
        return min(passed, key=lambda check: (check.met_on, check.record.pk))
    return max(checks, key=lambda check: (sum(c.met for c in check.conditions), check.record.start_date))


def _once_verdict(rule, checks: list[Check], day, missing: Condition, **extra) -> Verdict:
    """One verdict for a once-only subsidy from the subject's candidate records; `missing` says none exists."""
    if not checks:
        extra.setdefault("fund", _fund(rule))
        return Verdict(rule, False, ZERO, [validity(rule, day), missing], **extra)
    return _from_check(rule, _pick(checks), **extra)


def _unknown(rule, day, subject_label: str) -> Verdict:
    condition = Condition(LABEL_NO_EVALUATOR, False, f"补贴代码“{rule.code}”尚无判断规则，请人工审核")
    return Verdict(rule, False, ZERO, [validity(rule, day), condition], subject_label=subject_label)


def person_verdicts(person: Person, day: datetime.date) -> list[Verdict]:
    """Every person-subject rule for `person` on `day`, one verdict each, in the annex's order."""
    person = Person.objects.select_related("household").get(pk=person.pk)
    jobs = list(person.employments.filter(start_date__lte=day).select_related("employer", "placed_by", "welfare_post"))
    trainings = list(person.trainings.filter(start_date__lte=day).order_by("end_date", "id"))
    verdicts = []
    for rule in _rules(SubsidySubject.PERSON):
        evaluate = PERSON_RULES.get(rule.code)
        if evaluate is None:
            verdicts.append(_unknown(rule, day, person.name))
        else:
            verdicts.append(evaluate(rule, person, jobs, trainings, day))
    return verdicts


def _person_seeking(rule, person, jobs, trainings, day) -> Verdict:
    kind = rule.params["employment_kind"]
    organised = sorted(
        (job for job in jobs if job.kind in rule.params.get("group_kinds", ORGANISED)),
        key=lambda job: (job.start_date, job.pk),
    )
    checks = [check_seeking(rule, job, day, organised[0]) for job in organised if job.kind == kind]
    missing = Condition(label_placement(kind), False, f"无{EmploymentKind(kind).label}的就业记录")
    return _once_verdict(rule, checks, day, missing, subject_label=person.name, person=person)


def _person_startup(rule, person, jobs, trainings, day) -> Verdict:
    candidates = [j for j in jobs if j.kind == EmploymentKind.SELF_EMPLOYED or j.business_registered_on]
    checks = [check_startup(rule, job, day) for job in candidates]
    missing = Condition(LABEL_SELF_EMPLOYED, False, "无自主创业或个体经营的就业记录")
    return _once_verdict(rule, checks, day, missing, subject_label=person.name, person=person)


def _person_loan(rule, person, jobs, trainings, day) -> Verdict:
    business = next((job for job in jobs if job.kind == EmploymentKind.SELF_EMPLOYED and _held_on(job, day)), None)
    keyword = rule.params.get("wish_keyword", "创业")
    profile = LabourProfile.objects.filter(person=person).first()
    wish = profile.job_wish if profile and keyword and keyword in profile.job_wish else ""
    if business:
        starting = Condition(LABEL_STARTING, True, f"正在自主创业：{_job_label(business)}")
    elif wish:
        starting = Condition(LABEL_STARTING, True, f"就业意愿：{wish}")
    else:
        starting = Condition(LABEL_STARTING, False, f"核查日无自主创业记录，就业意愿中未写明“{keyword}”")
    is_labour = labour.is_labour(person, day)
    conditions = [
        validity(rule, day),
        Condition(LABEL_LABOUR, is_labour, "按核查日适用的劳动力认定规则" + ("" if is_labour else "，不计为劳动力")),
        starting,
    ]
    check = Check(business, conditions, None, rule.amount)
    return _from_check(rule, check, subject_label=person.name, person=person)


def _person_living(rule, person, jobs, trainings, day) -> Verdict:
    """All of the person's off-the-job courses that ended by `day`, added up; the fund by 建档立卡 status."""
    fund = living_fund(rule, person.household.registered_poor)
    checks = [check_living(rule, training, day) for training in trainings if not training.on_the_job]
    if not checks:
        missing = Condition(LABEL_OFF_THE_JOB, False, "无脱产培训记录")
        conditions = [validity(rule, day), missing]
        return Verdict(rule, False, ZERO, conditions, fund=fund, subject_label=person.name, person=person)
    passed = [check for check in checks if check.passed]
    if not passed:
        return _from_check(rule, _pick(checks), fund=fund, subject_label=person.name, person=person)
    total = sum((check.amount for check in passed), ZERO)
    conditions = [
        validity(rule, day),
        Condition(LABEL_OFF_THE_JOB, True, "；".join(check.detail for check in passed)),
        Condition(LABEL_FINISHED, True, "；".join(check.conditions[-1].detail for check in passed)),
    ]
    return Verdict(
        rule, True, total, conditions, fund=fund, subject_label=person.name, person=person, record=passed[-1].record
    )


def _person_post(rule, person, jobs, trainings, day) -> Verdict:
    check = check_post(rule, person, jobs, day)
    return _from_check(rule, check, subject_label=person.name, person=person)


PERSON_RULES = {
    SEEKING_PROVINCE: _person_seeking,
    SEEKING_OUTSIDE: _person_seeking,
    STARTUP: _person_startup,
    LOAN_PERSON: _person_loan,
    LIVING: _person_living,
    ASSISTANCE: _person_post,
    EAST_WEST: _person_post,
}


def employer_verdicts(employer: Employer, day: datetime.date, *, persons=None) -> list[Verdict]:
    """Every employer-subject rule for `employer` on `day`, for the workers among `persons` (a queryset, such as
    `Person.objects.for_user(user)`; None: every worker).

    A per-worker subsidy gives one verdict per worker with a record for it (due or not, with the conditions of
    the record that qualifies first, or comes closest), preceded by one verdict saying "no worker among them
    qualifies" when none does — so the page can say why not even for an employer without such records. The
    employer's own figures (its share of new hires for a loan) count every worker, whoever asks.
    """

    def workers(records):
        return records if persons is None else records.filter(person__in=persons)

    facts = {
        "hired": list(workers(employer.employments.filter(start_date__lte=day)).select_related("person", "employer")),
        "placed": list(workers(employer.placements.filter(start_date__lte=day)).select_related("person", "placed_by")),
        "trainings": list(
            workers(employer.trainings.filter(on_the_job=True, start_date__lte=day)).select_related(
                "person", "employer"
            )
        ),
    }
    verdicts = []
    for rule in _rules(SubsidySubject.EMPLOYER):
        evaluate = EMPLOYER_RULES.get(rule.code)
        if evaluate is None:
            verdicts.append(_unknown(rule, day, employer.name))
        else:
            verdicts.extend(evaluate(rule, employer, facts, day))
    return verdicts


def _by_person(records) -> dict[int, list]:
    grouped = defaultdict(list)
    for record in records:
        grouped[record.person_id].append(record)
    return grouped


def _per_worker(rule, employer, day, records, check, what: str) -> list[Verdict]:
    workers = [
        _from_check(
            rule, _pick([check(rule, r, day) for r in rs]), subject_label=rs[0].person.name, person=rs[0].person
        )
        for rs in _by_person(records).values()
    ]
    return _summary(rule, employer, day, workers, what) + workers


def _summary(rule, employer, day, workers: list[Verdict], what: str) -> list[Verdict]:
    if any(verdict.due for verdict in workers):
        return []
    detail = f"{len(workers)}名人员有{what}，均未满足全部条件" if workers else f"无{what}"
    conditions = [validity(rule, day), Condition(LABEL_ANY_WORKER, False, detail)]
    return [Verdict(rule, False, ZERO, conditions, fund=_fund(rule), subject_label=employer.name, note=_note(rule))]


def _employer_hiring(rule, employer, facts, day) -> list[Verdict]:
    return _per_worker(rule, employer, day, facts["hired"], check_hiring, "在本单位的就业记录")


def _employer_insurance(rule, employer, facts, day) -> list[Verdict]:
    return _per_worker(rule, employer, day, facts["hired"], check_hiring_insurance, "在本单位的就业记录")


def _employer_tracking(rule, employer, facts, day) -> list[Verdict]:
    return _per_worker(rule, employer, day, facts["placed"], check_tracking, "经本单位组织输出的就业记录")


def _employer_on_the_job(rule, employer, facts, day) -> list[Verdict]:
    max_months = rule.params.get("max_months", 3)
    workers = []
    for trainings in _by_person(facts["trainings"]).values():
        person = trainings[0].person
        jobs = [job for job in facts["hired"] if job.person_id == person.pk]
        checks = [check_on_the_job(rule, t, day, _employed_during(jobs, t)) for t in trainings]
        passed = sorted((check for check in checks if check.passed), key=lambda check: (check.met_on, check.record.pk))
        months = _allocate([check.record for check in passed], max_months)
        total = sum(months.values())
        verdict = _from_check(rule, _pick(checks), subject_label=person.name, person=person)
        if passed:
            course_months = "；".join(
                f"{check.record.course}{months_of(check.record.start_date, check.record.end_date)}个月"
                for check in passed
            )
            detail = f"以工代训{course_months}，按{total}个月×{_yuan(rule.amount)}计发"
            verdict.conditions.append(Condition(label_max_months(max_months), True, detail))
            verdict.amount = rule.amount * total
        workers.append(verdict)
    return _summary(rule, employer, day, workers, "以工代训培训记录") + workers


def _employed_during(jobs, training) -> bool:
    return any(
        job.start_date <= training.end_date and (job.end_date is None or job.end_date > training.start_date)
        for job in jobs
    )


def _allocate(trainings, max_months: int) -> dict[int, int]:
    """Months paid per qualifying course of one worker at one employer, in order, up to `max_months` in all."""
    left, months = max_months, {}
    for training in trainings:
        months[training.pk] = min(left, months_of(training.start_date, training.end_date))
        left -= months[training.pk]
    return months


def _employer_loan(rule, employer, facts, day) -> list[Verdict]:
    params = rule.params
    percent, large_staff = params.get("min_share_percent", 25), params.get("large_firm_staff", 100)
    large_percent, contract = params.get("large_firm_share_percent", 15), params.get("min_contract_months", 12)
    staff = employer.staff_count or 0
    hires = (
        employer.employments.filter(start_date__year=day.year, start_date__lte=day)
        .annotate(months=Coalesce("contract_months", 0))
        .filter(months__gte=contract)
        .values("person_id")
        .distinct()
        .count()
    )
    needed = large_percent if staff > large_staff else percent
    share = Condition(label_share(percent, large_staff, large_percent), False, "无在职职工人数，无法计算")
    if staff:
        met = hires * 100 >= needed * staff
        share.met = met
        share.detail = (
            f"{day.year}年新招用搬迁劳动力{hires}人（劳动合同{contract}个月以上），在职职工{staff}人，"
            f"占{hires * 100 / staff:.1f}%，{'' if met else '未'}达到{needed}%"
        )
    conditions = [
        validity(rule, day),
        Condition(LABEL_SMALL, employer.is_small, "已登记为小微企业" if employer.is_small else "未登记为小微企业"),
        Condition(LABEL_STAFF, staff > 0, f"在职职工{staff}人" if staff else "未登记在职职工人数"),
        share,
    ]
    return [_from_check(rule, Check(None, conditions, None, rule.amount), subject_label=employer.name)]


EMPLOYER_RULES = {
    HIRING: _employer_hiring,
    HIRING_INSURANCE: _employer_insurance,
    TRACKING: _employer_tracking,
    LOAN_FIRM: _employer_loan,
    ON_THE_JOB: _employer_on_the_job,
}


def workshop_verdicts(workshop: Workshop, day: datetime.date) -> list[Verdict]:
    """The award rules for the workshop's kind (a base is not told why it gets no workshop award)."""
    verdicts = []
    for rule in _rules(SubsidySubject.WORKSHOP):
        if rule.params.get("workshop_kind", workshop.kind) != workshop.kind:
            continue
        if "workshop_kind" not in rule.params:
            verdicts.append(_unknown(rule, day, workshop.name))
        else:
            verdicts.append(_from_check(rule, check_workshop(rule, workshop, day), subject_label=workshop.name))
    return verdicts


# --- the roster of a month ------------------------------------------------------------------------------------


def roster(month: datetime.date, *, settlements=None) -> list[RosterRow]:
    """Everything due in the calendar month of `month`, rule by rule in the annex's order, for the persons and
    workshops of `settlements` (a queryset, such as `Settlement.objects.for_user(user)`; None: the county).

    - A once-only subsidy is listed in the month its conditions are first met (the day a job has lasted its
      months, the day of the first organised placement, the day a workshop became provincial), provided the
      rule is in force on that day; a person, or a (payer, worker) pair, is listed once, for the first record
      that qualifies.
    - A per-month post subsidy is due for a month when the rule is in force on at least one day of it and the
      person qualifies on the last day of the month on which the rule is in force: December 2021 is paid for
      the assistance subsidy (in force to 2021-12-30, checked on that day), January 2022 is not. The month is
      paid in full.
    - Training allowances are listed in the month the course ended (结业): 40 yuan a day of an off-the-job
      course, with its fund; 500 yuan a month of on-the-job training, at most 3 months per worker and employer.
    - Loans (a cap, not a payment) and the social-insurance subsidy (no amount in the seed) are eligibility
      only and not listed.

    Scope narrows the queries, not the rows afterwards: a person's records are all read or none, so which of
    them comes first is the same for a centre as for the county.

    A fixed number of queries whatever the number of rows: one for the rules, one or two per rule.
    """
    first, last = month_bounds(month)
    scope = RosterScope(settlements)
    rows = []
    for rule in sorted(
        SubsidyRule.objects.all(), key=lambda rule: ORDER.index(rule.code) if rule.code in ORDER else 99
    ):
        build = ROSTER_RULES.get(rule.code)
        if build is not None:
            rows.extend(sorted(build(rule, first, last, scope), key=lambda row: row.sort_key))
    return rows


@dataclass(frozen=True)
class RosterScope:
    """The settlements a roster covers (None: the whole county), applied to each rule's query."""

    settlements: object = None

    def persons(self, records):
        """`records` of persons living in the settlements."""
        return records if self.settlements is None else records.filter(person__settlement__in=self.settlements)

    def workshops(self, workshops):
        return workshops if self.settlements is None else workshops.filter(settlement__in=self.settlements)


def _person_row(rule, person, amount, detail, *, subject=None, fund=None, sort_key=()) -> RosterRow:
    return RosterRow(
        rule=rule,
        subject_label=subject or person.name,
        id_number=person.id_number,
        settlement=person.settlement.name,
        amount=amount,
        fund=_fund(rule) if fund is None else fund,
        basis_detail=detail,
        person_name=person.name,
        sort_key=(person.settlement.sort_order, subject or "", person.household_id, person.pk, *sort_key),
    )


def _firsts(checks, key) -> dict:
    """The earliest-met check per key (a person, a payer and worker)."""
    firsts = {}
    for check in checks:
        if check.met_on is None:
            continue
        k = key(check.record)
        if k not in firsts or (check.met_on, check.record.pk) < (firsts[k].met_on, firsts[k].record.pk):
            firsts[k] = check
    return firsts


def _once_rows(rule, first, last, checks, key, payer) -> list[RosterRow]:
    rows = []
    for check in _firsts(checks, key).values():
        if first <= check.met_on <= last and rule.in_force_on(check.met_on):
            job = check.record
            rows.append(_person_row(rule, job.person, check.amount, check.detail, subject=payer(job)))
    return rows


def _window(first: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """Start days whose `months`-th month ends in the month beginning `first`: the calendar month `months` back
    (add_months never leaves the month it lands in)."""
    return month_bounds(add_months(first, -months))


def _with_window(records, field: str, window) -> list:
    """All `records` of the persons with one whose `field` lies in `window` (so the first per person is known)."""
    persons = records.filter(**{f"{field}__range": window}).values("person_id")
    return list(records.filter(person_id__in=persons).select_related("person__settlement"))


def _roster_hiring(rule, first, last, scope) -> list[RosterRow]:
    params = rule.params
    records = scope.persons(Employment.objects).filter(
        employer__kind__in=params.get("employer_kinds", MARKET_KINDS),
        contract_months__gte=params.get("min_contract_months", 12),
        start_date__lte=last,
    )
    if params.get("social_insurance", True):
        records = records.filter(social_insurance=True)
    jobs = _with_window(records.select_related("employer"), "start_date", _window(first, params.get("min_months", 3)))
    checks = [check_hiring(rule, job, last) for job in jobs]
    return _once_rows(
        rule, first, last, checks, lambda job: (job.employer_id, job.person_id), lambda job: job.employer.name
    )


def _roster_tracking(rule, first, last, scope) -> list[RosterRow]:
    params = rule.params
    months = max(params.get("min_months", 6), params.get("follow_up_months", 12))
    records = (
        scope.persons(Employment.objects)
        .filter(
            placed_by__kind__in=params.get("agency_kinds", MARKET_KINDS),
            kind__in=params.get("employment_kinds", ORGANISED),
            follow_up_months__gte=params.get("follow_up_months", 12),
            start_date__lte=last,
        )
        .select_related("placed_by", "employer")
    )
    checks = [check_tracking(rule, job, last) for job in _with_window(records, "start_date", _window(first, months))]
    return _once_rows(
        rule, first, last, checks, lambda job: (job.placed_by_id, job.person_id), lambda job: job.placed_by.name
    )


def _roster_seeking(rule, first, last, scope) -> list[RosterRow]:
    records = scope.persons(Employment.objects).filter(
        kind__in=rule.params.get("group_kinds", ORGANISED), start_date__lte=last
    )
    jobs = _with_window(records.select_related("employer"), "start_date", (first, last))
    by_person = _by_person(sorted(jobs, key=lambda job: (job.start_date, job.pk)))
    checks = [
        check_seeking(rule, job, last, person_jobs[0]) for person_jobs in by_person.values() for job in person_jobs
    ]
    return _once_rows(rule, first, last, checks, lambda job: job.person_id, lambda job: job.person.name)


def _roster_startup(rule, first, last, scope) -> list[RosterRow]:
    records = scope.persons(Employment.objects).filter(
        kind=EmploymentKind.SELF_EMPLOYED, business_registered_on__isnull=False
    )
    window = _window(first, rule.params.get("min_months", 6))
    checks = [check_startup(rule, job, last) for job in _with_window(records, "business_registered_on", window)]
    return _once_rows(rule, first, last, checks, lambda job: job.person_id, lambda job: job.person.name)


def _roster_workshop(rule, first, last, scope) -> list[RosterRow]:
    workshops = (
        scope.workshops(Workshop.objects)
        .filter(kind=rule.params["workshop_kind"], provincial_on__range=(first, last))
        .select_related("settlement")
    )
    rows = []
    for workshop in workshops:
        check = check_workshop(rule, workshop, last)
        if rule.in_force_on(workshop.provincial_on):
            rows.append(
                RosterRow(
                    rule=rule,
                    subject_label=workshop.name,
                    id_number="",
                    settlement=workshop.settlement.name,
                    amount=check.amount,
                    fund=_fund(rule),
                    basis_detail=check.detail,
                    sort_key=(workshop.settlement.sort_order, workshop.name, 0, workshop.pk),
                )
            )
    return rows


def _roster_post(rule, first, last, scope) -> list[RosterRow]:
    day = min(last, rule.valid_to) if rule.valid_to else last
    if day < first or not rule.in_force_on(day):
        return []
    jobs = (
        scope.persons(Employment.objects)
        .filter(active_on(day), kind=EmploymentKind.WELFARE_POST, welfare_post__funding=rule.params["post_funding"])
        .exclude(welfare_post__abolished_on__lte=day)
        .select_related("person__settlement", "welfare_post")
        .order_by("start_date", "id")
    )
    rows = {}
    for job in jobs:
        detail = f"{job.welfare_post}，{_d(job.start_date)}起在岗，{_d(day)}仍在岗；{first:%Y年%m月}按月计发"
        rows.setdefault(job.person_id, _person_row(rule, job.person, rule.amount, detail))
    return list(rows.values())


def _roster_living(rule, first, last, scope) -> list[RosterRow]:
    trainings = (
        scope.persons(TrainingRecord.objects)
        .filter(on_the_job=False, completed=True, end_date__range=(first, last))
        .select_related("person__settlement", "person__household")
    )
    rows = []
    for training in trainings:
        if rule.in_force_on(training.end_date):
            check = check_living(rule, training, last)
            fund = living_fund(rule, training.person.household.registered_poor)
            rows.append(
                _person_row(rule, training.person, check.amount, check.detail, fund=fund, sort_key=(training.pk,))
            )
    return rows


def _roster_on_the_job(rule, first, last, scope) -> list[RosterRow]:
    """Courses ending in the month; the worker's earlier courses at the same employer are read too, since
    together they may not exceed the rule's months."""
    employed = Employment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("start_date")),
        person_id=OuterRef("person_id"),
        employer_id=OuterRef("employer_id"),
        start_date__lte=OuterRef("end_date"),
    )
    records = (
        scope.persons(TrainingRecord.objects)
        .filter(on_the_job=True, completed=True, employer__isnull=False, end_date__lte=last)
        .filter(Exists(employed))
        .select_related("employer")
    )
    trainings = sorted(_with_window(records, "end_date", (first, last)), key=lambda t: (t.end_date, t.start_date, t.pk))
    pairs = defaultdict(list)
    for training in trainings:
        pairs[training.employer_id, training.person_id].append(training)
    rows = []
    for courses in pairs.values():
        months = _allocate(courses, rule.params.get("max_months", 3))
        for training in courses:
            if first <= training.end_date <= last and months[training.pk] and rule.in_force_on(training.end_date):
                course_months = months_of(training.start_date, training.end_date)
                detail = (
                    f"{training.course}（{_d(training.start_date)}至{_d(training.end_date)}），以工代训{course_months}个月，"
                    f"按{months[training.pk]}个月×{_yuan(rule.amount)}计发"
                )
                amount = rule.amount * months[training.pk]
                rows.append(
                    _person_row(
                        rule, training.person, amount, detail, subject=training.employer.name, sort_key=(training.pk,)
                    )
                )
    return rows


ROSTER_RULES = {
    HIRING: _roster_hiring,
    TRACKING: _roster_tracking,
    SEEKING_PROVINCE: _roster_seeking,
    SEEKING_OUTSIDE: _roster_seeking,
    STARTUP: _roster_startup,
    BASE_AWARD: _roster_workshop,
    WORKSHOP_AWARD: _roster_workshop,
    ASSISTANCE: _roster_post,
    EAST_WEST: _roster_post,
    ON_THE_JOB: _roster_on_the_job,
    LIVING: _roster_living,
}
