"""Schooling's rules on the registry: a dropout flags the child and opens its follow-up until the child is enrolled
again; a transfer does not flag; the services refuse what cannot be (overlaps, an end without its reason, a
dropout without its cause, a school of another level); the nightly alert sends once per episode; the aid gap is
listed and cleared; the indicators count the same as the lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from services import indicators, schooling_alerts
from services.models import OutOfSchoolEpisode, SchoolEnrolment
from services.selectors import schooling
from settlements.models import Settlement
from settlements.roles import Role
from tasks import indicators as registry
from tasks.models import Notification

from . import schooling_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = D(2026, 11, 20)


@pytest.fixture
def primary(reference):
    return make.school("车江小学")


def flagged(day=DAY):
    return {stay.person_id: schooling.out_of_school_reason(stay) for stay in schooling.out_of_school_stays(day)}


def test_an_enrolment_ending_in_a_dropout_flags_the_child_from_the_next_day(primary):
    _, pupil = make.child()
    assert flagged() == {pupil.pk: "未登记入学"}
    make.drop_out(pupil, primary, D(2021, 9, 1), D(2026, 11, 10))
    assert flagged(D(2026, 11, 10)) == {}  # the last day at school
    assert flagged(D(2026, 11, 11)) == {pupil.pk: "辍学（2026-11-10离开车江小学）"}


def test_a_transfer_with_a_new_enrolment_the_next_day_does_not_flag(primary):
    other = make.school("古州四小", in_use_on=D(2020, 9, 1))
    _, pupil = make.child()
    first = make.enrol(pupil, primary, D(2021, 9, 1))
    make.leave(first, D(2026, 8, 31), "transfer")
    make.enrol(pupil, other, D(2026, 9, 1), grade="五年级")
    assert all(flagged(day) == {} for day in (D(2026, 8, 31), D(2026, 9, 1), DAY))


def test_a_transfer_without_a_new_enrolment_flags_the_child(primary):
    _, pupil = make.child()
    make.leave(make.enrol(pupil, primary, D(2021, 9, 1)), D(2026, 8, 31), "transfer")
    assert flagged() == {pupil.pk: "转学后未入学（2026-08-31离开车江小学）"}


def test_the_services_refuse_what_cannot_be_with_the_field_and_the_reason(primary):
    kindergarten = make.school("卧龙小区幼儿园", "kindergarten", settlements=["wolong"])
    _, pupil = make.child()
    current = make.enrol(pupil, primary, D(2021, 9, 1))
    cases = [
        ({"school": primary, "start": D(2022, 9, 1)}, "start_date", "已在“车江小学”就读（2021-09-01起）"),
        ({"school": kindergarten, "start": D(2019, 9, 1), "level": "primary_school"}, "level", "不是小学"),
        (
            {"school": primary, "start": D(2014, 9, 1), "end": D(2015, 6, 30), "reason": "graduated"},
            "start_date",
            "出生日期",
        ),
    ]
    for values, field, message in cases:
        with pytest.raises(ValidationError) as refused:
            make.enrol(
                pupil,
                values["school"],
                values["start"],
                values.get("end"),
                values.get("reason", ""),
                level=values.get("level", ""),
            )
        assert message in " ".join(refused.value.message_dict[field]), values
    with pytest.raises(ValidationError) as refused:
        make.leave(current, D(2026, 6, 30), "")
    assert "须选择离校原因" in refused.value.message_dict["end_reason"][0]
    with pytest.raises(ValidationError) as refused:
        make.leave(SchoolEnrolment.objects.get(pk=current.pk), D(2026, 6, 30), "dropout")
    assert refused.value.message_dict["end_note"] == ["辍学的须在“离校说明”中写明原因。"]
    late = make.school("新建小学", in_use_on=D(2030, 9, 1))
    current = SchoolEnrolment.objects.get(pk=current.pk)
    make.leave(current, D(2026, 6, 30), "transfer")
    with pytest.raises(ValidationError) as refused:
        make.enrol(pupil, late, D(2026, 9, 1))
    assert refused.value.message_dict["start_date"] == ["“新建小学”于 2030-09-01 投入使用：入学日期不能早于这一天。"]


def test_a_school_of_two_levels_needs_the_level_and_one_level_is_taken_from_the_school(primary):
    both = make.school("定威乡中心校", levels=["primary_school", "middle_school"])
    _, pupil = make.child()
    with pytest.raises(ValidationError) as refused:
        make.enrol(pupil, both, D(2021, 9, 1))
    assert refused.value.message_dict["level"] == ["“定威乡中心校”设有小学、初中，请选择学段。"]
    assert make.enrol(pupil, primary, D(2021, 9, 1)).level == "primary_school"


def test_a_reader_may_not_write_and_nothing_is_written(primary, users):
    _, pupil = make.child()
    with pytest.raises(PermissionDenied):
        make.enrol(pupil, primary, D(2021, 9, 1), actor=users["leader"])
    assert not SchoolEnrolment.objects.exists()


def test_a_dropout_is_followed_up_until_the_child_is_enrolled_again(primary):
    _, pupil = make.child()
    dropout = make.drop_out(pupil, primary, D(2021, 9, 1), D(2026, 10, 9))
    with pytest.raises(ValidationError) as refused:
        make.visit(dropout, D(2026, 10, 8))
    assert refused.value.message_dict["visited_on"] == ["走访日期不能早于辍学日期（2026-10-09）。"]
    make.visit(dropout, D(2026, 10, 12))
    assert [case.pk for case in schooling.dropout_cases(user=make.registry_keeper(), day=DAY)] == [dropout.pk]
    make.enrol(pupil, primary, D(2026, 11, 2), grade="五年级")
    assert list(schooling.dropout_cases(user=make.registry_keeper(), day=DAY)) == []
    with pytest.raises(ValidationError) as refused:
        make.visit(dropout, D(2026, 11, 3))
    assert "已于 2026-11-02 重新入学（车江小学）" in refused.value.message_dict["visited_on"][0]
    with pytest.raises(ValidationError) as refused:
        make.leave(dropout, dropout.end_date, "transfer")
    assert "已有 1 次控辍保学走访" in refused.value.message_dict["end_reason"][0]


def test_the_nightly_alert_sends_once_per_episode_to_the_childs_centre(primary, make_user):
    clerk = make_user(Role.CLERK, "文体社区服务中心")
    other_centre = make_user(Role.CLERK, "场坝社区服务中心")
    household, pupil = make.child()
    dropout = make.drop_out(pupil, primary, D(2021, 9, 1), D(2026, 11, 10))
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 12)) == 1
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 12)) == 0  # the same night again
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 13)) == 0  # the next night: same episode
    note = Notification.objects.get(recipient=clerk)
    assert household.code in note.title and pupil.name in note.title and "辍学（2026-11-10离开车江小学）" in note.body
    assert not Notification.objects.filter(recipient=other_centre).exists()

    # enrolled again: the episode closes; a new dropout opens a new one, alerted once more
    again = make.enrol(pupil, primary, D(2026, 11, 14), grade="五年级")
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 14)) == 0
    assert OutOfSchoolEpisode.objects.get().ended_on == D(2026, 11, 14)
    make.leave(again, D(2026, 11, 16), "dropout", note="厌学")
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 17)) == 1
    assert schooling_alerts.out_of_school_alerts_send(D(2026, 11, 18)) == 0
    assert Notification.objects.filter(recipient=clerk, title__startswith="义务教育适龄儿童未在读").count() == 2
    assert dropout.pk != again.pk


def test_the_alert_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["alert-out-of-school-children"]
    assert entry["task"] == schooling_alerts.alert_out_of_school_children.name
    assert entry["schedule"].hour == {2}


def test_an_enrolled_child_without_the_aid_of_its_stage_is_listed_until_it_is_recorded(primary, users):
    kindergarten = make.school("古州镇中心幼儿园", "kindergarten")
    _, pupil = make.child(name="小学生")
    _, infant = make.child(birth=D(2022, 5, 1), name="幼儿")
    make.enrol(pupil, primary, D(2021, 9, 1))
    make.enrol(infant, kindergarten, D(2025, 9, 1), grade="中班")
    office = users["office"]
    listed = {stay.person_id: stay.scheme for stay in schooling.aid_gap_list(user=office, day=DAY)}
    assert listed == {pupil.pk: "两免两补", infant.pk: "两补"}
    make.aid(pupil, 2026, "两免两补", granted_on=D(2026, 10, 15))
    make.aid(infant, 2025, "两补", granted_on=D(2025, 10, 15))  # last school year's does not count
    listed = {stay.person_id for stay in schooling.aid_gap_list(user=office, day=DAY)}
    assert listed == {infant.pk}
    assert {stay.person_id for stay in schooling.aid_gap_list(user=office, day=D(2026, 10, 14))} == {
        pupil.pk,
        infant.pk,
    }
    with pytest.raises(ValidationError) as refused:
        make.aid(infant, 2026, "两免两补")
    assert "没有在义务教育阶段就读的记录" in refused.value.message_dict["scheme"][0]
    with pytest.raises(ValidationError) as refused:
        make.aid(pupil, 2026, "两免两补", granted_on=D(2026, 11, 1))
    assert "已于 2026-10-15 登记" in refused.value.message_dict["scheme"][0]
    with pytest.raises(ValidationError) as refused:
        make.aid(pupil, 2026, "助学金")
    assert "可选 “两补”、“两免两补”、“两助三免”" in refused.value.message_dict["scheme"][0]
    make.aid(infant, 2026, "两补", granted_on=D(2026, 11, 1))
    assert not schooling.aid_gap_list(user=office, day=DAY).exists()


def test_the_indicators_count_what_the_lists_hold(primary):
    fumin, wolong = (Settlement.objects.get(code=code).pk for code in ("fumin", "wolong"))
    _, enrolled = make.child("fumin", name="在读")
    make.enrol(enrolled, primary, D(2021, 9, 1))
    make.aid(enrolled, 2026)
    _, unaided = make.child("fumin", name="未助")
    make.enrol(unaided, primary, D(2021, 9, 1))
    make.child("wolong", name="失学")
    expected = {
        indicators.COMPULSORY_AGE: {fumin: 2, wolong: 1},
        indicators.OUT_OF_SCHOOL: {wolong: 1},
        indicators.ENROLLED: {fumin: 2},
        indicators.AIDED: {fumin: 1},
        indicators.UNAIDED: {fumin: 1},
    }
    for key, values in expected.items():
        assert registry.get(key).values_as_of(DAY) == values, key
    assert registry.get(indicators.ENROLLED).values_as_of(D(2021, 8, 31)) == {}


def test_a_late_enrolment_marks_the_days_snapshot_stale(primary):
    from tasks import snapshots
    from tasks.models import IndicatorSnapshot

    _, pupil = make.child()
    snapshots.read(DAY)
    make.enrol(pupil, primary, D(2021, 9, 1))
    assert IndicatorSnapshot.objects.filter(day=DAY, group="services.schooling", stale_since__isnull=False).exists()
