"""Grids and heads in the core: the size bands at their edges (as dated rule data), the dated assignment of
households and its history, one current head per building, scope, and the indicators."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from settlements import grids, services
from settlements.models import (
    AuditEntry,
    Building,
    BuildingHead,
    BuildingKind,
    Grid,
    GridAssignment,
    GridKind,
    Household,
    Settlement,
)
from tasks.indicators import group
from tests.factories import HouseholdFactory

D = datetime.date
DAY = D(2026, 6, 1)


def settlement(code="fumin"):
    return Settlement.objects.get(code=code)


def grid(actor, name="一网格", kind=GridKind.GOVERNANCE, code="fumin", **fields):
    return services.grid_save(actor=actor, grid=Grid(settlement=settlement(code), kind=kind, name=name, **fields))


def households(count, code="fumin", **fields):
    """`count` resident households, made in one insert."""
    place = settlement(code)
    start = Household.objects.count()
    made = [HouseholdFactory.build(settlement=place, code=f"G-{code}-{start + n:05d}", **fields) for n in range(count)]
    return Household.objects.bulk_create(made)


def assign(actor, to, made, day=DAY):
    return services.grid_assign(actor=actor, grid=to, household_ids=[h.pk for h in made], day=day)


def judged(the_grid, day=DAY):
    section = next(s for s in grids.structure(settlement=the_grid.settlement, day=day).kinds if s.kind == the_grid.kind)
    return next(row for row in section.grids if row.grid == the_grid)


# --- sizes ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "in_band"), [(99, False), (100, True), (200, True), (201, False)])
def test_a_governance_grid_of_a_large_settlement_holds_100_to_200_households(users, size, in_band):
    office = users["office"]
    households(1000 - size)  # the rest of the settlement: 1,000 households, so the 100–200 band
    the_grid = grid(office)
    assign(office, the_grid, households(size))
    row = judged(the_grid)
    assert (row.households, row.band.label, row.in_band) == (size, "100—200 户", in_band)
    assert "每个居委会按照100户—200户设一个网格或居民小组" in row.band.basis


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "in_band"), [(149, True), (150, True), (151, False)])
def test_a_resident_group_of_a_small_settlement_holds_100_to_150_households(users, size, in_band):
    office = users["office"]
    households(300 - size)
    the_grid = grid(office)
    assign(office, the_grid, households(size))
    row = judged(the_grid)
    assert (row.band.label, row.in_band) == ("100—150 户", in_band)


@pytest.mark.django_db
@pytest.mark.parametrize(("settlement_size", "label"), [(800, "100—150 户"), (801, "100—200 户")])
def test_a_settlement_of_800_households_is_small_and_one_of_801_is_not(reference, settlement_size, label):
    band = grids.band_for(GridKind.GOVERNANCE, settlement_size, DAY)
    assert band.label == label
    assert "以下”含800户" in band.reading and "801户至约1000户之间原文没有哪一句规定" in band.reading


@pytest.mark.django_db
def test_the_settlements_size_is_its_resident_households_on_the_day_asked(users):
    office = users["office"]
    households(600)
    households(101, move_in_date=D(2026, 7, 1))  # 760 resident on DAY, 861 from July
    the_grid = grid(office)
    assign(office, the_grid, households(160), day=D(2026, 1, 1))
    assert (judged(the_grid).band.label, judged(the_grid).in_band) == ("100—150 户", False)
    later = judged(the_grid, D(2026, 8, 1))
    assert (later.band.label, later.in_band) == ("100—200 户", True)


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "in_band"), [(299, False), (300, True), (400, True), (401, False)])
def test_a_security_grid_holds_300_to_400_households_beside_the_governance_grid(users, size, in_band):
    office = users["office"]
    made = households(size)
    security, governance = grid(office, "治安一网格", GridKind.SECURITY), grid(office, "一组")
    assign(office, security, made)
    assign(office, governance, made[:150])  # the same households, in a grid of the other kind too
    assert (judged(security).band.label, judged(security).in_band) == ("300—400 户", in_band)
    assert GridAssignment.objects.filter(household=made[0], end_date__isnull=True).count() == 2


# --- assignment ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_move_closes_the_old_grid_on_the_day_keeps_who_did_it_and_records_one_audit_entry(users):
    office, clerk = users["office"], users["clerk_wenti"]
    made = households(3)
    first, second = grid(office, "网格A"), grid(office, "网格B")
    assign(office, first, made, day=D(2026, 1, 1))
    entries = AuditEntry.objects.filter(action="grid.assign").count()
    plan = grids.move_plan(grid=second, household_ids=[h.pk for h in made[:2]])
    assert plan.sentence == "将把 2 户从 网格A 调整到 网格B。"
    move = assign(clerk, second, made[:2])
    assert (move.joined, move.moved, move.unchanged) == (0, 2, 0)
    assert AuditEntry.objects.filter(action="grid.assign").count() == entries + 1
    closed = GridAssignment.objects.get(household=made[0], grid=first)
    assert closed.end_date == DAY
    assert closed.history.first().history_user == clerk
    opened = GridAssignment.objects.get(household=made[0], grid=second)
    assert (opened.start_date, opened.end_date, opened.history.first().history_user) == (DAY, None, clerk)
    assert grids.grid_household_counts([first.pk, second.pk], D(2026, 5, 31)) == {first.pk: 3}
    assert grids.grid_household_counts([first.pk, second.pk], DAY) == {first.pk: 1, second.pk: 2}
    again = assign(clerk, second, made)  # two already there, one joins from A
    assert (again.joined, again.moved, again.unchanged) == (0, 1, 2)


@pytest.mark.django_db
def test_the_database_keeps_one_open_grid_per_household_and_kind(users):
    office = users["office"]
    (household,) = households(1)
    first, second = grid(office, "网格A"), grid(office, "网格B")
    assign(office, first, [household])
    with pytest.raises(IntegrityError), transaction.atomic():
        GridAssignment.objects.create(household=household, grid=second, kind=second.kind, start_date=DAY)


@pytest.mark.django_db
def test_a_bulk_move_naming_a_household_outside_the_scope_finds_nothing_and_moves_nothing(users):
    clerk = users["clerk_wenti"]
    inside, outside = households(2), households(1, code="fengle")
    to = grid(clerk, "富民一组")
    with pytest.raises(Household.DoesNotExist):
        assign(clerk, to, [*inside, *outside])
    assert not GridAssignment.objects.exists()
    other = grid(users["office"], "丰乐一组", code="fengle")
    with pytest.raises(Grid.DoesNotExist):
        assign(clerk, other, outside)
    with pytest.raises(ValidationError) as refused:
        assign(users["office"], to, outside)
    assert "不属于网格“富民一组”所在的安置点（富民）" in refused.value.messages[0]


@pytest.mark.django_db
def test_readers_cannot_draw_grids_or_move_households(users):
    made = households(1)
    to = grid(users["office"])
    for reader in ("leader", "team_lead", "reporter"):
        with pytest.raises(PermissionDenied):
            assign(users[reader], to, made)
        with pytest.raises(PermissionDenied):
            grid(users[reader], "又一网格")
    assert not GridAssignment.objects.exists()


@pytest.mark.django_db
def test_assigning_a_building_takes_its_current_households_and_leaves_the_moved_out(users):
    block = Building.objects.create(settlement=settlement(), name="3栋")
    living = households(2, building=block)
    households(1, building=block, status="moved_out", moved_out_on=D(2025, 1, 1))
    found, missing = grids.households_of(user=users["clerk_wenti"], building_ids=[block.pk])
    assert (found, missing) == ({h.pk for h in living}, set())
    elsewhere = Building.objects.create(settlement=settlement("fengle"), name="1栋")
    assert grids.households_of(user=users["clerk_wenti"], building_ids=[elsewhere.pk])[1] == {elsewhere.pk}


# --- heads -------------------------------------------------------------------------------------------------------


def head(actor, building, name, start, end=None, **fields):
    return services.building_head_save(
        actor=actor, head=BuildingHead(building=building, name=name, start_date=start, end_date=end, **fields)
    )


@pytest.mark.django_db
def test_a_second_current_head_of_a_building_is_refused_naming_the_building_and_the_head(users):
    office = users["office"]
    block = Building.objects.create(settlement=settlement(), name="5栋")
    head(office, block, "杨秀", D(2019, 6, 1), phone="13800001111")
    with pytest.raises(ValidationError) as refused:
        head(office, block, "吴明", D(2026, 1, 1))
    assert refused.value.message_dict["start_date"] == [
        "富民 5栋在这段时间已有楼长杨秀（2019-06-01起，现任）：每栋楼同一时间只能有一名楼长，请先填写其卸任日期。"
    ]
    current = BuildingHead.objects.get(name="杨秀")
    current.end_date = D(2026, 1, 1)
    services.building_head_save(actor=office, head=current)
    head(office, block, "吴明", D(2026, 1, 1))  # from the day the other's term ends
    with pytest.raises(ValidationError):
        head(office, block, "龙梅", D(2020, 1, 1), D(2020, 2, 1))  # inside 杨秀's past term
    with pytest.raises(IntegrityError), transaction.atomic():
        BuildingHead.objects.create(building=block, name="直接写入", start_date=D(2027, 1, 1))


@pytest.mark.django_db
def test_a_courtyard_has_a_courtyard_head_and_the_message_says_so(users):
    yard = Building.objects.create(settlement=settlement(), name="杨家院", kind=BuildingKind.COURTYARD)
    head(users["office"], yard, "杨老", D(2020, 1, 1), phone="13800002222")
    with pytest.raises(ValidationError) as refused:
        head(users["office"], yard, "杨少", D(2021, 1, 1), phone="13800003333")
    assert "已有院长杨老" in refused.value.message_dict["start_date"][0]


@pytest.mark.django_db
def test_a_clerk_names_heads_only_in_their_centres_settlements(users):
    block = Building.objects.create(settlement=settlement("fengle"), name="1栋")
    with pytest.raises(ValidationError) as refused:
        head(users["clerk_wenti"], block, "杨秀", D(2020, 1, 1), phone="13800001111")
    assert refused.value.message_dict["building"] == [services.MSG_BUILDING_OUT_OF_SCOPE]
    with pytest.raises(PermissionDenied):
        head(users["leader"], block, "杨秀", D(2020, 1, 1), phone="13800001111")


# --- the structure and the indicators --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_structure_lists_households_in_no_grid_grids_out_of_band_and_buildings_without_a_head(users):
    office = users["office"]
    block, bare = (Building.objects.create(settlement=settlement(), name=name) for name in ("1栋", "2栋"))
    made = households(3, building=block)
    assign(office, grid(office), made[:2])
    head(office, block, "杨秀", D(2020, 1, 1), phone="13800001111")
    shown = grids.structure(settlement=settlement(), day=DAY)
    governance, security = shown.kinds
    assert governance.unassigned_count == 1 and governance.unassigned == [made[2]]
    assert security.unassigned_count == 3
    assert [row.grid.name for row in governance.out_of_band] == ["一网格"]  # 2 households
    assert [row.building for row in shown.headless] == [bare]
    assert not shown.complete


@pytest.mark.django_db
def test_the_grid_indicators_count_per_settlement_as_of_a_day(users):
    office = users["office"]
    block, bare = (Building.objects.create(settlement=settlement(), name=name) for name in ("1栋", "2栋"))
    made = households(120, building=block)
    assign(office, grid(office), made, day=D(2026, 3, 1))
    assign(office, grid(office, "治安一网格", GridKind.SECURITY), made[:10], day=D(2026, 3, 1))
    head(office, block, "杨秀", D(2026, 3, 1), phone="13800001111")
    fumin = settlement().pk
    values = group("settlements.grids").compute(DAY)
    assert values["settlements.households_in_governance_grid"][fumin] == 120
    assert values["settlements.households_in_security_grid"][fumin] == 10
    assert values["settlements.grids_in_band"][fumin] == 1  # the governance grid; the security one is too small
    assert values["settlements.buildings_with_head"][fumin] == 1
    assert values["settlements.buildings_without_head"][fumin] == 1
    before = group("settlements.grids").compute(D(2026, 2, 1))
    assert before["settlements.households_in_governance_grid"].get(fumin, 0) == 0
    assert before["settlements.buildings_without_head"][fumin] == 2
    assert bare.heads.count() == 0


@pytest.mark.django_db
def test_a_grid_with_households_keeps_its_kind_and_settlement_and_is_dissolved_only_once_empty(users):
    office = users["office"]
    made = households(2)
    the_grid = grid(office, established_on=D(2020, 1, 1))
    other = grid(office, "二组")
    assign(office, the_grid, made, day=D(2021, 1, 1))
    changes = {
        "kind": {"kind": GridKind.SECURITY},
        "settlement": {"settlement": settlement("wolong")},
        "established_on": {"established_on": D(2021, 6, 1)},
        "dissolved_on": {"dissolved_on": D(2026, 1, 1)},
    }
    for field_name, values in changes.items():
        changed = Grid.objects.get(pk=the_grid.pk)
        for name, value in values.items():
            setattr(changed, name, value)
        with pytest.raises(ValidationError) as refused:
            services.grid_save(actor=office, grid=changed)
        assert field_name in refused.value.message_dict, field_name
    assert "撤销之日该网格仍有 2 户" in refused.value.message_dict["dissolved_on"][0]
    assign(office, other, made, day=D(2025, 12, 1))
    the_grid.dissolved_on = D(2026, 1, 1)
    services.grid_save(actor=office, grid=the_grid)
    assert the_grid.history.first().dissolved_on == D(2026, 1, 1)
