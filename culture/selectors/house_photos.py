"""Reads of the old-vs-new house photos: each resident household with its due date (from the plan,
`tasks.household_duties`) and its status as of a day, computed in SQL so lists, counts and indicators filter in
the database."""

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, Case, CharField, F, Q, Value, When

from settlements.models import Household
from settlements.selectors import resident_households, with_head_and_size
from tasks import household_duties

HOUSE_PHOTO = "culture.house_photo"  # the duty the plan's photo deadlines carry (`Deadline.duty`)


class PhotoStatus:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"
    NO_DUE = "no_due"
    LABELS = {
        ON_TIME: "按时悬挂",
        LATE: "逾期悬挂",
        OVERDUE: "逾期未挂",
        PENDING: "未到期",
        NO_DUE: "无完成时限",
    }
    CHOICES = list(LABELS.items())


def with_photo_status(households, *, day: datetime.date, dates: dict[int, datetime.date] | None = None):
    """`households` annotated with `photo_due_on` (None for a project year the plan dates not), `photo_hung_on`,
    `photo_status` as of `day` (a hanging after `day` has not happened yet) and `moved_in_after_due`."""
    hung = Q(house_photo__hung_on__lte=day)
    due = household_duties.due_date_expression(HOUSE_PHOTO, dates=dates)
    return households.annotate(photo_due_on=due, photo_hung_on=F("house_photo__hung_on")).annotate(
        photo_status=Case(
            When(photo_due_on__isnull=True, then=Value(PhotoStatus.NO_DUE)),
            When(hung & Q(house_photo__hung_on__lte=F("photo_due_on")), then=Value(PhotoStatus.ON_TIME)),
            When(hung, then=Value(PhotoStatus.LATE)),
            When(photo_due_on__lt=day, then=Value(PhotoStatus.OVERDUE)),
            default=Value(PhotoStatus.PENDING),
            output_field=CharField(),
        ),
        moved_in_after_due=Case(
            When(move_in_date__gt=F("photo_due_on"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def status_of(household: Household, day: datetime.date) -> Household:
    """`household` as `with_photo_status` annotates it."""
    return with_photo_status(Household.objects.filter(pk=household.pk), day=day).get()


def photo_list(*, user, day: datetime.date, settlement=None, project_year=None, status: str = "", query: str = ""):
    """The households of `user`'s scope resident on `day`, with their photo status and head, filtered."""
    households = resident_households(day=day).for_user(user)
    if settlement is not None:
        households = households.filter(settlement=settlement)
    if project_year:
        households = households.filter(project_year=project_year)
    households = with_head_and_size(households=with_photo_status(households, day=day))
    if status:
        households = households.filter(photo_status=status)
    if query:
        households = households.filter(
            Q(code__icontains=query) | Q(head_name__icontains=query) | Q(building__name__icontains=query)
        )
    return households.select_related("settlement", "building", "house_photo").order_by(
        "settlement__sort_order", "building__name", "room_number", "code"
    )


@dataclass(frozen=True)
class PhotoFigures:
    """Per settlement id as of a day, the ids of the households: due (their due date has come), hung by it, and
    overdue without a photo."""

    due: dict[int, list[int]]
    on_time: dict[int, list[int]]
    overdue: dict[int, list[int]]


def photo_figures(*, day: datetime.date) -> PhotoFigures:
    """The county's resident households whose due date is on or before `day`, in one query."""
    due: dict[int, list[int]] = {}
    on_time: dict[int, list[int]] = {}
    overdue: dict[int, list[int]] = {}
    rows = with_photo_status(resident_households(day=day), day=day).filter(photo_due_on__lte=day)
    for pk, settlement_id, status in rows.values_list("pk", "settlement_id", "photo_status").order_by():
        due.setdefault(settlement_id, []).append(pk)
        if status == PhotoStatus.ON_TIME:
            on_time.setdefault(settlement_id, []).append(pk)
        elif status == PhotoStatus.OVERDUE:
            overdue.setdefault(settlement_id, []).append(pk)
    return PhotoFigures(due, on_time, overdue)


def status_counts(*, settlement, day: datetime.date) -> dict[str, int]:
    """{status: resident households of `settlement` on `day`}, every status present."""
    counts = dict.fromkeys(PhotoStatus.LABELS, 0)
    rows = with_photo_status(resident_households(day=day).filter(settlement=settlement), day=day)
    for status in rows.values_list("photo_status", flat=True).order_by():
        counts[status] += 1
    return counts


def due_dates() -> dict[int, datetime.date]:
    return household_duties.due_dates(HOUSE_PHOTO)
