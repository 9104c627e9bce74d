"""Writes of the culture facilities' records: the 乡愁馆's steps and collection, the book-stock updates and the
county's art works. Each checks the capability, that the facility or settlement is one
the actor keeps, validates, writes with history and is in the audit trail."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Facility
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_CULTURE
from ..models import ArtWork, BookStockUpdate, CollectionItem, NostalgiaStep, NostalgiaStepKind
from ..models.facilities import BOOK_KINDS, BOOKS, NOSTALGIA_HALL, STEP_ORDER

MSG_NOT_KIND = "“{facility}”不是{kind}。"
MSG_NOT_KEPT = "设施“{facility}”不由您维护。"
MSG_STEP_OUT_OF_ORDER = (
    "须先完成“{before}”，才能登记“{step}”"
    "（乡愁馆建设按原文顺序：实地调查、研究 → 制定具体实施方案 → 物件、图片、文字征集 → 场馆布置）。"
)
MSG_STEP_BEFORE_PREVIOUS = "“{step}”的完成日期不能早于上一步“{before}”的完成日期（{date}）。"
MSG_STEP_AFTER_NEXT = "“{step}”的完成日期不能晚于下一步“{after}”的完成日期（{date}）。"
MSG_STEP_TWICE = "该乡愁馆已登记过“{step}”，请修改原记录。"
MSG_ART_OFFICE_ONLY = "文艺作品是全县的记录，由领导小组办公室登记和修改。"


def _require_kept_facility(actor, facility: Facility, kind_codes, kind_label):
    capabilities.require(actor, KEEP_CULTURE)
    if not Facility.objects.kept_by(actor).filter(pk=facility.pk).exists():
        raise PermissionDenied(MSG_NOT_KEPT.format(facility=facility.name))
    if not facility.kinds.filter(code__in=kind_codes).exists():
        raise ValidationError({"facility": MSG_NOT_KIND.format(facility=facility.name, kind=kind_label)})


# --- 乡愁馆 ------------------------------------------------------------------------------------------------------


@audit.audited("nostalgia_step.save", "登记乡愁馆建设步骤", target="step", result_is_target=False)
@transaction.atomic
def nostalgia_step_save(*, step: NostalgiaStep, actor) -> NostalgiaStep:
    """Record or correct a step of a 乡愁馆's workflow: steps are done in the printed order, so a step needs the
    one before it, and its day lies between the days of its neighbours."""
    _require_kept_facility(actor, step.facility, [NOSTALGIA_HALL], "乡愁馆")
    refuse_future(step.done_on, field="done_on", label="完成日期")
    done = {other.step: other for other in step.facility.nostalgia_steps.exclude(pk=step.pk)}
    if step.step in done:
        raise ValidationError({"step": MSG_STEP_TWICE.format(step=step.get_step_display())})
    _check_order(step, done)
    if step.pk is None:
        step.recorded_by = actor
    return save_with_history(instance=step, actor=actor, reason="登记乡愁馆建设步骤")


def _check_order(step: NostalgiaStep, done: dict):
    labels = dict(NostalgiaStepKind.choices)
    position = STEP_ORDER.index(step.step)
    if position > 0:
        before = STEP_ORDER[position - 1]
        if before not in done:
            raise ValidationError({"step": MSG_STEP_OUT_OF_ORDER.format(before=labels[before], step=labels[step.step])})
        if step.done_on < done[before].done_on:
            date = done[before].done_on.isoformat()
            raise ValidationError(
                {"done_on": MSG_STEP_BEFORE_PREVIOUS.format(step=labels[step.step], before=labels[before], date=date)}
            )
    if position + 1 < len(STEP_ORDER):
        after = STEP_ORDER[position + 1]
        if after in done and step.done_on > done[after].done_on:
            date = done[after].done_on.isoformat()
            raise ValidationError(
                {"done_on": MSG_STEP_AFTER_NEXT.format(step=labels[step.step], after=labels[after], date=date)}
            )


@audit.audited("collection_item.save", "登记乡愁馆藏品")
@transaction.atomic
def collection_item_save(*, item: CollectionItem, actor) -> CollectionItem:
    """Record or correct an object, picture or text collected for a 乡愁馆."""
    _require_kept_facility(actor, item.facility, [NOSTALGIA_HALL], "乡愁馆")
    refuse_future(item.collected_on, field="collected_on", label="征集日期")
    for field in ("title", "origin_township", "origin_village", "donor"):
        setattr(item, field, getattr(item, field).strip())
    if item.pk is None:
        item.recorded_by = actor
    return save_with_history(instance=item, actor=actor, reason="登记乡愁馆藏品")


# --- book stock ------------------------------------------------------------------------------------------------


def current_stock(facility: Facility) -> int | None:
    """The facility's book stock: its `books` attribute, which each update adds to (None when never recorded)."""
    value = facility.attributes.get(BOOKS)
    return None if value in (None, "") else int(Decimal(str(value)))


@audit.audited("book_stock.save", "登记藏书更新")
@transaction.atomic
def book_stock_update_save(*, update: BookStockUpdate, actor) -> BookStockUpdate:
    """Record or correct books added to a 农家书屋 (or 图书室). The facility's `books` attribute stays the one
    figure of its stock: a new update adds its volumes to it, a correction the difference, with the facility's
    history saying why."""
    facility = Facility.objects.select_for_update().get(pk=update.facility_id)
    _require_kept_facility(actor, facility, BOOK_KINDS, "农家书屋或图书室")
    refuse_future(update.updated_on, field="updated_on", label="更新日期")
    previous = BookStockUpdate.objects.get(pk=update.pk).volumes_added if update.pk else 0
    if update.pk is None:
        update.recorded_by = actor
    save_with_history(instance=update, actor=actor, reason="登记藏书更新")
    added = update.volumes_added - previous
    if added:
        facility.attributes[BOOKS] = str((current_stock(facility) or 0) + added)
        save_with_history(
            instance=facility, actor=actor, reason=f"藏书更新 {update.updated_on:%Y-%m-%d}：{added:+d} 册"
        )
    return update


# --- art works -------------------------------------------------------------------------------------------------


@audit.audited("art_work.save", "保存文艺作品")
@transaction.atomic
def art_work_save(*, work: ArtWork, units, actor) -> ArtWork:
    """Record or correct one of the county's art works (the office's: a county record)."""
    capabilities.require(actor, KEEP_CULTURE)
    if not capabilities.has(actor, capabilities.SEE_ALL_SETTLEMENTS):
        raise PermissionDenied(MSG_ART_OFFICE_ONLY)
    refuse_future(work.completed_on, field="completed_on", label="完成日期")
    work.title, work.authors = work.title.strip(), work.authors.strip()
    if work.pk is None:
        work.recorded_by = actor
    save_with_history(instance=work, actor=actor, reason="保存文艺作品")
    work.units.set(list(units))
    return work
