"""Writes of the yearly selections: a selection, and the households or persons it honours (each of the
selection's settlement, within the actor's scope), with a photo."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Household, Person, PersonStatus, Settlement
from settlements.photos import photos_of
from settlements.photos.services import photo_delete, photos_add
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_CULTURE
from ..models import Honour, Selection, SelectionCategory
from .common import photo_errors_on

MSG_OTHER_NEEDS_NAME = "评选类别为“其他”时，请填写类别名称（如“最美庭院”）。"
MSG_NAME_ONLY_FOR_OTHER = "只有评选类别为“其他”时才填写类别名称。"
MSG_HELD_OUTSIDE_YEAR = "评选（公布）日期（{date}）须在评选年度 {year} 年或次年内。"
MSG_DUPLICATE = "{settlement}已登记 {year} 年度的“{title}”评选：请在原评选中添加获评对象。"
MSG_ONE_HONOURED = "请在获评户和获评人中填写且只填写一项。"
MSG_HOUSEHOLD_ELSEWHERE = "获评户“{code}”属于{other}，不属于本次评选的安置点{settlement}。"
MSG_PERSON_ELSEWHERE = "获评人“{name}”属于{other}，不属于本次评选的安置点{settlement}。"
MSG_PERSON_GONE = "获评人“{name}”已不在册（{status}），不能获评。"
MSG_OUT_OF_SCOPE = "获评对象不在您的管辖范围内。"
MSG_SETTLEMENT_OUT_OF_SCOPE = "该安置点不在您的管辖范围内。"
MSG_ALREADY_HONOURED = "“{name}”已在本次评选的获评名单中。"


@audit.audited("selection.save", "保存评先选优", target="selection", result_is_target=False)
@transaction.atomic
def selection_save(*, selection: Selection, actor) -> Selection:
    """Record or correct a settlement's selection of a year."""
    capabilities.require(actor, KEEP_CULTURE)
    if not Settlement.objects.for_user(actor).filter(pk=selection.settlement_id).exists():
        raise PermissionDenied(MSG_SETTLEMENT_OUT_OF_SCOPE)
    _check_category(selection)
    refuse_future(selection.held_on, field="held_on", label="评选（公布）日期")
    if selection.held_on.year not in (selection.year, selection.year + 1):
        raise ValidationError({"held_on": MSG_HELD_OUTSIDE_YEAR.format(date=selection.held_on, year=selection.year)})
    _refuse_duplicate(selection)
    if selection.pk is None:
        selection.recorded_by = actor
    return save_with_history(instance=selection, actor=actor, reason="登记评先选优")


def _check_category(selection: Selection) -> None:
    selection.other_name = selection.other_name.strip()
    if selection.category == SelectionCategory.OTHER and not selection.other_name:
        raise ValidationError({"other_name": MSG_OTHER_NEEDS_NAME})
    if selection.category != SelectionCategory.OTHER and selection.other_name:
        raise ValidationError({"other_name": MSG_NAME_ONLY_FOR_OTHER})


def _refuse_duplicate(selection: Selection) -> None:
    same = Selection.objects.filter(
        settlement_id=selection.settlement_id,
        year=selection.year,
        category=selection.category,
        other_name=selection.other_name,
    ).exclude(pk=selection.pk)
    if same.exists():
        message = MSG_DUPLICATE.format(settlement=selection.settlement, year=selection.year, title=selection.title)
        raise ValidationError({"category": message})


@audit.audited("honour.add", "添加获评对象", target="selection", result_is_target=False)
def honour_add(
    *,
    selection: Selection,
    actor,
    household: Household | None = None,
    person: Person | None = None,
    citation="",
    files=(),
) -> Honour:
    """Add a household or a person of the selection's settlement to those it honours, with its photos (a photo
    refused refuses all: nothing is stored)."""
    capabilities.require(actor, KEEP_CULTURE)
    if not Selection.objects.for_user(actor).filter(pk=selection.pk).exists():
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    _check_honoured(selection, household, person, actor)
    honour = Honour(
        selection=selection, household=household, person=person, citation=citation.strip(), recorded_by=actor
    )
    with transaction.atomic():
        save_with_history(instance=honour, actor=actor, reason="添加获评对象")
        files = list(files)
        if files:
            try:
                photos_add(owner=honour, files=files, actor=actor, caption=honour.name)
            except ValidationError as error:
                raise photo_errors_on("photos", error) from error
    return honour


def _check_honoured(selection, household, person, actor) -> None:
    if (household is None) == (person is None):
        raise ValidationError(MSG_ONE_HONOURED)
    settlement = selection.settlement
    if household is not None:
        if not Household.objects.for_user(actor).filter(pk=household.pk).exists():
            raise PermissionDenied(MSG_OUT_OF_SCOPE)
        if household.settlement_id != settlement.pk:
            other = household.settlement
            raise ValidationError(
                {"household": MSG_HOUSEHOLD_ELSEWHERE.format(code=household.code, other=other, settlement=settlement)}
            )
        same = selection.honours.filter(household=household)
    else:
        if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
            raise PermissionDenied(MSG_OUT_OF_SCOPE)
        if person.settlement_id != settlement.pk:
            other = person.settlement
            raise ValidationError(
                {"person": MSG_PERSON_ELSEWHERE.format(name=person.name, other=other, settlement=settlement)}
            )
        if person.status != PersonStatus.ACTIVE:
            raise ValidationError(
                {"person": MSG_PERSON_GONE.format(name=person.name, status=person.get_status_display())}
            )
        same = selection.honours.filter(person=person)
    if same.exists():
        raise ValidationError(MSG_ALREADY_HONOURED.format(name=person.name if person else household.code))


@audit.audited("honour.delete", "删除获评对象", target="honour", result_is_target=False)
@transaction.atomic
def honour_delete(*, honour: Honour, actor) -> None:
    """Remove an honour entered by mistake, its photos first (its history keeps both)."""
    capabilities.require(actor, KEEP_CULTURE)
    if not Honour.objects.for_user(actor).filter(pk=honour.pk).exists():
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    for photo in photos_of(honour):
        photo_delete(photo=photo, actor=actor)
    stored = Honour.objects.get(pk=honour.pk)  # deleted, while `honour` keeps its number for the audit entry
    stored._history_user = actor
    stored._change_reason = "删除获评对象"
    stored.delete()
