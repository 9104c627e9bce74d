"""Bulk inserts by COPY (settlements/bulk.py): text escaping, primary keys, and the same records and change
history as the ORM path writes (django-simple-history's own `bulk_create_with_history`)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from settlements import bulk, ledger
from settlements.importing import check_ledger, write_ledger
from settlements.models import (
    Building,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Membership,
    Person,
    Settlement,
    read_id_number,
    stored_id_number,
)
from tests.factories import with_check_digit

AWKWARD = "杨\t明\\二\n号\r"  # a tab, a backslash, a newline and a carriage return inside a name
NOW = datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC)


def resident_number(birth: datetime.date, sequence: int) -> str:
    """A valid ID number (an odd `sequence` is a man's). The shared factories are left alone: other tests'
    data depend on how many numbers and households were made before them."""
    return with_check_digit(f"522632{birth:%Y%m%d}{sequence:03d}")


def registered_household(code: str = "FM-900") -> Household:
    return Household.objects.create(
        code=code,
        settlement=Settlement.objects.get(code="fumin"),
        room_number="901",
        project_year=2018,
        origin_township="古州镇",
        move_in_date=datetime.date(2019, 5, 1),
        status=HouseholdStatus.MOVED_IN,
    )


@pytest.fixture
def copies(monkeypatch):
    """The tables each COPY went to, in order (to prove which path a test took)."""
    tables = []
    original = bulk._copy_lines

    def spy(cursor, table, names, lines):
        tables.append(table)
        original(cursor, table, names, lines)

    monkeypatch.setattr(bulk, "_copy_lines", spy)
    return tables


def test_copy_text_escapes_the_separators_and_backslashes_and_writes_null_as_backslash_n():
    assert bulk.copy_text(AWKWARD) == "杨\\t明\\\\二\\n号\\r"
    assert bulk.copy_text("\\N") == "\\\\N"  # the two characters, not NULL
    assert bulk.copy_text("") == ""
    assert bulk.copy_text(None) == "\\N"
    assert bulk.copy_text(2019) == "2019"


@pytest.mark.django_db
def test_values_with_tabs_backslashes_and_newlines_arrive_unchanged_in_the_records_and_their_history(users, copies):
    household = registered_household()
    clerk = users["clerk_wenti"]
    rows = [
        {
            "household_id": household.pk,
            "settlement_id": household.settlement_id,
            "name": name,
            **stored_id_number(resident_number(datetime.date(2010, 1, 1), sequence)),
            "sex": "M",
            "birth_date": datetime.date(2010, 1, 1),
            "relation": "son",
            "phone": phone,
        }
        for sequence, name, phone in ((901, AWKWARD, "\\N"), (903, "\\.", ""), (905, "石\\\\勇", "139 0000\t0000"))
    ]
    keys = bulk.create_with_history(Person, rows, user=clerk, reason="导入\t#1\n", date=NOW)

    assert copies == ["settlements_person", "settlements_historicalperson"]
    assert keys == sorted(keys) and len(set(keys)) == 3
    stored = {p.pk: (p.name, p.phone, p.education) for p in Person.objects.filter(pk__in=keys)}
    assert [stored[key] for key in keys] == [(AWKWARD, "\\N", ""), ("\\.", "", ""), ("石\\\\勇", "139 0000\t0000", "")]
    history = Person.history.filter(id__in=keys).order_by("id")
    assert [(h.name, h.phone) for h in history] == [(row["name"], row["phone"]) for row in rows]
    assert {(h.history_type, h.history_user, h.history_change_reason, h.history_date) for h in history} == {
        ("+", clerk, "导入\t#1\n", NOW)
    }


@pytest.mark.django_db
def test_a_nul_character_is_refused_as_the_orm_path_refuses_it(users, copies, monkeypatch):
    household = registered_household()
    row = {
        "household_id": household.pk,
        "settlement_id": household.settlement_id,
        "name": "杨\x00明",
        **stored_id_number(resident_number(datetime.date(2010, 1, 1), 901)),
        "sex": "M",
        "birth_date": datetime.date(2010, 1, 1),
        "relation": "son",
    }
    with pytest.raises(ValueError, match="NUL"):
        bulk.create(Person, [row])
    assert copies == [] and not Person.objects.exists()
    monkeypatch.setattr(bulk, "uses_copy", lambda: False)
    with pytest.raises(ValueError, match="NUL"):
        bulk.create(Person, [row])


@pytest.mark.django_db
def test_instances_get_their_keys_and_creation_times_and_their_history(users, copies):
    household = registered_household()
    born = datetime.date(2012, 2, 2)
    persons = [
        Person(
            household=household,
            settlement_id=household.settlement_id,
            name=name,
            id_number=resident_number(born, sequence),
            sex="F",
            birth_date=born,
            relation="daughter",
        )
        for sequence, name in ((902, "杨一"), (904, "杨二"))
    ]
    bulk.insert_with_history(Person, persons, user=users["office"], reason="测试", date=NOW)

    assert copies == ["settlements_person", "settlements_historicalperson"]
    for person in persons:
        stored = Person.objects.get(pk=person.pk)
        assert (stored.name, stored.created_at, stored.updated_at) == (
            person.name,
            person.created_at,
            person.updated_at,
        )
        assert person.created_at is not None and not person._state.adding
        assert stored.history.get().history_user == users["office"]


# --- the write of a ledger: COPY against the ORM path ------------------------------------------------------------


def ledger_rows(*households):
    """The header row, then one row per person: (code, settlement, move-in, room, [(name, relation, id, phone)])."""
    by_header = {header: i for i, header in enumerate(ledger.HEADERS)}
    rows = [list(ledger.HEADERS)]
    for code, settlement, move_in, room, members in households:
        for name, relation, number, phone in members:
            row = [None] * len(ledger.HEADERS)
            cells = {
                "户编号": code,
                "安置点": settlement,
                "楼栋": "1栋",
                "房号": room,
                "搬迁年度": "2018",
                "迁出乡镇": "古州镇",
                "迁出村": "华优村",
                "建档立卡": "是",
                "入住日期": move_in,
                "姓名": name,
                "与户主关系": relation,
                "身份证号": number,
                "联系电话": phone,
            }
            for header, value in cells.items():
                row[by_header[header]] = value
            rows.append(row)
    return rows


def registry_snapshot() -> dict:
    """Everything the write touches, with database keys replaced by natural ones (codes, ID numbers), so
    two writes of the same file compare equal whatever keys their sequences gave."""
    code = dict(Household.objects.values_list("pk", "code"))
    number = {person.pk: person.id_number for person in Person.objects.all()}
    building = {b.pk: (b.settlement_id, b.name) for b in Building.objects.all()}

    def natural(values: dict) -> tuple:
        values = dict(values)
        values.pop("history_id", None)
        if "id_number_encrypted" in values:  # a new nonce at every write: compared decrypted
            values["id_number_encrypted"] = read_id_number(values["id_number_encrypted"])
        for name, keys in (("household_id", code), ("person_id", number), ("building_id", building)):
            if values.get(name) is not None:
                values[name] = keys[values[name]]
        return tuple(sorted(values.items()))

    def rows(queryset, key: dict | None = None, drop=("id",)) -> list:
        found = []
        for values in queryset.values():
            if key is not None:
                values["id"] = key[values["id"]]
            found.append(natural({k: v for k, v in values.items() if k not in drop}))
        return sorted(found)

    return {
        "buildings": sorted(building.values()),
        "households": rows(Household.objects.all(), code, drop=()),
        "household_history": rows(Household.history.all(), code, drop=()),
        "persons": rows(Person.objects.all(), number, drop=()),
        "person_history": rows(Person.history.all(), number, drop=()),
        "memberships": rows(Membership.objects.all()),
        "events": rows(HouseholdEvent.objects.all()),
    }


class Undone(Exception):
    pass


def written_then_undone(rows, user) -> tuple[dict, dict]:
    """Check and write `rows`, take a snapshot, and undo the write."""
    try:
        with transaction.atomic():
            counts = write_ledger(check_ledger(rows, user), user, reason="台账导入 #7")
            raise Undone(registry_snapshot(), counts)
    except Undone as undone:
        return undone.args


@pytest.mark.django_db
def test_the_copy_path_writes_the_same_records_and_history_as_the_orm_path(users, monkeypatch, copies):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    clerk = users["clerk_wenti"]
    head, son, other = (resident_number(datetime.date(year, 3, 3), 901) for year in (1970, 1999, 1980))
    spouse, daughter = (resident_number(datetime.date(year, 4, 4), 902) for year in (1972, 2021))
    registered = ledger_rows(("FM-001", "富民", "2019-05-01", "101", [("杨明", "户主", head, "13812345678")]))
    write_ledger(check_ledger(registered, clerk), clerk)
    copies.clear()
    rows = ledger_rows(
        (
            "FM-001",  # registered: a new room, a new phone, a new wife and a child born after the move-in
            "富民",
            "2019-05-01",
            "102",
            [
                ("杨明", "户主", head, "13900000000"),
                ("吴英", "配偶", spouse, None),
                ("杨小妹", "女", daughter, None),
            ],
        ),
        ("FM-002", "富民", "2020-01-02", "201", [("欧阳\t秀", "户主", son, None)]),  # new, moved in
        ("WL-001", "卧龙小区", None, "A-3", [("龙梅", "户主", other, "13700000000")]),  # new, not yet moved in
    )

    by_copy, copy_counts = written_then_undone(rows, clerk)
    assert set(copies) >= {"settlements_person", "settlements_historicalperson", "settlements_membership"}
    copies.clear()
    monkeypatch.setattr(bulk, "uses_copy", lambda: False)
    by_orm, orm_counts = written_then_undone(rows, clerk)
    assert copies == []

    assert copy_counts == orm_counts
    assert (copy_counts.households_created, copy_counts.persons_created, copy_counts.persons_updated) == (2, 4, 1)
    assert by_copy == by_orm
    history = [dict(values) for values in by_copy["person_history"]]
    assert {(h["history_type"], h["history_change_reason"], h["history_user_id"]) for h in history} == {
        ("+", "台账导入", clerk.pk),
        ("+", "台账导入 #7", clerk.pk),
        ("~", "台账导入 #7", clerk.pk),
    }
    assert any(h["name"] == "欧阳\t秀" for h in history)


@pytest.mark.django_db
def test_a_conflict_met_by_the_copy_is_an_integrity_error_and_nothing_is_written(users, copies):
    clerk = users["clerk_wenti"]
    head, taken = (resident_number(datetime.date(year, 3, 3), 901) for year in (1970, 1980))
    rows = ledger_rows(
        ("FM-001", "富民", "2019-05-01", "101", [("杨明", "户主", head, None)]),
        ("FM-002", "富民", "2019-05-01", "102", [("欧阳秀", "户主", taken, None)]),
    )
    result = check_ledger(rows, clerk)
    household = registered_household()
    Person.objects.create(
        household=household,
        settlement_id=household.settlement_id,
        name="同号",
        id_number=taken,
        sex="M",
        birth_date=datetime.date(1980, 3, 3),
        relation="son",
    )  # registered by hand between the check and the write
    before = (Household.objects.count(), Household.history.count(), Person.history.count(), Membership.objects.count())

    with pytest.raises(IntegrityError):
        write_ledger(result, clerk)

    assert "settlements_person" in copies
    after = (Household.objects.count(), Household.history.count(), Person.history.count(), Membership.objects.count())
    assert after == before and not Household.objects.filter(code__in=["FM-001", "FM-002"]).exists()
