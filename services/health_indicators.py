"""医疗卫生's indicators, registered with the work plan's indicator registry (`tasks.indicators`), per settlement
as of a day: the village clinics serving it that meet every staffing rule and their medical workers (tied to the
plan's target of annex 1 task 5, 2 per settlement clinic), the seriously-ill poor residents screened and not, and
the resident households with a valid family-doctor contract. A clinic serving several settlements (the 文体
centre) counts for each of them."""

from tasks.indicators import Spec, register_group
from tasks.registry_indicators import REGISTRY_MODELS

from .selectors import health

CLINIC_READS = (
    *REGISTRY_MODELS,
    "settlements.Facility",
    "settlements.DatedRule",
    "services.MedicalStaff",
)
PEOPLE_READS = (*REGISTRY_MODELS, "settlements.Person", "services.IllnessScreening", "services.FamilyDoctorContract")

CLINICS_PASSING = "services.clinics_meeting_rules"
MEDICAL_WORKERS = "services.clinic_medical_workers"
SCREENED = "services.seriously_ill_screened"
UNSCREENED = "services.seriously_ill_unscreened"
CONTRACTED = "services.family_doctor_households"


@register_group(
    "services.clinics",
    [
        Spec(CLINICS_PASSING, "达到全部配备要求的卫生室", "个", sort_order=200),
        Spec(MEDICAL_WORKERS, "安置点卫生室在岗医务人员", "名", sort_order=201),
    ],
    reads=CLINIC_READS,
)
def clinic_figures(day):
    passing, workers = health.staffing_counts(day)
    return {CLINICS_PASSING: passing, MEDICAL_WORKERS: workers}


@register_group(
    "services.health_people",
    [
        Spec(SCREENED, "已筛查的患大病贫困人口", "人", sort_order=202),
        Spec(UNSCREENED, "未筛查的患大病贫困人口", "人", sort_order=203),
        Spec(CONTRACTED, "家庭医生签约有效的户", "户", sort_order=204),
    ],
    reads=PEOPLE_READS,
)
def people_figures(day):
    screened, unscreened = health.screening_counts(day)
    contracted, _ = health.contract_counts(day)
    return {SCREENED: screened, UNSCREENED: unscreened, CONTRACTED: contracted}
