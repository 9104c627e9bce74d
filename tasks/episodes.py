"""Episodes: an alert sent once per spell of a condition (a household with nobody in work, a child out of school).

A nightly job finds who is in the condition on a day. Each one without an open episode gets one, and the alert
is sent in the same transaction; an open episode whose subject is no longer in the condition is closed that day,
so the next spell is a new episode and alerted again. The open episode is the claim: the episode model has a
partial unique index allowing one open episode per subject, so a rerun, a late run or two workers racing send
each alert once (the second insert fails and its alert is rolled back with it).

An episode model has a foreign key to its subject, `started_on` and a nullable `ended_on`, and the constraint
`UniqueConstraint(fields=[subject], condition=Q(ended_on__isnull=True), ...)`.
"""

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, models, transaction


def episodes_track(
    *,
    model: type[models.Model],
    subject: str,
    current: Mapping[int, Any],
    day: datetime.date,
    alert: Callable[[Any], None],
) -> int:
    """Close the open episodes of `model` whose subject (the foreign key `subject`, e.g. "household") is not in
    `current` ({subject id: what the alert needs}); open one for each subject of `current` without one and call
    `alert(entry)` with it, in one transaction per subject. Returns how many were opened (alerts sent)."""
    key = f"{subject}_id"
    open_episodes = model.objects.filter(ended_on__isnull=True)
    open_episodes.exclude(**{f"{key}__in": list(current)}).update(ended_on=day)
    already = set(open_episodes.values_list(key, flat=True))
    opened = 0
    for subject_id, entry in current.items():
        if subject_id not in already:
            opened += _open(model, {key: subject_id, "started_on": day}, lambda entry=entry: alert(entry))
    return opened


def _open(model, fields: dict, alert: Callable[[], None]) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**fields)
            alert()
    except IntegrityError:  # another run opened it first: its alert is the one sent
        return False
    return True
