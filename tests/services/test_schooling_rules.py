"""The school-age rule at its edges: the school year starts on 1 September, ages are counted on 31 August of its
start year, so a child born 2020-08-31 is of compulsory age from 2026-09-01 and one born a day later only from
2027-09-01; the rule's parameters are checked; both rules are seeded once with their basis and reading."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from services import schooling_rules
from services.selectors import schooling
from settlements.models import DatedRule

from . import schooling_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date


def compulsory_ids(day):
    return set(schooling.compulsory_stays(day).values_list("person_id", flat=True))


def out_of_school_ids(day):
    return set(schooling.out_of_school_stays(day).values_list("person_id", flat=True))


def test_the_school_year_starts_on_the_day_after_the_cutoff(reference):
    age = schooling_rules.school_age(D(2026, 9, 1))
    assert age.school_year(D(2026, 8, 31)) == 2025
    assert age.school_year(D(2026, 9, 1)) == 2026
    assert age.school_year(D(2027, 1, 15)) == 2026
    assert age.age(D(2020, 8, 31), D(2026, 9, 1)) == 6
    assert age.age(D(2020, 9, 1), D(2026, 9, 1)) == 5


def test_a_child_born_on_31_august_is_of_compulsory_age_from_the_school_year_it_turns_six(reference):
    _, born_31st = make.child(birth=D(2020, 8, 31), name="八月生")
    _, born_1st = make.child(birth=D(2020, 9, 1), name="九月生")
    assert compulsory_ids(D(2026, 8, 31)) == set()  # the day before the school year starts: 2025's, aged 5
    assert compulsory_ids(D(2026, 9, 1)) == {born_31st.pk}  # on it: six on 2026-08-31
    assert compulsory_ids(D(2027, 8, 31)) == {born_31st.pk}
    assert compulsory_ids(D(2027, 9, 1)) == {born_31st.pk, born_1st.pk}
    assert out_of_school_ids(D(2026, 9, 1)) == {born_31st.pk}  # and, not enrolled, flagged that day


def test_a_child_leaves_compulsory_age_in_the_school_year_it_is_sixteen_on_the_cutoff(reference):
    _, older = make.child(birth=D(2010, 8, 31), name="大龄")
    _, younger = make.child(birth=D(2010, 9, 1), name="小一天")
    assert compulsory_ids(D(2026, 8, 31)) == {older.pk, younger.pk}  # 15 on 2025-08-31
    assert compulsory_ids(D(2026, 9, 1)) == {younger.pk}  # the older is 16 on 2026-08-31: high-school age
    age = schooling_rules.school_age(D(2026, 9, 1))
    assert age.stage(older.birth_date, D(2026, 9, 1)) == "high_school"
    assert age.stage(D(2023, 8, 31), D(2026, 9, 1)) == "preschool"
    assert age.stage(D(2023, 9, 1), D(2026, 9, 1)) == ""  # two on the cutoff: not yet of school age


def test_a_child_not_yet_moved_in_is_not_counted(reference):
    make.child(birth=D(2015, 3, 1), moved_in=D(2026, 10, 1))
    assert compulsory_ids(D(2026, 9, 30)) == set()
    assert len(compulsory_ids(D(2026, 10, 1))) == 1


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"preschool": [3, 5], "compulsory": [5, 15], "high_school": [16, 18], "cutoff": "08-31"}, "互不重叠"),
        ({"preschool": [3, 5], "compulsory": [6, 15], "high_school": [18, 16], "cutoff": "08-31"}, "最小年龄不能大于"),
        ({"preschool": [3, 5], "compulsory": [6, 15], "high_school": [16, 18], "cutoff": "02-29"}, "不是每年都有"),
        ({"preschool": [3, 5], "compulsory": [6, 15], "high_school": [16, 18], "cutoff": "8-31"}, "月-日"),
        ({"preschool": [3, 5], "compulsory": [6], "high_school": [16, 18], "cutoff": "08-31"}, "最小年龄, 最大年龄"),
    ],
)
def test_a_school_age_rule_the_code_cannot_apply_is_refused_with_the_reason(reference, params, problem):
    rule = DatedRule(code=schooling_rules.SCHOOL_AGE, name="学龄段", valid_from=D(2030, 1, 1), params=params)
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert problem in str(refused.value)


def test_an_aid_rule_names_a_scheme_for_every_stage(reference):
    params = {"preschool": "两补", "compulsory": "", "high_school": "两助三免"}
    rule = DatedRule(code=schooling_rules.STUDENT_AID, name="资助", valid_from=D(2030, 1, 1), params=params)
    with pytest.raises(ValidationError, match="compulsory"):
        rule.full_clean()


def test_both_rules_are_seeded_once_with_the_seeds_sentence_and_the_reading(reference):
    age = DatedRule.objects.get(code=schooling_rules.SCHOOL_AGE)
    assert "不让一个学生辍学" in age.basis and "原文件未规定学龄" in age.reading
    assert age.params == {"preschool": [3, 5], "compulsory": [6, 15], "high_school": [16, 18], "cutoff": "08-31"}
    aid = DatedRule.objects.get(code=schooling_rules.STUDENT_AID)
    assert "应助尽助" in aid.basis and "资助标准（金额）原文件未给出" in aid.reading
    assert schooling_rules.aid_schemes(D(2026, 9, 1)) == {
        "preschool": "两补",
        "compulsory": "两免两补",
        "high_school": "两助三免",
    }
    from settlements.dated_rules import ensure_seeded

    assert ensure_seeded() == 0


def test_a_new_reading_applies_from_the_day_it_takes_effect(reference):
    DatedRule.objects.filter(code=schooling_rules.SCHOOL_AGE).update(valid_to=D(2027, 9, 1))
    DatedRule.objects.create(
        code=schooling_rules.SCHOOL_AGE,
        name="学龄段",
        valid_from=D(2027, 9, 1),
        params={"preschool": [3, 5], "compulsory": [6, 16], "high_school": [17, 18], "cutoff": "08-31"},
    )
    _, person = make.child(birth=D(2011, 3, 1))  # 16 on 2027-08-31
    assert compulsory_ids(D(2027, 8, 31)) == {person.pk}  # 15 on 2026-08-31 under the first reading
    assert compulsory_ids(D(2027, 9, 1)) == {person.pk}  # 16 on 2027-08-31, compulsory under the new one


def test_a_day_without_the_rules_counts_nothing_and_lists_nothing(reference, users):
    make.child()
    day = D(1990, 1, 1)  # before the plan: no rule in force
    assert schooling_rules.school_age(day) is None
    figures = schooling.schooling_figures(day)
    assert figures.compulsory == figures.out_of_school == figures.aided == figures.unaided == {}
    assert not schooling.aid_gap_list(user=users["office"], day=day).exists()
    assert not schooling.out_of_school_list(user=users["office"], day=day).exists()
