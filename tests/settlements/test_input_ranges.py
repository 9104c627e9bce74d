"""The sane ranges of dates and numbers (settlements/input_ranges.py): one mechanism for every form, query string,
import and admin page, refusing in Chinese with the field and the limit (issue 10)."""

import datetime
from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.urls import get_resolver, reverse
from django.utils import timezone

from employment.models import Employment, JobPost, SubsidyRule
from settlements import dates, id_numbers, input_ranges
from settlements.admin import PortalAdminMixin, PortalInlineMixin
from settlements.forms import HouseholdForm, MemberFormSet
from settlements.imports import cells
from settlements.models import Settlement, WorkTeam
from tasks.models import Deadline
from tests.factories import household_with_head, make_id_number, with_check_digit

D = datetime.date
HUGE = "99999999999999999999"
TODAY = timezone.localdate


def errors_of(form):
    return [message for messages in form.errors.values() for message in messages]


# --- the ranges -------------------------------------------------------------------------------------------------


def test_a_fact_lies_between_1900_and_a_year_ahead_and_a_time_limit_up_to_ten_years_ahead():
    today = D(2026, 5, 1)
    assert input_ranges.fact_range(today) == (D(1900, 1, 1), D(2027, 5, 2))
    assert input_ranges.time_limit_range(today) == (D(1900, 1, 1), D(2036, 5, 1))
    assert input_ranges.date_range("due_on", today) == input_ranges.time_limit_range(today)
    assert input_ranges.date_range("start_date", today) == input_ranges.fact_range(today)


def test_the_office_changes_the_ranges_through_the_settings(settings):
    settings.INPUT_EARLIEST_DATE = D(2016, 1, 1)
    settings.INPUT_FACT_HORIZON_DAYS = 0
    settings.INPUT_PLAN_HORIZON_YEARS = 1
    settings.INPUT_MAX_AGE_YEARS = 100
    today = D(2026, 5, 1)
    assert input_ranges.fact_range(today) == (D(2016, 1, 1), today)
    assert input_ranges.time_limit_range(today) == (D(2016, 1, 1), D(2027, 5, 1))
    born_1925 = with_check_digit("52263219250101001")
    with pytest.raises(ValidationError) as refused:
        id_numbers.parse(born_1925, today=today)
    assert refused.value.messages == [id_numbers.MSG_TOO_OLD.format(years=100)]


@pytest.mark.parametrize(
    ("model", "name", "expected"),
    [
        (Employment, "contract_months", (0, 32767)),  # PositiveSmallIntegerField
        (JobPost, "openings", (0, 2147483647)),  # PositiveIntegerField
        (Deadline, "project_year", (0, 32767)),
        (Employment, "person", (-(2**63), 2**63 - 1)),  # a foreign key: its target's BigAutoField
    ],
)
def test_an_integer_column_has_the_range_postgresql_gives_it(model, name, expected):
    assert input_ranges.integer_range(model._meta.get_field(name)) == expected


def test_a_decimal_column_holds_up_to_its_digits():
    assert input_ranges.decimal_limit(9, 2) == Decimal("9999999.99")
    assert input_ranges.decimal_limit(12, 2) == Decimal("9999999999.99")


def test_month_arithmetic_past_the_calendar_stops_at_its_ends():
    assert dates.add_months(D(9999, 12, 1), 6) == datetime.date.max
    assert dates.add_months(D(1, 1, 31), -1) == datetime.date.min
    assert dates.years_before(D(1, 6, 1), 60) == datetime.date.min
    assert dates.birth_range(D(1, 1, 1), 16, 59)[0] == datetime.date.min + datetime.timedelta(days=1)
    assert dates.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


# --- the one mechanism on forms ---------------------------------------------------------------------------------


class EmploymentNumbers(input_ranges.PortalModelForm):
    class Meta:
        model = Employment
        fields = ["contract_months", "monthly_pay", "start_date"]


class Plain(input_ranges.PortalForm):
    count = forms.IntegerField(label="人数")
    due_on = forms.DateField(label="完成时限")
    held_on = forms.DateField(label="活动日期")
    unit = forms.ModelChoiceField(label="责任单位", queryset=WorkTeam.objects.all())
    posts = forms.ModelMultipleChoiceField(label="推送岗位", queryset=JobPost.objects.all())


def test_a_model_forms_numbers_are_held_to_their_columns_naming_field_and_limit():
    form = EmploymentNumbers({"contract_months": "40000", "monthly_pay": "10000000", "start_date": "2025-01-01"})
    assert form.errors == {
        "contract_months": ["劳动合同期限（月）不能大于32767。"],
        "monthly_pay": ["月收入（元）不能大于9999999.99。"],
    }
    form = EmploymentNumbers({"contract_months": "-1", "monthly_pay": "1.234", "start_date": "2025-01-01"})
    assert form.errors == {
        "contract_months": ["劳动合同期限（月）不能小于0。"],
        "monthly_pay": ["月收入（元）最多保留2位小数。"],
    }
    assert form.fields["contract_months"].widget.attrs["max"] == "32767"


@pytest.mark.django_db
def test_a_plain_forms_fields_are_held_too_and_a_bad_key_is_refused_before_any_query(django_assert_num_queries):
    far = (TODAY() + datetime.timedelta(days=400)).isoformat()
    data = {"count": HUGE, "due_on": far, "held_on": far, "unit": HUGE, "posts": [HUGE, "abc"]}
    form = Plain(data)
    with django_assert_num_queries(0):
        assert not form.is_valid()
    low, high = input_ranges.fact_range()
    assert form.errors == {
        "count": ["人数不能大于2147483647。"],
        "held_on": [f"活动日期应在{low}至{high}之间。"],
        "unit": ["责任单位：所选项不存在或不可选。"],
        "posts": ["推送岗位：所选项不存在或不可选。"],
    }  # a time limit 400 days ahead is in range
    assert Plain({"due_on": "0001-01-01"}).errors["due_on"][0].startswith("完成时限应在1900-01-01至")


@pytest.mark.django_db
def test_the_date_pickers_offer_the_same_range(users):
    low, high = input_ranges.fact_range()
    assert "min" not in Plain().fields["held_on"].widget.attrs  # a text box, not a picker
    attrs = HouseholdForm(user=users["clerk_wenti"]).fields["move_in_date"].widget.attrs
    assert (attrs["min"], attrs["max"]) == (low.isoformat(), high.isoformat())


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def test_every_form_and_filter_of_the_portals_apps_is_held_to_the_ranges():
    assert get_resolver().url_patterns  # every page's module, and so every form, loaded
    portal = {
        config.name
        for config in apps.get_app_configs()
        if config.path.startswith(str(settings.BASE_DIR)) and ".venv" not in config.path
    }
    forms_seen = [cls for cls in _subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in portal]
    assert len(forms_seen) > 20
    assert [cls for cls in forms_seen if not issubclass(cls, input_ranges.PortalFormMixin)] == []
    filters = [cls for cls in _subclasses(django_filters.FilterSet) if cls.__module__.split(".")[0] in portal]
    assert len(filters) >= 5
    assert [cls for cls in filters if not issubclass(cls._meta.form, input_ranges.PortalFormMixin)] == []


# --- query strings ----------------------------------------------------------------------------------------------


def test_a_query_date_outside_the_range_falls_back_with_the_reason():
    today = D(2026, 5, 1)
    low, high = input_ranges.fact_range()
    assert input_ranges.query_value(input_ranges.DayQuery, {"day": "0001-01-01"}, today) == (
        today,
        [f"统计日期应在{low}至{high}之间。"],
    )
    assert input_ranges.query_value(input_ranges.DayQuery, {"day": "2020-02-30"}, today) == (
        today,
        ["统计日期不是有效的日期。"],
    )
    assert input_ranges.query_value(input_ranges.MonthQuery, {"month": "2020-02"}, today) == (D(2020, 2, 1), [])
    assert input_ranges.query_value(input_ranges.MonthQuery, {}, today) == (today, [])


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["0001-01-01", "0001-02-01", "9999-12-31", "1899-12-31"])
def test_the_registry_as_of_a_date_outside_the_calendar_is_refused_beside_the_field(client, users, date):
    client.force_login(users["office"])
    response = client.get(reverse("registry_as_of"), {"date": date})
    assert response.status_code == 200
    assert response.context["counts"] is None
    assert response.context["form"].errors["date"][0].startswith("日期应在1900-01-01至") or date == "9999-12-31"


@pytest.mark.django_db
def test_the_registry_as_of_its_first_day_counts(client, users):
    client.force_login(users["office"])
    response = client.get(reverse("registry_as_of"), {"date": "1900-01-01"})
    assert response.status_code == 200 and response.context["counts"] is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"settlement": HUGE},
        {"settlement": "abc"},
        {"building": "-1", "project_year": HUGE},
        {"q": "x" * 3000},
        {"page": HUGE},
    ],
)
def test_the_registry_lists_refuse_garbage_in_their_filters(client, users, query):
    household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    for name in ("household_list", "person_list"):
        response = client.get(reverse(name), query)
        assert response.status_code == 200, name


@pytest.mark.django_db
def test_a_nul_character_anywhere_in_a_request_is_a_chinese_400(client, users):
    client.force_login(users["office"])
    for response in (
        client.get(reverse("employment:post_list"), {"q": "\x00"}),
        client.get(reverse("admin:settlements_ledgerimport_changelist"), {"kind__exact": "\x00"}),
        client.post(reverse("household_create"), {"code": "\x00"}),
    ):
        assert response.status_code == 400
        assert "请求无效" in response.content.decode()


# --- imports ------------------------------------------------------------------------------------------------------


def test_an_imported_date_outside_the_range_is_refused_naming_the_limits():
    context = type("Context", (), {"today": D(2026, 5, 1)})()
    parse = cells.date_parser(field="start_date")
    assert parse("1900-01-01", "1900-01-01", context) == D(1900, 1, 1)
    for text in ("1899-12-31", "2027-05-03", "9999-12-31"):
        with pytest.raises(cells.CellError) as refused:
            parse(text, text, context)
        assert refused.value.message == "日期应在1900-01-01至2027-05-02之间。"
    assert cells.date_parser(field="due_on")("2035-01-01", "2035-01-01", context) == D(2035, 1, 1)


@pytest.mark.django_db
def test_a_ledger_row_dated_before_1900_is_wrong_naming_row_column_and_limits(users):
    from settlements.importing import check_ledger
    from tests.settlements.test_import import household, member, sheet, texts

    rows = sheet(household("OLD-1", member("甲", "户主", make_id_number(D(1970, 1, 1))), 入住日期="1899-12-31"))
    result = check_ledger(rows, users["office"], today=D(2026, 5, 1))
    assert texts(result) == ["第2行 入住日期：日期应在1900-01-01至2027-05-02之间。"]


def test_an_imported_number_is_held_to_its_column():
    context = type("Context", (), {"today": D(2026, 5, 1)})()
    months = cells.whole_number_parser_for(Employment, "contract_months")
    assert months(32767, "32767", context) == 32767
    with pytest.raises(cells.CellError, match="应在0到32767之间"):
        months(32768, "32768", context)
    pay = cells.amount_parser_for(Employment, "monthly_pay")
    with pytest.raises(cells.CellError, match="9999999.99"):
        pay("10000000", "10000000", context)
    amount = cells.amount_parser_for(SubsidyRule, "amount")
    assert amount("9999999999.99", "9999999999.99", context) == Decimal("9999999999.99")


# --- the household's members: a formset claiming rows that are not there ----------------------------------------


@pytest.mark.django_db
def test_a_member_formset_claiming_more_rows_than_the_household_has_is_refused(client, users):
    household, head = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("household_edit", args=[household.pk]))
    data = _rendered(page)
    data.update({"members-INITIAL_FORMS": "3", "members-TOTAL_FORMS": "3"})
    response = client.post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 200
    assert response.context["members"].non_form_errors() == [input_ranges.MSG_STALE_ROWS]
    data.update({"members-INITIAL_FORMS": "1", "members-TOTAL_FORMS": HUGE})
    response = client.post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 200
    assert len(response.context["members"].forms) <= MemberFormSet.absolute_max


def _rendered(response):
    """The values a household edit page renders (enough to post it back)."""
    household = response.context["form"].instance
    members = response.context["members"]
    data = {
        name: (value.pk if hasattr(value, "pk") else value) if value is not None else ""
        for name, value in response.context["form"].initial.items()
    }
    data = {name: data.get(name, "") for name in response.context["form"].fields}
    data["settlement"] = household.settlement_id
    data.update(
        {
            "members-TOTAL_FORMS": str(len(members.forms)),
            "members-INITIAL_FORMS": str(members.initial_form_count()),
        }
    )
    for index, form in enumerate(members.initial_forms):
        data[f"members-{index}-id"] = form.instance.pk
        for name in ("name", "id_number", "relation", "education", "health", "hukou_status"):
            data[f"members-{index}-{name}"] = getattr(form.instance, name)
    return data


# --- the admin ----------------------------------------------------------------------------------------------------


def test_every_admin_and_inline_of_the_portal_has_the_shared_checks():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, PortalAdminMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, PortalInlineMixin), inline


@pytest.mark.django_db
@pytest.mark.parametrize("garbage", ["abc", HUGE, "-1"])
def test_garbage_in_an_admin_autocomplete_is_a_form_error(client, administrators, garbage):
    client.force_login(administrators["system_admin"])  # reference data and the plan are theirs
    team = WorkTeam.objects.get(code="employment")
    url = reverse("admin:settlements_workteam_change", args=[team.pk])
    data = {"name": team.name, "code": team.code, "annex": team.annex, "lead_unit": garbage, "sort_order": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["lead_unit"] == ["牵头单位：所选项不存在或不可选。"]


@pytest.mark.django_db
def test_an_admin_integer_too_large_for_its_column_is_a_form_error(client, administrators):
    client.force_login(administrators["system_admin"])  # reference data and the plan are theirs
    settlement = Settlement.objects.get(code="fumin")
    url = reverse("admin:settlements_settlement_change", args=[settlement.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: _posted(value) for name, value in form.initial.items() if name in form.fields}
    data.update({"planned_households": HUGE, "planned_persons": "2147483648"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "planned_households": ["计划安置户数不能大于2147483647。"],
        "planned_persons": ["计划安置人数不能大于2147483647。"],
    }


def _posted(value):
    return "" if value is None else getattr(value, "pk", value)


@pytest.mark.django_db
def test_a_tampered_initial_forms_on_the_tasks_co_unit_inline_is_a_form_error(client, administrators):
    from tests.tasks.factories import make_task

    task = make_task(co=["县教育科技局"])
    client.force_login(administrators["system_admin"])  # reference data and the plan are theirs
    url = reverse("admin:tasks_task_change", args=[task.pk])
    form = client.get(url).context["adminform"].form
    data = {name: _posted(value) for name, value in form.initial.items() if name in form.fields}
    link = task.co_unit_links.get()
    data.update(
        {
            "co_unit_links-TOTAL_FORMS": "3",
            "co_unit_links-INITIAL_FORMS": "3",
            "co_unit_links-0-id": link.pk,
            "co_unit_links-0-task": task.pk,
            "co_unit_links-0-unit": link.unit_id,
            "co_unit_links-0-position": "0",
            "co_unit_links-1-unit": "abc",
            "co_unit_links-2-id": HUGE,
        }
    )
    for inline in ("deadlines", "targets"):
        data.update({f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200
    formsets = {formset.formset.prefix: formset.formset for formset in response.context["inline_admin_formsets"]}
    assert formsets["co_unit_links"].non_form_errors() == [input_ranges.MSG_STALE_ROWS]
    assert task.co_unit_links.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["created_at__lt=0001-01-01", "created_at__gte=0001-01-01&created_at__lt=0001-01-02", "created_at__year=99999"],
)
def test_an_admin_list_filtered_by_a_date_past_the_calendar_is_no_500(client, users, query):
    """SQLite cannot shift 0001-01-01 00:00 of Asia/Shanghai to UTC; PostgreSQL can: either way, no 500."""
    client.force_login(users["office"])
    response = client.get(f"{reverse('admin:settlements_ledgerimport_changelist')}?{query}")
    assert response.status_code == 200 or response.url.endswith("?e=1")


@pytest.mark.django_db
def test_an_admin_list_filter_the_database_cannot_run_opens_the_list_unfiltered(client, users, monkeypatch):
    def overflow(self, request):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(ChangeList, "get_results", overflow)
    client.force_login(users["office"])
    response = client.get(reverse("admin:settlements_ledgerimport_changelist"), {"created_at__lt": "0001-01-01"})
    assert response.status_code == 302 and response.url.endswith("?e=1")


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["abc", HUGE, "-5"])
def test_an_admin_history_page_of_a_malformed_key_is_a_404(client, users, key):
    household, _ = household_with_head("fumin")
    client.force_login(users["office"])
    assert client.get(f"/admin/settlements/household/{key}/history/").status_code == 404
    assert client.get(f"/admin/settlements/household/{household.pk}/history/{key}/").status_code == 404
    assert client.get(reverse("admin:settlements_household_history", args=[household.pk])).status_code == 200


@pytest.mark.django_db
def test_an_admin_date_outside_the_range_is_a_form_error(client, administrators):
    from tests.tasks.factories import make_task

    task = make_task()
    client.force_login(administrators["system_admin"])  # reference data and the plan are theirs
    url = reverse("admin:tasks_task_change", args=[task.pk])
    form = client.get(url).context["adminform"].form
    data = {name: _posted(value) for name, value in form.initial.items() if name in form.fields}
    data.update({"co_unit_links-TOTAL_FORMS": "0", "co_unit_links-INITIAL_FORMS": "0"})
    data.update({"targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"})
    data.update({"deadlines-TOTAL_FORMS": "1", "deadlines-INITIAL_FORMS": "0"})
    data.update({"deadlines-0-due_on": "9999-12-31", "deadlines-0-wording": "年底", "deadlines-0-task": task.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    deadlines = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}["deadlines"]
    low, high = input_ranges.time_limit_range()
    assert deadlines.forms[0].errors["due_on"] == [f"完成时限应在{low}至{high}之间。"]
    assert not task.deadlines.exists()
