"""Pages of the committees: each settlement against the size rule with the committees, a committee's page (its
settlements and households, establishment steps, members and supervision committee with their history, its
elections), the street office's application, the mass organisations against their deadlines; their forms; the
section of the governance settlement page."""

from django.shortcuts import render
from django.urls import reverse

from settlements import capabilities, exports, form_pages
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, record_for, save_or_show
from settlements.models import Settlement

from .. import committees_exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import committees_forms as forms
from .. import committees_rules, services
from ..capabilities import KEEP_GOVERNANCE, READ_GOVERNANCE
from ..models import (
    Body,
    Committee,
    CommitteeMember,
    CommitteeStep,
    CommitteeStepKind,
    MassOrganisation,
    StreetOffice,
    StreetOfficeStep,
    StreetOfficeStepKind,
)
from ..selectors import committees as selectors

FORM_TEMPLATE = "form_page.html"


def keep(user, queryset, pk):
    """The record `pk` in `user`'s scope (else 404), for a user who keeps the ledger (else 403)."""
    return form_pages.record_to_keep(user, queryset, pk, KEEP_GOVERNANCE)


def show_form(request, form, context, write, success, target):
    return save_or_show(request, form, FORM_TEMPLATE, context, write, success, target)


def require_keeper(request) -> None:
    capabilities.require(request.user, KEEP_GOVERNANCE)


# --- committees ---------------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def committee_list(request):
    day = day_of(request)
    settlements = Settlement.objects.for_user(request.user)
    rows = selectors.settlement_rows(day, settlements)
    context = {
        "day": day,
        "rows": rows,
        "problems": [row for row in rows if row.problem],
        "committees": Committee.objects.for_user(request.user).prefetch_related("settlements"),
        "rule": committees_rules.size_rule(day),
        "deadline": selectors.annex4_deadline("三"),
    }
    return render(request, "governance/committees/committee_list.html", context)


@capability_required(READ_GOVERNANCE)
def committee_detail(request, pk):
    committee = record_for(request.user, Committee.objects.prefetch_related("settlements"), pk)
    members = CommitteeMember.objects.filter(committee=committee).select_related("election")
    done = {step.step: step for step in CommitteeStep.objects.filter(committee=committee)}
    context = {
        "committee": committee,
        "day": day_of(request),
        "households": selectors.committee_households(committee).count(),
        "steps": [(number, label, done.get(number)) for number, label in CommitteeStepKind.choices],
        "members": members.filter(body=Body.COMMITTEE).order_by("-term_from", "role", "id"),
        "supervisors": members.filter(body=Body.SUPERVISION).order_by("-term_from", "role", "id"),
        "elections": committee.elections.all(),
    }
    return render(request, "governance/committees/committee_detail.html", context)


@capability_required(KEEP_GOVERNANCE)
def committee_create(request):
    return _committee_form(request, Committee())


@capability_required(READ_GOVERNANCE)
def committee_edit(request, pk):
    return _committee_form(request, keep(request.user, Committee.objects, pk))


def _committee_form(request, committee):
    form = forms.CommitteeForm(request.POST or None, instance=committee, user=request.user)

    def write(data):
        services.committee_save(committee=form.instance, settlements=data["settlements"], actor=request.user)

    back = reverse("governance:committee_detail", args=[committee.pk]) if committee.pk else None
    context = {"title": "社区居民委员会", "subject": committee.name, "back": back or reverse("governance:committees")}
    return show_form(request, form, context, write, "已保存居委会。", form.instance)  # its page, once saved


@capability_required(READ_GOVERNANCE)
def committee_step(request, pk):
    committee = keep(request.user, Committee.objects, pk)
    form = forms.CommitteeStepForm(request.POST or None, instance=CommitteeStep(committee=committee))

    def write(data):
        services.committee_step_record(committee=committee, step=form.instance, actor=request.user)

    back = reverse("governance:committee_detail", args=[committee.pk])
    context = {"title": "居委会成立步骤", "subject": committee.name, "back": back}
    return show_form(request, form, context, write, "已登记成立步骤。", back)


@capability_required(READ_GOVERNANCE)
def member_create(request, pk):
    committee = keep(request.user, Committee.objects, pk)
    return _member_form(request, CommitteeMember(committee=committee))


@capability_required(READ_GOVERNANCE)
def member_edit(request, pk):
    return _member_form(request, keep(request.user, CommitteeMember.objects.select_related("committee"), pk))


def _member_form(request, member):
    form = forms.MemberForm(request.POST or None, instance=member, user=request.user)

    def write(data):
        services.member_save(member=form.instance, actor=request.user)

    back = reverse("governance:committee_detail", args=[member.committee_id])
    context = {"title": "居委会成员", "subject": member.committee.name, "back": back}
    return show_form(request, form, context, write, "已保存成员。", back)


# --- the street office ------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def street_office(request):
    offices = StreetOffice.objects.for_user(request.user).prefetch_related("settlements", "steps")
    rows = []
    for office in offices:
        done = {step.step: step for step in office.steps.all()}
        rows.append((office, [(label, done.get(number)) for number, label in StreetOfficeStepKind.choices]))
    context = {
        "rows": rows,
        "deadline": selectors.street_office_deadline(),
    }
    return render(request, "governance/committees/street_office.html", context)


@capability_required(KEEP_GOVERNANCE)
def street_office_create(request):
    return _street_office_form(request, StreetOffice())


@capability_required(READ_GOVERNANCE)
def street_office_edit(request, pk):
    return _street_office_form(request, keep(request.user, StreetOffice.objects, pk))


def _street_office_form(request, office):
    form = forms.StreetOfficeForm(request.POST or None, instance=office, user=request.user)

    def write(data):
        services.street_office_save(office=form.instance, settlements=data["settlements"], actor=request.user)

    back = reverse("governance:street_office")
    context = {"title": "街道办事处", "subject": office.name, "back": back}
    return show_form(request, form, context, write, "已保存街道办事处。", back)


@capability_required(READ_GOVERNANCE)
def street_office_step(request, pk):
    office = keep(request.user, StreetOffice.objects, pk)
    form = forms.StreetOfficeStepForm(request.POST or None, instance=StreetOfficeStep(office=office))

    def write(data):
        services.street_office_step_record(office=office, step=form.instance, actor=request.user)

    back = reverse("governance:street_office")
    context = {"title": "街道办事处申报步骤", "subject": office.name, "back": back}
    return show_form(request, form, context, write, "已登记申报步骤。", back)


# --- mass organisations ---------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def mass_organisations(request):
    day = day_of(request)
    rows = selectors.mass_organisation_rows(day, Settlement.objects.for_user(request.user))
    deadlines = selectors.mass_organisation_deadlines()
    context = {
        "day": day,
        "rows": rows,
        "county_deadline": deadlines.get(None),
        "export": "governance:mass_organisation_export",
    }
    return render(request, "governance/committees/mass_organisations.html", context)


mass_organisation_export = exports.view("governance.mass_organisations")


@capability_required(KEEP_GOVERNANCE)
def mass_organisation_create(request):
    return _mass_organisation_form(request, MassOrganisation())


@capability_required(READ_GOVERNANCE)
def mass_organisation_edit(request, pk):
    return _mass_organisation_form(request, keep(request.user, MassOrganisation.objects, pk))


def _mass_organisation_form(request, organisation):
    form = forms.MassOrganisationForm(request.POST or None, instance=organisation, user=request.user)

    def write(data):
        services.mass_organisation_save(organisation=form.instance, actor=request.user)

    back = reverse("governance:mass_organisations")
    context = {"title": "群团组织", "subject": "", "back": back}
    return show_form(request, form, context, write, "已保存群团组织。", back)


# --- the settlement page's section ---------------------------------------------------------------------------------


def settlement_section(user, settlement, day) -> dict:
    (row,) = selectors.settlement_rows(day, [settlement])
    (organisations,) = selectors.mass_organisation_rows(day, [settlement])
    return {"row": row, "organisations": organisations, "committee_deadline": selectors.annex4_deadline("三")}
