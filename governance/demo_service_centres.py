"""Demo government service centres (附件4 三（五）): 古州镇's serves six settlements with the four systems, in use
before the deadline; 定威乡's serves 定威, opened after it and without 全程代办, so its standard and the deadline
both show a failure. Each made once (by name)."""

import datetime

from django.db import transaction

from settlements import services as registry_services
from settlements.models import Facility, FacilityKind, Settlement, User

from .service_centres import SERVICE_CENTRE

D = datetime.date
CENTRES = [  # name, settlements, in use on, what it lacks of the kind's systems and services
    ("古州镇政务服务中心", ["fumin", "wolong", "yangguang", "tehe", "fengle", "fenghuang"], D(2019, 5, 20), ()),
    ("定威乡政务服务中心", ["dingwei"], D(2019, 6, 10), ("full_agency",)),
]


@transaction.atomic
def seed_demo_service_centres() -> int:
    office = User.objects.get(username="office")
    kind = FacilityKind.objects.get(code=SERVICE_CENTRE)
    made = 0
    for name, codes, in_use_on, lacking in CENTRES:
        if Facility.objects.filter(name=name).exists():
            continue
        registry_services.facility_save(
            actor=office,
            facility=Facility(name=name, in_use_on=in_use_on, started_on=D(2019, 3, 1)),
            kinds=[kind],
            settlements=list(Settlement.objects.filter(code__in=codes)),
            attributes={attribute["key"]: attribute["key"] not in lacking for attribute in kind.attributes},
        )
        made += 1
    return made
