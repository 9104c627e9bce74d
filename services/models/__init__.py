"""基本公共服务 (annex 1 of the plan), one module per topic: social security (insurance, 低保, relief), hukou and
the 市民证, and the outreach of cadres and service days. Schooling and clinics join as modules of their own."""

from .common import in_effect_on
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
    "HukouTransfer",
    "InsuranceEnrolment",
    "OneTimeRelief",
    "OutOfSchoolEpisode",
    "Scheme",
    "SchoolEnrolment",
    "SchoolLevel",
    "ServiceDay",
    "Stage",
    "StudentAid",
    "VisitResult",
    "in_effect_on",
]
