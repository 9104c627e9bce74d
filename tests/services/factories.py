"""Builders for the services tests: residents, and their records written through the services."""

import datetime
from decimal import Decimal

from services import services
from services.models import (
    CadrePosting,
    CitizenCard,
    Dibao,
    EnrolmentPlace,
    HukouTransfer,
    InsuranceEnrolment,
    Scheme,
    ServiceDay,
)
from settlements.id_numbers import Sex
from settlements.models import (
    Household,
    HouseholdStatus,
    Membership,
    MembershipStart,
    Person,
    Relation,
    ResponsibleUnit,
    Settlement,
)
from tests.factories import HouseholdFactory, add_member, registry_keeper, with_check_digit

D = datetime.date
MOVED_IN = D(2019, 5, 1)
BORN = D(1980, 1, 1)
POSTED = D(2019, 6, 20)


def resident(settlement="fumin", *, moved_in=MOVED_IN, birth=BORN, township="古州镇", name="杨明", **fields):
    """A household of `settlement` that moved in on `moved_in`, with its head; returns (household, head)."""
    household = HouseholdFactory(
        settlement=Settlement.objects.get(code=settlement), move_in_date=moved_in, origin_township=township, **fields
    )
    return household, add_member(household, name=name, birth=birth)


def enrol(person, start, end=None, scheme=Scheme.RESIDENT_MEDICAL, actor=None):
    enrolment = InsuranceEnrolment(
        person=person, scheme=scheme, place=EnrolmentPlace.SETTLEMENT, start_date=start, end_date=end
    )
    return services.enrolment_save(enrolment=enrolment, actor=actor or registry_keeper())


def transfer(person, day, actor=None):
    return services.hukou_transfer_save(
        transfer=HukouTransfer(person=person, transferred_on=day), actor=actor or registry_keeper()
    )


def card(person, day, number=None, actor=None):
    number = number or f"RJ{person.pk:06d}"
    return services.citizen_card_save(
        card=CitizenCard(person=person, number=number, issued_on=day), actor=actor or registry_keeper()
    )


def dibao(household, start, kind="rural", basis="", end=None, actor=None):
    record = Dibao(household=household, kind=kind, basis=basis, start_date=start, end_date=end)
    return services.dibao_save(dibao=record, actor=actor or registry_keeper())


def relief(household, day, amount=Decimal("1000"), actor=None):
    return services.relief_grant(household=household, granted_on=day, amount=amount, actor=actor or registry_keeper())


def posting(township, settlement="fumin", start=POSTED, name="王干部", end=None, actor=None):
    record = CadrePosting(
        origin_township=township,
        settlement=Settlement.objects.get(code=settlement),
        cadre_name=name,
        start_date=start,
        end_date=end,
    )
    return services.cadre_posting_save(posting=record, actor=actor or registry_keeper())


def service_day(settlement, day, starts_at=datetime.time(14, 30), actor=None):
    record = ServiceDay(
        settlement=Settlement.objects.get(code=settlement),
        held_on=day,
        starts_at=starts_at,
        matters="医保参保登记、市民证办理",
        households_served=12,
    )
    units = ResponsibleUnit.objects.filter(name__in=["县生态移民局", "县政务服务中心"])
    return services.service_day_save(service_day=record, units=units, actor=actor or registry_keeper())


def many_residents(township: str, count: int, *, sequence: int, settlement="fumin", moved_in=MOVED_IN):
    """`count` residents from `township` in one household, written in bulk (the services would take minutes):
    a head and other members, each with a valid ID number (a distinct birth date, and `sequence`, distinct per
    call, as its sequence code) and an open stay."""
    settlement = Settlement.objects.get(code=settlement)
    household = HouseholdFactory(
        settlement=settlement, move_in_date=moved_in, origin_township=township, status=HouseholdStatus.MOVED_IN
    )
    persons = []
    for index in range(count):
        birth = D(1940, 1, 1) + datetime.timedelta(days=index)
        person = Person(
            household=household,
            settlement=settlement,
            name=f"{township}{index}",
            relation=Relation.HEAD if index == 0 else Relation.OTHER,
            birth_date=birth,
            sex=Sex.MALE if sequence % 2 else Sex.FEMALE,
        )
        person.id_number = with_check_digit(f"522632{birth:%Y%m%d}{sequence:03d}")
        persons.append(person)
    persons = Person.objects.bulk_create(persons)
    Membership.objects.bulk_create(
        Membership(
            person=person,
            household=household,
            relation=person.relation,
            start_date=moved_in,
            start_reason=MembershipStart.MOVE_IN,
        )
        for person in persons
    )
    return household


def household_of(person) -> Household:
    return Household.objects.get(pk=person.household_id)
