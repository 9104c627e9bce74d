"""Pages of 公共教育: the children out of school, the aid gaps, the enrolments and the catchments; the forms of an
enrolment (and its end), a 控辍保学 visit, student aid and a catchment; the sections of the settlement and household
pages. Persons, enrolments and aid are read through `for_user` (404 outside scope); writes ask `keep_services`,
catchments `keep_catchments` (403)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from settlements import capabilities, exports
from settlements.capabilities import capability_required
from settlements.form_pages import page_of, person_for

from .. import schooling_exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import schooling_forms as forms
from .. import schooling_rules
from ..capabilities import KEEP_CATCHMENTS, KEEP_SERVICES, READ_SERVICES
from ..models import Catchment, DropoutVisit, EndReason, SchoolEnrolment, SchoolLevel, StudentAid
from ..selectors import schooling
from ..services import schooling as services
from .common import for_keeper, household_url, save_or_show

PREVIEW = 10


def _rule_context(day) -> dict:
    age = schooling_rules.school_age(day)
    return {
        "age": age,
        "school_year": schooling.school_year_label(age.school_year(day)) if age else "",
        "schemes": schooling_rules.aid_schemes(day),
    }


# --- lists --------------------------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def out_of_school_list(request):
    form, day, rows = forms.out_of_school_query(request.user, request.GET)
    page = page_of(request, rows)
    for stay in page:
        stay.reason = schooling.out_of_school_reason(stay)
    context = {"form": form, "day": day, "page": page, "export": "services:out_of_school_export"}
    return render(request, "services/schooling/out_of_school.html", {**context, **_rule_context(day)})


out_of_school_export = exports.view("services.out_of_school")


@capability_required(READ_SERVICES)
def aid_gap_list(request):
    form, day, rows = forms.aid_gap_query(request.user, request.GET)
    page = page_of(request, rows)
    for stay in page:
        stay.level_label = SchoolLevel(stay.level).label
    context = {"form": form, "day": day, "page": page, "export": "services:aid_gap_export"}
    return render(request, "services/schooling/aid_gaps.html", {**context, **_rule_context(day)})


aid_gap_export = exports.view("services.aid_gaps")


@capability_required(READ_SERVICES)
def school_enrolment_list(request):
    form, day, rows = forms.school_enrolment_query(request.user, request.GET)
    context = {"form": form, "day": day, "page": page_of(request, rows)}
    return render(request, "services/schooling/enrolments.html", context)


@capability_required(READ_SERVICES)
def catchment_page(request):
    form, day, rows = forms.catchment_query(request.user, request.GET)
    townships = schooling.township_catchments(day)
    context = {
        "form": form,
        "day": day,
        "page": page_of(request, rows),
        "townships": townships,
        "townships_without": [row.township for row in townships if not row.catchments],
    }
    return render(request, "services/schooling/catchments.html", context)


# --- forms --------------------------------------------------------------------------------------------------------


@capability_required(READ_SERVICES)
def school_enrolment_create(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    return _enrolment_form(request, SchoolEnrolment(person=person))


@login_required
def school_enrolment_edit(request, pk):
    queryset = SchoolEnrolment.objects.select_related("person", "school")
    return _enrolment_form(request, for_keeper(request.user, queryset, pk))


def _enrolment_form(request, enrolment):
    form = forms.SchoolEnrolmentForm(request.POST or None, instance=enrolment, user=request.user)

    def write(data):
        services.school_enrolment_save(enrolment=form.instance, actor=request.user)

    person = enrolment.person
    back = household_url(person.household_id)
    context = {"title": "就读记录", "subject": person.name, "back": back}
    return save_or_show(request, form, context, write, f"已保存{person.name}的就读记录。", back)


@login_required
def dropout_visit_create(request, pk):
    dropout = for_keeper(request.user, SchoolEnrolment.objects.select_related("person"), pk)
    return _visit_form(request, DropoutVisit(dropout=dropout))


@login_required
def dropout_visit_edit(request, pk):
    return _visit_form(request, for_keeper(request.user, DropoutVisit.objects.select_related("dropout__person"), pk))


def _visit_form(request, visit):
    dropout = visit.dropout
    form = forms.DropoutVisitForm(request.POST or None, instance=visit)
    if dropout.end_reason != EndReason.DROPOUT and request.method != "POST":
        form.add_error(None, ValidationError(services.MSG_NOT_A_DROPOUT))

    def write(data):
        services.dropout_visit_save(visit=form.instance, actor=request.user)

    person = dropout.person
    back = household_url(person.household_id)
    context = {"title": "控辍保学走访", "subject": f"{person.name}（{dropout.end_date or ''} 辍学）", "back": back}
    return save_or_show(request, form, context, write, f"已登记对{person.name}的控辍保学走访。", back)


@capability_required(READ_SERVICES)
def student_aid_create(request, pk):
    person = person_for(request.user, pk)
    capabilities.require(request.user, KEEP_SERVICES)
    return _aid_form(request, StudentAid(person=person))


@login_required
def student_aid_edit(request, pk):
    return _aid_form(request, for_keeper(request.user, StudentAid.objects.select_related("person"), pk))


def _aid_form(request, aid):
    form = forms.StudentAidForm(request.POST or None, instance=aid)

    def write(data):
        services.student_aid_save(aid=form.instance, actor=request.user)

    person = aid.person
    back = household_url(person.household_id)
    context = {"title": "学生资助", "subject": person.name, "back": back}
    return save_or_show(request, form, context, write, f"已保存{person.name}的学生资助。", back)


@capability_required(READ_SERVICES)
def catchment_create(request):
    capabilities.require(request.user, KEEP_CATCHMENTS)
    return _catchment_form(request, Catchment(level=SchoolLevel.MIDDLE))


@login_required
def catchment_edit(request, pk):
    catchment = get_object_or_404(Catchment.objects.for_user(request.user).select_related("school"), pk=pk)
    capabilities.require(request.user, KEEP_CATCHMENTS)
    return _catchment_form(request, catchment)


def _catchment_form(request, catchment):
    form = forms.CatchmentForm(request.POST or None, instance=catchment, user=request.user)

    def write(data):
        services.catchment_save(catchment=form.instance, actor=request.user)

    back = reverse("services:catchments")
    context = {"title": "就学安排", "subject": "", "back": back}
    return save_or_show(request, form, context, write, "已保存就学安排。", back)


# --- the sections of the settlement and household pages -----------------------------------------------------------


def settlement_section(user, settlement, day):
    out = schooling.out_of_school_list(user=user, day=day, settlement=settlement)
    preview = list(out[:PREVIEW])
    for stay in preview:
        stay.reason = schooling.out_of_school_reason(stay)
    figures = {
        "compulsory": schooling.compulsory_stays(day).filter(household__settlement=settlement).count(),
        "enrolled": schooling.enrolled_stays(day).filter(household__settlement=settlement).count(),
        "unaided": schooling.aid_gap_list(user=user, day=day, settlement=settlement).count(),
        "dropouts": schooling.dropout_cases(user=user, day=day, settlement=settlement).count(),
    }
    return {
        "day": day,
        "settlement": settlement,
        "out_of_school": preview,
        "out_of_school_count": out.count(),
        "figures": figures,
        "catchments": _catchment_rows(settlement, day),
        **_rule_context(day),
    }


def _catchment_rows(settlement, day) -> list[tuple[str, list]]:
    by_level = schooling.settlement_catchments(settlement, day)
    return [(SchoolLevel(level).label, by_level[level]) for level in (SchoolLevel.KINDERGARTEN, SchoolLevel.PRIMARY)]


def household_section(user, household, members, day):
    children, school_year = schooling.person_schooling(members, day)
    middle = next(
        (row for row in schooling.township_catchments(day) if row.township == household.origin_township), None
    )
    return {
        "day": day,
        "household": household,
        "children": children,
        "school_year": school_year,
        "catchments": _catchment_rows(household.settlement, day),
        "middle": middle.catchments if middle else [],
    }
