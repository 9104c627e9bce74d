"""Writes to the core registry. Each service refuses an actor without the capability it needs
(`capabilities.require`: PermissionDenied, nothing written), validates, writes and records who made the change.

Life events (move-in, move-out, birth, death, a member joining or leaving, split, merge) are dated facts:
they close or open `Membership` periods and log a `HouseholdEvent`, so counts can be reproduced as of any
past date.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import audit, capabilities, dated_facts, facilities, grids, id_numbers, rules
from .capabilities import KEEP_FACILITIES, KEEP_GRIDS, KEEP_HOUSEHOLDS, REVEAL_ID_NUMBERS
from .models import (
    Building,
    BuildingHead,
    Facility,
    Grid,
    GridAssignment,
    GridMember,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    Membership,
    MembershipEnd,
    MembershipStart,
    Person,
    PersonalDataAccessKind,
    PersonStatus,
    Relation,
    Settlement,
    User,
)

MSG_IN_FUTURE = "{label}不能晚于今天。"
MSG_HEAD_LEAVING = "户主离开本户前，请先指定新户主。"
MSG_NOT_ACTIVE = "该成员已不在本户。"
MSG_DATE_BEFORE_JOIN = "离开日期不能早于其加入本户的日期（{date}）。"
MSG_SPLIT_NEEDS_MEMBERS = "分户须至少选择一名成员，且不能是原户全部成员。"
MSG_MERGE_SAME = "不能与本户合户。"
MSG_MERGE_SETTLEMENT = "只能与同一安置点的搬迁户合户。"


def refuse_future(day: datetime.date | None, *, field: str, label: str) -> None:
    """Refuse, beside `field`, a date later than today (a record of what has happened); no date passes."""
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: MSG_IN_FUTURE.format(label=label)})


def save_with_history(*, instance, actor, reason=""):
    """full_clean, then save, recording `actor` (and why) in the change history."""
    instance.full_clean()
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    return instance


def _log_event(household, kind, date, actor, *, person=None, related=None, reason=""):
    return HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        date=date,
        person=person,
        related_household=related,
        reason=reason,
        recorded_by=actor,
    )


# --- households --------------------------------------------------------------------------------------


@audit.audited("household.create", "新建搬迁户")
def household_create(
    *,
    actor: User,
    settlement,
    code: str,
    project_year: int,
    origin_township: str,
    building=None,
    room_number: str = "",
    origin_village: str = "",
    registered_poor: bool = False,
    move_in_date: datetime.date | None = None,
    status: str = HouseholdStatus.ALLOCATED,
) -> Household:
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    household = Household(
        settlement=settlement,
        code=code,
        building=building,
        room_number=room_number,
        project_year=project_year,
        origin_township=origin_township,
        origin_village=origin_village,
        registered_poor=registered_poor,
        move_in_date=move_in_date,
        status=status,
    )
    save_with_history(instance=household, actor=actor)
    if move_in_date and status == HouseholdStatus.MOVED_IN:
        _log_event(household, HouseholdEventKind.MOVE_IN, move_in_date, actor)
    return household


@audit.audited("household.update", "修改搬迁户", target="household")
@transaction.atomic
def household_update(*, actor: User, household: Household, **fields) -> Household:
    """Correct a household's own fields (life events go through their own services).

    A corrected settlement is carried to the members, who keep their household's settlement beside them.
    """
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    for name, value in fields.items():
        setattr(household, name, value)
    save_with_history(instance=household, actor=actor)
    household.members.exclude(settlement_id=household.settlement_id).update(settlement_id=household.settlement_id)
    return household


@audit.audited("household.move_in", "入住登记", target="household")
@transaction.atomic
def household_move_in(*, actor: User, household: Household, date: datetime.date) -> Household:
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    household.status = HouseholdStatus.MOVED_IN
    household.move_in_date = date
    save_with_history(instance=household, actor=actor, reason="入住")
    _log_event(household, HouseholdEventKind.MOVE_IN, date, actor)
    return household


@audit.audited("household.move_out", "整户迁出", target="household")
@transaction.atomic
def household_move_out(*, actor: User, household: Household, date: datetime.date, reason: str) -> Household:
    """The whole household leaves the settlement: every member's stay ends on `date`."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    for person in household.members.active():
        _end_membership(person, date, MembershipEnd.MOVE_OUT, PersonStatus.LEFT, actor)
    household.status = HouseholdStatus.MOVED_OUT
    household.moved_out_on = date
    household.move_out_reason = reason
    save_with_history(instance=household, actor=actor, reason="迁出")
    _log_event(household, HouseholdEventKind.MOVE_OUT, date, actor, reason=reason)
    return household


# --- persons -----------------------------------------------------------------------------------------


def person_apply_id_number(*, person: Person) -> Person:
    """Set the number's normal form and the birth date and sex it encodes (never typed by hand)."""
    resident = id_numbers.parse(person.id_number)
    person.id_number = resident.number
    person.birth_date = resident.birth_date
    person.sex = resident.sex
    return person


@audit.audited("person.save", "保存人员信息", target="person")
def person_save(*, actor: User, person: Person, reason: str = "") -> Person:
    """Save a member with what their ID number and household determine: birth date, sex, settlement."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    person.settlement_id = person.household.settlement_id
    try:
        person_apply_id_number(person=person)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from error
    return save_with_history(instance=person, actor=actor, reason=reason)


@audit.audited("person.create", "新增成员", target="household")
@transaction.atomic
def person_create(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    joined_on: datetime.date | None = None,
    join_reason: str = MembershipStart.MOVE_IN,
    **details,
) -> Person:
    """Add a member; `details` are the optional fields (phone, education, health, hukou_status).

    The member's stay in the household starts on `joined_on` (default: the household's move-in date, or
    today for a household not yet moved in).
    """
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    person = Person(household=household, name=name, id_number=id_number, relation=relation, **details)
    return person_register(actor=actor, person=person, joined_on=joined_on, join_reason=join_reason)


@audit.audited("person.register", "登记人员", target="person")
@transaction.atomic
def person_register(
    *,
    actor: User,
    person: Person,
    joined_on: datetime.date | None = None,
    join_reason: str = MembershipStart.MOVE_IN,
) -> Person:
    """Save a new member and open their stay in the household."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    person_save(actor=actor, person=person)
    start = joined_on or person.household.move_in_date or timezone.localdate()
    Membership.objects.create(
        person=person, household=person.household, relation=person.relation, start_date=start, start_reason=join_reason
    )
    return person


@audit.audited("person.update", "修改人员信息", target="person")
@transaction.atomic
def person_update(*, actor: User, person: Person, **fields) -> Person:
    """Correct a member's details. A changed relation is carried into the open membership period."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    for name, value in fields.items():
        setattr(person, name, value)
    person_save(actor=actor, person=person)
    person.memberships.filter(end_date__isnull=True).exclude(relation=person.relation).update(relation=person.relation)
    return person


@audit.audited("person.birth", "出生登记", target="household")
@transaction.atomic
def person_birth(*, actor: User, household: Household, name: str, id_number: str, relation: str, **details):
    """A child born into the household: the stay starts on the birth date the ID number gives."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    birth_date = id_numbers.parse(id_number).birth_date
    person = person_create(
        actor=actor,
        household=household,
        name=name,
        id_number=id_number,
        relation=relation,
        joined_on=birth_date,
        join_reason=MembershipStart.BIRTH,
        **details,
    )
    _log_event(household, HouseholdEventKind.BIRTH, birth_date, actor, person=person)
    return person


@audit.audited("person.join", "成员迁入", target="household")
@transaction.atomic
def person_join(
    *,
    actor: User,
    household: Household,
    date: datetime.date,
    reason: str = MembershipStart.OTHER,
    note: str = "",
    **person_fields,
) -> Person:
    """A member who joins the household on `date` (marriage, return, other)."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    person = person_create(actor=actor, household=household, joined_on=date, join_reason=reason, **person_fields)
    _log_event(household, HouseholdEventKind.MEMBER_JOINED, date, actor, person=person, reason=note)
    return person


@audit.audited("person.leave", "成员离开本户", target="person")
@transaction.atomic
def person_leave(
    *,
    actor: User,
    person: Person,
    date: datetime.date,
    reason: str,
    note: str = "",
    new_head: Person | None = None,
) -> Person:
    """End a member's stay: death, moving out, marrying out. A leaving head hands over to `new_head`."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    household = person.household
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError(MSG_NOT_ACTIVE)
    others = household.members.active().exclude(pk=person.pk)
    valid_successor = new_head is not None and new_head.household_id == household.pk and new_head.pk != person.pk
    if person.relation == Relation.HEAD and others.exists() and not valid_successor:
        raise ValidationError({"new_head": MSG_HEAD_LEAVING})
    status = PersonStatus.DECEASED if reason == MembershipEnd.DEATH else PersonStatus.LEFT
    _end_membership(person, date, reason, status, actor)
    if new_head is not None and person.relation == Relation.HEAD:
        _make_head(new_head, date, actor)
    kind = HouseholdEventKind.DEATH if reason == MembershipEnd.DEATH else HouseholdEventKind.MEMBER_LEFT
    _log_event(household, kind, date, actor, person=person, reason=note or MembershipEnd(reason).label)
    return person


def _end_membership(person, date, reason, status, actor):
    membership = person.memberships.get(end_date__isnull=True)
    if date < membership.start_date:
        raise ValidationError({"date": MSG_DATE_BEFORE_JOIN.format(date=membership.start_date)})
    membership.end_date = date
    membership.end_reason = reason
    membership.save(update_fields=["end_date", "end_reason"])
    person.status = status
    person.left_on = date
    save_with_history(instance=person, actor=actor, reason=MembershipEnd(reason).label)


def _make_head(person, date, actor):
    person.relation = Relation.HEAD
    save_with_history(instance=person, actor=actor, reason="变更户主")
    person.memberships.filter(end_date__isnull=True).update(relation=Relation.HEAD)


def _move_member(person, target, relation, date, end_reason, start_reason, actor):
    """Close the person's stay in their household and open one in `target` on the same date."""
    _end_membership(person, date, end_reason, PersonStatus.ACTIVE, actor)
    person.household = target
    person.relation = relation
    person.left_on = None
    save_with_history(instance=person, actor=actor, reason=MembershipStart(start_reason).label)
    Membership.objects.create(
        person=person, household=target, relation=relation, start_date=date, start_reason=start_reason
    )


@audit.audited("household.split", "分户", target="household")
@transaction.atomic
def household_split(
    *,
    actor: User,
    household: Household,
    date: datetime.date,
    relations: dict[Person, str],
    code: str,
    building=None,
    room_number: str = "",
) -> Household:
    """Members in `relations` (person → relation in the new household) form a new household on `date`."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    active = set(household.members.active())
    if not relations or not set(relations) < active:
        raise ValidationError(MSG_SPLIT_NEEDS_MEMBERS)
    _check_composition(relations, date)
    new = household_create(
        actor=actor,
        settlement=household.settlement,
        code=code,
        building=building,
        room_number=room_number,
        project_year=household.project_year,
        origin_township=household.origin_township,
        origin_village=household.origin_village,
        registered_poor=household.registered_poor,
        move_in_date=date if household.status == HouseholdStatus.MOVED_IN else None,
        status=household.status,
    )
    for person, relation in relations.items():
        _move_member(person, new, relation, date, MembershipEnd.SPLIT, MembershipStart.SPLIT, actor)
    remaining = {p: p.relation for p in active - set(relations)}
    _check_composition(remaining, date)
    _log_event(household, HouseholdEventKind.SPLIT, date, actor, related=new, reason=f"分出新户 {new.code}")
    _log_event(new, HouseholdEventKind.SPLIT, date, actor, related=household, reason=f"由 {household.code} 分出")
    return new


@audit.audited("household.merge", "合户", target="source")
@transaction.atomic
def household_merge(
    *,
    actor: User,
    source: Household,
    target: Household,
    date: datetime.date,
    relations: dict[Person, str],
) -> Household:
    """Every active member of `source` joins `target` on `date` with the given relation; `source` ends."""
    capabilities.require(actor, KEEP_HOUSEHOLDS)
    if source.pk == target.pk:
        raise ValidationError(MSG_MERGE_SAME)
    if source.settlement_id != target.settlement_id:
        raise ValidationError(MSG_MERGE_SETTLEMENT)
    moving = list(source.members.active())
    relations = {person: relations.get(person, Relation.OTHER) for person in moving}
    _check_composition({**{p: p.relation for p in target.members.active()}, **relations}, date)
    for person, relation in relations.items():
        _move_member(person, target, relation, date, MembershipEnd.MERGE, MembershipStart.MERGE, actor)
    source.status = HouseholdStatus.DISSOLVED
    source.moved_out_on = date
    source.move_out_reason = f"合户至 {target.code}"
    save_with_history(instance=source, actor=actor, reason="合户")
    _log_event(source, HouseholdEventKind.MERGE, date, actor, related=target, reason=f"并入 {target.code}")
    _log_event(target, HouseholdEventKind.MERGE, date, actor, related=source, reason=f"{source.code} 并入")
    return target


def _check_composition(relations: dict[Person, str], date: datetime.date) -> None:
    members = [rules.Member(relation, person.birth_date, person.sex) for person, relation in relations.items()]
    problems = rules.check_household(members, date)
    if problems:
        raise ValidationError([problem.message for problem in problems])


# --- personal data access ------------------------------------------------------------------------------


def person_reveal_id_number(*, user: User, person: Person) -> str:
    """The full ID number for a permitted user; the reveal (or its refusal) is in the audit trail."""
    with audit.refusals_recorded(actor=user, action=PersonalDataAccessKind.REVEAL, target=person):
        capabilities.require(user, REVEAL_ID_NUMBERS)
    audit.record_access(actor=user, action=PersonalDataAccessKind.REVEAL, target=person, description=person.name)
    return person.id_number


# --- users and sessions ------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    unit=None,
    work_team=None,
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """A user made by set-up code (the demo, `create_administrator`, tests): no actor. On the portal's pages
    the system administrator creates accounts with `accounts.services.user_create_account`."""
    user = User(username=username, role=role, full_name=full_name, unit=unit, work_team=work_team, email=email)
    user.set_password(password)
    user.must_change_password = must_change_password
    return user_save(user=user)


def user_save(*, user: User) -> User:
    """Validate the role's requirements; `is_staff` says whether the role opens any model of the admin."""
    from .admin_site import enters_admin

    user.full_clean()
    user.is_staff = enters_admin(user)
    user.save()
    return user


def sessions_purge_expired() -> int:
    """Delete sessions past their expiry (idle or closed); returns how many were removed. Each that a user was
    still logged in with is recorded as a logout by timeout (`session_end_expired`)."""
    expired = Session.objects.filter(expire_date__lt=timezone.now())
    logged_in = [key for key, data in expired.values_list("session_key", "session_data") if _session_user_id(data)]
    ended = sum(session_end_expired(session_key=key) for key in logged_in)
    deleted, _ = expired.delete()  # the rest: sessions no one was logged in with
    return ended + deleted


def session_end_expired(*, session_key: str) -> bool:
    """Delete one expired session; when a user was logged in with it, record their logout by timeout. Only
    the caller whose delete removed the row records it, so the nightly purge and a request carrying the
    expired cookie (`audit.AuditRequestMiddleware`) never both do."""
    session = Session.objects.filter(session_key=session_key, expire_date__lte=timezone.now()).first()
    if session is None:
        return False
    deleted, _ = Session.objects.filter(session_key=session_key, expire_date=session.expire_date).delete()
    user_id = _session_user_id(session.session_data)
    if deleted and user_id:
        _record_timeout(user_id, session.expire_date)
    return bool(deleted)


def _session_user_id(session_data: str) -> str | None:
    return Session.get_session_store_class()().decode(session_data).get(SESSION_KEY)


def _record_timeout(user_id, expired_at) -> None:
    idle_since = expired_at - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    audit.record(
        actor=User.objects.filter(pk=user_id).first(),
        actor_name=f"#{user_id}",  # a user since deleted
        action=audit.LOGOUT_TIMEOUT,
        detail={
            "last_request": timezone.localtime(idle_since).isoformat(timespec="seconds"),
            "expired_at": timezone.localtime(expired_at).isoformat(timespec="seconds"),
        },
    )


# --- facilities --------------------------------------------------------------------------------------------------

MSG_FACILITY_NO_KIND = "请至少选择一种设施类型。"
MSG_FACILITY_NO_SETTLEMENT = "请选择设施服务的安置点（全县性设施由领导小组办公室登记）。"
MSG_FACILITY_OUT_OF_SCOPE = "只能登记本中心所辖安置点的设施：{names}不在您的范围内。"


@audit.audited("facility.save", "保存服务设施")
@transaction.atomic
def facility_save(*, actor: User, facility: Facility, kinds, settlements, attributes: dict) -> Facility:
    """Create or correct a facility: its kinds, the settlements it serves and the attributes its kinds record.

    A clerk keeps the facilities of their centre's settlements: every settlement they add or remove is in
    their scope, and a facility they keep serves at least one of them.
    """
    capabilities.require(actor, KEEP_FACILITIES)
    kinds, settlements = list(kinds), list(settlements)
    if not kinds:
        raise ValidationError({"kinds": MSG_FACILITY_NO_KIND})
    _check_facility_settlements(actor, facility, settlements)
    facility.attributes = facilities.clean_attribute_values(facilities.attributes_of(kinds), attributes)
    before = _facility_sets(facility)
    attributes_before = Facility.objects.get(pk=facility.pk).attributes if facility.pk else None
    save_with_history(instance=facility, actor=actor)
    facility.kinds.set(kinds)
    facility.settlements.set(settlements)
    changed = _facility_sets(facility) != before or facility.attributes != attributes_before
    if facility.in_use_on and changed:  # figures count it by kind and settlement, and judge its attributes
        dated_facts.announce(Facility, facility.in_use_on)
    return facility


def _facility_sets(facility):
    if not facility.pk:
        return None
    return set(facility.kinds.values_list("pk", flat=True)), set(facility.settlements.values_list("pk", flat=True))


def _check_facility_settlements(actor, facility, settlements):
    if capabilities.has(actor, capabilities.SEE_ALL_SETTLEMENTS):
        return
    scope = set(Settlement.objects.for_user(actor))
    before = set(facility.settlements.all()) if facility.pk else set()
    changed_outside = (set(settlements) ^ before) - scope
    if changed_outside:
        names = "、".join(sorted(settlement.name for settlement in changed_outside))
        raise ValidationError({"settlements": MSG_FACILITY_OUT_OF_SCOPE.format(names=names)})
    if not scope.intersection(settlements):
        raise ValidationError({"settlements": MSG_FACILITY_NO_SETTLEMENT})


# --- grids and heads ---------------------------------------------------------------------------------------------

MSG_GRID_OUT_OF_SCOPE = "只能在本中心所辖安置点划定网格。"
MSG_GRID_KIND_FIXED = "该网格已划入搬迁户，不能再改变网格类型：请新建一个网格。"
MSG_GRID_SETTLEMENT_FIXED = "该网格已划入搬迁户，不能改到其他安置点：请新建一个网格。"
MSG_GRID_DRAWN_AFTER = "已有搬迁户自 {day} 起划入该网格，划定日期不能晚于该日。"
MSG_GRID_NOT_EMPTY = "撤销之日该网格仍有 {count} 户：请先将这些户调整到其他网格，再撤销网格。"
MSG_GRID_NOT_IN_USE = "网格“{grid}”在 {day} 不在使用期内（划定日期至撤销日期）。"
MSG_GRID_OTHER_SETTLEMENT = "以下搬迁户不属于网格“{grid}”所在的安置点（{settlement}）：{codes}。"
MSG_GRID_NOTHING_CHOSEN = "请至少选择一户或一栋楼。"
MSG_GRID_LATER_START = "以下搬迁户在调整日期之后才划入现网格，调整日期须不早于该日期：{codes}。"
MSG_NOT_FOUND = "所选的搬迁户或楼栋不存在或不在您的管理范围内。"
MSG_PERSON_OUT_OF_SCOPE = "所选人员不在您的管理范围内。"
MSG_NAME_NEEDED = "请填写姓名，或选择一名搬迁人员。"
MSG_BUILDING_OUT_OF_SCOPE = "只能为本中心所辖安置点的楼栋指定楼长（院长）。"
MSG_BUILDING_KIND_OUT_OF_SCOPE = "只能设定本中心所辖安置点的楼栋是楼栋还是院落。"
MSG_HEAD_OVERLAP = (
    "{building}在这段时间已有{title}{name}（{period}）：每栋楼同一时间只能有一名{title}，请先填写其卸任日期。"
)
LISTED_CODES = 10  # households a message names


def _codes(households) -> str:
    codes = sorted(household.code for household in households)
    more = f" 等 {len(codes)} 户" if len(codes) > LISTED_CODES else ""
    return "、".join(codes[:LISTED_CODES]) + more


@audit.audited("grid.save", "保存网格")
@transaction.atomic
def grid_save(*, actor: User, grid: Grid) -> Grid:
    """Draw or correct a grid (its kind is fixed once households are in it)."""
    capabilities.require(actor, KEEP_GRIDS)
    if not Settlement.objects.for_user(actor).filter(pk=grid.settlement_id).exists():
        raise ValidationError({"settlement": MSG_GRID_OUT_OF_SCOPE})
    if grid.pk:
        _check_grid_change(grid)
    return save_with_history(instance=grid, actor=actor)


def _check_grid_change(grid: Grid) -> None:
    """A grid with households keeps its kind and settlement, and its dates hold every household's period in it."""
    rows = GridAssignment.objects.filter(grid=grid)
    if rows.exclude(kind=grid.kind).exists():
        raise ValidationError({"kind": MSG_GRID_KIND_FIXED})
    if rows.exclude(household__settlement_id=grid.settlement_id).exists():
        raise ValidationError({"settlement": MSG_GRID_SETTLEMENT_FIXED})
    if grid.established_on and rows.filter(start_date__lt=grid.established_on).exists():
        first = rows.order_by("start_date").values_list("start_date", flat=True).first()
        raise ValidationError({"established_on": MSG_GRID_DRAWN_AFTER.format(day=f"{first:%Y-%m-%d}")})
    if grid.dissolved_on:
        staying = rows.filter(Q(end_date__isnull=True) | Q(end_date__gt=grid.dissolved_on)).count()
        if staying:
            raise ValidationError({"dissolved_on": MSG_GRID_NOT_EMPTY.format(count=staying)})


@dataclass
class GridMove:
    grid: Grid
    joined: int
    moved: int
    unchanged: int

    @property
    def sentence(self) -> str:
        return (
            f"已将 {self.joined + self.moved} 户划入{self.grid.get_kind_display()}“{self.grid.name}”"
            f"（新划入 {self.joined} 户，从其他网格调整 {self.moved} 户，原已在该网格 {self.unchanged} 户）。"
        )


@audit.audited("grid.assign", "划分网格（批量）", target="grid")
@transaction.atomic
def grid_assign(*, actor: User, grid: Grid, household_ids, day: datetime.date) -> GridMove:
    """Put the households (ids, read from `actor`'s scope) into `grid` from `day`: an open assignment to another
    grid of the kind ends that day, a new one starts (one that starts that very day is corrected in place).

    A household the scope does not hold is not found (`Household.DoesNotExist`), and nothing moves. One audit
    entry for the whole; each household's assignment keeps its history (who, when)."""
    capabilities.require(actor, KEEP_GRIDS)
    grid = Grid.objects.for_user(actor).get(pk=grid.pk)
    ids = set(household_ids)
    households = list(Household.objects.for_user(actor).filter(pk__in=ids).select_for_update())
    if len(households) != len(ids):
        raise Household.DoesNotExist(MSG_NOT_FOUND)
    if not households:
        raise ValidationError(MSG_GRID_NOTHING_CHOSEN)
    _check_assignment(grid, households, day)
    open_rows = list(
        GridAssignment.objects.filter(household_id__in=ids, kind=grid.kind, end_date__isnull=True).select_for_update()
    )
    later = [row.household for row in open_rows if row.start_date > day and row.grid_id != grid.pk]
    if later:
        raise ValidationError({"day": MSG_GRID_LATER_START.format(codes=_codes(later))})
    reason = f"划入网格 {grid.name}"
    unchanged = {row.household_id for row in open_rows if row.grid_id == grid.pk}
    corrected = [row for row in open_rows if row.grid_id != grid.pk and row.start_date == day]
    closed = [row for row in open_rows if row.grid_id != grid.pk and row.start_date < day]
    for row in corrected:
        row.grid = grid
    for row in closed:
        row.end_date = day
    changed = corrected + closed
    if changed:
        bulk_update_with_history(
            changed, GridAssignment, ["grid", "end_date"], default_user=actor, default_change_reason=reason
        )
    staying = unchanged | {row.household_id for row in corrected}
    new = [GridAssignment(household_id=pk, grid=grid, kind=grid.kind, start_date=day) for pk in sorted(ids - staying)]
    bulk_create_with_history(new, GridAssignment, default_user=actor, default_change_reason=reason)
    dated_facts.announce(GridAssignment, day)  # the bulk writes bypass save()
    moved = len(changed)
    return GridMove(grid=grid, joined=len(ids) - len(unchanged) - moved, moved=moved, unchanged=len(unchanged))


def _check_assignment(grid: Grid, households, day) -> None:
    elsewhere = [household for household in households if household.settlement_id != grid.settlement_id]
    if elsewhere:
        raise ValidationError(
            MSG_GRID_OTHER_SETTLEMENT.format(grid=grid.name, settlement=grid.settlement.name, codes=_codes(elsewhere))
        )
    drawn = grid.established_on is None or grid.established_on <= day
    if not drawn or (grid.dissolved_on is not None and grid.dissolved_on <= day):
        raise ValidationError({"day": MSG_GRID_NOT_IN_USE.format(grid=grid.name, day=f"{day:%Y-%m-%d}")})


def _named_person(actor, record) -> None:
    """A member or head chosen from the registry: in the actor's scope, named as the registry names them."""
    if record.person_id is None:
        if not record.name.strip():
            raise ValidationError({"name": MSG_NAME_NEEDED})
        return
    if not Person.objects.for_user(actor).filter(pk=record.person_id).exists():
        raise ValidationError({"person": MSG_PERSON_OUT_OF_SCOPE})
    record.name = record.person.name
    record.phone = record.phone or record.person.phone


@audit.audited("grid_member.save", "保存网格员")
@transaction.atomic
def grid_member_save(*, actor: User, member: GridMember) -> GridMember:
    capabilities.require(actor, KEEP_GRIDS)
    Grid.objects.for_user(actor).get(pk=member.grid_id)
    _named_person(actor, member)
    return save_with_history(instance=member, actor=actor)


@audit.audited("building.kind", "设定楼栋或院落")
@transaction.atomic
def building_kind_set(*, actor: User, building: Building, kind: str) -> Building:
    """Mark a building of the actor's settlements as a 楼栋 or a 院落 (its head is then a 楼长 or a 院长)."""
    capabilities.require(actor, KEEP_GRIDS)
    if not Building.objects.for_user(actor).filter(pk=building.pk).exists():
        raise ValidationError({"building": MSG_BUILDING_KIND_OUT_OF_SCOPE})
    building.kind = kind
    building.full_clean()
    building.save(update_fields=["kind"])
    return building


@audit.audited("building_head.save", "保存楼长（院长）")
@transaction.atomic
def building_head_save(*, actor: User, head: BuildingHead) -> BuildingHead:
    """Name or correct a building's head (楼长) or a courtyard's (院长). A period that overlaps another head's of
    the same building is refused, naming the building and that head."""
    capabilities.require(actor, KEEP_GRIDS)
    building = Building.objects.for_user(actor).select_for_update().filter(pk=head.building_id).first()
    if building is None:
        raise ValidationError({"building": MSG_BUILDING_OUT_OF_SCOPE})
    _named_person(actor, head)
    head.full_clean(validate_constraints=False)  # the overlap, which the open-row constraint checks in part
    other = grids.overlapping_head(head)
    if other is not None:
        period = f"{other.start_date:%Y-%m-%d}起" + (f"至{other.end_date:%Y-%m-%d}" if other.end_date else "，现任")
        raise ValidationError(
            {
                "start_date": MSG_HEAD_OVERLAP.format(
                    building=building, title=building.head_title, name=other.name, period=period
                )
            }
        )
    return save_with_history(instance=head, actor=actor)
