"""Reads of 户籍和市民证: for each resident of a day who keeps their rural hukou, the day their 市民证 is due
and whether it was issued by then. Filtered, counted and paginated in the database (the due day is computed
there, `AddMonths`)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest

from settlements.models import HukouStatus, Membership
from settlements.selectors import resident_stays

from .. import rules
from ..expressions import AddMonths
from ..models import CitizenCard, HukouTransfer
from .common import person_search, settlement_ids


class CardStatus:
    ON_TIME = "on_time"
    LATE = "late"
    DUE = "due"
    OVERDUE = "overdue"

    LABELS = {ON_TIME: "按时办证", LATE: "逾期办证", DUE: "待办（未到期）", OVERDUE: "逾期未办"}
    CHOICES = list(LABELS.items())


def first_moved_in(person_ref="person_id"):
    """The first day the person lived in a relocated household that had moved in: of all their stays, the
    earliest of the later of the stay's start and the household's move-in."""
    stays = Membership.objects.filter(person_id=OuterRef(person_ref), household__move_in_date__isnull=False)
    moved_in = stays.annotate(day=Greatest("start_date", "household__move_in_date")).order_by("day")
    return Subquery(moved_in.values("day")[:1])


def transferred_by(day: datetime.date, person_ref="person_id") -> Q:
    """The person's hukou was transferred by `day`: a transfer dated then or before; without any dated transfer,
    the registry's status 已迁入安置地 (its date unknown) counts on every day."""
    dated = HukouTransfer.objects.filter(person_id=OuterRef(person_ref))
    return Q(Exists(dated.filter(transferred_on__lte=day))) | (
        Q(person__hukou_status=HukouStatus.TRANSFERRED) & ~Q(Exists(dated))
    )


def card_stays(*, day: datetime.date, months: int):
    """The stays of the residents of `day` who keep their rural hukou, each with the day they moved in, the day
    their card is due (`months` later) and the day it was issued if by `day`."""
    issued = CitizenCard.objects.filter(person_id=OuterRef("person_id"), issued_on__lte=day)
    return (
        resident_stays(day=day)
        .exclude(transferred_by(day))
        .annotate(moved_in=first_moved_in())
        .annotate(due=AddMonths(F("moved_in"), months), card_issued_on=Subquery(issued.values("issued_on")[:1]))
    )


def status_conditions(day: datetime.date) -> dict[str, Q]:
    """Each card status on `day` as a condition on `card_stays`."""
    issued = Q(card_issued_on__isnull=False)
    return {
        CardStatus.ON_TIME: issued & Q(card_issued_on__lte=F("due")),
        CardStatus.LATE: issued & Q(card_issued_on__gt=F("due")),
        CardStatus.DUE: Q(card_issued_on__isnull=True, due__gte=day),
        CardStatus.OVERDUE: Q(card_issued_on__isnull=True, due__lt=day),
    }


def with_status(stays, day: datetime.date, status: str):
    conditions = status_conditions(day)
    return stays.filter(conditions[status]) if status in conditions else stays


def status_of(stay, day: datetime.date) -> str:
    if stay.card_issued_on is not None:
        return CardStatus.ON_TIME if stay.card_issued_on <= stay.due else CardStatus.LATE
    return CardStatus.DUE if stay.due >= day else CardStatus.OVERDUE


def card_list(*, user, day: datetime.date, settlement=None, status="", query=""):
    """The residents of `day` in `user`'s scope who keep their rural hukou, with their card's status, by
    household code (none without a rule in force on `day`)."""
    months = rules.citizen_card_months(day)
    if months is None:
        return resident_stays(day=day).none()
    stays = card_stays(day=day, months=months).filter(household__settlement_id__in=settlement_ids(user, settlement))
    search = person_search(query)
    if search is not None:
        stays = stays.filter(search)
    stays = with_status(stays, day, status)
    return stays.select_related("person", "household__settlement").order_by("household__code", "person_id")


def overdue_counts(day: datetime.date) -> dict[int, int]:
    """Per settlement id: residents of `day` whose card was due before it and is not issued (逾期未办)."""
    months = rules.citizen_card_months(day)
    if months is None:
        return {}
    overdue = with_status(card_stays(day=day, months=months), day, CardStatus.OVERDUE)
    rows = overdue.values("household__settlement_id").annotate(n=Count("id"))
    return {row["household__settlement_id"]: row["n"] for row in rows}


def issued_counts(day: datetime.date) -> dict[int, int]:
    """Per settlement id: residents of `day` who hold a card issued by then."""
    issued = CitizenCard.objects.filter(person_id=OuterRef("person_id"), issued_on__lte=day)
    rows = resident_stays(day=day).filter(Exists(issued)).values("household__settlement_id").annotate(n=Count("id"))
    return {row["household__settlement_id"]: row["n"] for row in rows}


# --- one person (the household page) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCard:
    """What one person is owed of hukou and card on a day, and how it stands."""

    transfer: HukouTransfer | None
    card: CitizenCard | None
    moved_in: datetime.date | None
    due: datetime.date | None
    status: str  # a CardStatus, or "" when no card is owed (transferred, not resident, or no rule)

    @property
    def label(self) -> str:
        return CardStatus.LABELS.get(self.status, "")


def person_cards(persons, day: datetime.date) -> list[PersonCard]:
    """For each of `persons` (a household's members), what `card_stays` finds on `day`: a resident who keeps
    their rural hukou has a due day and a status; anyone else is owed no card that day."""
    months = rules.citizen_card_months(day)
    stays = {}
    if months is not None:
        stays = {stay.person_id: stay for stay in card_stays(day=day, months=months).filter(person__in=persons)}
    transfers = {transfer.person_id: transfer for transfer in HukouTransfer.objects.filter(person__in=persons)}
    cards = cards_of([person.pk for person in persons])
    rows = []
    for person in persons:
        stay = stays.get(person.pk)
        rows.append(
            PersonCard(
                transfers.get(person.pk),
                cards.get(person.pk),
                stay.moved_in if stay else None,
                stay.due if stay else None,
                status_of(stay, day) if stay else "",
            )
        )
    return rows


def status_counts(*, user, day: datetime.date, settlement=None) -> dict[str, int]:
    """How many residents of `day` in `user`'s scope (of `settlement`) stand in each card status."""
    months = rules.citizen_card_months(day)
    if months is None:
        return {}
    stays = card_stays(day=day, months=months).filter(household__settlement_id__in=settlement_ids(user, settlement))
    counts = stays.aggregate(
        **{f"n_{status}": Count("id", filter=condition) for status, condition in status_conditions(day).items()}
    )
    return {status: counts[f"n_{status}"] for status in CardStatus.LABELS}


def cards_of(person_ids) -> dict[int, CitizenCard]:
    return {card.person_id: card for card in CitizenCard.objects.filter(person_id__in=person_ids)}
