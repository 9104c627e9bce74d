"""Pages of the open affairs: the catalogue, publications (with the assistance not mirrored in the origin village),
meetings and their decisions (with those not consulted on first), democratic evaluations, the charter and compact
of each settlement; their forms; and the section of the settlement page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from settlements import capabilities, dated_rules, exports, photos
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of, record_for, record_to_keep, save_or_show
from settlements.models import Settlement

from .. import open_affairs_exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import open_affairs_forms as forms
from .. import open_affairs_rules as rules
from ..capabilities import KEEP_GOVERNANCE, READ_GOVERNANCE
from ..models import (
    AffairCategory,
    CatalogueItem,
    DemocraticEvaluation,
    MeetingDecision,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)
from ..selectors import open_affairs
from ..services import open_affairs as services

FORM = "form_page.html"
LATEST = 5


def _keep(user, queryset, pk):
    return record_to_keep(user, queryset, pk, KEEP_GOVERNANCE)


def _form_page(request, form, title, subject, write, success, back):
    context = {"title": title, "subject": subject, "back": back}
    return save_or_show(request, form, FORM, context, write, success, back)


def _list(request, template, query, export, **extra):
    form, month, rows = query(request.user, request.GET)
    context = {"form": form, "month": month, "page": page_of(request, rows), "export": export, **extra}
    return render(request, f"governance/open_affairs/{template}", context)


# --- the catalogue ---------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def catalogue_list(request):
    may_keep = services.may_keep_catalogue(request.user)
    return _list(request, "catalogue.html", forms.catalogue_query, "", may_keep=may_keep)


@capability_required(READ_GOVERNANCE)
def catalogue_create(request):
    return _catalogue_form(request, CatalogueItem())


@capability_required(READ_GOVERNANCE)
def catalogue_edit(request, pk):
    return _catalogue_form(request, get_object_or_404(CatalogueItem, pk=pk))


def _catalogue_form(request, item):
    capabilities.require(request.user, KEEP_GOVERNANCE)
    capabilities.require(request.user, capabilities.SEE_ALL_SETTLEMENTS, services.MSG_CATALOGUE_OFFICE)
    form = forms.CatalogueItemForm(request.POST or None, instance=item)

    def write(data):
        services.catalogue_item_save(item=form.instance, actor=request.user)

    back = reverse("governance:catalogue")
    return _form_page(request, form, "公开目录事项", item.title, write, "已保存公开目录事项。", back)


# --- publications -----------------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def publication_list(request):
    day = day_of(request)
    settlements = Settlement.objects.for_user(request.user)
    chosen = forms.PublicationFilter(request.GET or None, user=request.user).values().get("settlement")
    unmirrored = open_affairs.unmirrored(day=day, settlements=[chosen] if chosen else settlements)
    params = rules.params_on(rules.ASSISTANCE_MIRROR, day)
    rule = dated_rules.row_on(rules.ASSISTANCE_MIRROR, day)
    extra = {"day": day, "unmirrored": unmirrored, "mirror_rule": params, "rule": rule}
    return _list(request, "publications.html", forms.publication_query, "governance:publication_export", **extra)


publication_export = exports.view("governance.publications")


@capability_required(READ_GOVERNANCE)
def publication_detail(request, pk):
    publication = record_for(request.user, Publication.objects.select_related("settlement", "item", "mirror_of"), pk)
    day = day_of(request)
    mirrored = publication.place == Place.COMMUNITY and publication.item.category in rules.mirrored_categories(day)
    problems = []
    if mirrored:
        flagged = open_affairs.unmirrored(day=day, publications=Publication.objects.filter(pk=publication.pk))
        problems = flagged[0].problems if flagged else []
    context = {
        "publication": publication,
        "mirrors": publication.mirrors.order_by("published_on", "id"),
        "needs_mirror": mirrored,
        "problems": problems,
        "day": day,
        "gallery": photos.gallery(publication, request.user),
        "history": publication.history.select_related("history_user")[:10],
    }
    return render(request, "governance/open_affairs/publication_detail.html", context)


@capability_required(READ_GOVERNANCE)
def publication_create(request):
    capabilities.require(request.user, KEEP_GOVERNANCE)
    return _publication_form(request, Publication(place=Place.COMMUNITY))


@login_required
def publication_edit(request, pk):
    publication = _keep(request.user, Publication.objects.select_related("settlement", "mirror_of"), pk)
    if publication.place == Place.ORIGIN_VILLAGE:
        return _mirror_form(request, publication)
    return _publication_form(request, publication)


def _publication_form(request, publication):
    form = forms.PublicationForm(request.POST or None, instance=publication, user=request.user)

    def write(data):
        services.publication_save(publication=form.instance, actor=request.user)

    back = reverse("governance:publications")
    return _form_page(request, form, "居务公开", publication.title, write, "已保存居务公开。", back)


@login_required
def mirror_create(request, pk):
    publication = _keep(request.user, Publication.objects.select_related("settlement", "item"), pk)
    return _mirror_form(request, services.mirror_for(publication))


def _mirror_form(request, mirror):
    form = forms.MirrorForm(request.POST or None, instance=mirror)

    def write(data):
        services.publication_save(publication=form.instance, actor=request.user)

    back = reverse("governance:publication_detail", args=[mirror.mirror_of_id])
    title = "迁出村同步公开"
    return _form_page(request, form, title, mirror.mirror_of.title, write, "已保存迁出村同步公开。", back)


# --- meetings and decisions ------------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def meeting_list(request):
    return _list(request, "meetings.html", forms.meeting_query, "governance:meeting_export")


meeting_export = exports.view("governance.meetings")


@capability_required(READ_GOVERNANCE)
def meeting_detail(request, pk):
    meeting = record_for(request.user, ResidentsMeeting.objects.select_related("settlement"), pk)
    day = day_of(request)
    decisions = meeting.decisions.select_related("consultation").order_by("id")
    days_before = open_affairs._days_before(day)
    rows = [(d, open_affairs.decision_problem(d, days_before) if days_before is not None else None) for d in decisions]
    context = {
        "meeting": meeting,
        "decisions": rows,
        "informs": meeting.decisions_consulted.select_related("meeting").order_by("meeting__held_on"),
        "history": meeting.history.select_related("history_user")[:10],
    }
    return render(request, "governance/open_affairs/meeting_detail.html", context)


@capability_required(READ_GOVERNANCE)
def meeting_create(request):
    capabilities.require(request.user, KEEP_GOVERNANCE)
    return _meeting_form(request, ResidentsMeeting())


@login_required
def meeting_edit(request, pk):
    return _meeting_form(request, _keep(request.user, ResidentsMeeting.objects, pk))


def _meeting_form(request, meeting):
    form = forms.MeetingForm(request.POST or None, instance=meeting, user=request.user)

    def write(data):
        services.meeting_save(meeting=form.instance, actor=request.user)

    back = reverse("governance:meetings")
    return _form_page(request, form, "会议", str(meeting) if meeting.pk else "", write, "已保存会议。", back)


@capability_required(READ_GOVERNANCE)
def decision_list(request):
    rule = dated_rules.row_on(rules.CONSULT_FIRST, day_of(request))
    return _list(request, "decisions.html", forms.decision_query, "governance:decision_export", rule=rule)


decision_export = exports.view("governance.decisions")


@login_required
def decision_create(request, pk):
    meeting = _keep(request.user, ResidentsMeeting.objects.select_related("settlement"), pk)
    return _decision_form(request, MeetingDecision(meeting=meeting))


@login_required
def decision_edit(request, pk):
    return _decision_form(request, _keep(request.user, MeetingDecision.objects.select_related("meeting"), pk))


def _decision_form(request, decision):
    form = forms.DecisionForm(request.POST or None, instance=decision)

    def write(data):
        services.decision_save(decision=form.instance, actor=request.user)

    back = reverse("governance:meeting_detail", args=[decision.meeting_id])
    return _form_page(request, form, "会议决定", str(decision.meeting), write, "已保存会议决定。", back)


# --- evaluations and documents ---------------------------------------------------------------------------------


@capability_required(READ_GOVERNANCE)
def evaluation_list(request):
    return _list(request, "evaluations.html", forms.evaluation_query, "governance:evaluation_export")


evaluation_export = exports.view("governance.evaluations")


@capability_required(READ_GOVERNANCE)
def evaluation_detail(request, pk):
    evaluation = record_for(request.user, DemocraticEvaluation.objects.select_related("settlement"), pk)
    context = {
        "evaluation": evaluation,
        "gallery": photos.gallery(evaluation, request.user),
        "history": evaluation.history.select_related("history_user")[:10],
    }
    return render(request, "governance/open_affairs/evaluation_detail.html", context)


@capability_required(READ_GOVERNANCE)
def evaluation_create(request):
    capabilities.require(request.user, KEEP_GOVERNANCE)
    return _evaluation_form(request, DemocraticEvaluation())


@login_required
def evaluation_edit(request, pk):
    return _evaluation_form(request, _keep(request.user, DemocraticEvaluation.objects, pk))


def _evaluation_form(request, evaluation):
    form = forms.EvaluationForm(request.POST or None, instance=evaluation, user=request.user)

    def write(data):
        services.evaluation_save(evaluation=form.instance, actor=request.user)

    back = reverse("governance:evaluations")
    return _form_page(request, form, "民主评议", "", write, "已保存民主评议。", back)


@capability_required(READ_GOVERNANCE)
def document_list(request):
    day = day_of(request)
    chosen = forms.DocumentFilter(request.GET or None, user=request.user).values().get("settlement")
    settlements = [chosen] if chosen else Settlement.objects.for_user(request.user)
    status = open_affairs.document_status(settlements=settlements, day=day)
    extra = {"day": day, "status": status}
    return _list(request, "documents.html", forms.document_query, "governance:document_export", **extra)


document_export = exports.view("governance.self_governance_documents")


@capability_required(READ_GOVERNANCE)
def document_detail(request, pk):
    document = record_for(request.user, SelfGovernanceDocument.objects.select_related("settlement"), pk)
    context = {
        "document": document,
        "gallery": photos.gallery(document, request.user),
        "history": document.history.select_related("history_user")[:10],
    }
    return render(request, "governance/open_affairs/document_detail.html", context)


@capability_required(READ_GOVERNANCE)
def document_create(request):
    capabilities.require(request.user, KEEP_GOVERNANCE)
    return _document_form(request, SelfGovernanceDocument())


@login_required
def document_edit(request, pk):
    return _document_form(request, _keep(request.user, SelfGovernanceDocument.objects, pk))


def _document_form(request, document):
    form = forms.DocumentForm(request.POST or None, instance=document, user=request.user)

    def write(data):
        services.document_save(document=form.instance, actor=request.user)

    back = reverse("governance:documents")
    return _form_page(request, form, "居民自治章程和居民公约", "", write, "已保存。", back)


# --- the section of the settlement page ---------------------------------------------------------------------------


def _by_category(publications) -> list[tuple[str, list]]:
    grouped: dict[str, list] = {}
    for publication in publications:
        grouped.setdefault(publication.item.category, []).append(publication)
    return [(label, grouped[value]) for value, label in AffairCategory.choices if value in grouped]


def settlement_section(user, settlement, day):
    (documents,) = open_affairs.document_status(settlements=[settlement], day=day)
    return {
        "day": day,
        "settlement": settlement,
        "by_category": _by_category(open_affairs.published_this_month(settlement=settlement, day=day)),
        "unmirrored": open_affairs.unmirrored(day=day, settlements=[settlement]),
        "missed": open_affairs.missed_items(settlement=settlement, day=day),
        "unconsulted": open_affairs.unconsulted(day=day, settlements=[settlement])[:LATEST],
        "evaluation": open_affairs.latest_evaluation(settlement=settlement, day=day),
        "documents": documents,
    }
