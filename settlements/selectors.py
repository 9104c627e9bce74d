"""Reads of the core registry that are more than one line. All start from a user's scope."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Household, HouseholdStatus, Person, Relation, Settlement


@dataclass
class SettlementSummary:
    settlement: Settlement
    households: int = 0
    moved_in_households: int = 0
    persons: int = 0


def settlement_summaries(user) -> list[SettlementSummary]:
    """Households and persons per settlement in `user`'s scope: three queries whatever the size."""
    settlements = Settlement.objects.for_user(user).select_related("administered_by")
    summaries = {s.pk: SettlementSummary(settlement=s) for s in settlements}
    household_counts = (
        Household.objects.for_user(user)
        .values("settlement_id")
        .annotate(total=Count("id"), moved_in=Count("id", filter=Q(status=HouseholdStatus.MOVED_IN)))
    )
    for row in household_counts:
        summaries[row["settlement_id"]].households = row["total"]
        summaries[row["settlement_id"]].moved_in_households = row["moved_in"]
    person_counts = Person.objects.for_user(user).values("household__settlement_id").annotate(total=Count("id"))
    for row in person_counts:
        summaries[row["household__settlement_id"]].persons = row["total"]
    return list(summaries.values())


def household_search(user, *, query: str = "", settlement_id: int | None = None):
    """Households in scope matching a code, room number, member name or partial ID number."""
    households = Household.objects.for_user(user).select_related("settlement", "building")
    if settlement_id:
        households = households.filter(settlement_id=settlement_id)
    query = query.strip()
    if query:
        matching_members = Person.objects.filter(
            Q(name__contains=query) | Q(id_number__contains=query.upper()) | Q(phone__contains=query)
        ).values("household_id")
        households = households.filter(
            Q(code__icontains=query) | Q(room_number__icontains=query) | Q(pk__in=matching_members)
        )
    return with_head_and_size(households).order_by("settlement__sort_order", "code")


def with_head_and_size(households):
    """Annotate each household with its head's name and its number of members."""
    members = Person.objects.filter(household=OuterRef("pk"))
    member_count = members.order_by().values("household").annotate(n=Count("id")).values("n")
    return households.annotate(
        head_name=Subquery(members.filter(relation=Relation.HEAD).values("name")[:1]),
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
    )
