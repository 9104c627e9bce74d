"""The culture demo of house photos and selections: most households hung on time, some late, some overdue;
selections for most settlements and years, one settlement missing a past year; honours with photos; made once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from culture import demo_house_photos, demo_selections
from culture.models import Honour, HousePhoto, Selection
from culture.selectors import house_photos, selections
from settlements import demo as registry_demo
from settlements import photos
from settlements.models import Settlement

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_pages_breaks_some_rules_and_is_made_once(plan, settings, tmp_path):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(8)
    made = demo_house_photos.seed_demo_house_photos()
    assert made["on_time"] > made["late"] > 0 and made["not_hung"] > 0
    assert HousePhoto.objects.count() == made["on_time"] + made["late"]
    assert all(photos.photos_of(record).count() == 1 for record in HousePhoto.objects.all()[:5])
    today = timezone.localdate()
    figures = house_photos.photo_figures(day=today)
    assert sum(map(len, figures.overdue.values())) > 0
    assert sum(map(len, figures.on_time.values())) > sum(map(len, figures.overdue.values()))
    chosen = demo_selections.seed_demo_selections()
    assert chosen["selections"] == Selection.objects.count() > 0 and chosen["honours"] == Honour.objects.count()
    assert photos.photos_of(Honour.objects.first()).exists()
    _, rows = selections.selection_years(settlements=list(Settlement.objects.all()), day=today)
    missing = {row.settlement.code: row.missing for row in rows if row.missing}
    assert missing == {"tehe": [2020]}
    assert demo_house_photos.seed_demo_house_photos() == {} and demo_selections.seed_demo_selections() == {}
    call_command("seed_demo_culture", "--allow-production", verbosity=0)  # again: nothing new
    assert Selection.objects.count() == chosen["selections"]
