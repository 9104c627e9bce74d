"""Reads of the property-management cooperatives (物业管理合作社或公司, facilities of kind `property_coop`): the year
each is in on a day, counted from its founding, and whether the county still subsidises it."""

import datetime
from dataclasses import dataclass

from settlements.facilities import PROPERTY_COOP
from settlements.models import Facility

from ..property_rules import CoopYear, coop_year


@dataclass(frozen=True)
class CoopRow:
    facility: Facility
    year: CoopYear


def coops(*, user, settlement=None):
    """The cooperatives `user` reads (those serving `settlement`, when given)."""
    facilities = Facility.objects.for_user(user).filter(kinds__code=PROPERTY_COOP)
    if settlement is not None:
        facilities = facilities.filter(settlements=settlement)
    return facilities.prefetch_related("settlements").order_by("in_use_on", "name", "id")


def coop_rows(facilities, day: datetime.date) -> list[CoopRow]:
    return [
        CoopRow(facility, coop_year(founded=facility.in_use_on, closed=facility.closed_on, day=day))
        for facility in facilities
    ]
