from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from . import capabilities, exports, selectors, services
from .capabilities import KEEP_HOUSEHOLDS, READ_REGISTRY, capability_required
from .form_pages import page_of
from .forms import (
    DateForm,
    HouseholdForm,
    MemberFormSet,
    MemberJoinForm,
    MemberLeaveForm,
    MergeForm,
    MoveOutForm,
    SplitForm,
    add_service_errors,
    member_details,
)
from .home import panels_for
from .models import (
    Household,
    HouseholdStatus,
    MembershipStart,
    Person,
    ResponsibleUnit,
    Settlement,
    WorkTeam,
)
from .roles import ROLE_DUTIES

MSG_NO_FULL_ID = "您的角色无权查看或导出完整身份证号。"


# --- helpers -------------------------------------------------------------------------------------------


def _get_household_for_user(user, pk):
    """The household if it lies in `user`'s scope; otherwise a 404 that does not confirm it exists."""
    return get_object_or_404(Household.objects.for_user(user).select_related("settlement", "building"), pk=pk)


def _get_household_for_editor(user, pk):
    household = _get_household_for_user(user, pk)
    capabilities.require(user, KEEP_HOUSEHOLDS)
    return household


def _get_person_for_user(user, pk):
    return get_object_or_404(Person.objects.for_user(user).select_related("household"), pk=pk)


# --- pages for everyone ------------------------------------------------------------------------------------


@login_required
def home(request):
    """The registry's summary for those who read it, then the panels the apps register (`settlements.home`)."""
    reads_registry = capabilities.has(request.user, READ_REGISTRY)
    summaries = selectors.settlement_summaries(user=request.user) if reads_registry else []
    context = {
        "summaries": summaries,
        "total_households": sum(s.households for s in summaries),
        "total_persons": sum(s.persons for s in summaries),
        "role_duty": ROLE_DUTIES.get(request.user.role, ""),
        "panels": panels_for(request),
    }
    return render(request, "settlements/home.html", context)


@login_required
def reference(request):
    context = {
        "settlements": Settlement.objects.select_related("administered_by"),
        "work_teams": WorkTeam.objects.select_related("lead_unit"),
        "units": ResponsibleUnit.objects.filter(is_active=True),
    }
    return render(request, "settlements/reference.html", context)


# --- lists and exports ---------------------------------------------------------------------------------------


@capability_required(READ_REGISTRY)
def household_list(request):
    household_filter, households = selectors.household_list(user=request.user, params=request.GET)
    context = {"filter": household_filter, "page": page_of(request, households)}
    return render(request, "settlements/household_list.html", context)


@capability_required(READ_REGISTRY)
def person_list(request):
    person_filter, persons = selectors.person_list(user=request.user, params=request.GET)
    context = {"filter": person_filter, "page": page_of(request, persons)}
    return render(request, "settlements/person_list.html", context)


# The filtered persons as the re-importable ledger; ID numbers masked unless asked for (?full=1) and permitted.
person_export = exports.view("settlements.person_ledger")


# --- one household ---------------------------------------------------------------------------------------------


@login_required
def household_detail(request, pk):
    household = _get_household_for_user(request.user, pk)
    context = {
        "household": household,
        "members": household.members.order_by("status", "id"),
        "events": household.events.select_related("person", "related_household", "recorded_by"),
        "history": selectors.household_history(household=household),
        "grid_assignments": household.grid_assignments.select_related("grid").order_by("kind", "-start_date"),
    }
    return render(request, "settlements/household_detail.html", context)


@login_required
def household_file(request, pk):
    """一户一册 as a page to print on A4."""
    household = _get_household_for_user(request.user, pk)
    context = {
        "household": household,
        "members": household.members.order_by("status", "id"),
        "events": household.events.select_related("person", "related_household"),
    }
    return render(request, "settlements/household_file.html", context)


household_file_xlsx = exports.view("settlements.household_file")


@login_required
def person_reveal(request, pk):
    """The full ID number of one person, for a permitted user; logged."""
    person = _get_person_for_user(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    number = services.person_reveal_id_number(user=request.user, person=person)
    return render(request, "settlements/partials/id_number.html", {"number": number})


# --- entry -----------------------------------------------------------------------------------------------------


@capability_required(KEEP_HOUSEHOLDS)
def household_create(request):
    return _household_form(request, Household(status=HouseholdStatus.ALLOCATED))


@login_required
def household_edit(request, pk):
    return _household_form(request, _get_household_for_editor(request.user, pk))


def _household_form(request, household):
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, instance=household, user=request.user)
    members = MemberFormSet(data, instance=household, user=request.user, prefix="members")
    if data is not None and form.is_valid() and members.is_valid():
        try:
            household = _save_household(request.user, form, members)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"搬迁户 {household.code} 已保存。")
            return redirect("household_detail", pk=household.pk)
    return render(request, "settlements/household_form.html", {"form": form, "members": members})


@transaction.atomic
def _save_household(user, form, members):
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    if form.instance.pk:
        household = services.household_update(actor=user, household=form.instance, **fields)
    else:
        moved_in = bool(fields["move_in_date"])
        status = HouseholdStatus.MOVED_IN if moved_in else HouseholdStatus.ALLOCATED
        household = services.household_create(actor=user, status=status, **fields)
    for member_form in members.forms:
        if not member_form.has_changed():
            continue
        details = member_details(member_form)
        if member_form.instance.pk:
            services.person_update(actor=user, person=member_form.instance, **details)
        else:
            services.person_create(actor=user, household=household, **details)
    return household


# --- life events ------------------------------------------------------------------------------------------------


def _event_page(request, household, form, title, save):
    """Show `form`; on a valid POST call `save(form)`, report its ValidationError beside the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{title}已登记。")
            return redirect("household_detail", pk=household.pk)
    return render(request, "settlements/household_event.html", {"household": household, "form": form, "title": title})


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


@login_required
def household_move_in(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = DateForm(_post_or_none(request))

    def save(form):
        services.household_move_in(actor=request.user, household=household, date=form.cleaned_data["date"])

    return _event_page(request, household, form, "入住登记", save)


@login_required
def household_move_out(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = MoveOutForm(_post_or_none(request))

    def save(form):
        services.household_move_out(actor=request.user, household=household, **form.cleaned_data)

    return _event_page(request, household, form, "整户迁出", save)


@login_required
def household_member_join(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = MemberJoinForm(_post_or_none(request), user=request.user, household=household)

    def save(form):
        data = dict(form.cleaned_data)
        reason, date = data.pop("reason"), data.pop("date")
        if reason == MembershipStart.BIRTH:
            services.person_birth(actor=request.user, household=household, **data)
        else:
            services.person_join(actor=request.user, household=household, date=date, reason=reason, **data)

    return _event_page(request, household, form, "新增成员", save)


@login_required
def household_member_leave(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = MemberLeaveForm(_post_or_none(request), household=household)

    def save(form):
        services.person_leave(actor=request.user, **form.cleaned_data)

    return _event_page(request, household, form, "成员离开本户", save)


@login_required
def household_split(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = SplitForm(_post_or_none(request), household=household)

    def save(form):
        data = form.cleaned_data
        new = services.household_split(
            actor=request.user,
            household=household,
            date=data["date"],
            relations=form.relations(),
            code=data["code"],
            building=data["building"],
            room_number=data["room_number"],
        )
        messages.info(request, f"新户 {new.code} 已建立。")

    return _event_page(request, household, form, "分户", save)


@login_required
def household_merge(request, pk):
    household = _get_household_for_editor(request.user, pk)
    form = MergeForm(_post_or_none(request), household=household, user=request.user)

    def save(form):
        services.household_merge(
            actor=request.user,
            source=household,
            target=form.target,
            date=form.cleaned_data["date"],
            relations=form.relations(),
        )

    return _event_page(request, household, form, "合户", save)


@capability_required(READ_REGISTRY)
def registry_as_of(request):
    """Households, persons and labour-age persons per settlement on a chosen past date."""
    form = DateForm(request.GET or None)
    counts = (
        selectors.registry_counts_as_of(user=request.user, day=form.cleaned_data["date"]) if form.is_valid() else None
    )
    return render(request, "settlements/registry_as_of.html", {"form": form, "counts": counts})
