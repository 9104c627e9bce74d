"""Demo old-vs-new house photos over the demo households, written through the service with a generated photo:
most hung by their due date, some late, some not hung (overdue). Made from a seeded random generator; does
nothing once a hanging exists."""

import datetime
import random

from django.utils import timezone

from settlements.models import Household, ResponsibleUnit, User

from . import services
from .demo_images import demo_photo
from .models import DEFAULT_HANGING_UNIT, HousePhoto
from .selectors import house_photos

OLD_HOUSE, NEW_HOUSE = (139, 115, 85), (230, 230, 235)


def seed_demo_house_photos() -> dict[str, int]:
    if HousePhoto.objects.exists():
        return {}
    office = User.objects.get(username="office")
    unit = ResponsibleUnit.objects.get(name=DEFAULT_HANGING_UNIT)
    dates = house_photos.due_dates()
    today = timezone.localdate()
    rand = random.Random("rongjiang-demo-house-photos")
    made = {"on_time": 0, "late": 0, "not_hung": 0}
    households = Household.objects.filter(move_in_date__isnull=False, moved_out_on__isnull=True)
    for household in households.order_by("settlement__sort_order", "code"):
        kind, hung_on = _hanging(household, dates.get(household.project_year), rand, today)
        made[kind] += 1
        if hung_on is not None:
            photo = demo_photo(f"{household.code}.jpg", OLD_HOUSE, NEW_HOUSE)
            services.house_photo_record(household=household, hung_on=hung_on, hung_by=unit, files=[photo], actor=office)
    return made


def _hanging(household, due, rand, today) -> tuple[str, datetime.date | None]:
    moved_in, roll = household.move_in_date, rand.random()
    if roll < 0.08:
        return "not_hung", None
    if due is None:  # the plan is not loaded: hung some weeks after the move-in
        return "on_time", min(today, moved_in + datetime.timedelta(days=rand.randint(14, 120)))
    if roll < 0.18 or moved_in > due:
        return "late", min(today, max(moved_in, due) + datetime.timedelta(days=rand.randint(1, 90)))
    earliest = max(moved_in, due - datetime.timedelta(days=150))
    return "on_time", min(today, earliest + datetime.timedelta(days=rand.randint(0, (due - earliest).days)))
