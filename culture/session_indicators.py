"""The sessions' indicators, registered with the work plan's indicator registry (`tasks.indicators`), per
settlement as of a day: this month's gratitude sessions and literacy classes (the plan's targets of one a month
are tied to them), and the months of the year in which a required session was missed under the monthly rule."""

from tasks.indicators import Spec, register_group
from tasks.registry_indicators import REGISTRY_MODELS

from .models import SessionKind
from .selectors import sessions

GRATITUDE = "culture.gratitude_sessions_this_month"
LITERACY = "culture.literacy_sessions_this_month"
MISSED = "culture.session_months_missed_this_year"

READS = (*REGISTRY_MODELS, "settlements.DatedRule", "culture.Session")


@register_group(
    "culture.sessions",
    [
        Spec(GRATITUDE, "感恩教育本月场次", "期", sort_order=300),
        Spec(LITERACY, "扫盲及适应性培训本月场次", "次", sort_order=301),
        Spec(MISSED, "本年缺漏的月份（感恩教育、扫盲及适应性培训，按类别计）", "个月", sort_order=302),
    ],
    reads=READS,
)
def session_figures(day):
    return {
        GRATITUDE: sessions.held_this_month(day, SessionKind.GRATITUDE),
        LITERACY: sessions.held_this_month(day, SessionKind.LITERACY),
        MISSED: sessions.missed_this_year(day),
    }
