"""The fixtures hold exactly what the seed documents name."""

import re

import pytest
from django.conf import settings

from settlements.models import ResponsibleUnit, Settlement, UnitKind, WorkTeam

PLAN = settings.BASE_DIR / "fixtures" / "sources" / "rongjiang_2019_follow_up_plan.txt"


def units_named_in_the_plan():
    """Every name in a 责任单位 list of the plan, as printed (line breaks inside a name removed)."""
    text = re.sub(r"\s+|\*\*|#+", "", PLAN.read_text(encoding="utf-8"))
    spans = re.findall(r"责任单位[：:]([^）)]*)[）)]", text)
    assert len(spans) == 100  # the plan prints 100 lists of responsible units
    return {name.strip("。.") for span in spans for name in re.split(r"[、，,；;]", span) if name.strip("。.")}


@pytest.mark.django_db
def test_every_responsible_unit_named_in_the_plan_is_in_the_fixtures(reference):
    known = {}
    for unit in ResponsibleUnit.objects.all():
        for name in [unit.name, *unit.aliases]:
            known[name] = unit
    missing = sorted(units_named_in_the_plan() - set(known))
    assert missing == []


@pytest.mark.django_db
def test_the_seven_settlements_and_who_administers_them(reference):
    administered = {s.name: s.administered_by.name for s in Settlement.objects.select_related("administered_by")}
    assert administered == {
        "富民": "文体社区服务中心",
        "卧龙": "文体社区服务中心",
        "阳光": "文体社区服务中心",
        "特和": "文体社区服务中心",
        "丰乐": "场坝社区服务中心",
        "凤凰": "古州镇",
        "定威": "定威乡",
    }
    kinds = set(ResponsibleUnit.objects.filter(administered_settlements__isnull=False).values_list("kind", flat=True))
    assert kinds == {UnitKind.SERVICE_CENTRE, UnitKind.TOWNSHIP}


@pytest.mark.django_db
def test_the_seven_work_teams_and_their_leads(reference):
    leads = {team.annex: (team.name, team.lead_unit.name) for team in WorkTeam.objects.select_related("lead_unit")}
    assert leads == {
        1: ("基本公共服务体系建设专班", "县生态移民局"),
        2: ("培训和就业服务体系建设专班", "县人力资源社会保障局"),
        3: ("文化服务体系建设专班", "县委宣传部"),
        4: ("社区治理体系建设专班", "县民政局"),
        5: ("基层党建体系建设专班", "县委组织部"),
        6: ("社会治安综合治理专班", "县委政法委"),
        7: ("迁出地资源盘活专班", "县自然资源局"),
    }
    text = PLAN.read_text(encoding="utf-8")
    for team in WorkTeam.objects.all():
        assert team.name.removesuffix("专班").removesuffix("建设") in text


@pytest.mark.django_db
def test_loading_the_reference_data_twice_changes_nothing(reference):
    from django.core.management import call_command

    before = (ResponsibleUnit.objects.count(), Settlement.objects.count(), WorkTeam.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (ResponsibleUnit.objects.count(), Settlement.objects.count(), WorkTeam.objects.count()) == before
    assert before[1:] == (7, 7)
