from django.apps import AppConfig


class CultureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "culture"
    verbose_name = "文化服务"

    def ready(self):
        # its capabilities (asked by every page's navigation) and the sections of its settlement and household
        # pages; each topic registers its dated rules, indicators, exporters and dated facts from its modules
        from . import (  # noqa: F401
            capabilities,
            facility_exports,
            facility_indicators,
            facility_rules,
            house_photos_exports,
            household_indicators,
            sections,
            selection_rules,
            selections_exports,
            session_exports,
            session_indicators,
            session_rules,
        )
        from .views import facilities  # noqa: F401  (the teams' pages register their exporter)

        register_sessions()
        register_households()
        register_facility_records()


def register_sessions():
    """The sessions own photos (kept by those who keep the culture ledger, in their settlements), and their
    dates are facts the indicators' snapshots depend on."""
    from settlements import photos
    from settlements.dated_facts import watch

    from .capabilities import KEEP_CULTURE
    from .models import Session

    photos.register(Session, capability=KEEP_CULTURE, scope=Session.objects.for_user)
    watch(Session, dates=("held_on",), fields=("settlement_id", "kind"))


def register_households():
    """Old-vs-new house photos and selections: the plan's duty they check, their photos, their dated facts."""
    from settlements import photos
    from settlements.dated_facts import watch
    from tasks import household_duties

    from .capabilities import KEEP_CULTURE
    from .models import Honour, HousePhoto, Selection
    from .selectors.house_photos import HOUSE_PHOTO

    household_duties.declare(HOUSE_PHOTO, "新旧住房对比照片悬挂")
    photos.register(HousePhoto, capability=KEEP_CULTURE, scope=HousePhoto.objects.for_user)
    photos.register(Honour, capability=KEEP_CULTURE, scope=Honour.objects.for_user)
    watch(HousePhoto, dates=("hung_on",), fields=("household_id",))
    watch(Selection, dates=("held_on",), fields=("settlement_id", "year"))


def register_facility_records():
    """The culture facilities' records that keep photos."""
    from settlements import photos

    from .capabilities import KEEP_CULTURE
    from .models import ArtWork, CollectionItem

    photos.register(
        CollectionItem,
        capability=KEEP_CULTURE,
        scope=CollectionItem.objects.for_user,
        keep_scope=CollectionItem.objects.kept_by,
    )
    photos.register(
        ArtWork, capability=KEEP_CULTURE, scope=ArtWork.objects.for_user, keep_scope=ArtWork.objects.kept_by
    )
