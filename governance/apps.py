from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"
    verbose_name = "社区治理"

    def ready(self):
        # its capabilities (asked by every page's navigation) and the sections of its settlement and household
        # pages; each topic registers its dated rules, indicators, exporters and dated facts from its modules
        from . import (  # noqa: F401
            capabilities,
            committee_indicators,
            committees_exports,
            committees_rules,
            open_affairs_exports,
            open_affairs_indicators,
            open_affairs_rules,
            sections,
            social_groups,
        )
        from .views import social_groups as social_group_pages  # noqa: F401  (the pages register their exporter)

        committee_indicators.watch_dated_facts()
        register_open_affairs()


def register_open_affairs():
    """The open affairs' photos (the notice as posted, the evaluation, the signed charter) and dated facts."""
    from settlements import photos
    from settlements.dated_facts import watch

    from .capabilities import KEEP_GOVERNANCE
    from .models import (
        CatalogueItem,
        DemocraticEvaluation,
        MeetingDecision,
        Publication,
        ResidentsMeeting,
        SelfGovernanceDocument,
    )

    for model in (Publication, DemocraticEvaluation, SelfGovernanceDocument):
        photos.register(model, capability=KEEP_GOVERNANCE, scope=model.objects.for_user)
    watch(CatalogueItem, dates=("start_date", "end_date"), fields=("category", "frequency"))
    watch(Publication, dates=("published_on",), fields=("settlement_id", "item_id", "place", "mirror_of_id"))
    watch(ResidentsMeeting, dates=("held_on",), fields=("settlement_id", "kind"))
    watch(MeetingDecision, fields=("meeting_id", "consultation_id", "touches_interests"), since=_decided_on)
    watch(DemocraticEvaluation, dates=("held_on",), fields=("settlement_id",))


def _decided_on(decision):
    return decision.meeting.held_on
