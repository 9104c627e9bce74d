import pytest
from django.core.management import CommandError, call_command

from employment import demo
from employment.models import Employment, Workshop
from settlements import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_employment_is_made_once(reference):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(6)
    made = demo.seed_demo_employment()
    assert made["jobs"] == Employment.objects.count() > 0
    assert Workshop.objects.count() == 6
    assert demo.seed_demo_employment() == {}
    with pytest.raises(CommandError, match="DEBUG 已关闭"):  # production settings: the command refuses
        call_command("seed_demo_employment", verbosity=0)
