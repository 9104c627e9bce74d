"""What the services' records share: scope through the registry's settlements, and periods whose end day is
the last day covered."""

import datetime

from django.db import models
from django.db.models import Q

from settlements import capabilities
from settlements.models import Settlement


def in_effect_on(day: datetime.date, start="start_date", end="end_date", prefix="") -> Q:
    """Rows whose period covers `day`: started by then and not ended before it. The end day is the last day
    covered (inclusive), as the 医保局 ledger prints 参保起止日期 and as 民政 writes a 低保 period."""
    return Q(**{f"{prefix}{start}__lte": day}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day})
    )


class SettlementScopedQuerySet(models.QuerySet):
    """A queryset of records that reach a settlement through `settlement_path` (a person's, a household's or
    their own). `for_user` keeps those of the settlements the user may read, the one rule of registry scope
    (`Settlement.objects.for_user`), read first as a list of ids."""

    settlement_path = "settlement_id"

    def for_user(self, user):
        if capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
            return self.all()
        settlement_ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
        return self.filter(**{f"{self.settlement_path}__in": settlement_ids})


class PersonScopedQuerySet(SettlementScopedQuerySet):
    settlement_path = "person__settlement_id"


class HouseholdScopedQuerySet(SettlementScopedQuerySet):
    settlement_path = "household__settlement_id"
