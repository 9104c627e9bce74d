"""Dated rule data: the row in force on a day, the checks on an edit, and the seed's row created once."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from settlements import dated_rules
from settlements.models import DatedRule

D = datetime.date
CODE = "tests.months"


def _months_problem(params):
    months = params.get("months")
    if not isinstance(months, int) or months < 1:
        return "“months”须为正整数（月数）。"
    return None


@pytest.fixture(autouse=True)
def declared():
    dated_rules.declare(CODE, "测试月数", check=_months_problem)
    yield
    dated_rules._declared.pop(CODE, None)


def _rule(valid_from, valid_to=None, months=6):
    return DatedRule.objects.create(
        code=CODE, name="测试月数", valid_from=valid_from, valid_to=valid_to, params={"months": months}, basis="原文。"
    )


@pytest.mark.django_db
def test_the_row_in_force_changes_on_the_day_the_next_takes_effect():
    _rule(D(2019, 1, 1), valid_to=D(2021, 1, 1), months=6)
    _rule(D(2021, 1, 1), months=3)
    assert dated_rules.in_force(CODE, D(2020, 12, 31)).params["months"] == 6
    assert (
        dated_rules.in_force(CODE, D(2021, 1, 1)).params["months"] == 3
    )  # valid_to is the first day it no longer holds
    with pytest.raises(dated_rules.MissingRule, match="测试月数.*2018-12-31"):
        dated_rules.in_force(CODE, D(2018, 12, 31))


@pytest.mark.django_db
def test_an_edit_the_code_cannot_apply_is_refused_with_the_reason():
    first = _rule(D(2019, 1, 1))
    overlapping = DatedRule(code=CODE, name="测试月数", valid_from=D(2020, 1, 1), params={"months": 4}, basis="原文。")
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "重叠" in str(refused.value.message_dict["valid_from"])
    first.params = {"months": 0}
    first.valid_to = D(2019, 1, 1)
    with pytest.raises(ValidationError) as refused:
        first.full_clean()
    assert refused.value.message_dict["params"] == ["“months”须为正整数（月数）。"]
    assert refused.value.message_dict["valid_to"] == ["失效日期须晚于生效日期。"]
    unknown = DatedRule(code="tests.unknown", name="x", valid_from=D(2019, 1, 1), params={}, basis="原文。")
    with pytest.raises(ValidationError, match="未知的规则代码"):
        unknown.full_clean()


@pytest.mark.django_db
def test_the_seeds_row_is_created_once_and_an_office_correction_is_kept():
    seeded = {"code": CODE, "valid_from": D(2019, 1, 1), "name": "测试月数", "params": {"months": 6}, "basis": "原文。"}
    rule = dated_rules.ensure(**seeded)
    DatedRule.objects.filter(pk=rule.pk).update(params={"months": 5})
    assert dated_rules.ensure(**seeded).params == {"months": 5}
    assert DatedRule.objects.filter(code=CODE).count() == 1
    with pytest.raises(ValueError, match="正整数"):
        dated_rules.ensure(**{**seeded, "valid_from": D(2030, 1, 1), "params": {"months": "六"}})
