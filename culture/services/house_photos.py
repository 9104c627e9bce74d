"""Writes of the old-vs-new house photos: recording (or correcting) a household's hanging, with its photos in
the same step (a photo refused refuses all, and nothing is stored)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Household, ResponsibleUnit
from settlements.photos.services import photos_add
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_CULTURE
from ..models import HousePhoto
from .common import photo_errors_on

MSG_NOT_MOVED_IN = "该户尚未入住（户籍台账中没有入住日期），不能登记新旧住房对比照片悬挂。"
MSG_BEFORE_MOVE_IN = "悬挂日期（{date}）早于该户的入住日期（{move_in}）：照片悬挂在新居中，请核对。"
MSG_NO_PHOTOS = "请上传新旧住房对比照片（旧房和新房，可一次选择多张）。"
MSG_OUT_OF_SCOPE = "该户不在您的管辖范围内。"
PHOTO_CAPTION = "新旧住房对比照片"


@audit.audited("house_photo.record", "登记新旧住房对比照片悬挂", target="household", result_is_target=False)
def house_photo_record(
    *,
    household: Household,
    hung_on: datetime.date,
    hung_by: ResponsibleUnit,
    actor,
    note: str = "",
    files=(),
) -> HousePhoto:
    """Record the hanging of `household`'s photo (or correct it), with `files` added to its photos. The first
    record needs at least one photo. Everything is checked before anything is stored: a photo refused refuses
    the whole step, the hanging included."""
    capabilities.require(actor, KEEP_CULTURE)
    if not Household.objects.for_user(actor).filter(pk=household.pk).exists():
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    record = HousePhoto.objects.filter(household=household).first() or HousePhoto(household=household)
    files = list(files)
    _check(record, household, hung_on, files)
    record.hung_on, record.hung_by, record.note = hung_on, hung_by, note.strip()
    if record.pk is None:
        record.recorded_by = actor
    with transaction.atomic():
        save_with_history(instance=record, actor=actor, reason="登记新旧住房对比照片悬挂")
        if files:
            try:
                photos_add(owner=record, files=files, actor=actor, caption=PHOTO_CAPTION)
            except ValidationError as error:
                raise photo_errors_on("photos", error) from error
    return record


def _check(record: HousePhoto, household: Household, hung_on: datetime.date, files) -> None:
    if household.move_in_date is None:
        raise ValidationError({"hung_on": MSG_NOT_MOVED_IN})
    refuse_future(hung_on, field="hung_on", label="悬挂日期")
    if hung_on < household.move_in_date:
        move_in = household.move_in_date.isoformat()
        raise ValidationError({"hung_on": MSG_BEFORE_MOVE_IN.format(date=hung_on.isoformat(), move_in=move_in)})
    if record.pk is None and not files:
        raise ValidationError({"photos": MSG_NO_PHOTOS})
