"""The monthly rule of annex 3 (每月定期开展一期感恩教育; 每月定期开展一次扫盲和城镇生产生活方式适应性教育培训) as dated
rule data, and the months a settlement missed under it: month edges, the running month, the first move-in, a
new row from its day; and the core's monthly helper the service days share."""

import datetime

import pytest

from culture import session_rules
from culture.models import SessionKind
from culture.selectors import sessions as selectors
from services.selectors import outreach
from settlements import dated_rules, monthly
from settlements.models import DatedRule, Settlement

from . import session_factories as make

pytestmark = pytest.mark.django_db
D = datetime.date
GRATITUDE, LITERACY = SessionKind.GRATITUDE, SessionKind.LITERACY


@pytest.fixture(autouse=True)
def _rules(reference):
    pass


def record(code="tehe", day=None):
    (found,) = selectors.session_records(day=day or D(2026, 11, 30), settlements=[Settlement.objects.get(code=code)])
    return found


def test_the_rule_quotes_annex_3_word_for_word_and_its_reading_names_the_conflict_with_item_13():
    row = dated_rules.in_force(session_rules.MONTHLY_SESSIONS, D(2019, 6, 1))
    assert "每月定期开展一期感恩教育" in row.basis
    assert "通过每月定期开展一次扫盲和城镇生产生活方式适应性教育培训" in row.basis
    assert "不定期开展" in row.reading and "总体方案第13项" in row.reading and "附件3" in row.reading
    assert row.params == {"kinds": {"gratitude": 1, "literacy": 1}, "from_month": "2019-06"}
    assert dated_rules.row_on(session_rules.MONTHLY_SESSIONS, D(2019, 5, 19)) is None


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"kinds": {}, "from_month": "2019-06"}, "“kinds”须为"),
        ({"kinds": {"dance": 1}, "from_month": "2019-06"}, "活动类别“dance”不存在"),
        ({"kinds": {"gratitude": 0}, "from_month": "2019-06"}, "1 至 31 的整数"),
        ({"kinds": {"gratitude": True}, "from_month": "2019-06"}, "1 至 31 的整数"),
        ({"kinds": {"gratitude": 1}, "from_month": "2019-6"}, "“from_month”须写作"),
    ],
)
def test_a_rule_the_code_cannot_apply_is_refused_with_the_reason(params, problem):
    assert problem in dated_rules.params_problem(session_rules.MONTHLY_SESSIONS, params)


def test_a_session_on_the_last_day_of_a_month_counts_for_that_month_and_the_first_of_the_next_for_the_next():
    make.moved_in("tehe", D(2026, 8, 10))
    make.session("tehe", D(2026, 8, 31))
    make.session("tehe", D(2026, 10, 1))
    found = record(day=D(2026, 11, 30))
    assert found.missed[GRATITUDE] == [D(2026, 9, 1)]
    assert selectors.month_counts([Settlement.objects.get(code="tehe")], D(2026, 11, 30)) == {
        (Settlement.objects.get(code="tehe").pk, GRATITUDE, D(2026, 8, 1)): 1,
        (Settlement.objects.get(code="tehe").pk, GRATITUDE, D(2026, 10, 1)): 1,
    }


def test_a_month_without_its_gratitude_session_is_flagged_and_the_running_month_is_not():
    make.moved_in("tehe", D(2026, 9, 15))
    make.session("tehe", D(2026, 9, 20))
    make.session("tehe", D(2026, 9, 21), LITERACY)
    make.session("tehe", D(2026, 10, 8), LITERACY)
    found = record(day=D(2026, 11, 30))  # November is still running: not missed, whatever it holds
    assert found.missed == {GRATITUDE: [D(2026, 10, 1)], LITERACY: []}
    assert found.this_month[GRATITUDE] == 0
    december = {GRATITUDE: [D(2026, 10, 1), D(2026, 11, 1)], LITERACY: [D(2026, 11, 1)]}
    assert record(day=D(2026, 12, 1)).missed == december


def test_months_count_from_the_rules_first_month_or_the_first_move_in_whichever_is_later():
    make.moved_in("fumin", D(2019, 3, 1))  # before the rule: from June 2019
    found = record("fumin", day=D(2019, 9, 5))
    assert found.missed[GRATITUDE] == [D(2019, 6, 1), D(2019, 7, 1), D(2019, 8, 1)]
    assert record("dingwei", day=D(2019, 9, 5)).missed == {GRATITUDE: [], LITERACY: []}  # nobody moved in


def test_the_rule_edited_as_a_new_dated_row_changes_the_result_from_its_day():
    make.moved_in("tehe", D(2026, 6, 1))
    for month in (6, 7, 8):
        make.session("tehe", D(2026, month, 10))
        make.session("tehe", D(2026, month, 11), LITERACY)
    first = DatedRule.objects.get(code=session_rules.MONTHLY_SESSIONS)
    first.valid_to = D(2026, 9, 1)
    first.save()
    DatedRule.objects.create(
        code=session_rules.MONTHLY_SESSIONS,
        name=first.name,
        valid_from=D(2026, 9, 1),
        params={"kinds": {"gratitude": 2}, "from_month": "2019-06"},
        basis=first.basis,
        reading="县里决定：感恩教育每月两期，扫盲培训不定期。",
    )
    assert record(day=D(2026, 8, 31)).missed == {GRATITUDE: [], LITERACY: []}
    assert record(day=D(2026, 9, 1)).missed == {GRATITUDE: [D(2026, 6, 1), D(2026, 7, 1), D(2026, 8, 1)]}


def test_the_core_helper_finds_the_months_short_of_the_number_required():
    counts = {(1, D(2026, 1, 1)): 2, (1, D(2026, 2, 1)): 1}
    assert monthly.months_short(counts, (1,), start=D(2026, 1, 1), day=D(2026, 4, 30), required=2) == [
        D(2026, 2, 1),
        D(2026, 3, 1),
    ]
    assert monthly.months_short(counts, (1,), start=None, day=D(2026, 4, 30), required=1) == []
    assert monthly.first_month_owed(D(2019, 6, 1), D(2020, 3, 15)) == D(2020, 3, 1)
    assert monthly.first_month_owed(D(2019, 6, 1), None) is None


def test_the_service_days_still_miss_their_months_through_the_shared_helper(users):
    from tests.services import factories as services_make

    services_make.resident("tehe", moved_in=D(2026, 8, 10))
    services_make.service_day("tehe", D(2026, 9, 3))
    (found,) = outreach.service_day_records(day=D(2026, 11, 30), settlements=[Settlement.objects.get(code="tehe")])
    assert found.missed == [D(2026, 8, 1), D(2026, 10, 1)]
