from django.apps import AppConfig


class CultureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "culture"
    verbose_name = "文化服务"

    def ready(self):
        # its capabilities (asked by every page's navigation) and the sections of its settlement and household
        # pages; each topic registers its dated rules, indicators, exporters and dated facts from its modules
        from . import capabilities, facility_exports, facility_indicators, facility_rules, sections  # noqa: F401  # noqa: F401

        _register_facility_records()


def _register_facility_records():
    """The culture facilities' records: their photos, and the dated facts the indicators read."""
    from settlements import dated_facts, photos

    from .capabilities import KEEP_CULTURE
    from .models import ArtWork, CollectionItem, CultureTeam

    photos.register(
        CollectionItem,
        capability=KEEP_CULTURE,
        scope=CollectionItem.objects.for_user,
        keep_scope=CollectionItem.objects.kept_by,
    )
    photos.register(CultureTeam, capability=KEEP_CULTURE, scope=CultureTeam.objects.for_user)
    photos.register(
        ArtWork, capability=KEEP_CULTURE, scope=ArtWork.objects.for_user, keep_scope=ArtWork.objects.kept_by
    )
    dated_facts.watch(CultureTeam, dates=("founded_on", "disbanded_on"), fields=("settlement_id", "kind"))
