import pytest

from settlements.roles import Role


@pytest.fixture
def clerk(make_user):
    """A clerk of 文体社区服务中心 (富民, 卧龙, 阳光, 特和)."""
    return make_user(Role.CLERK, "文体社区服务中心")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
