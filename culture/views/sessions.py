"""Pages of the sessions: the list (search, filters, pages, the activity register's export), the form with its
photos, a session's page with its gallery, the calendars (a settlement's year, the county's settlements × months);
and the section of the culture settlement page."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import lazy

from settlements import capabilities, exports, form_pages, input_ranges, photos
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of
from settlements.models import Settlement

from .. import session_exports as _registered  # noqa: F401  (the exporter the download view names)
from .. import session_forms, session_rules
from ..capabilities import KEEP_CULTURE, READ_CULTURE
from ..models import Session, SessionKind
from ..selectors import sessions as selectors
from ..services import session_save

RECENT = 5


class YearQuery(input_ranges.PortalForm):
    """?year=2026: the year a calendar shows."""

    year = forms.IntegerField(
        label="年份", required=False, min_value=2016, max_value=2100, error_messages={"invalid": "年份应为数字。"}
    )


def _year_of(request, day) -> int:
    return input_ranges.value_from_query(request, YearQuery, day.year)


def session_for_user(user, pk) -> Session:
    return form_pages.record_for(user, Session.objects.select_related("settlement", "venue", "organiser"), pk)


@capability_required(READ_CULTURE)
def session_list(request):
    form, (start, end, _), rows = session_forms.session_query(request.user, request.GET)
    page = page_of(request, rows)
    counts = selectors.photo_counts(list(page))
    for session in page:
        session.photo_count = counts.get(session.pk, 0)
    context = {
        "filter": {"form": form, "search_help": "搜索支持活动主题、场所和组织单位。"},
        "page": page,
        "start": start,
        "end": end,
        "export": "culture:session_export",
    }
    return render(request, "culture/sessions/list.html", context)


session_export = exports.view("culture.session_register")


@capability_required(READ_CULTURE)
def session_detail(request, pk):
    session = session_for_user(request.user, pk)
    context = {
        "session": session,
        "participants": list(session.participants.order_by("name", "pk")),
        "gallery": photos.gallery(session, request.user),
    }
    return render(request, "culture/sessions/detail.html", context)


@capability_required(READ_CULTURE)
def session_create(request):
    capabilities.require(request.user, KEEP_CULTURE)
    initial = {}
    chosen = Settlement.objects.for_user(request.user).filter(pk=_int(request.GET.get("settlement"))).first()
    if chosen is not None:
        initial["settlement"] = chosen
    if request.GET.get("kind") in SessionKind.values:
        initial["kind"] = request.GET["kind"]
    return _session_form(request, Session(), initial)


@login_required
def session_edit(request, pk):
    session = session_for_user(request.user, pk)
    capabilities.require(request.user, KEEP_CULTURE)
    return _session_form(request, session, {})


def _int(value) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _session_form(request, session, initial):
    form = session_forms.SessionForm(
        request.POST or None, request.FILES or None, instance=session, initial=initial, user=request.user
    )

    def write(data):
        session_save(
            session=form.instance, participants=form.all_participants(), photos=data["photos"], actor=request.user
        )

    context = {"title": "教育活动", "session": session, "back": reverse("culture:sessions")}
    target = lazy(lambda: reverse("culture:session", args=[form.instance.pk]), str)()  # known once saved
    return form_pages.save_or_show(
        request, form, "culture/sessions/form.html", context, write, "已保存教育活动。", target
    )


@capability_required(READ_CULTURE)
def settlement_calendar(request, pk):
    settlement = get_object_or_404(Settlement.objects.for_user(request.user), pk=pk)
    day = day_of(request)
    year = _year_of(request, day)
    context = {
        "settlement": settlement,
        "day": day,
        "year": year,
        "rule": session_rules.monthly_rule(day),
        "calendar": selectors.year_calendar(settlement=settlement, year=year, day=day),
        "years": _years(day),
    }
    return render(request, "culture/sessions/settlement_calendar.html", context)


@capability_required(READ_CULTURE)
def county_calendar(request):
    day = day_of(request)
    year = _year_of(request, day)
    settlements = Settlement.objects.for_user(request.user)
    context = {
        "day": day,
        "year": year,
        "rule": session_rules.monthly_rule(day),
        "calendar": selectors.county_calendar(settlements=settlements, year=year, day=day),
        "years": _years(day),
    }
    return render(request, "culture/sessions/county_calendar.html", context)


def _years(day) -> list[int]:
    return list(range(day.year, 2018, -1))


# --- the section of the culture settlement page -------------------------------------------------------------------


def sessions_settlement_section(user, settlement, day):
    (record,) = selectors.session_records(day=day, settlements=[settlement])
    recent = Session.objects.filter(settlement=settlement, held_on__lte=day).select_related("venue")
    return {
        "day": day,
        "settlement": settlement,
        "rule": session_rules.monthly_rule(day),
        "record": record,
        "this_month": [(SessionKind(kind).label, n) for kind, n in record.this_month.items() if n],
        "recent": list(recent.order_by("-held_on", "-id")[:RECENT]),
    }
