"""Pages of 医疗卫生: the health facilities against the staffing rules (and a clinic's page saying which rule fails
and why), their medical staff, the serious-illness screening ledger and those missing from it, the family-doctor
contracts and the households without one; their forms; the sections of the settlement and household pages (the
clinics serving a settlement; the family's screening and contract; the property cooperatives' subsidy years)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from settlements import capabilities, exports, photos
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, household_for, page_of, person_for
from settlements.models import Facility, Health

from .. import health_exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import health_forms as forms
from .. import health_rules, property_rules, services
from ..capabilities import KEEP_SERVICES, READ_SERVICES
from ..models import FamilyDoctorContract, IllnessScreening, MedicalStaff
from ..selectors import health, property_coops
from ..services.health import require_keeper_of
from .common import for_keeper, household_url, save_or_show

PREVIEW = 10


def clinic_for_user(user, pk) -> Facility:
    """A health facility `user` reads (else 404)."""
    return get_object_or_404(health.health_facilities(user), pk=pk)


def rule_rows(day) -> list:
    """The staffing rules in force on `day`, with the seed's sentence and the portal's reading."""
    rules = health_rules.clinic_rules(day)
    return [row for row in (rules.doctors, rules.woman, rules.western_chinese, rules.staff) if row is not None]


# --- clinics ---------------------------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def clinic_list(request):
    form, day, rows = forms.clinic_query(request.user, request.GET)
    context = {
        "form": form,
        "day": day,
        "rows": rows,
        "missing": health_rules.clinic_rules(day).missing,
        "export": "services:clinic_export",
        "no_ids": True,
    }
    return render(request, "services/clinic_list.html", context)


clinic_export = exports.view("services.clinic_staffing")


@capability_required(READ_SERVICES)
def clinic_detail(request, pk):
    facility = clinic_for_user(request.user, pk)
    day = day_of(request)
    (row,) = health.clinic_staffing([facility], day)
    context = {
        "facility": facility,
        "day": day,
        "row": row,
        "rules": rule_rows(day),
        "missing": health_rules.clinic_rules(day).missing,
        "everyone": MedicalStaff.objects.filter(facility=facility).order_by("-end_date", "role", "start_date", "id"),
        "may_keep": Facility.objects.kept_by(request.user).filter(pk=facility.pk).exists(),
        "gallery": photos.gallery(facility, request.user),
    }
    return render(request, "services/clinic_detail.html", context)


@capability_required(READ_SERVICES)
def staff_create(request, pk):
    facility = clinic_for_user(request.user, pk)
    require_keeper_of(facility, request.user)
    return _staff_form(request, MedicalStaff(facility=facility))


@login_required
def staff_edit(request, pk):
    staff = for_keeper(request.user, MedicalStaff.objects.select_related("facility"), pk)
    require_keeper_of(staff.facility, request.user)
    return _staff_form(request, staff)


def _staff_form(request, staff):
    form = forms.MedicalStaffForm(request.POST or None, instance=staff)

    def write(data):
        services.medical_staff_save(staff=form.instance, actor=request.user)

    back = reverse("services:clinic_detail", args=[staff.facility_id])
    context = {"title": "医务人员", "subject": staff.facility.name, "back": back}
    return save_or_show(request, form, context, write, "已保存医务人员。", back)


# --- the screening ledger --------------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def screening_list(request):
    form, day, rows = forms.screening_query(request.user, request.GET)
    context = {"form": form, "day": day, "page": page_of(request, rows)}
    return render(request, "services/screening_list.html", context)


@capability_required(READ_SERVICES)
def unscreened_list(request):
    form, day, rows = forms.unscreened_query(request.user, request.GET)
    context = {"form": form, "day": day, "page": page_of(request, rows), "export": "services:unscreened_export"}
    return render(request, "services/unscreened_list.html", context)


unscreened_export = exports.view("services.unscreened")


@capability_required(READ_SERVICES)
def screening_create(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    screening = IllnessScreening.objects.filter(person=person).first() or IllnessScreening(person=person)
    return _screening_form(request, screening)


@login_required
def screening_edit(request, pk):
    return _screening_form(request, for_keeper(request.user, IllnessScreening.objects.select_related("person"), pk))


def _screening_form(request, screening):
    form = forms.ScreeningForm(request.POST or None, instance=screening)

    def write(data):
        services.illness_screening_save(screening=form.instance, actor=request.user)

    person = screening.person
    context = {
        "title": "大病筛查台账",
        "subject": person.name,
        "back": household_url(person.household_id),
        "screening": screening if screening.pk else None,
        "entries": screening.entries.order_by("-noted_on", "-id") if screening.pk else [],
    }
    success = f"已保存{person.name}的大病筛查台账。"
    return save_or_show(request, form, context, write, success, context["back"], "services/screening_form.html")


@login_required
def entry_create(request, pk):
    screening = for_keeper(request.user, IllnessScreening.objects.select_related("person"), pk)
    form = forms.MonitoringEntryForm(request.POST or None, initial={"status": screening.status})

    def write(data):
        services.monitoring_entry_add(screening=screening, actor=request.user, **data)

    back = reverse("services:screening_edit", args=[screening.pk])
    context = {"title": "动态监测", "subject": screening.person.name, "back": back}
    return save_or_show(request, form, context, write, "已登记动态监测。", back)


# --- family-doctor contracts -----------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def contract_list(request):
    form, day, rows = forms.contract_query(request.user, request.GET)
    return render(request, "services/contract_list.html", {"form": form, "day": day, "page": page_of(request, rows)})


@capability_required(READ_SERVICES)
def unsigned_list(request):
    form, day, rows = forms.unsigned_query(request.user, request.GET)
    return render(request, "services/unsigned_list.html", {"form": form, "day": day, "page": page_of(request, rows)})


@capability_required(READ_SERVICES)
def contract_create(request, pk):
    household = household_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    return _contract_form(request, FamilyDoctorContract(household=household))


@login_required
def contract_edit(request, pk):
    queryset = FamilyDoctorContract.objects.select_related("household__settlement")
    return _contract_form(request, for_keeper(request.user, queryset, pk))


def _contract_form(request, contract):
    form = forms.ContractForm(request.POST or None, instance=contract)

    def write(data):
        services.contract_save(contract=form.instance, actor=request.user)

    household = contract.household
    context = {"title": "家庭医生签约", "subject": household.code, "back": household_url(household.pk)}
    return save_or_show(request, form, context, write, f"已保存{household.code}的家庭医生签约。", context["back"])


# --- the sections of the settlement and household pages -----------------------------------------------------------


def settlement_section(user, settlement, day):
    facilities = health.health_facilities(user).filter(settlements=settlement)
    unscreened = health.unscreened_list(user=user, day=day, settlement=settlement)
    screened, missing = health.screening_counts(day)
    signed, unsigned = health.contract_counts(day)
    return {
        "day": day,
        "settlement": settlement,
        "clinics": health.clinic_staffing(facilities, day),
        "missing_rules": health_rules.clinic_rules(day).missing,
        "unscreened": list(unscreened[:PREVIEW]),
        "screened_count": screened.get(settlement.pk, 0),
        "unscreened_count": missing.get(settlement.pk, 0),
        "signed_count": signed.get(settlement.pk, 0),
        "unsigned_count": unsigned.get(settlement.pk, 0),
    }


def household_section(user, household, members, day):
    screenings = {row.person_id: row for row in IllnessScreening.objects.filter(person__in=members)}
    ill = [
        (person, screenings.get(person.pk))
        for person in members
        if person.health == Health.SERIOUS or person.pk in screenings
    ]
    contracts = FamilyDoctorContract.objects.filter(household=household).select_related("doctor__facility")
    return {
        "day": day,
        "household": household,
        "ill": ill,
        "contracts": list(contracts.order_by("-signed_on")),
        "valid": contracts.filter(health.valid_on(day)).first(),
    }


def property_coops_section(user, settlement, day):
    rows = property_coops.coop_rows(property_coops.coops(user=user, settlement=settlement), day)
    return {"day": day, "rows": rows, "years": property_rules.subsidised_years(day)}
