"""Reads of the open affairs: the lists with their filters, the breaches of the rules as of a day (assistance
not published in the origin village on the community's day, A4-R12; decisions without an earlier consultation,
A4-R8), the catalogue's fixed-frequency items a settlement missed, the documents in force, and the counts the
indicators and the settlement page show."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from settlements.dates import add_months, month_of
from settlements.models import Settlement

from .. import open_affairs_rules as rules
from ..models import (
    CatalogueItem,
    DemocraticEvaluation,
    DocumentKind,
    Frequency,
    MeetingDecision,
    MeetingKind,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)


def _in_scope(queryset, user, settlement=None, path="settlement"):
    rows = queryset.for_user(user)
    return rows.filter(**{path: settlement}) if settlement is not None else rows


def _in_month(rows, month: datetime.date | None, field_name: str):
    if month is None:
        return rows
    return rows.filter(**{f"{field_name}__gte": month, f"{field_name}__lt": add_months(month, 1)})


# --- publications and A4-R12 --------------------------------------------------------------------------------------


@dataclass
class Flagged:
    """A record that breaks a rule, and what is missing or wrong (in Chinese)."""

    record: object
    problems: list[str] = field(default_factory=list)


def mirror_problems(publication: Publication, mirrors, days_apart: int) -> list[str]:
    """What keeps a community notice of assistance from being published in the origin village on its day."""
    if not mirrors:
        return [f"迁出村未公开（安置点社区于 {publication.published_on:%Y-%m-%d} 公开）"]
    problems = []
    for mirror in mirrors:
        if abs((mirror.published_on - publication.published_on).days) > days_apart:
            problems.append(
                f"迁出村（{mirror.origin_township}{mirror.origin_village}）于 {mirror.published_on:%Y-%m-%d} 公开，"
                f"与安置点社区（{publication.published_on:%Y-%m-%d}）不同日"
            )
    return problems


def unmirrored(*, day: datetime.date, settlements=None, publications=None) -> list[Flagged]:
    """The community notices of the categories the rule in force on `day` names, published by `day`, whose
    mirror in the origin village is missing (as of `day`) or dated otherwise; newest first."""
    params = rules.params_on(rules.ASSISTANCE_MIRROR, day)
    if params is None:
        return []
    rows = publications if publications is not None else Publication.objects.all()
    rows = rows.filter(place=Place.COMMUNITY, item__category__in=params["categories"], published_on__lte=day)
    if settlements is not None:
        rows = rows.filter(settlement__in=settlements)
    mirrors = Publication.objects.filter(published_on__lte=day).order_by("published_on", "id")
    rows = rows.select_related("settlement", "item").prefetch_related(Prefetch("mirrors", queryset=mirrors))
    flagged = []
    for publication in rows.order_by("-published_on", "-id"):
        problems = mirror_problems(publication, list(publication.mirrors.all()), params["days_apart"])
        if problems:
            flagged.append(Flagged(publication, problems))
    return flagged


def unmirrored_counts(day: datetime.date) -> dict[int, int]:
    return dict(Counter(flagged.record.settlement_id for flagged in unmirrored(day=day)))


def publication_list(*, user, settlement=None, category="", place="", month=None, query=""):
    rows = _in_month(_in_scope(Publication.objects, user, settlement), month, "published_on")
    if category:
        rows = rows.filter(item__category=category)
    if place:
        rows = rows.filter(place=place)
    if query:
        query = query.strip()
        rows = rows.filter(Q(title__contains=query) | Q(content__contains=query) | Q(origin_village__startswith=query))
    return rows.select_related("settlement", "item", "mirror_of").order_by(
        "-published_on", "settlement__sort_order", "-id"
    )


def published_this_month(*, settlement, day: datetime.date):
    """The community notices of `settlement` from the first of `day`'s month to `day`, by category."""
    rows = Publication.objects.filter(
        settlement=settlement, place=Place.COMMUNITY, published_on__gte=month_of(day), published_on__lte=day
    )
    return rows.select_related("item").order_by("item__category", "published_on", "id")


def publication_counts(day: datetime.date) -> dict[int, int]:
    rows = Publication.objects.filter(place=Place.COMMUNITY, published_on__gte=month_of(day), published_on__lte=day)
    return _per_settlement(rows)


def _per_settlement(rows, path="settlement_id") -> dict[int, int]:
    counted = rows.values(path).annotate(n=Count("id")).order_by()
    return {row[path]: row["n"] for row in counted}


# --- the catalogue's fixed frequencies ------------------------------------------------------------------------------


def _period_start(day: datetime.date, frequency: str) -> datetime.date:
    month = month_of(day)
    if frequency == Frequency.QUARTERLY:
        return month.replace(month=(month.month - 1) // 3 * 3 + 1)
    return month


def _periods(item: CatalogueItem, day: datetime.date) -> list[datetime.date]:
    """The first days of the item's periods from its start to before `day`'s period (still running, not missed),
    and not after its end."""
    step = 3 if item.frequency == Frequency.QUARTERLY else 1
    period, running = _period_start(item.start_date, item.frequency), _period_start(day, item.frequency)
    last = item.end_date if item.end_date is not None and item.end_date < day else None
    periods = []
    while period < running and (last is None or period <= last):
        periods.append(period)
        period = add_months(period, step)
    return periods


@dataclass
class MissedItem:
    item: CatalogueItem
    periods: list[datetime.date]

    @property
    def labels(self) -> list[str]:
        if self.item.frequency == Frequency.QUARTERLY:
            return [f"{period.year}年第{(period.month - 1) // 3 + 1}季度" for period in self.periods]
        return [f"{period:%Y-%m}" for period in self.periods]


def missed_items(*, settlement, day: datetime.date) -> list[MissedItem]:
    """The catalogue items the office set a monthly or quarterly frequency for, with the periods (up to `day`'s,
    which is still running) in which `settlement` published none in its community. "及时" items are not checked."""
    fixed = CatalogueItem.objects.filter(
        frequency__in=[Frequency.MONTHLY, Frequency.QUARTERLY], start_date__lte=day
    ).order_by("category", "title")
    published = Publication.objects.filter(settlement=settlement, place=Place.COMMUNITY, published_on__lte=day)
    dates: dict[int, set] = {}
    for item_id, published_on in published.filter(item__in=fixed).values_list("item_id", "published_on"):
        dates.setdefault(item_id, set()).add(published_on)
    missed = []
    for item in fixed:
        covered = {_period_start(published_on, item.frequency) for published_on in dates.get(item.pk, ())}
        periods = [period for period in _periods(item, day) if period not in covered]
        if periods:
            missed.append(MissedItem(item, periods))
    return missed


def catalogue_list(*, category="", query=""):
    rows = CatalogueItem.objects.all()
    if category:
        rows = rows.filter(category=category)
    if query:
        rows = rows.filter(title__contains=query.strip())
    return rows.order_by("category", "title", "id")


# --- meetings, decisions and A4-R8 -----------------------------------------------------------------------------


def decision_problem(decision: MeetingDecision, days_before: int) -> str | None:
    """Why a decision on a matter touching the residents' interests was not consulted on before (or None)."""
    if not decision.touches_interests:
        return None
    decided_on, consultation = decision.meeting.held_on, decision.consultation
    if consultation is None:
        return "未关联事先协商的会议"
    gap = (decided_on - consultation.held_on).days
    if gap >= days_before:
        return None
    if gap == 0:
        return f"协商会议与决策同日（{decided_on:%Y-%m-%d}），不能证明先协商后决策"
    if gap < 0:
        return f"协商会议（{consultation.held_on:%Y-%m-%d}）晚于决策（{decided_on:%Y-%m-%d}）"
    return f"协商会议（{consultation.held_on:%Y-%m-%d}）距决策（{decided_on:%Y-%m-%d}）不足 {days_before} 天"


def _days_before(day: datetime.date) -> int | None:
    params = rules.params_on(rules.CONSULT_FIRST, day)
    return params["days_before"] if params else None


def unconsulted(*, day: datetime.date, settlements=None, decisions=None) -> list[Flagged]:
    """Decisions of meetings held by `day` on matters touching the residents' interests without a consultation
    meeting at least the rule's days before (the rule in force on `day`); newest first."""
    days_before = _days_before(day)
    if days_before is None:
        return []
    rows = decisions if decisions is not None else MeetingDecision.objects.all()
    rows = rows.filter(touches_interests=True, meeting__held_on__lte=day)
    if settlements is not None:
        rows = rows.filter(meeting__settlement__in=settlements)
    rows = rows.select_related("meeting__settlement", "consultation").order_by("-meeting__held_on", "-id")
    flagged = []
    for decision in rows:
        problem = decision_problem(decision, days_before)
        if problem:
            flagged.append(Flagged(decision, [problem]))
    return flagged


def unconsulted_counts(day: datetime.date) -> dict[int, int]:
    return dict(Counter(flagged.record.meeting.settlement_id for flagged in unconsulted(day=day)))


def meeting_list(*, user, settlement=None, kind="", month=None, query=""):
    rows = _in_month(_in_scope(ResidentsMeeting.objects, user, settlement), month, "held_on")
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        query = query.strip()
        rows = rows.filter(Q(topics__contains=query) | Q(outcome__contains=query))
    return rows.select_related("settlement").annotate(decision_count=Count("decisions")).order_by("-held_on", "-id")


def decision_list(*, user, settlement=None, month=None, query="", unconsulted_only=False, day=None):
    """Decisions in `user`'s scope; with `unconsulted_only`, those the rule flags as of `day`."""
    rows = _in_month(
        _in_scope(MeetingDecision.objects, user, settlement, "meeting__settlement"), month, "meeting__held_on"
    )
    if query:
        query = query.strip()
        rows = rows.filter(Q(matter__contains=query) | Q(decision__contains=query))
    if unconsulted_only:
        return [flagged.record for flagged in unconsulted(day=day, decisions=rows)]
    return rows.select_related("meeting__settlement", "consultation").order_by("-meeting__held_on", "-id")


def consultations_before(meeting: ResidentsMeeting):
    """The consultation meetings of the meeting's settlement a decision may name (the latest first)."""
    rows = ResidentsMeeting.objects.filter(settlement_id=meeting.settlement_id, kind=MeetingKind.CONSULTATION)
    return rows.exclude(pk=meeting.pk).order_by("-held_on", "-id")


def meeting_counts(day: datetime.date, kind: str | None = None) -> dict[int, int]:
    rows = ResidentsMeeting.objects.filter(held_on__gte=month_of(day), held_on__lte=day)
    return _per_settlement(rows.filter(kind=kind) if kind else rows)


# --- evaluations and documents -----------------------------------------------------------------------------------


def evaluation_list(*, user, settlement=None, evaluated="", month=None, query=""):
    rows = _in_month(_in_scope(DemocraticEvaluation.objects, user, settlement), month, "held_on")
    if evaluated:
        rows = rows.filter(evaluated=evaluated)
    if query:
        query = query.strip()
        rows = rows.filter(
            Q(evaluated_name__contains=query) | Q(organiser__contains=query) | Q(results__contains=query)
        )
    return rows.select_related("settlement").order_by("-held_on", "-id")


def latest_evaluation(*, settlement, day: datetime.date):
    rows = DemocraticEvaluation.objects.filter(settlement=settlement, held_on__lte=day)
    return rows.order_by("-held_on", "-id").first()


def evaluation_counts(day: datetime.date) -> dict[int, int]:
    rows = DemocraticEvaluation.objects.filter(held_on__gte=day.replace(month=1, day=1), held_on__lte=day)
    return _per_settlement(rows)


@dataclass
class DocumentStatus:
    settlement: Settlement
    in_force: dict  # DocumentKind value -> the version adopted last by the day, or None

    @property
    def rows(self) -> list[tuple[str, SelfGovernanceDocument | None]]:
        return [(label, self.in_force.get(value)) for value, label in DocumentKind.choices]


def document_status(*, settlements, day: datetime.date) -> list[DocumentStatus]:
    """Per settlement (in order), its charter and compact in force on `day` (the last adopted by then) or None."""
    settlements = list(settlements)
    statuses = {settlement.pk: DocumentStatus(settlement, {}) for settlement in settlements}
    rows = SelfGovernanceDocument.objects.filter(settlement__in=settlements, adopted_on__lte=day)
    for document in rows.order_by("adopted_on", "id"):
        statuses[document.settlement_id].in_force[document.kind] = document
    return [statuses[settlement.pk] for settlement in settlements]


def document_list(*, user, settlement=None, kind="", query=""):
    rows = _in_scope(SelfGovernanceDocument.objects, user, settlement)
    if kind:
        rows = rows.filter(kind=kind)
    if query:
        rows = rows.filter(text__contains=query.strip())
    return rows.select_related("settlement").order_by("settlement__sort_order", "kind", "-adopted_on")
