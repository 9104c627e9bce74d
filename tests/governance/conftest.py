import pytest

from settlements.roles import Role


@pytest.fixture
def clerk(make_user):
    """A clerk of 文体社区服务中心 (富民, 卧龙, 阳光, 特和)."""
    return make_user(Role.CLERK, "文体社区服务中心")


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE, "县生态移民局")
