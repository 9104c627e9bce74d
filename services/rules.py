"""The rules of annex 1 (and master plan item 1) this app applies, as dated rule data (`settlements.dated_rules`):
declared here with a check of their parameters, so an edit in the admin that the code could not apply is refused
with the reason; seeded from `rule_data.py` by `manage.py load_rules`; read as the row in force on a day.

Nothing here is a constant of the code: months, bands, the weekday and the afternoon, the relief's period and the
schemes that count as medical insurance are all the rows' parameters.
"""

import datetime
import re
from dataclasses import dataclass

from settlements import dated_rules

from .models import Scheme

CITIZEN_CARD_MONTHS = "services.citizen_card_months"
ORIGIN_CADRES = "services.origin_cadres"
SERVICE_DAY = "services.service_day"
ONE_TIME_RELIEF = "services.one_time_relief"
MEDICAL_SCHEMES = "services.medical_schemes"

WEEKDAYS = "一二三四五六日"  # datetime.date.weekday(): 0 is Monday
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def weekday_name(weekday: int) -> str:
    return f"星期{WEEKDAYS[weekday]}"


def _is_count(value, low=0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _iso_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# --- the checks of the parameters (each returns a Chinese sentence, or None) ------------------------------------


def _months_problem(params):
    months = params.get("months")
    if not _is_count(months, 1) or months > 120:
        return "“months”须为 1 至 120 之间的整数（入住后多少个月内办结）。"
    return None


def _bands_problem(params):
    bands = params.get("bands")
    if not isinstance(bands, list) or not bands:
        return "“bands”须为人数段的列表，每段写作 [下限, 上限, 干部人数]，上限为 null 表示不设上限。"
    previous_high = -1
    for index, band in enumerate(bands, start=1):
        if not isinstance(band, list) or len(band) != 3:
            return f"第{index}段须写作 [下限, 上限, 干部人数]。"
        low, high, count = band
        if not _is_count(low) or not _is_count(count, 1):
            return f"第{index}段的下限须为不小于 0 的整数，干部人数须为正整数。"
        if high is not None and (not _is_count(high) or high < low):
            return f"第{index}段的上限须为不小于下限的整数，或 null（不设上限）。"
        if low <= previous_high:
            return f"第{index}段与前一段重叠：各段须按人数从小到大排列，互不重叠。"
        if high is None and index != len(bands):
            return "只有最后一段可以不设上限。"
        previous_high = high if high is not None else low
    return None


def _service_day_problem(params):
    weekday, start, end = params.get("weekday"), params.get("afternoon_from"), params.get("afternoon_to")
    if not _is_count(weekday) or weekday > 6:
        return "“weekday”须为 0 至 6 的整数（0 为星期一，3 为星期四）。"
    if not (isinstance(start, str) and TIME.fullmatch(start) and isinstance(end, str) and TIME.fullmatch(end)):
        return "“afternoon_from”“afternoon_to”须写作 12:00 这样的时刻。"
    if start >= end:
        return "“afternoon_from”须早于“afternoon_to”。"
    if not _is_count(params.get("per_month"), 1):
        return "“per_month”须为正整数（每月至少几次）。"
    from_month = params.get("from_month")
    if not (isinstance(from_month, str) and MONTH.fullmatch(from_month)):
        return "“from_month”须写作 2019-06 这样的月份。"
    return None


def _relief_problem(params):
    start, end = _iso_date(params.get("from")), _iso_date(params.get("to"))
    if start is None or end is None:
        return "“from”“to”须写作 2016-01-01 这样的日期。"
    if end < start:
        return "“to”不能早于“from”。"
    if params.get("per_household") != 1:
        return "“per_household”只能为 1：每户只记一次（数据库约束每户一条记录）。"
    return None


def _medical_problem(params):
    schemes = params.get("schemes")
    if not isinstance(schemes, list) or not schemes or not set(schemes) <= set(Scheme.values):
        names = "、".join(f"{value}（{label}）" for value, label in Scheme.choices)
        return f"“schemes”须为险种代码的列表，可选：{names}。"
    return None


dated_rules.declare(CITIZEN_CARD_MONTHS, "市民证办理时限（入住后月数）", check=_months_problem)
dated_rules.declare(ORIGIN_CADRES, "迁出地乡镇派驻干部人数", check=_bands_problem)
dated_rules.declare(SERVICE_DAY, "每月服务日（星期、时段、次数）", check=_service_day_problem)
dated_rules.declare(ONE_TIME_RELIEF, "一次性临时救助的期间和次数", check=_relief_problem)
dated_rules.declare(MEDICAL_SCHEMES, "计为医疗保险的险种", check=_medical_problem)


# --- the rows in force, read as what the code applies ---------------------------------------------------------


params_on = dated_rules.params_on  # the parameters in force on a day, or None (the pages say so)


def citizen_card_months(day: datetime.date) -> int | None:
    params = params_on(CITIZEN_CARD_MONTHS, day)
    return params["months"] if params else None


def band_holding(number: int, bands: list) -> int | None:
    """The index of the band [low, high, count] that holds `number` (both ends included; a last band without a
    high end holds every number above its low), or None below them all. Cadres and village doctors alike."""
    for index, (low, high, _) in enumerate(bands):
        if number >= low and (high is None or number <= high):
            return index
    return None


def count_for(number: int, bands: list) -> int:
    """The count of the band that holds `number`; none below the first band."""
    index = band_holding(number, bands)
    return 0 if index is None else bands[index][2]


def cadres_owed(persons: int, bands: list) -> int:
    """Cadres a township owes for `persons` relocated persons (none under the first band)."""
    return count_for(persons, bands)


def band_text(bands: list) -> str:
    """“300—1000人 1名；1001人以上 2名”."""
    parts = []
    for low, high, count in bands:
        span = f"{low}—{high}人" if high is not None else f"{low}人以上"
        parts.append(f"{span} {count}名")
    return "；".join(parts)


@dataclass(frozen=True)
class ServiceDayRule:
    weekday: int
    afternoon_from: datetime.time
    afternoon_to: datetime.time
    per_month: int
    from_month: datetime.date  # its first day

    @property
    def when(self) -> str:
        """“周四下午”."""
        return f"周{WEEKDAYS[self.weekday]}下午"

    @property
    def hours(self) -> str:
        """“12:00—18:00”."""
        return f"{self.afternoon_from:%H:%M}—{self.afternoon_to:%H:%M}"


def service_day_rule(day: datetime.date) -> ServiceDayRule | None:
    params = params_on(SERVICE_DAY, day)
    if params is None:
        return None
    return ServiceDayRule(
        weekday=params["weekday"],
        afternoon_from=datetime.time.fromisoformat(params["afternoon_from"]),
        afternoon_to=datetime.time.fromisoformat(params["afternoon_to"]),
        per_month=params["per_month"],
        from_month=datetime.date.fromisoformat(params["from_month"] + "-01"),
    )


@dataclass(frozen=True)
class ReliefRule:
    start: datetime.date
    end: datetime.date
    per_household: int


def relief_rule(day: datetime.date) -> ReliefRule | None:
    params = params_on(ONE_TIME_RELIEF, day)
    if params is None:
        return None
    return ReliefRule(_iso_date(params["from"]), _iso_date(params["to"]), params["per_household"])


def medical_schemes(day: datetime.date) -> list[str] | None:
    params = params_on(MEDICAL_SCHEMES, day)
    return list(params["schemes"]) if params else None
