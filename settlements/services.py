"""Writes to the core registry. Each service validates, writes and records who made the change."""

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import id_numbers
from .models import Household, HouseholdStatus, Person, User
from .roles import Role


def _save_with_history(instance, actor):
    """full_clean, then save, recording `actor` in the change history."""
    instance.full_clean()
    instance._history_user = actor
    instance.save()
    return instance


def household_create(
    *,
    actor: User | None,
    settlement,
    code: str,
    project_year: int,
    origin_township: str,
    building=None,
    room_number: str = "",
    origin_village: str = "",
    registered_poor: bool = False,
    move_in_date=None,
    status: str = HouseholdStatus.ALLOCATED,
) -> Household:
    household = Household(
        settlement=settlement,
        code=code,
        building=building,
        room_number=room_number,
        project_year=project_year,
        origin_township=origin_township,
        origin_village=origin_village,
        registered_poor=registered_poor,
        move_in_date=move_in_date,
        status=status,
    )
    return _save_with_history(household, actor)


def person_apply_id_number(person: Person) -> Person:
    """Set the number's normal form and the birth date and sex it encodes (never typed by hand)."""
    resident = id_numbers.parse(person.id_number)
    person.id_number = resident.number
    person.birth_date = resident.birth_date
    person.sex = resident.sex
    return person


def person_create(
    *,
    actor: User | None,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    **details,
) -> Person:
    """Add a member; `details` are the optional fields (phone, education, health, hukou_status)."""
    person = Person(household=household, name=name, id_number=id_number, relation=relation, **details)
    return person_save(actor=actor, person=person)


def person_save(*, actor: User | None, person: Person) -> Person:
    try:
        person_apply_id_number(person)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from error
    return _save_with_history(person, actor)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    unit=None,
    work_team=None,
    email: str = "",
) -> User:
    user = User(username=username, role=role, full_name=full_name, unit=unit, work_team=work_team, email=email)
    user.set_password(password)
    return user_save(user=user)


def user_save(*, user: User) -> User:
    """Validate the role's requirements; only the office (and superusers) enter the admin."""
    user.is_staff = user.is_superuser or user.role == Role.OFFICE
    user.full_clean()
    user.save()
    return user


def sessions_purge_expired() -> int:
    """Delete sessions past their expiry (idle or closed); returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
