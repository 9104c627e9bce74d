"""Pages of the elections: the list, an election's page (its steps and what is missing, the guidance group and
election committee, the plan, candidates and results, the voter list's log), the voter list (search, filters,
pages, the Excel export and the 张榜 sheet printed A4, names only), and the forms of each step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from settlements import exports
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of, record_for
from settlements.forms import add_service_errors

from .. import committees_forms as forms
from .. import committees_rules, services
from ..capabilities import READ_GOVERNANCE
from ..models import Candidate, Committee, Election, ElectionOfficer, Voter, VoterChange
from ..selectors import elections as selectors
from ..selectors.committees import annex4_deadline
from ..services.elections import lead_days
from .committees import FORM_TEMPLATE, keep, show_form

ELECTIONS = Election.objects.select_related("committee")


def election_url(election) -> str:
    return reverse("governance:election_detail", args=[election.pk])


def voters_url(election) -> str:
    return reverse("governance:voter_list", args=[election.pk])


@capability_required(READ_GOVERNANCE)
def election_list(request):
    elections = Election.objects.for_user(request.user).select_related("committee")
    rows = [(election, lead_days(election), selectors.missing_steps(election)) for election in elections[:200]]
    context = {"rows": rows, "deadline": _election_deadline(), "day": day_of(request)}
    return render(request, "governance/elections/election_list.html", context)


def _election_deadline():
    return annex4_deadline("六")


@capability_required(READ_GOVERNANCE)
def election_detail(request, pk):
    election = record_for(request.user, ELECTIONS, pk)
    context = {
        "election": election,
        "steps": selectors.election_steps(election),
        "lead": lead_days(election),
        "rule": committees_rules.voter_list_days(election.list_posted_on or election.election_day),
        "officers": election.officers.all(),
        "candidates": election.candidates.select_related("voter"),
        "changes": VoterChange.objects.filter(election=election).select_related("actor")[:50],
        "seated": election.seated_members.all(),
    }
    return render(request, "governance/elections/election_detail.html", context)


@capability_required(READ_GOVERNANCE)
def election_create(request, pk):
    committee = keep(request.user, Committee.objects, pk)
    return _election_form(request, Election(committee=committee))


@capability_required(READ_GOVERNANCE)
def election_edit(request, pk):
    return _election_form(request, keep(request.user, ELECTIONS, pk))


def _election_form(request, election):
    form = forms.ElectionForm(request.POST or None, instance=election)

    def write(data):
        services.election_save(election=form.instance, actor=request.user)

    back = election_url(election) if election.pk else election.committee.get_absolute_url()
    context = {"title": "选举方案", "subject": election.committee.name, "back": back}
    return show_form(request, form, context, write, "已保存选举方案。", form.instance)


@capability_required(READ_GOVERNANCE)
def officer_create(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    form = forms.OfficerForm(request.POST or None, instance=ElectionOfficer(election=election))

    def write(data):
        services.officer_save(officer=form.instance, actor=request.user)

    context = {"title": "选举指导小组、选举委员会成员", "subject": str(election), "back": election_url(election)}
    return show_form(request, form, context, write, "已登记成员。", election_url(election))


# --- the voter list ------------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def voter_list(request, pk):
    election = record_for(request.user, ELECTIONS, pk)
    form, selection = forms.voter_query(election, request.GET)
    voters = selectors.voter_list(election, **selection)
    context = {
        "election": election,
        "form": form,
        "page": page_of(request, voters),
        "listed": election.voters.filter(struck=False).count(),
        "struck": election.voters.filter(struck=True).count(),
        "export": "governance:voter_export",
    }
    return render(request, "governance/elections/voter_list.html", context)


voter_export = exports.view("governance.voter_list")


@capability_required(READ_GOVERNANCE)
def voter_sheet(request, pk):
    """The 张榜 sheet: the list as posted, printed A4, grouped by building, names only — never an ID number."""
    election = record_for(request.user, ELECTIONS, pk)
    context = {"election": election, "groups": selectors.sheet_groups(election)}
    context["total"] = sum(len(group.voters) for group in context["groups"])
    return render(request, "governance/elections/voter_sheet.html", context)


def _confirm(request, election, title, write, success):
    """A page with one button: POST runs `write()`; a refusal is shown on the page."""
    form = forms.ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = write()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success(result))
            return redirect(voters_url(election))
    context = {"title": title, "subject": str(election), "back": voters_url(election), "form": form}
    return render(request, FORM_TEMPLATE, context)


@capability_required(READ_GOVERNANCE)
def voter_build(request, pk):
    election = keep(request.user, ELECTIONS, pk)

    def write():
        return services.voter_list_build(election=election, actor=request.user)

    def success(result):
        day = f"{election.election_day:%Y-%m-%d}"
        return f"已按 {day} 的户籍台账生成选民名单：新增 {result['joined']} 人，移出 {result['left']} 人。"

    return _confirm(request, election, "按户籍台账生成（刷新）选民名单", write, success)


@capability_required(READ_GOVERNANCE)
def voter_add(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    form = forms.VoterAddForm(request.POST or None, user=request.user)

    def write(data):
        services.voter_add(
            election=election, person=data["person"], name=data["name"], reason=data["reason"], actor=request.user
        )

    context = {"title": "增补选民", "subject": str(election), "back": voters_url(election)}
    return show_form(request, form, context, write, "已增补选民。", voters_url(election))


def _voter_reason_form(request, pk, write_service, title, success):
    voter = keep(request.user, Voter.objects.select_related("election__committee"), pk)
    form = forms.ReasonForm(request.POST or None)

    def write(data):
        write_service(voter=voter, reason=data["reason"], actor=request.user)

    back = voters_url(voter.election)
    context = {"title": title, "subject": voter.name, "back": back}
    return show_form(request, form, context, write, success, back)


@capability_required(READ_GOVERNANCE)
def voter_strike(request, pk):
    return _voter_reason_form(request, pk, services.voter_strike, "划去选民", "已划去。")


@capability_required(READ_GOVERNANCE)
def voter_restore(request, pk):
    return _voter_reason_form(request, pk, services.voter_restore, "恢复选民", "已恢复。")


@capability_required(READ_GOVERNANCE)
def voter_post(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    form = forms.PostForm(request.POST or None)

    def write(data):
        services.voter_list_post(election=election, posted_on=data["list_posted_on"], actor=request.user)

    rule = committees_rules.voter_list_days(election.election_day)
    note = f"选举日 {election.election_day:%Y-%m-%d}；{rule.basis}（{rule.reading}）" if rule else ""
    context = {"title": "张榜公布选民名单", "subject": str(election), "back": voters_url(election), "note": note}
    return show_form(request, form, context, write, "已登记张榜公布。", voters_url(election))


# --- candidates, results, filing -----------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def candidate_create(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    return _candidate_form(request, Candidate(election=election))


@capability_required(READ_GOVERNANCE)
def candidate_edit(request, pk):
    return _candidate_form(request, keep(request.user, Candidate.objects.select_related("election"), pk))


def _candidate_form(request, candidate):
    form = forms.CandidateForm(request.POST or None, instance=candidate)

    def write(data):
        services.candidate_save(candidate=form.instance, actor=request.user)

    back = election_url(candidate.election)
    context = {"title": "候选人和选举结果", "subject": str(candidate.election), "back": back}
    return show_form(request, form, context, write, "已保存候选人。", back)


@capability_required(READ_GOVERNANCE)
def results_announce(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    form = forms.AnnounceForm(request.POST or None, initial={"announced_on": election.election_day})

    def write(data):
        services.results_announce(election=election, announced_on=data["announced_on"], actor=request.user)

    context = {"title": "现场公布选举结果", "subject": str(election), "back": election_url(election)}
    return show_form(
        request, form, context, write, "已登记现场公布选举结果，当选人员已计入居委会成员。", election_url(election)
    )


@capability_required(READ_GOVERNANCE)
def election_file(request, pk):
    election = keep(request.user, ELECTIONS, pk)
    form = forms.FilingForm(request.POST or None)

    def write(data):
        services.election_file(
            election=election, filed_on=data["filed_on"], document=data["document"], actor=request.user
        )

    context = {"title": "选举结果报县民政局备案", "subject": str(election), "back": election_url(election)}
    return show_form(request, form, context, write, "已登记备案。", election_url(election))


# --- the settlement page's section ---------------------------------------------------------------------------------


def settlement_section(user, settlement, day) -> dict:
    elections = Election.objects.filter(committee__settlements=settlement).select_related("committee")
    return {"elections": [(election, lead_days(election)) for election in elections[:5]]}
