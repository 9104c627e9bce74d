"""What the services' records share: scope through the registry's settlements (the core's `ScopedQuerySet`,
reached through a person or a household), and periods whose end day is the last day covered."""

import datetime

from django.db.models import Q

from settlements.models import ScopedQuerySet


def in_effect_on(day: datetime.date, start="start_date", end="end_date", prefix="") -> Q:
    """Rows whose period covers `day`: started by then and not ended before it. The end day is the last day
    covered (inclusive), as the 医保局 ledger prints 参保起止日期 and as 民政 writes a 低保 period."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


class PersonScopedQuerySet(ScopedQuerySet):
    """Records of a person: read within the person's settlement (the registry's one rule of scope)."""

    settlement_path = "person__settlement_id"


class HouseholdScopedQuerySet(ScopedQuerySet):
    """Records of a household: read within the household's settlement."""

    settlement_path = "household__settlement_id"
