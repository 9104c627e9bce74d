import pytest
from django.core.management import call_command

from settlements.roles import Role


@pytest.fixture
def plan(reference):
    """The work plan with its photo deadlines (2016 and 2017 → 2019-04-30, 2018 → 2019-12-31)."""
    call_command("load_plan", verbosity=0)


@pytest.fixture
def clerk(make_user):
    """A clerk of 文体社区服务中心 (富民, 卧龙, 阳光, 特和)."""
    return make_user(Role.CLERK, "文体社区服务中心")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
