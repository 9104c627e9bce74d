"""Demo yearly selections: one or two for each settlement and each year since the rule's first (2019, or the
settlement's first move-in), with two or three households or persons honoured and a generated photo each; one
settlement skips a past year so the flag shows. Does nothing once a selection exists."""

import datetime
import random

from django.utils import timezone

from settlements.models import Household, Person, PersonStatus, ResponsibleUnit, Settlement, User

from . import services
from .demo_images import demo_photo
from .models import Selection, SelectionCategory
from .selectors import selections

SKIPPED = ("tehe", 2020)  # a settlement and a past year without a selection
ORGANISERS = ("县委宣传部", "县文明办", "文体社区服务中心")
CATEGORIES = [
    SelectionCategory.CIVILISED_FAMILY,
    SelectionCategory.INDUSTRIOUS_MODEL,
    SelectionCategory.GOOD_PERSON,
    SelectionCategory.GOOD_DAUGHTER_IN_LAW,
]
PORTRAIT = [(205, 92, 92), (70, 130, 180), (60, 179, 113), (218, 165, 32)]


def seed_demo_selections() -> dict[str, int]:
    if Selection.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    rand = random.Random("rongjiang-demo-selections")
    organisers = list(ResponsibleUnit.objects.filter(name__in=ORGANISERS)) or list(ResponsibleUnit.objects.all()[:1])
    made = {"selections": 0, "honours": 0}
    first_years = selections.first_move_in_years(day=today)
    for settlement in Settlement.objects.order_by("sort_order"):
        if settlement.pk not in first_years:
            continue
        for year in range(max(2019, first_years[settlement.pk]), today.year + 1):
            held_on = datetime.date(year, 12, 20)
            if (settlement.code, year) == SKIPPED or held_on > today:
                continue
            for category in rand.sample(CATEGORIES, rand.randint(1, 2)):
                selection = Selection(
                    settlement=settlement,
                    year=year,
                    category=category,
                    held_on=held_on,
                    organiser=rand.choice(organisers),
                )
                services.selection_save(selection=selection, actor=office)
                made["selections"] += 1
                made["honours"] += _honours(selection, rand, office)
    return made


def _honours(selection, rand, office) -> int:
    households = list(
        Household.objects.filter(settlement=selection.settlement, move_in_date__lte=selection.held_on).order_by("code")
    )
    chosen = rand.sample(households, min(len(households), rand.randint(2, 3)))
    for index, household in enumerate(chosen):
        person = None
        if selection.category in (SelectionCategory.GOOD_PERSON, SelectionCategory.GOOD_DAUGHTER_IN_LAW):
            person = Person.objects.filter(household=household, status=PersonStatus.ACTIVE).order_by("id").first()
        photo = demo_photo(f"{household.code}.jpg", PORTRAIT[index % len(PORTRAIT)], size=(240, 300))
        services.honour_add(
            selection=selection,
            household=None if person else household,
            person=person,
            citation="热心邻里事务，带动左邻右舍共同致富。",
            files=[photo],
            actor=office,
        )
    return len(chosen)
