from django.apps import AppConfig


class CultureConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "culture"
    verbose_name = "文化服务"

    def ready(self):
        # its capabilities (asked by every page's navigation) and the sections of its settlement and household
        # pages; each topic registers its dated rules, indicators, exporters and dated facts from its modules
        from . import capabilities, sections, session_exports, session_indicators, session_rules  # noqa: F401

        register_sessions()


def register_sessions():
    """The sessions own photos (kept by those who keep the culture ledger, in their settlements), and their
    dates are facts the indicators' snapshots depend on."""
    from settlements import photos
    from settlements.dated_facts import watch

    from .capabilities import KEEP_CULTURE
    from .models import Session

    photos.register(Session, capability=KEEP_CULTURE, scope=Session.objects.for_user)
    watch(Session, dates=("held_on",), fields=("settlement_id", "kind"))
