"""The open affairs' indicators, registered with the work plan's indicator registry (`tasks.indicators`), per
settlement as of a day: this month's publications, meetings and consultations, the assistance notices not
mirrored in the origin village (A4-R12), the decisions without an earlier consultation (A4-R8), and this year's
democratic evaluations. Pages read them through the dated snapshots."""

from tasks.indicators import Spec, register_group

from .models import MeetingKind
from .selectors import open_affairs

READS = (
    "settlements.DatedRule",
    "governance.CatalogueItem",
    "governance.Publication",
    "governance.ResidentsMeeting",
    "governance.MeetingDecision",
    "governance.DemocraticEvaluation",
)

PUBLICATIONS = "governance.publications_this_month"
UNMIRRORED = "governance.assistance_not_mirrored"
MEETINGS = "governance.meetings_this_month"
CONSULTATIONS = "governance.consultations_this_month"
UNCONSULTED = "governance.decisions_without_consultation"
EVALUATIONS = "governance.evaluations_this_year"


@register_group(
    "governance.open_affairs",
    [
        Spec(PUBLICATIONS, "本月安置点社区居务公开", "次", sort_order=410),
        Spec(UNMIRRORED, "社会救助和精准帮扶未在迁出村同步公开", "项", sort_order=420),
        Spec(MEETINGS, "本月召开居民会议、居民代表会议和协商议事会议", "次", sort_order=430),
        Spec(CONSULTATIONS, "本月召开居民协商议事会议", "次", sort_order=440),
        Spec(UNCONSULTED, "涉及群众切身利益但未先协商的决定", "项", sort_order=450),
        Spec(EVALUATIONS, "本年民主评议", "次", sort_order=460),
    ],
    reads=READS,
)
def open_affairs_figures(day):
    return {
        PUBLICATIONS: open_affairs.publication_counts(day),
        UNMIRRORED: open_affairs.unmirrored_counts(day),
        MEETINGS: open_affairs.meeting_counts(day),
        CONSULTATIONS: open_affairs.meeting_counts(day, MeetingKind.CONSULTATION),
        UNCONSULTED: open_affairs.unconsulted_counts(day),
        EVALUATIONS: open_affairs.evaluation_counts(day),
    }
