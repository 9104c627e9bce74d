"""The government service centres (政务服务中心, 附件4 三（五）) serving a settlement: the core's facilities of that
kind, each with its status and what its standard (the four systems, `facilities.standard.government_service_centre`)
finds missing on the day. Their deadline (2019-05-31) is the plan's facility deadline of that section."""

from dataclasses import dataclass

from settlements.facilities import Status, judge, status_on
from settlements.models import Facility

SERVICE_CENTRE = "government_service_centre"  # fixtures/facility_kinds.json


@dataclass(frozen=True)
class CentreState:
    facility: Facility
    status: str
    judged: bool  # a standard is in force on the day
    missing: list[str]  # the labels of the conditions it fails

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


def settlement_section(user, settlement, day) -> dict:
    centres = Facility.objects.filter(settlements=settlement, kinds__code=SERVICE_CENTRE).distinct().order_by("name")
    states = []
    for centre in centres:
        judgements = [judgement for judgement in judge(centre, day) if judgement.kind.code == SERVICE_CENTRE]
        missing = [condition.label for judgement in judgements for condition in judgement.failures]
        states.append(CentreState(centre, status_on(centre, day), bool(judgements), missing))
    return {"day": day, "centres": states}
