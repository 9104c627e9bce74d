"""Culture facilities and their records for the tests, made through the services (the office by default)."""

import datetime

from culture import services
from culture.models import ArtWork, BookStockUpdate, CollectionItem, NostalgiaStep
from settlements import services as registry_services
from settlements.models import Facility, FacilityKind, Settlement, User
from settlements.roles import Role
from tests.factories import community_group as team  # noqa: F401  (a culture team is a community group)

D = datetime.date


def office() -> User:
    found = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    if found is not None:
        return found
    return registry_services.user_create(username="culture-office", password="Test-Passw0rd!", role=Role.OFFICE)


def facility(name, kind_codes, settlement_codes, in_use_on=None, attributes=None, actor=None) -> Facility:
    return registry_services.facility_save(
        actor=actor or office(),
        facility=Facility(name=name, in_use_on=in_use_on),
        kinds=FacilityKind.objects.filter(code__in=kind_codes),
        settlements=Settlement.objects.filter(code__in=settlement_codes),
        attributes=attributes or {},
    )


def step(hall, code, day, actor=None) -> NostalgiaStep:
    return services.nostalgia_step_save(
        step=NostalgiaStep(facility=hall, step=code, done_on=day), actor=actor or office()
    )


def item(hall, title, day, kind="object", actor=None, **fields) -> CollectionItem:
    record = CollectionItem(facility=hall, kind=kind, title=title, collected_on=day, **fields)
    return services.collection_item_save(item=record, actor=actor or office())


def books(library, day, titles, volumes, actor=None) -> BookStockUpdate:
    update = BookStockUpdate(facility=library, updated_on=day, titles_added=titles, volumes_added=volumes)
    return services.book_stock_update_save(update=update, actor=actor or office())


def art_work(title, completed_on, actor=None) -> ArtWork:
    work = ArtWork(title=title, form="song", completed_on=completed_on)
    return services.art_work_save(work=work, units=[], actor=actor or office())
