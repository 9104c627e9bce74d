"""Writes of the outreach: origin-township cadre postings and the monthly service days."""

from django.core.exceptions import ValidationError
from django.db import transaction

from settlements import audit, capabilities
from settlements.models import Household
from settlements.services import refuse_future, save_with_history

from .. import rules
from ..capabilities import KEEP_SERVICES
from ..models import CadrePosting, ServiceDay
from .common import refuse_end_before_start
from .social_security import MSG_NO_RULE

MSG_UNKNOWN_TOWNSHIP = "户籍台账中没有迁出乡镇为“{township}”的搬迁户：请按户籍台账的写法填写乡镇名称。"
MSG_WRONG_WEEKDAY = "服务日须安排在{when}：{date} 是{weekday}。"
MSG_NOT_AFTERNOON = "服务日须安排在{when}：开始时间 {time} 不在 {hours} 之间。"
MSG_NO_UNITS = "请至少选择一个参加单位。"


def origin_townships() -> list[str]:
    """The origin townships the registry's households name (as written there), in order."""
    names = Household.objects.order_by("origin_township").values_list("origin_township", flat=True).distinct()
    return [name for name in names if name]


@audit.audited("cadre_posting.save", "保存迁出地派驻干部", target="posting", result_is_target=False)
@transaction.atomic
def cadre_posting_save(*, posting: CadrePosting, actor) -> CadrePosting:
    """Record or correct a cadre an origin township posted to a settlement. The township is one the registry's
    households come from (written as there), so the posting counts against what that township owes."""
    capabilities.require(actor, KEEP_SERVICES)
    posting.origin_township = posting.origin_township.strip()
    if not Household.objects.filter(origin_township=posting.origin_township).exists():
        raise ValidationError({"origin_township": MSG_UNKNOWN_TOWNSHIP.format(township=posting.origin_township)})
    refuse_future(posting.start_date, field="start_date", label="派驻起始日期")
    refuse_end_before_start(posting.start_date, posting.end_date)
    if posting.pk is None:
        posting.recorded_by = actor
    return save_with_history(instance=posting, actor=actor, reason="登记派驻干部")


def check_service_day_time(service_day: ServiceDay) -> None:
    """The rule in force on the day: its weekday, and a start within its afternoon."""
    day = service_day.held_on
    rule = rules.service_day_rule(day)
    if rule is None:
        raise ValidationError({"held_on": MSG_NO_RULE.format(date=day.isoformat(), name="每月服务日")})
    if day.weekday() != rule.weekday:
        when, weekday = rule.when, rules.weekday_name(day.weekday())
        raise ValidationError({"held_on": MSG_WRONG_WEEKDAY.format(when=when, date=day.isoformat(), weekday=weekday)})
    if not rule.afternoon_from <= service_day.starts_at < rule.afternoon_to:
        time = service_day.starts_at.strftime("%H:%M")
        raise ValidationError({"starts_at": MSG_NOT_AFTERNOON.format(when=rule.when, time=time, hours=rule.hours)})


@audit.audited("service_day.save", "保存服务日", target="service_day", result_is_target=False)
@transaction.atomic
def service_day_save(*, service_day: ServiceDay, units, actor) -> ServiceDay:
    """Record or correct a service day at a settlement: on the rule's weekday, starting in its afternoon, with
    the units that attended."""
    capabilities.require(actor, KEEP_SERVICES)
    refuse_future(service_day.held_on, field="held_on", label="服务日期")
    check_service_day_time(service_day)
    units = list(units)
    if not units:
        raise ValidationError({"units": MSG_NO_UNITS})
    if service_day.pk is None:
        service_day.recorded_by = actor
    save_with_history(instance=service_day, actor=actor, reason="登记服务日")
    service_day.units.set(units)
    return service_day
