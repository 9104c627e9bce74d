"""What the services' writes share."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

MSG_END_BEFORE_START = "截止日期不能早于起始日期（{date}）。"


def today() -> datetime.date:
    return timezone.localdate()


def refuse_end_before_start(start: datetime.date, end: datetime.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError({"end_date": MSG_END_BEFORE_START.format(date=start.isoformat())})
