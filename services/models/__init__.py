"""基本公共服务 (annex 1 of the plan), one module per topic: social security (insurance, 低保, relief), hukou and
the 市民证, and the outreach of cadres and service days, health (medical staff, screening, family doctors).
Schooling joins as a module of its own."""

from .common import in_effect_on
from .health import (
    HEALTH_KINDS,
    FamilyDoctorContract,
    IllnessScreening,
    MedicalStaff,
    MonitoringEntry,
    ScreeningStatus,
    StaffRole,
)
from .hukou import CitizenCard, HukouTransfer
from .outreach import CadrePosting, ServiceDay
from .schooling import (
    STAGE_OF_LEVEL,
    Catchment,
    DropoutVisit,
    EndReason,
    OutOfSchoolEpisode,
    SchoolEnrolment,
    SchoolLevel,
    Stage,
    StudentAid,
    VisitResult,
)
from .social_security import (
    Dibao,
    DibaoBasis,
    DibaoKind,
    EnrolmentPlace,
    InsuranceEnrolment,
    OneTimeRelief,
    Scheme,
)

__all__ = [
    "HEALTH_KINDS",
    "STAGE_OF_LEVEL",
    "CadrePosting",
    "Catchment",
    "CitizenCard",
    "Dibao",
    "DropoutVisit",
    "EndReason",
    "DibaoBasis",
    "DibaoKind",
    "EnrolmentPlace",
    "FamilyDoctorContract",
    "HukouTransfer",
    "IllnessScreening",
    "InsuranceEnrolment",
    "MedicalStaff",
    "MonitoringEntry",
    "OneTimeRelief",
    "OutOfSchoolEpisode",
    "Scheme",
    "SchoolEnrolment",
    "SchoolLevel",
    "ScreeningStatus",
    "ServiceDay",
    "StaffRole",
    "Stage",
    "StudentAid",
    "VisitResult",
    "in_effect_on",
]
