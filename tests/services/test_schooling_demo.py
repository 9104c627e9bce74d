"""The demo schooling data: catchments, enrolments for most children of school age, a dropout followed up, some
children out of school, aid for most; made once."""

import pytest
from django.utils import timezone

from services import demo_schooling
from services.models import Catchment, DropoutVisit, EndReason, SchoolEnrolment, StudentAid
from services.selectors import schooling
from settlements import demo as registry_demo
from settlements import demo_facilities

pytestmark = pytest.mark.django_db


def test_demo_schooling_fills_every_record_with_some_children_out_of_school_and_is_made_once(reference):
    registry_demo.ensure_demo_users()
    registry_demo.seed_demo_households(12)
    demo_facilities.seed_demo_facilities()
    made = demo_schooling.seed_demo_schooling()
    today = timezone.localdate()
    assert made["enrolments"] == SchoolEnrolment.objects.count() > 0
    assert made["aid"] == StudentAid.objects.count() > 0
    assert made["visits"] == DropoutVisit.objects.count() == 4
    assert SchoolEnrolment.objects.filter(end_reason=EndReason.DROPOUT).count() == made["dropouts"] == 2
    assert Catchment.objects.filter(origin_township__gt="").count() == made["catchments"] == 3
    assert SchoolEnrolment.objects.filter(school__name="古州四小").exists()
    figures = schooling.schooling_figures(today)
    assert sum(figures.out_of_school.values()) > 0  # the dropout still out, and those never enrolled
    assert sum(figures.enrolled.values()) > sum(figures.out_of_school.values())
    assert sum(figures.aided.values()) > sum(figures.unaided.values()) > 0
    assert demo_schooling.seed_demo_schooling() == {}
