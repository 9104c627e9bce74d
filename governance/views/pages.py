"""The county page, a settlement's page and a household's page: the domain pages every app has
(`tasks.domain_pages`), with this app's sections."""

from tasks.domain_pages import DomainPages

from ..capabilities import READ_GOVERNANCE
from ..sections import SECTIONS

PAGES = DomainPages(app="governance", title="社区治理", capability=READ_GOVERNANCE, sections=SECTIONS)
