"""Demo sessions for the embedded default: at each settlement with residents, a gratitude session and a literacy
class every month from the rule's first month (or the first move-in) to this month, at one of the settlement's
demo facilities, with festival and other activities now and then; some months left without one on purpose so the
calendars show red cells, and this month's sessions only at some settlements (grey cells elsewhere). The latest
sessions carry a photo. Written through the service; does nothing once a session exists."""

import io
import random
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from settlements.dates import add_months, month_of, months_between
from settlements.models import Facility, ResponsibleUnit, Settlement, User

from . import session_rules
from .models import Session, SessionKind
from .services import session_save

CULTURE_KINDS = ("civilization_practice_centre", "sports_culture_centre", "rural_library", "culture_centre")
ORGANISERS = {"fumin": "文体社区服务中心", "wolong": "文体社区服务中心", "yangguang": "文体社区服务中心"}
ORGANISERS |= {"tehe": "文体社区服务中心", "fengle": "场坝社区服务中心"}  # else 县生态移民局
MISSED = {  # settlement code -> (kind, months back from this month) left without a session
    "tehe": [(SessionKind.GRATITUDE, 2), (SessionKind.LITERACY, 2), (SessionKind.LITERACY, 5)],
    "fenghuang": [(SessionKind.GRATITUDE, 1)],
    "dingwei": [(SessionKind.LITERACY, 3)],
}
TITLES = {
    SessionKind.GRATITUDE: ["感党恩、听党话、跟党走", "新旧生活对比话变化", "牢记嘱托、感恩奋进"],
    SessionKind.LITERACY: ["城镇生活常识：用水用电用气", "识字班：常用字与签名", "公共交通和银行卡使用"],
    SessionKind.FESTIVAL: ["春节联欢活动", "中秋文艺晚会", "国庆广场舞展演"],
    SessionKind.ETHNIC_FESTIVAL: ["苗族鼓藏节展演", "侗族萨玛节活动"],
    SessionKind.MORAL_LECTURE: ["孝老爱亲身边人", "邻里和睦守望相助"],
    SessionKind.WOMENS_NIGHT_SCHOOL: ["家庭教育与家风建设", "刺绣技艺交流"],
    SessionKind.LECTURE_HALL: ["新时代讲习：惠民政策解读"],
    SessionKind.LEGAL_EDUCATION: ["普法宣传：反家暴与婚姻法", "防范电信诈骗"],
}
OTHERS = [kind for kind in SessionKind.values if kind not in (SessionKind.GRATITUDE, SessionKind.LITERACY)]


@transaction.atomic
def seed_demo_sessions() -> dict[str, int]:
    if Session.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    rule = session_rules.monthly_rule(today)
    if rule is None:
        return {}
    rand = random.Random("rongjiang-demo-sessions")
    made = Counter()
    for index, settlement in enumerate(Settlement.objects.order_by("sort_order")):
        first = settlement.households.filter(move_in_date__isnull=False).order_by("move_in_date").first()
        if first is not None:
            held_this_month = index % 2 == 0  # grey cells for this month at every other settlement
            made.update(_settlement(settlement, first.move_in_date, held_this_month, rule, rand, office, today))
    return dict(made)


def _settlement(settlement, first_move_in, held_this_month, rule, rand, office, today) -> Counter:
    made = Counter()
    venues = _venues(settlement)
    organiser = ResponsibleUnit.objects.get(name=ORGANISERS.get(settlement.code, "县生态移民局"))
    skipped = {(kind, add_months(month_of(today), -back)) for kind, back in MISSED.get(settlement.code, [])}
    months = [*months_between(max(rule.from_month, month_of(first_move_in)), today), month_of(today)]
    for month in months:
        running = month == month_of(today)
        for kind in rule.kinds:
            if (kind, month) in skipped or (running and not held_this_month):
                continue  # a month missed on purpose; this month not yet held here
            _record(settlement, kind, _day_in(month, today, rand), venues, organiser, rand, office, month, today)
            made[kind] += 1
        if rand.random() < 0.35:
            kind = rand.choice(OTHERS)
            _record(settlement, kind, _day_in(month, today, rand), venues, organiser, rand, office, month, today)
            made["others"] += 1
    return made


def _venues(settlement) -> list:
    serving = Facility.objects.filter(settlements=settlement, in_use_on__isnull=False).distinct()
    culture = list(serving.filter(kinds__code__in=CULTURE_KINDS).distinct().order_by("name"))
    return culture or list(serving.order_by("name")[:1])


def _day_in(month, today, rand):
    last = add_months(month, 1).toordinal() - 1
    day = month.replace(day=rand.randint(5, 25))
    return min(day, today, month.fromordinal(last))


def _record(settlement, kind, day, venues, organiser, rand, office, month, today):
    venue = rand.choice(venues) if venues and rand.random() < 0.8 else None
    recent = month >= add_months(month_of(today), -1)
    session = Session(
        settlement=settlement,
        kind=kind,
        held_on=day,
        title=rand.choice(TITLES[kind]),
        venue=venue,
        venue_text="" if venue else "小区广场",
        organiser=organiser,
        participant_count=rand.randint(25, 120),
    )
    photos = [_photo(settlement, kind, rand)] if recent else []
    session_save(session=session, photos=photos, actor=office)


def _photo(settlement, kind, rand) -> SimpleUploadedFile:
    content = io.BytesIO()
    color = (rand.randint(60, 220), rand.randint(60, 220), rand.randint(60, 220))
    Image.new("RGB", (640, 480), color).save(content, "JPEG", quality=80)
    return SimpleUploadedFile(f"{settlement.code}-{kind}.jpg", content.getvalue(), content_type="image/jpeg")
