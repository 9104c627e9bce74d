"""Writes of 户籍管理: a person's hukou transfer and their 市民证. Recording either sets the registry's
`Person.hukou_status` through the core's person service (with its history), so the two never disagree."""

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements import services as registry
from settlements.models import HukouStatus, Person
from settlements.services import refuse_future, save_with_history

from ..capabilities import KEEP_SERVICES
from ..models import CitizenCard, HukouTransfer

MSG_ALREADY_TRANSFERRED = "该人员已登记户籍迁入（{date}）：如需更正，请修改原记录。"
MSG_CARD_AFTER_TRANSFER = "该人员户籍已迁入安置地{when}，不需办理易地扶贫搬迁市民证。"
MSG_ALREADY_HOLDS_CARD = "该人员已登记市民证 {number}（{date}发证）：如需更正，请修改原记录。"
MSG_BEFORE_BIRTH = "{label}不能早于出生日期（{date}）。"


def _refuse_before_birth(person: Person, day, *, field: str, label: str) -> None:
    if day < person.birth_date:
        raise ValidationError({field: MSG_BEFORE_BIRTH.format(label=label, date=person.birth_date.isoformat())})


def _set_hukou_status(person: Person, status: str, actor) -> None:
    if person.hukou_status != status:
        registry.person_update(actor=actor, person=person, hukou_status=status)


@audit.audited("hukou_transfer.save", "登记户籍迁入", target="person", result_is_target=False)
@transaction.atomic
def hukou_transfer_save(*, transfer: HukouTransfer, actor) -> HukouTransfer:
    """Record (or correct) the day a person moved their hukou to the settlement; the registry's status becomes
    已迁入安置地. A person who holds a 市民证 may still transfer (voluntary)."""
    capabilities.require(actor, KEEP_SERVICES)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    earlier = HukouTransfer.objects.filter(person=person).exclude(pk=transfer.pk).first()
    if earlier is not None:
        raise ValidationError(MSG_ALREADY_TRANSFERRED.format(date=earlier.transferred_on.isoformat()))
    refuse_future(transfer.transferred_on, field="transferred_on", label="户籍迁入日期")
    _refuse_before_birth(person, transfer.transferred_on, field="transferred_on", label="户籍迁入日期")
    if transfer.pk is None:
        transfer.recorded_by = actor
    save_with_history(instance=transfer, actor=actor, reason="登记户籍迁入")
    _set_hukou_status(person, HukouStatus.TRANSFERRED, actor)
    return transfer


@audit.audited("citizen_card.save", "登记易地扶贫搬迁市民证", target="person", result_is_target=False)
@transaction.atomic
def citizen_card_save(*, card: CitizenCard, actor) -> CitizenCard:
    """Record (or correct) a person's 市民证; the registry's status becomes 未迁移，持市民证. Refused for a person
    whose hukou was transferred: the card is for those who keep their rural hukou."""
    capabilities.require(actor, KEEP_SERVICES)
    person = Person.objects.select_for_update().get(pk=card.person_id)
    transfer = HukouTransfer.objects.filter(person=person).first()
    if transfer is not None or person.hukou_status == HukouStatus.TRANSFERRED:
        when = f"（{transfer.transferred_on.isoformat()}）" if transfer else ""
        raise ValidationError(MSG_CARD_AFTER_TRANSFER.format(when=when))
    earlier = CitizenCard.objects.filter(person=person).exclude(pk=card.pk).first()
    if earlier is not None:
        raise ValidationError(MSG_ALREADY_HOLDS_CARD.format(number=earlier.number, date=earlier.issued_on.isoformat()))
    card.number = card.number.strip().upper()
    refuse_future(card.issued_on, field="issued_on", label="发证日期")
    _refuse_before_birth(person, card.issued_on, field="issued_on", label="发证日期")
    if card.pk is None:
        card.recorded_by = actor
    save_with_history(instance=card, actor=actor, reason="登记市民证")
    _set_hukou_status(person, HukouStatus.CITIZEN_CARD, actor)
    return card
