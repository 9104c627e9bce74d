"""基本公共服务's indicators, registered with the work plan's indicator registry (`tasks.indicators`), per
settlement as of a day; the county figure is their sum. Three groups, each sharing its population: the day's
residents (insurance and 市民证), the households' assistance (低保, relief), and the outreach (cadres, service
days). Pages read them through the dated snapshots."""

from tasks.indicators import Spec, register_group
from tasks.registry_indicators import REGISTRY_MODELS

from .models import DibaoKind
from .selectors import hukou, outreach, schooling, social_security

READS = (
    *REGISTRY_MODELS,
    "settlements.Person",
    "settlements.DatedRule",
    "services.InsuranceEnrolment",
    "services.HukouTransfer",
    "services.CitizenCard",
    "services.Dibao",
    "services.OneTimeRelief",
    "services.CadrePosting",
    "services.ServiceDay",
)

UNINSURED = "services.uninsured_residents"
CARDS_OVERDUE = "services.citizen_cards_overdue"
CARDS_ISSUED = "services.citizen_cards_issued"
DIBAO_URBAN = "services.dibao_urban_households"
DIBAO_RURAL = "services.dibao_rural_households"
RELIEF = "services.relief_households"
CADRES_POSTED = "services.cadres_posted"
SERVICE_DAYS = "services.service_days_this_month"
COMPULSORY_AGE = "services.compulsory_age_children"
OUT_OF_SCHOOL = "services.out_of_school_children"
ENROLLED = "services.enrolled_students"
AIDED = "services.aided_students"
UNAIDED = "services.unaided_students"


@register_group(
    "services.residents",
    [
        Spec(UNINSURED, "无有效医疗保险的在住人员", "人", sort_order=210),
        Spec(CARDS_OVERDUE, "市民证逾期未办人数", "人", sort_order=220),
        Spec(CARDS_ISSUED, "持市民证的在住人员", "人", sort_order=230),
    ],
    reads=READS,
)
def resident_figures(day):
    return {
        UNINSURED: social_security.uninsured_counts(day),
        CARDS_OVERDUE: hukou.overdue_counts(day),
        CARDS_ISSUED: hukou.issued_counts(day),
    }


@register_group(
    "services.assistance",
    [
        Spec(DIBAO_URBAN, "享受城市低保的户", "户", sort_order=240),
        Spec(DIBAO_RURAL, "享受农村低保的户", "户", sort_order=250),
        Spec(RELIEF, "已领一次性临时救助的户", "户", sort_order=260),
    ],
    reads=READS,
)
def assistance_figures(day):
    dibao = social_security.dibao_counts(day)
    return {
        DIBAO_URBAN: dibao[DibaoKind.URBAN],
        DIBAO_RURAL: dibao[DibaoKind.RURAL],
        RELIEF: social_security.relief_counts(day),
    }


@register_group(
    "services.outreach",
    [
        Spec(CADRES_POSTED, "在岗的迁出地派驻干部", "人", sort_order=270),
        Spec(SERVICE_DAYS, "本月已举办服务日", "次", sort_order=280),
    ],
    reads=READS,
)
def outreach_figures(day):
    return {CADRES_POSTED: outreach.posted_counts(day), SERVICE_DAYS: outreach.held_this_month_counts(day)}


# Schooling: the day's residents by age (birth dates), their enrolments and aid, under the day's rules.
SCHOOLING_READS = (
    *REGISTRY_MODELS,
    "settlements.Person",
    "settlements.DatedRule",
    "services.SchoolEnrolment",
    "services.StudentAid",
)


@register_group(
    "services.schooling",
    [
        Spec(COMPULSORY_AGE, "义务教育适龄的在住儿童", "人", sort_order=200),
        Spec(OUT_OF_SCHOOL, "义务教育适龄未在读（失学辍学）", "人", sort_order=201),
        Spec(ENROLLED, "在读的在住学生", "人", sort_order=202),
        Spec(AIDED, "已享受本学段资助的在读学生", "人", sort_order=203),
        Spec(UNAIDED, "未享受本学段资助的在读学生（应助未助）", "人", sort_order=204),
    ],
    reads=SCHOOLING_READS,
)
def schooling_figures(day):
    figures = schooling.schooling_figures(day)
    return {
        COMPULSORY_AGE: figures.compulsory,
        OUT_OF_SCHOOL: figures.out_of_school,
        ENROLLED: figures.enrolled,
        AIDED: figures.aided,
        UNAIDED: figures.unaided,
    }
