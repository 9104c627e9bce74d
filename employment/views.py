"""Pages of training and employment. Views parse input, call a service, redirect.

Persons, households and settlements are read through `for_user`; outside scope is a 404. Pages ask the
capabilities of `employment.capabilities`: `read_employment` to read, `keep_employment` to write.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from settlements import capabilities, exports, input_ranges
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of, person_for, record_to_keep, save_or_show
from settlements.forms import SEARCH_MAX_LENGTH
from settlements.models import Household, Person, Settlement
from tasks import selectors as task_selectors

from . import labour, selectors, services, subsidies
from .capabilities import KEEP_EMPLOYMENT, READ_EMPLOYMENT
from .forms import (
    ConditionForm,
    EmployerForm,
    EmploymentEndForm,
    EmploymentForm,
    JobPostForm,
    JobPostQuery,
    ProfileForm,
    PushForm,
    TrainingForm,
    VisitForm,
    labour_ledger_query,
    this_month,
)
from .indicators import WELFARE_POSTS_HELD
from .models import Employer, Employment, JobPost, LabourProfile, Unemployment

PAGE_SIZE = 50
INDICATOR_APPS = ("settlements", "employment")  # the indicators the employment pages show


def _person_for_keeper(user, pk):
    """The person if in `user`'s scope (else 404), for a user who keeps the ledger (else 403)."""
    return record_to_keep(user, Person.objects.select_related("household__settlement"), pk, KEEP_EMPLOYMENT)


# --- county and settlement ---------------------------------------------------------------------------------


@capability_required(READ_EMPLOYMENT)
def overview(request):
    day = day_of(request)
    settlements = list(Settlement.objects.for_user(request.user))
    context = {
        "day": day,
        "settlements": settlements,
        "panel": task_selectors.indicator_panel(day=day, settlements=settlements, prefixes=INDICATOR_APPS),
        "pushes": selectors.push_status(user=request.user, day=day),
        "rule": labour.rule_on(day),
    }
    return render(request, "employment/overview.html", context)


@capability_required(READ_EMPLOYMENT)
def settlement_page(request, pk):
    settlement = get_object_or_404(Settlement.objects.for_user(request.user), pk=pk)
    day = day_of(request)
    households = Household.objects.for_user(request.user).filter(settlement=settlement)
    zero_page = page_of(request, selectors.zero_employment_list(day=day, households=households, settlement=settlement))
    context = {
        "settlement": settlement,
        "day": day,
        "panel": task_selectors.indicator_panel(day=day, settlements=[settlement], prefixes=INDICATOR_APPS),
        "page": zero_page,
        "zero": labour.with_reasons(zero_page.object_list, day),
        "push": next(s for s in selectors.push_status(user=request.user, day=day) if s.settlement.pk == settlement.pk),
    }
    return render(request, "employment/settlement.html", context)


@capability_required(READ_EMPLOYMENT)
def ledger(request):
    form, day, stays = labour_ledger_query(request.user, request.GET)
    page = page_of(request, stays)
    for stay in page:
        stay.work_status = selectors.WorkStatus.LABELS[selectors.work_status(stay=stay)]
    return render(request, "employment/ledger.html", {"form": form, "page": page, "day": day})


# The filtered labour ledger as 家庭就业扶贫台账; full ID numbers only when asked for (?full=1), permitted and logged.
ledger_export = exports.view("employment.labour_ledger")


# --- one person ---------------------------------------------------------------------------------------------------


@capability_required(READ_EMPLOYMENT)
def person_card(request, pk):
    person = person_for(request.user, pk)
    day = timezone.localdate()
    card = selectors.person_card(person=person, day=day)
    matches = selectors.matching_posts(person=person, day=day) if card.is_labour and not card.is_working else []
    context = {"card": card, "matches": matches, "verdicts": subsidies.person_verdicts(person, day)}
    return render(request, "employment/person.html", context)


@capability_required(READ_EMPLOYMENT)
def employment_create(request, pk):
    person = _person_for_keeper(request.user, pk)
    initial = {"start_date": timezone.localdate()}
    post = input_ranges.value_from_query(request, JobPostQuery, None)
    if post:
        initial.update(job_post=post, employer=post.employer, job_title=post.title, place=post.place_kind)
    form = EmploymentForm(request.POST or None, person=person, initial=initial)

    def write(data):
        services.employment_start(person=person, actor=request.user, **data)

    context = {"person": person, "post": post}
    return save_or_show(
        request, form, "employment/employment_form.html", context, write, f"已登记{person.name}的就业。", _card(person)
    )


@login_required
def employment_end(request, pk):
    employment = record_to_keep(request.user, Employment.objects.select_related("person"), pk, KEEP_EMPLOYMENT)
    form = EmploymentEndForm(request.POST or None, initial={"end_date": timezone.localdate()})

    def write(data):
        services.employment_end(
            employment=employment, end_date=data["end_date"], reason=data["reason"], actor=request.user
        )

    person = employment.person
    context = {"person": person, "employment": employment}
    success = f"已登记{person.name}离岗。"
    return save_or_show(request, form, "employment/employment_end.html", context, write, success, _card(person))


@capability_required(READ_EMPLOYMENT)
def profile_edit(request, pk):
    person = _person_for_keeper(request.user, pk)
    profile = LabourProfile.objects.filter(person=person).first() or LabourProfile(person=person)
    form = ProfileForm(request.POST or None, instance=profile)

    def write(data):
        services.profile_save(person=person, actor=request.user, **data)

    return save_or_show(
        request, form, "employment/simple_form.html", _titled(person, "劳动力信息"), write, "已保存。", _card(person)
    )


@capability_required(READ_EMPLOYMENT)
def condition_create(request, pk):
    person = _person_for_keeper(request.user, pk)
    form = ConditionForm(request.POST or None)

    def write(data):
        services.condition_record(person=person, actor=request.user, **data)

    context = _titled(person, "登记劳动力特殊情形")
    return save_or_show(request, form, "employment/simple_form.html", context, write, "已登记。", _card(person))


@capability_required(READ_EMPLOYMENT)
def training_create(request, pk):
    person = _person_for_keeper(request.user, pk)
    form = TrainingForm(request.POST or None)

    def write(data):
        services.training_record(person=person, actor=request.user, **data)

    context = _titled(person, "登记培训")
    return save_or_show(request, form, "employment/simple_form.html", context, write, "已登记培训。", _card(person))


@login_required
def visit_create(request, pk):
    unemployment = record_to_keep(request.user, Unemployment.objects.select_related("person"), pk, KEEP_EMPLOYMENT)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})

    def write(data):
        services.follow_up_record(unemployment=unemployment, actor=request.user, **data)

    person = unemployment.person
    context = _titled(person, "记录一对一帮扶")
    return save_or_show(request, form, "employment/simple_form.html", context, write, "已记录帮扶。", _card(person))


def _card(person):
    return reverse("employment:person", args=[person.pk])


def _titled(person, title):
    return {"person": person, "title": title}


# --- posts, employers, pushes, workshops, welfare posts ---------------------------------------------------------


@capability_required(READ_EMPLOYMENT)
def post_list(request):
    day = timezone.localdate()
    posts = JobPost.objects.select_related("employer").order_by("-published_on")
    if request.GET.get("valid") != "all":
        posts = selectors.valid_posts(day=day)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if query:
        posts = posts.filter(title__icontains=query) | posts.filter(employer__name__icontains=query)
    return render(request, "employment/post_list.html", {"page": page_of(request, posts), "query": query})


@capability_required(READ_EMPLOYMENT)
@capability_required(KEEP_EMPLOYMENT)
def post_edit(request, pk=None):
    post = get_object_or_404(JobPost, pk=pk) if pk else None
    form = JobPostForm(request.POST or None, instance=post)

    def write(data):
        services.job_post_save(post=form.instance, actor=request.user)

    context = {"title": "岗位信息"}
    return save_or_show(
        request,
        form,
        "employment/simple_form.html",
        context,
        write,
        "岗位信息已保存。",
        reverse("employment:post_list"),
    )


@capability_required(READ_EMPLOYMENT)
@capability_required(KEEP_EMPLOYMENT)
def employer_create(request):
    form = EmployerForm(request.POST or None)

    def write(data):
        services.employer_save(employer=form.instance, actor=request.user)

    context = {"title": "新增用工单位"}
    return save_or_show(
        request,
        form,
        "employment/simple_form.html",
        context,
        write,
        "用工单位已保存。",
        reverse("employment:post_list"),
    )


@capability_required(READ_EMPLOYMENT)
def push_list(request):
    if request.method == "POST":
        capabilities.require(request.user, KEEP_EMPLOYMENT)
    day = timezone.localdate()
    form = PushForm(
        request.POST or None,
        user=request.user,
        posts=selectors.valid_posts(day=day),
        initial={"held_on": day},
    )

    def write(data):
        offers = {person: list(data["posts"]) for person in data["person_list"]}
        services.job_push_record(
            settlement=data["settlement"],
            held_on=data["held_on"],
            title=data["title"],
            offers=offers,
            note=data["note"],
            actor=request.user,
        )

    context = {
        "status": selectors.push_status(user=request.user, day=day),
        "page": page_of(request, selectors.pushes_for_user(user=request.user)),
    }
    return save_or_show(
        request,
        form,
        "employment/push_list.html",
        context,
        write,
        "已记录岗位推送活动。",
        reverse("employment:push_list"),
    )


@capability_required(READ_EMPLOYMENT)
def workshop_list(request):
    day = day_of(request)
    workshops = selectors.workshops_with_employees(user=request.user, day=day)
    return render(request, "employment/workshop_list.html", {"workshops": workshops, "day": day})


@capability_required(READ_EMPLOYMENT)
def welfare_post_list(request):
    day = day_of(request)
    posts = selectors.welfare_posts_with_holders(user=request.user, day=day)
    context = {
        "page": page_of(request, posts),
        "day": day,
        "target": task_selectors.plan_target(indicator_key=WELFARE_POSTS_HELD),
    }
    return render(request, "employment/welfare_post_list.html", context)


# --- subsidies ----------------------------------------------------------------------------------------------------


@capability_required(READ_EMPLOYMENT)
def employer_detail(request, pk):
    employer = get_object_or_404(Employer, pk=pk)
    day = day_of(request)
    verdicts = subsidies.employer_verdicts(employer, day, persons=Person.objects.for_user(request.user))
    context = {"employer": employer, "day": day, "verdicts": verdicts, "posts": employer.posts.all()}
    return render(request, "employment/employer.html", context)


@capability_required(READ_EMPLOYMENT)
def roster(request):
    month = input_ranges.value_from_query(request, input_ranges.MonthQuery, this_month())
    rows = subsidies.roster(month, settlements=Settlement.objects.for_user(request.user))
    total = sum(row.amount for row in rows)
    return render(request, "employment/roster.html", {"month": month, "rows": rows, "total": total})


roster_export = exports.view("employment.subsidy_roster")
