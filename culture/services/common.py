"""What the culture writes share."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

MSG_IN_FUTURE = "{label}（{date}）不能晚于今天。"


def refuse_future(day: datetime.date, *, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: MSG_IN_FUTURE.format(label=label, date=day.isoformat())})


def photo_errors_on(field: str, error: ValidationError) -> ValidationError:
    """A photo upload's refusal (`settlements.photos`), placed beside the form's file field."""
    return ValidationError({field: error.messages})
