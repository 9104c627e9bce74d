"""Pages of 社会保障: the uninsured, the gaps, the enrolments, 低保 and relief; their forms; and the section of
the settlement and household pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from settlements import capabilities, exports
from settlements.capabilities import capability_required
from settlements.form_pages import household_for, page_of, person_for

from .. import exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import forms, rules, services
from ..capabilities import KEEP_SERVICES, READ_SERVICES
from ..models import Dibao, DibaoKind, InsuranceEnrolment, OneTimeRelief, in_effect_on
from ..selectors import social_security
from .common import for_keeper, household_url, save_or_show

PREVIEW = 10


# --- lists ----------------------------------------------------------------------------------------------------


def _list(request, query, template, **context):
    form, day, rows = query(request.user, request.GET)
    return render(request, template, {"form": form, "day": day, "page": page_of(request, rows), **context})


@capability_required(READ_SERVICES)
def uninsured_list(request):
    return _list(request, forms.uninsured_query, "services/uninsured_list.html", export="services:uninsured_export")


@capability_required(READ_SERVICES)
def gap_list(request):
    form, day, rows = forms.gap_query(request.user, request.GET)
    page = page_of(request, rows)
    context = {"form": form, "day": day, "page": page, "gaps": [social_security.as_gap(row) for row in page]}
    return render(request, "services/gap_list.html", {**context, "export": "services:gap_export"})


@capability_required(READ_SERVICES)
def enrolment_list(request):
    return _list(request, forms.enrolment_query, "services/enrolment_list.html", export="services:enrolment_export")


@capability_required(READ_SERVICES)
def dibao_list(request):
    return _list(request, forms.dibao_query, "services/dibao_list.html", export="services:dibao_export")


@capability_required(READ_SERVICES)
def relief_list(request):
    rule = rules.relief_rule(timezone.localdate())
    return _list(request, forms.relief_query, "services/relief_list.html", export="services:relief_export", rule=rule)


uninsured_export = exports.view("services.uninsured")
gap_export = exports.view("services.insurance_gaps")
enrolment_export = exports.view("services.enrolments")
dibao_export = exports.view("services.dibao")
relief_export = exports.view("services.relief")


# --- forms ----------------------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def enrolment_create(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    enrolment = InsuranceEnrolment(person=person)
    return _enrolment_form(request, enrolment)


@login_required
def enrolment_edit(request, pk):
    enrolment = for_keeper(request.user, InsuranceEnrolment.objects.select_related("person"), pk)
    return _enrolment_form(request, enrolment)


def _enrolment_form(request, enrolment):
    form = forms.EnrolmentForm(request.POST or None, instance=enrolment)

    def write(data):
        services.enrolment_save(enrolment=form.instance, actor=request.user)

    person = enrolment.person
    context = {"title": "参保记录", "subject": person.name, "back": household_url(person.household_id)}
    return save_or_show(request, form, context, write, f"已保存{person.name}的参保记录。", context["back"])


@capability_required(READ_SERVICES)
def dibao_create(request, pk):
    household = household_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    return _dibao_form(request, Dibao(household=household))


@login_required
def dibao_edit(request, pk):
    return _dibao_form(request, for_keeper(request.user, Dibao.objects.select_related("household"), pk))


def _dibao_form(request, dibao):
    form = forms.DibaoForm(request.POST or None, instance=dibao)

    def write(data):
        services.dibao_save(dibao=form.instance, actor=request.user)

    household = dibao.household
    context = {"title": "低保记录", "subject": household.code, "back": household_url(household.pk)}
    return save_or_show(request, form, context, write, f"已保存{household.code}的低保记录。", context["back"])


@capability_required(READ_SERVICES)
def relief_create(request, pk):
    household = household_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    form = forms.ReliefForm(request.POST or None)

    def write(data):
        services.relief_grant(household=household, actor=request.user, **data)

    context = {"title": "一次性临时救助", "subject": household.code, "back": household_url(household.pk)}
    return save_or_show(request, form, context, write, f"已登记{household.code}的一次性临时救助。", context["back"])


# --- the section of the settlement and household pages -----------------------------------------------------------


def settlement_section(user, settlement, day):
    uninsured = social_security.uninsured_list(user=user, day=day, settlement=settlement)
    gaps = social_security.gap_list(user=user, day=day, settlement=settlement)
    dibao = social_security.dibao_list(user=user, day=day, settlement=settlement)
    return {
        "day": day,
        "settlement": settlement,
        "schemes_rule": rules.medical_schemes(day) is not None,
        "uninsured": list(uninsured[:PREVIEW]),
        "uninsured_count": uninsured.count(),
        "gaps": [social_security.as_gap(row) for row in gaps[:PREVIEW]],
        "gap_count": gaps.count(),
        "dibao_urban": dibao.filter(kind=DibaoKind.URBAN).count(),
        "dibao_rural": dibao.filter(kind=DibaoKind.RURAL).count(),
        "relief_count": social_security.relief_list(user=user, settlement=settlement).count(),
    }


def household_section(user, household, members, day):
    relief = OneTimeRelief.objects.filter(household=household).first()
    rule = rules.relief_rule(day)
    return {
        "day": day,
        "household": household,
        "insurance": social_security.person_insurance(members, day),
        "dibao": list(Dibao.objects.filter(household=household).order_by("-start_date")),
        "current_dibao": Dibao.objects.filter(in_effect_on(day), household=household).first(),
        "relief": relief,
        "relief_rule": rule,
        "relief_owed": relief is None and rule is not None and rule.start <= day <= rule.end,
    }
