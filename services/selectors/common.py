"""What the services' reads share: the settlements a user reads, and the search over persons."""

from django.db.models import Exists, OuterRef, Q

from settlements.forms import SEARCH_MAX_LENGTH
from settlements.models import Person, Settlement, id_number_search


def settlement_ids(user, settlement=None) -> list[int]:
    """The ids of the settlements `user` reads (only `settlement`'s, when given and in scope), as a list: the
    registry's way of scoping millions of rows (see `ScopedQuerySet`)."""
    ids = list(Settlement.objects.for_user(user).values_list("pk", flat=True))
    return [pk for pk in ids if pk == settlement.pk] if settlement is not None else ids


def person_search(query: str, prefix: str = "person__") -> Q | None:
    """A name (its start) or a part of an ID number as a clerk types it, on the persons `prefix` reaches."""
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return None
    by_name = Q(**{f"{prefix}name__startswith": query})
    by_id_number = id_number_search(query, prefix=prefix)
    return by_name | by_id_number if by_id_number is not None else by_name


def household_search(query: str, prefix: str = "household__") -> Q | None:
    """A household code (its start) or a member's name (its start)."""
    query = (query or "").strip()[:SEARCH_MAX_LENGTH]
    if not query:
        return None
    named = Person.objects.filter(household_id=OuterRef(f"{prefix}id" if prefix else "pk"), name__startswith=query)
    return Q(**{f"{prefix}code__startswith": query}) | Q(Exists(named))
