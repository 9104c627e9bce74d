"""The county page (with the months each settlement went without its service day), a settlement's page (one
section per topic) and a household's page (what the family is owed and what is broken): the domain pages every
app has (`tasks.domain_pages`)."""

from tasks.domain_pages import DomainPages

from ..capabilities import READ_SERVICES
from ..sections import SECTIONS
from ..selectors import outreach


def _service_days(request, day, settlements) -> dict:
    return {"service_days": outreach.service_day_records(day=day, settlements=settlements)}


PAGES = DomainPages(
    app="services",
    title="基本公共服务",
    capability=READ_SERVICES,
    sections=SECTIONS,
    overview_template="services/overview.html",
    overview_extra=_service_days,
)
