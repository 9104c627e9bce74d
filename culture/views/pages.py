"""The county page, a settlement's page and a household's page: the domain pages every app has
(`tasks.domain_pages`), with this app's sections."""

from tasks.domain_pages import DomainPages

from ..capabilities import READ_CULTURE
from ..sections import SECTIONS

PAGES = DomainPages(app="culture", title="文化服务", capability=READ_CULTURE, sections=SECTIONS)
