"""Pages of the culture facilities: the culture facilities with their standards' results (the core's facility
page shows each one in full), a facility's culture page (its book-stock log, its 乡愁馆 steps and collection),
the collection, the county's art works, with their forms; and the culture teams (the core's community groups of
the culture kinds, through `settlements.group_pages`).

Reads go through each record's `for_user` (404 outside the scope); writes need `keep_culture` (403) and, for a
facility's records, a facility the user keeps (`Facility.objects.kept_by`: a clerk reads a county facility but
does not keep it).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from settlements import capabilities, exports, form_pages, photos
from settlements.capabilities import capability_required
from settlements.form_pages import day_of, page_of
from settlements.group_pages import GroupPages
from settlements.models import Facility, Settlement

from .. import facility_exports as _registered  # noqa: F401  (the exporters the download views name)
from .. import facility_forms as forms
from .. import services
from ..capabilities import KEEP_CULTURE, READ_CULTURE
from ..models import ArtWork, BookStockUpdate, CollectionItem, NostalgiaStep
from ..models.facilities import BOOK_KINDS, NOSTALGIA_HALL
from ..selectors import facilities as selectors
from ..services.facilities import MSG_ART_OFFICE_ONLY, MSG_NOT_KEPT, current_stock

FORM_TEMPLATE = "form_page.html"


def _save_or_show(request, form, context, write, success, target):
    return form_pages.save_or_show(request, form, FORM_TEMPLATE, context, write, success, target)


def _culture_facility(user, pk, kinds=None) -> Facility:
    """A culture facility `user` may read (of one of `kinds` when given), else 404."""
    facility = get_object_or_404(Facility.objects.for_user(user), pk=pk)
    if not selectors.is_culture_facility(facility) or (kinds and not selectors.has_kind(facility, kinds)):
        raise Http404("不是文化设施。")
    return facility


def _kept_facility(user, pk, kinds) -> Facility:
    facility = _culture_facility(user, pk, kinds)
    capabilities.require(user, KEEP_CULTURE)
    if not Facility.objects.kept_by(user).filter(pk=facility.pk).exists():
        raise PermissionDenied(MSG_NOT_KEPT.format(facility=facility.name))
    return facility


def _kept_record(user, model, pk):
    """A record of a facility (`model`) in `user`'s scope (else 404), of a facility they keep (else 403)."""
    record = get_object_or_404(model.objects.for_user(user).select_related("facility"), pk=pk)
    capabilities.require(user, KEEP_CULTURE)
    if not model.objects.kept_by(user).filter(pk=record.pk).exists():
        raise PermissionDenied(MSG_NOT_KEPT.format(facility=record.facility.name))
    return record


def facility_url(facility) -> str:
    return reverse("culture:facility", args=[facility.pk])


# --- the culture facilities -------------------------------------------------------------------------------------


@capability_required(READ_CULTURE)
def facility_list(request):
    form, day, rows = forms.facility_query(request.user, request.GET)
    context = {
        "form": form,
        "day": day,
        "page": page_of(request, rows),
        "kinds": selectors.culture_kinds(),
        "no_volunteer_team": selectors.settlements_without_volunteer_team(
            settlements=Settlement.objects.for_user(request.user), day=day
        ),
    }
    return render(request, "culture/facilities/list.html", context)


@capability_required(READ_CULTURE)
def facility_page(request, pk):
    facility = _culture_facility(request.user, pk)
    day = day_of(request)
    is_hall = selectors.has_kind(facility, [NOSTALGIA_HALL])
    is_library = selectors.has_kind(facility, BOOK_KINDS)
    context = {
        "facility": facility,
        "day": day,
        "row": selectors.judged([facility], day)[0],
        "may_keep": capabilities.has(request.user, KEEP_CULTURE)
        and Facility.objects.kept_by(request.user).filter(pk=facility.pk).exists(),
        "is_hall": is_hall,
        "is_library": is_library,
        "steps": selectors.nostalgia_steps(facility) if is_hall else [],
        "items": facility.collection_items.order_by("-collected_on", "-id")[:20] if is_hall else [],
        "item_count": facility.collection_items.count() if is_hall else 0,
        "stock": current_stock(facility) if is_library else None,
        "log": page_of(request, selectors.book_stock_log(facility)) if is_library else None,
    }
    return render(request, "culture/facilities/facility.html", context)


# --- book stock -------------------------------------------------------------------------------------------------


@capability_required(READ_CULTURE)
def book_stock_create(request, pk):
    facility = _kept_facility(request.user, pk, BOOK_KINDS)
    return _book_stock_form(request, BookStockUpdate(facility=facility))


@capability_required(READ_CULTURE)
def book_stock_edit(request, pk):
    return _book_stock_form(request, _kept_record(request.user, BookStockUpdate, pk))


def _book_stock_form(request, update):
    form = forms.BookStockForm(request.POST or None, instance=update)

    def write(data):
        services.book_stock_update_save(update=form.instance, actor=request.user)

    back = facility_url(update.facility)
    context = {"title": "藏书更新", "subject": update.facility.name, "back": back}
    return _save_or_show(request, form, context, write, "已登记藏书更新。", back)


# --- 乡愁馆 ------------------------------------------------------------------------------------------------------


@capability_required(READ_CULTURE)
def nostalgia_step_create(request, pk):
    facility = _kept_facility(request.user, pk, [NOSTALGIA_HALL])
    return _step_form(request, NostalgiaStep(facility=facility))


@capability_required(READ_CULTURE)
def nostalgia_step_edit(request, pk):
    return _step_form(request, _kept_record(request.user, NostalgiaStep, pk))


def _step_form(request, step):
    form = forms.NostalgiaStepForm(request.POST or None, instance=step)

    def write(data):
        services.nostalgia_step_save(step=form.instance, actor=request.user)

    back = facility_url(step.facility)
    context = {"title": "乡愁馆建设步骤", "subject": step.facility.name, "back": back}
    return _save_or_show(request, form, context, write, "已登记乡愁馆建设步骤。", back)


@capability_required(READ_CULTURE)
def collection_list(request):
    form, _, rows = forms.collection_query(request.user, request.GET)
    context = {"form": form, "page": page_of(request, rows), "export": "culture:collection_export"}
    return render(request, "culture/facilities/collection_list.html", context)


collection_export = exports.view("culture.collection")


@capability_required(READ_CULTURE)
def collection_item(request, pk):
    item = get_object_or_404(CollectionItem.objects.for_user(request.user).select_related("facility"), pk=pk)
    context = {
        "item": item,
        "may_keep": CollectionItem.objects.kept_by(request.user).filter(pk=item.pk).exists()
        and capabilities.has(request.user, KEEP_CULTURE),
        "gallery": photos.gallery(item, request.user),
        "history": item.history.select_related("history_user")[:20],
    }
    return render(request, "culture/facilities/collection_item.html", context)


@capability_required(READ_CULTURE)
def collection_item_create(request, pk):
    facility = _kept_facility(request.user, pk, [NOSTALGIA_HALL])
    return _item_form(request, CollectionItem(facility=facility))


@capability_required(READ_CULTURE)
def collection_item_edit(request, pk):
    return _item_form(request, _kept_record(request.user, CollectionItem, pk))


def _item_form(request, item):
    form = forms.CollectionItemForm(request.POST or None, instance=item)
    saved = {}

    def write(data):
        saved["item"] = services.collection_item_save(item=form.instance, actor=request.user)

    back = facility_url(item.facility)
    context = {"title": "乡愁馆藏品", "subject": item.facility.name, "back": back}
    response = _save_or_show(request, form, context, write, "已登记藏品，可在藏品页上传照片。", back)
    if "item" in saved:  # on to the item's page, where its photos are uploaded
        response["Location"] = reverse("culture:collection_item", args=[saved["item"].pk])
    return response


# --- teams: the core's community groups of the culture kinds ---------------------------------------------------


def _team_warnings(user, day) -> list[dict]:
    short = selectors.settlements_without_volunteer_team(settlements=Settlement.objects.for_user(user), day=day)
    if not short:
        return []
    names = "、".join(settlement.name for settlement in short)
    text = (
        f"{day:%Y-%m-%d} 没有在活动的社区文化志愿服务队：{names}"
        "（附件3 六（二）：指导和帮助安置点社区发展至少一支社区文化志愿服务队伍）。"
    )
    return [{"testid": "no-volunteer-team", "text": text}]


TEAMS = GroupPages(
    app="culture",
    title="文化队伍",
    read=READ_CULTURE,
    kinds=selectors.team_kinds,
    export="culture.teams",
    prefix="teams/",
    warnings=_team_warnings,
)


# --- art works --------------------------------------------------------------------------------------------------


@capability_required(READ_CULTURE)
def art_work_list(request):
    form, _, rows = forms.art_work_query(request.user, request.GET)
    context = {"form": form, "page": page_of(request, rows), "may_keep": _keeps_art_works(request.user)}
    return render(request, "culture/facilities/art_work_list.html", context)


def _keeps_art_works(user) -> bool:
    return capabilities.has(user, KEEP_CULTURE) and capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS)


@capability_required(READ_CULTURE)
def art_work_detail(request, pk):
    work = get_object_or_404(ArtWork.objects.for_user(request.user), pk=pk)
    context = {
        "work": work,
        "may_keep": _keeps_art_works(request.user),
        "gallery": photos.gallery(work, request.user),
        "history": work.history.select_related("history_user")[:20],
    }
    return render(request, "culture/facilities/art_work_detail.html", context)


@capability_required(READ_CULTURE)
def art_work_create(request):
    _require_art_keeper(request.user)
    return _art_work_form(request, ArtWork())


@capability_required(READ_CULTURE)
def art_work_edit(request, pk):
    work = get_object_or_404(ArtWork.objects.for_user(request.user), pk=pk)
    _require_art_keeper(request.user)
    return _art_work_form(request, work)


def _require_art_keeper(user):
    capabilities.require(user, KEEP_CULTURE)
    if not capabilities.has(user, capabilities.SEE_ALL_SETTLEMENTS):
        raise PermissionDenied(MSG_ART_OFFICE_ONLY)


def _art_work_form(request, work):
    form = forms.ArtWorkForm(request.POST or None, instance=work)
    saved = {}

    def write(data):
        saved["work"] = services.art_work_save(work=form.instance, units=data["units"], actor=request.user)

    back = reverse("culture:art_work_list")
    context = {"title": "文艺作品", "subject": work.title, "back": back}
    response = _save_or_show(request, form, context, write, "已保存文艺作品。", back)
    if "work" in saved:
        response["Location"] = reverse("culture:art_work_detail", args=[saved["work"].pk])
    return response


# --- the section of the culture settlement page -------------------------------------------------------------------


def settlement_section(user, settlement, day) -> dict:
    return {"day": day, **selectors.settlement_culture_facilities(settlement=settlement, day=day)}
