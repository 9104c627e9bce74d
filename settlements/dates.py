"""Calendar arithmetic the whole portal shares: months and years, and the birth dates of an age band."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or that month's last day when it has no such day.

    Past the calendar's ends (before year 1, after 9999) it stops at its first or last day, so a date stored at
    the calendar's edge never breaks a page that counts months from it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year < datetime.MINYEAR:
        return datetime.date.min
    if year > datetime.MAXYEAR:
        return datetime.date.max
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February that year lacks)."""
    return add_months(day, -12 * years)


def is_month_end(day: datetime.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def birth_range(day: datetime.date, min_age: int, max_age: int) -> tuple[datetime.date, datetime.date]:
    """Birth dates (oldest, youngest, inclusive) of persons aged `min_age` to `max_age` whole years on `day`."""
    return years_before(day, max_age + 1) + datetime.timedelta(days=1), years_before(day, min_age)


def month_of(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def months_between(first: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s up to, not including, `end`'s."""
    months, month = [], month_of(first)
    while month < month_of(end):
        months.append(month)
        month = add_months(month, 1)
    return months
