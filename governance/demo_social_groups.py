"""Demo social organisations and volunteer teams (附件4 六 17): a few in most settlements, none in 定威 and
凤凰, so the section's "尚无" lists and the zero counts show. Each made once (by settlement and name)."""

import datetime

from django.db import transaction

from settlements.demo_groups import make_groups
from settlements.models import Settlement, User

D = datetime.date
GROUPS = [  # settlement, kind, name, founded on, members
    ("fumin", "elderly_disabled_ill", "富民夕阳红互助会", D(2019, 8, 1), 18),
    ("fumin", "left_behind_children", "富民“童伴之家”关爱协会", D(2019, 9, 10), 12),
    ("fumin", "customs_reform", "富民移风易俗志愿者队", D(2019, 10, 1), 20),
    ("fumin", "fire_volunteers", "富民义务消防队", D(2019, 7, 15), 15),
    ("wolong", "neighbour_help", "卧龙邻里互助会", D(2019, 9, 1), 30),
    ("wolong", "sanitation_volunteers", "卧龙环境卫生志愿者队", D(2019, 8, 20), 25),
    ("yangguang", "education_training", "阳光家政培训协会", D(2020, 3, 1), 10),
    ("tehe", "poverty_relief", "特和扶贫济困协会", D(2020, 5, 10), 8),
    ("fengle", "fire_volunteers", "丰乐义务消防队", D(2019, 11, 5), 12),
]


@transaction.atomic
def seed_demo_social_groups() -> int:
    office = User.objects.get(username="office")
    settlements = {settlement.code: settlement for settlement in Settlement.objects.all()}
    return make_groups(GROUPS, settlements=settlements, actor=office)
