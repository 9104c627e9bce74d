"""Pages of the outreach: the origin townships' cadres against what they owe, the postings, the service-day
calendar with the months missed; their forms; and the sections of the settlement and household pages."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities, exports
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of
from settlements.models import Settlement
from settlements.selectors import resident_stays

from .. import exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import forms, rules, services
from ..capabilities import KEEP_SERVICES, READ_SERVICES
from ..models import CadrePosting, ServiceDay, in_effect_on
from ..selectors import outreach
from .common import for_keeper, save_or_show

RECENT = 5


@capability_required(READ_SERVICES)
def cadre_page(request):
    form, day, rows = forms.posting_query(request.user, request.GET)
    day = day or timezone.localdate()
    params = rules.params_on(rules.ORIGIN_CADRES, day)
    context = {
        "form": form,
        "day": day,
        "townships": outreach.township_cadres(day=day, user=request.user),
        "bands": rules.band_text(params["bands"]) if params else None,
        "page": page_of(request, rows),
        "export": "services:posting_export",
    }
    return render(request, "services/cadres.html", context)


posting_export = exports.view("services.cadre_postings")


@capability_required(READ_SERVICES)
def posting_create(request):
    capabilities.require(request.user, KEEP_SERVICES)
    return _posting_form(request, CadrePosting())


@login_required
def posting_edit(request, pk):
    return _posting_form(request, for_keeper(request.user, CadrePosting.objects, pk))


def _posting_form(request, posting):
    form = forms.CadrePostingForm(request.POST or None, instance=posting, user=request.user)

    def write(data):
        services.cadre_posting_save(posting=form.instance, actor=request.user)

    back = reverse("services:cadres")
    context = {"title": "迁出地派驻干部", "subject": posting.cadre_name, "back": back}
    return save_or_show(request, form, context, write, "已保存派驻干部。", back)


@capability_required(READ_SERVICES)
def service_day_page(request):
    form, year, rows = forms.service_day_query(request.user, request.GET)
    today = day_of(request)
    settlements = Settlement.objects.for_user(request.user)
    chosen = form.values().get("settlement")
    if chosen is not None:
        settlements = settlements.filter(pk=chosen.pk)
    records = outreach.service_day_records(day=today, settlements=settlements)
    context = {
        "form": form,
        "year": year,
        "day": today,
        "rule": rules.service_day_rule(today),
        "calendar": _calendar(year, records, rows),
        "records": records,
        "page": page_of(request, rows),
        "export": "services:service_day_export",
    }
    return render(request, "services/service_days.html", context)


def _calendar(year: int, records, days) -> list[dict]:
    """Per settlement, the twelve months of `year`: the days held, and whether the month was missed."""
    held: dict[tuple[int, int], list] = {}
    for service_day in days:
        held.setdefault((service_day.settlement_id, service_day.held_on.month), []).append(service_day.held_on)
    rows = []
    for record in records:
        missed = {month.month for month in record.missed if month.year == year}
        months = [
            {"month": month, "days": sorted(held.get((record.settlement.pk, month), [])), "missed": month in missed}
            for month in range(1, 13)
        ]
        rows.append({"settlement": record.settlement, "months": months})
    return rows


service_day_export = exports.view("services.service_days")


@capability_required(READ_SERVICES)
def service_day_create(request):
    capabilities.require(request.user, KEEP_SERVICES)
    return _service_day_form(request, ServiceDay(starts_at=datetime.time(14, 30)))


@login_required
def service_day_edit(request, pk):
    return _service_day_form(request, for_keeper(request.user, ServiceDay.objects, pk))


def _service_day_form(request, service_day):
    form = forms.ServiceDayForm(request.POST or None, instance=service_day, user=request.user)

    def write(data):
        services.service_day_save(service_day=form.instance, units=data["units"], actor=request.user)

    back = reverse("services:service_days")
    context = {"title": "服务日", "subject": "", "back": back}
    return save_or_show(request, form, context, write, "已保存服务日。", back)


# --- the sections of the settlement and household pages -----------------------------------------------------------


def cadres_settlement_section(user, settlement, day):
    townships = {row.township: row for row in outreach.township_cadres(day=day, user=user)}
    here = (
        resident_stays(day=day)
        .filter(household__settlement=settlement)
        .values_list("household__origin_township", flat=True)
        .distinct()
        .order_by()
    )
    return {
        "day": day,
        "settlement": settlement,
        "postings": list(CadrePosting.objects.filter(in_effect_on(day), settlement=settlement)),
        "townships": sorted((townships[name] for name in set(here) if name in townships), key=lambda t: -t.persons),
    }


def cadres_household_section(user, household, members, day):
    rows = outreach.township_cadres(day=day, user=user)
    township = next((row for row in rows if row.township == household.origin_township), None)
    return {"day": day, "household": household, "township": township}


def service_days_settlement_section(user, settlement, day):
    (record,) = outreach.service_day_records(day=day, settlements=[settlement])
    recent = ServiceDay.objects.filter(settlement=settlement, held_on__lte=day).prefetch_related("units")
    return {
        "day": day,
        "settlement": settlement,
        "rule": rules.service_day_rule(day),
        "record": record,
        "recent": list(recent.order_by("-held_on")[:RECENT]),
    }
