"""Demo public-services data for the embedded default: enrolments, hukou transfers and cards, 低保, relief,
cadre postings and service days over the demo households, written through the services, with some rules broken
on purpose so each page shows what it flags: residents without medical insurance and a gap, cards overdue and
issued late, months without a service day. Made from a seeded random generator; does nothing once an
enrolment exists.

The demo registry (40 households a settlement) has far fewer than 300 persons from any origin township, so no
township owes a cadre by the rule; cadres are still posted for the largest townships, so the table is filled.
"""

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from settlements.dates import months_between
from settlements.models import Household, HukouStatus, PersonStatus, ResponsibleUnit, Settlement, User

from . import rules, services
from .models import (
    CadrePosting,
    CitizenCard,
    Dibao,
    DibaoBasis,
    DibaoKind,
    EnrolmentPlace,
    HukouTransfer,
    InsuranceEnrolment,
    Scheme,
    ServiceDay,
)

CADRE_NAMES = ["王志刚", "杨光荣", "吴德华", "石永红", "龙建国", "潘文斌"]
MISSED = {"tehe": 2, "fenghuang": 1}  # settlements whose last months went without a service day
MATTERS = "医保参保登记和转移接续、市民证办理、低保申请受理、就业登记"


@transaction.atomic
def seed_demo_services() -> dict[str, int]:
    if InsuranceEnrolment.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    rand = random.Random("rongjiang-demo-services")
    made = Counter()
    households = Household.objects.filter(move_in_date__isnull=False).order_by("settlement__sort_order", "code")
    for household in households:
        for person in household.members.filter(status=PersonStatus.ACTIVE).order_by("id"):
            made.update(_person(person, household.move_in_date, rand, office, today))
        made.update(_household(household, rand, office, today))
    made["postings"] = _postings(office, today)
    made["service_days"] = _service_days(office, today)
    return dict(made)


def _person(person, moved_in, rand, office, today) -> Counter:
    made = Counter()
    roll = rand.random()
    if roll >= 0.04:  # about 4 in 100 have no medical insurance at all
        made["enrolments"] += _insurance(person, moved_in, roll < 0.07, rand, office, today)
    start = max(moved_in, person.birth_date)
    if person.hukou_status == HukouStatus.TRANSFERRED:
        services.hukou_transfer_save(
            transfer=HukouTransfer(person=person, transferred_on=_before(start, rand.randint(10, 200), today)),
            actor=office,
        )
        made["transfers"] += 1
    elif person.hukou_status == HukouStatus.CITIZEN_CARD:
        days = rand.randint(20, 170) if rand.random() < 0.9 else rand.randint(200, 300)  # some late
        card = CitizenCard(person=person, number=f"RJSMZ{person.pk:07d}", issued_on=_before(start, days, today))
        services.citizen_card_save(card=card, actor=office)
        made["cards"] += 1
    return made  # 未迁移 without a card: overdue


def _insurance(person, moved_in, with_gap, rand, office, today) -> int:
    """Resident medical insurance from the move-in, at the settlement; with a gap of a few days for some."""
    start = max(datetime.date(moved_in.year, 1, 1), person.birth_date)
    first_end = datetime.date(moved_in.year, 12, 31)
    if not with_gap or start > first_end:
        _enrol(person, Scheme.RESIDENT_MEDICAL, start, None, office, subsidy=rand.random() < 0.7)
        return 1
    second_start = min(first_end + datetime.timedelta(days=rand.randint(2, 45)), today)
    _enrol(person, Scheme.RESIDENT_MEDICAL, start, first_end, office, place=EnrolmentPlace.ORIGIN)
    _enrol(person, Scheme.RESIDENT_MEDICAL, second_start, None, office)
    return 2


def _enrol(person, scheme, start, end, office, place=EnrolmentPlace.SETTLEMENT, subsidy=False):
    enrolment = InsuranceEnrolment(
        person=person, scheme=scheme, place=place, start_date=start, end_date=end, premium_subsidy=subsidy
    )
    services.enrolment_save(enrolment=enrolment, actor=office)


def _before(start, days, today) -> datetime.date:
    return min(start + datetime.timedelta(days=days), today)


def _household(household, rand, office, today) -> Counter:
    made = Counter()
    if not household.registered_poor:
        return made
    relief = rules.relief_rule(datetime.date(2020, 1, 1))
    granted = max(household.move_in_date, datetime.date(2019, 6, 1)) + datetime.timedelta(days=rand.randint(0, 90))
    if relief and granted <= relief.end and rand.random() < 0.6:
        services.relief_grant(household=household, granted_on=granted, amount=Decimal("1000"), actor=office)
        made["reliefs"] += 1
    if rand.random() < 0.12:
        made["dibao"] += _dibao(household, rand, office, today)
    return made


def _dibao(household, rand, office, today) -> int:
    """Urban 低保 on the basis the registry backs (a card or a transfer in the family), else rural."""
    members = household.members.all()
    card = CitizenCard.objects.filter(person__in=members).order_by("issued_on").first()
    transfer = HukouTransfer.objects.filter(person__in=members).order_by("transferred_on").first()
    if card is not None:
        kind, basis, backed_on = DibaoKind.URBAN, DibaoBasis.CITIZEN_CARD, card.issued_on
    elif transfer is not None:
        kind, basis, backed_on = DibaoKind.URBAN, DibaoBasis.HUKOU, transfer.transferred_on
    else:
        kind, basis, backed_on = DibaoKind.RURAL, "", household.move_in_date
    start = min(backed_on + datetime.timedelta(days=rand.randint(0, 60)), today)
    dibao = Dibao(household=household, kind=kind, basis=basis, start_date=start, kept_after_exit=rand.random() < 0.3)
    services.dibao_save(dibao=dibao, actor=office)
    return 1


def _postings(office, today) -> int:
    """A cadre each for the six largest origin townships, posted where most of their people live."""
    counts = Counter(
        Household.objects.filter(move_in_date__isnull=False).values_list("origin_township", "settlement_id")
    )
    by_township = Counter()
    for (township, _), n in counts.items():
        by_township[township] += n
    made = 0
    for name, (township, _) in zip(CADRE_NAMES, by_township.most_common(len(CADRE_NAMES)), strict=False):
        settlement_id = max((n, pk) for (t, pk), n in counts.items() if t == township)[1]
        posting = CadrePosting(
            origin_township=township,
            settlement_id=settlement_id,
            cadre_name=name,
            unit=f"{township}人民政府 副镇（乡）长",
            start_date=min(datetime.date(2019, 6, 25), today),
        )
        services.cadre_posting_save(posting=posting, actor=office)
        made += 1
    return made


def _service_days(office, today) -> int:
    """A Thursday afternoon each month at each settlement, since the rule's first month, but for the last
    months of the settlements of `MISSED`."""
    rule = rules.service_day_rule(today)
    if rule is None:
        return 0
    units = list(ResponsibleUnit.objects.filter(name__in=["县生态移民局", "县政务服务中心"]))
    made = 0
    for settlement in Settlement.objects.order_by("sort_order"):
        first = settlement.households.filter(move_in_date__isnull=False).order_by("move_in_date").first()
        if first is None:
            continue
        months = months_between(max(rule.from_month, first.move_in_date.replace(day=1)), today)
        skipped = MISSED.get(settlement.code, 0)
        for month in months[: len(months) - skipped] if skipped else months:
            day = _first_weekday(month, rule.weekday)
            service_day = ServiceDay(
                settlement=settlement,
                held_on=day,
                starts_at=datetime.time(14, 30),
                matters=MATTERS,
                households_served=8 + day.day % 12,
            )
            services.service_day_save(service_day=service_day, units=units, actor=office)
            made += 1
    return made


def _first_weekday(month: datetime.date, weekday: int) -> datetime.date:
    return month + datetime.timedelta(days=(weekday - month.weekday()) % 7)
