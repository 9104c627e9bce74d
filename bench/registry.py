"""Registry benchmark: the Excel import, the export, and the lists at provincial scale.

Run with `scripts/bench` (it prepares its own PostgreSQL database, rongjiang_bench, and empties it first).
Every figure is printed beside a baseline measured in the same process:

1. A realistic ledger of 25,255 persons in about 6,000 households (valid Rongjiang ID numbers).
2. Import: the portal's check-and-preview step and its write, against django-import-export with a default
   `ModelResource` importing the same households and persons. Goal: at least 10x faster. The write against
   its physical floor, every row it inserted loaded again by plain COPY into bare scratch tables (goal: at
   most 3x), and beside it the same COPY into the registry's own indexed tables.
3. Queries of the check step per 1,000 rows. Goal: at most 1.
4. Export of all persons to the ledger .xlsx, against a default `ModelResource` export. Goal: < 5 s.
5. The household and person lists, first filtered page, at 1.9 million persons, against the same pages on
   the 25,255-person registry. Goal: < 300 ms.
"""

import argparse
import dataclasses
import io
import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rongjiang_portal.settings")
django.setup()

import openpyxl  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from import_export import fields as import_export_fields  # noqa: E402
from import_export import resources  # noqa: E402
from import_export.formats.base_formats import XLSX  # noqa: E402
from tablib import Dataset  # noqa: E402

from settlements import exports, importing, ledger, registry_exports, services  # noqa: E402
from settlements.accounts import policy  # noqa: E402
from settlements.demo import HouseholdGenerator  # noqa: E402
from settlements.models import (  # noqa: E402
    Building,
    Household,
    HouseholdEvent,
    LedgerImport,
    Membership,
    Person,
    Relation,
    ResponsibleUnit,
    Settlement,
    User,
)
from settlements.roles import Role  # noqa: E402

LEDGER_PERSONS = 25_255
SCALE_PERSONS = 1_900_000


def say(text=""):
    print(text, flush=True)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


# --- data ------------------------------------------------------------------------------------------------------


def empty_registry():
    """Remove every household and person (the bench database only)."""
    with connection.cursor() as cursor:
        tables = [
            model._meta.db_table
            for model in (
                HouseholdEvent,
                Membership,
                LedgerImport,
                Person,
                Person.history.model,
                Household,
                Household.history.model,
                Building,
            )
        ]
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


BENCH_PASSWORD = "Bench-Passw0rd!"


def bench_users():
    return bench_user("bench-office", Role.OFFICE, "县生态移民局"), bench_user(
        "bench-clerk", Role.CLERK, "文体社区服务中心"
    )


def bench_user(username, role, unit_name):
    """The benchmark's user of `role`, with a current password (one left from an older run gets a new one)."""
    unit = ResponsibleUnit.objects.get(name=unit_name)
    user = User.objects.filter(username=username).first()
    if user is None:
        return services.user_create(username=username, password=BENCH_PASSWORD, role=role, unit=unit)
    user.role, user.unit, user.must_change_password = role, unit, False
    user.set_password(BENCH_PASSWORD)
    user.save()
    return user


def signed_in(user) -> Client:
    """A client past every step of the login: the password, and the second factor where the policy asks one
    (the session carries a confirmed authenticator, as after the verify page)."""
    client = Client()
    client.force_login(user)
    if policy.second_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def ledger_rows(persons_wanted: int) -> list[list]:
    """Realistic ledger rows (headers first) for about `persons_wanted` persons in every settlement."""
    today = timezone.localdate()
    taken: set[str] = set()
    settlements = list(Settlement.objects.all())
    generators = [HouseholdGenerator(s, today, taken) for s in settlements]
    buildings = {s.pk: [Building(settlement=s, name=f"{n}栋") for n in range(1, 31)] for s in settlements}
    rows, number = [list(ledger.HEADERS)], 0
    while len(rows) - 1 < persons_wanted:
        generator = generators[number % len(generators)]
        number += 1
        household = generator.household(number, generator.random.choice(buildings[generator.settlement.pk]))
        members = generator.family(household)
        head = next(p.name for p in members if p.relation == "head")
        for person in members:
            values = {**vars(household), **vars(person), "head_name": head, "code": household.code}
            values["id_number"] = person.id_number  # stored encrypted on the instance
            values.update(
                settlement=household.settlement.name,
                building=household.building.name,
                registered_poor="1" if household.registered_poor else "0",
            )
            rows.append([registry_exports.ledger_cell_value(column, values[column.field]) for column in ledger.COLUMNS])
    return rows[: persons_wanted + 1]


def ledger_file(rows) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- import ---------------------------------------------------------------------------------------------------


class DefaultHouseholdResource(resources.ModelResource):
    class Meta:
        model = Household


class DefaultPersonResource(resources.ModelResource):
    # The number is stored encrypted: the one field a default resource cannot know (set and read through
    # `Person.id_number`, which encrypts and decrypts as the portal does).
    id_number = import_export_fields.Field(attribute="id_number", column_name="id_number")

    class Meta:
        model = Person


WRITTEN_MODELS = (
    Building,
    Household,
    Household.history.model,
    Person,
    Person.history.model,
    Membership,
    HouseholdEvent,
)


@dataclasses.dataclass
class CopyFloor:
    rows: int
    bare_seconds: float
    indexed_seconds: float


def copy_floor() -> CopyFloor:
    """The physical floor of the write: every row it inserted (read back from the registry, which held
    nothing else), loaded again by COPY in one committed transaction, first into bare scratch tables of the
    same columns (no index, no constraint but NOT NULL), then into the emptied registry tables themselves,
    with their indexes and foreign keys checked per statement as the write checks them."""
    tables = [model._meta.db_table for model in WRITTEN_MODELS]
    dumps = {}
    with connection.cursor() as cursor:
        for table in tables:
            dump = io.StringIO()
            cursor.cursor.copy_expert(f"COPY {table} TO STDOUT", dump)
            dumps[table] = dump.getvalue()
    rows = sum(dump.count("\n") for dump in dumps.values())

    def load(target, setup=()):
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in setup:
                cursor.execute(statement)
            start = time.perf_counter()
            for table in tables:
                cursor.cursor.copy_expert(f"COPY {target(table)} FROM STDIN", io.StringIO(dumps[table]))
        return time.perf_counter() - start  # the commit included

    scratch = {table: f"bench_scratch_{table}" for table in tables}
    with connection.cursor() as cursor:
        for table, copy in scratch.items():
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TABLE {copy} (LIKE {table})")
    bare = load(scratch.get)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {', '.join(scratch.values())}")
    empty_registry()
    indexed = load(lambda table: table, setup=["SET CONSTRAINTS ALL IMMEDIATE"])
    return CopyFloor(rows=rows, bare_seconds=bare, indexed_seconds=indexed)


def baseline_import(rows) -> float:
    """django-import-export with default ModelResources: the households, then their persons."""
    by_header = {header: i for i, header in enumerate(rows[0])}
    settlements = {s.name: s.pk for s in Settlement.objects.all()}
    households = Dataset(
        headers=[
            "code",
            "settlement",
            "room_number",
            "project_year",
            "origin_township",
            "origin_village",
            "registered_poor",
            "move_in_date",
            "status",
        ]
    )
    seen = set()
    for row in rows[1:]:
        code = row[by_header["户编号"]]
        if code in seen:
            continue
        seen.add(code)
        households.append(
            [
                code,
                settlements[row[by_header["安置点"]]],
                row[by_header["房号"]],
                row[by_header["搬迁年度"]],
                row[by_header["迁出乡镇"]],
                row[by_header["迁出村"]],
                row[by_header["建档立卡"]] == "是",
                row[by_header["入住日期"]],
                "moved_in",
            ]
        )
    start = time.perf_counter()
    result = DefaultHouseholdResource().import_data(households, dry_run=False, raise_errors=True)
    household_ids = dict(Household.objects.values_list("code", "pk"))
    persons = Dataset(
        headers=["household", "settlement", "name", "id_number", "sex", "birth_date", "relation", "phone"]
    )
    relations = {label: value for value, label in Relation.choices}
    for row in rows[1:]:
        number = row[by_header["身份证号"]]
        birth = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        persons.append(
            [
                household_ids[row[by_header["户编号"]]],
                settlements[row[by_header["安置点"]]],
                row[by_header["姓名"]],
                number,
                "M" if int(number[16]) % 2 else "F",
                birth,
                relations[row[by_header["与户主关系"]]],
                row[by_header["联系电话"]] or "",
            ]
        )
    result = DefaultPersonResource().import_data(persons, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - start
    assert not result.has_errors()
    return elapsed


def bench_import(rows, office):
    say(f"== 1. Ledger: {len(rows) - 1:,} persons in {len({r[0] for r in rows[1:]}):,} households")
    content = ledger_file(rows)
    say(f"   file: {len(content) / 1e6:.1f} MB")

    say("== 2. Import")
    empty_registry()
    with CaptureQueriesContext(connection) as queries:
        check_seconds, result = timed(importing.check_ledger, io.BytesIO(content), office)
    assert not result.fatal and not result.errors, result.errors[:5]
    write_seconds, written = timed(importing.write_ledger, result, office)
    say(
        f"   portal check+preview: {check_seconds:6.2f} s   write: {write_seconds:6.2f} s   "
        f"({written.households_created:,} households, {written.persons_created:,} persons created)"
    )
    floor = copy_floor()
    say(
        f"   COPY floor: the {floor.rows:,} rows the write inserted, by plain COPY into bare scratch tables: "
        f"{floor.bare_seconds:.2f} s; into the registry's own tables (their indexes and foreign keys): "
        f"{floor.indexed_seconds:.2f} s"
    )
    say(
        f"   RATIO write / COPY floor: {write_seconds / floor.bare_seconds:5.1f}x   (goal <= 3x)   "
        f"write / COPY into the registry's tables: {write_seconds / floor.indexed_seconds:4.1f}x"
    )
    recheck_seconds, again = timed(importing.check_ledger, io.BytesIO(content), office)
    again_counts = again.counts()
    say(
        f"   same file again: checked in {recheck_seconds:.2f} s: {again_counts['households_new']} new, "
        f"{again_counts['households_changed']} changed households, {again_counts['persons_changed']} changed persons"
    )

    empty_registry()
    baseline_seconds = baseline_import(rows)
    ours = check_seconds + write_seconds
    say(f"   baseline django-import-export default ModelResource import: {baseline_seconds:6.2f} s")
    say(f"   RATIO import speed-up (baseline / portal): {baseline_seconds / ours:5.1f}x   (goal >= 10x)")
    per_thousand = len(queries) / ((len(rows) - 1) / 1000)
    say(
        f"   check step: {len(queries)} queries for {len(rows) - 1:,} rows = {per_thousand:.2f} per 1,000 rows "
        f"(goal <= 1)"
    )
    empty_registry()
    importing.write_ledger(importing.check_ledger(io.BytesIO(content), office), office)


# --- export -----------------------------------------------------------------------------------------------------


def bench_export(office):
    say("== 3. Export of all persons")
    seconds, export = timed(exports.run, registry_exports.PersonLedger, office, full_ids=True)
    count = export.record_count
    workbook = openpyxl.load_workbook(export.file, read_only=True)
    assert sum(1 for _ in workbook.active.iter_rows()) == count + 1
    baseline_seconds, _ = timed(lambda: XLSX().export_data(DefaultPersonResource().export()))
    say(f"   portal ledger export: {count:,} persons in {seconds:.2f} s (goal < 5 s)")
    say(
        f"   baseline default ModelResource export: {baseline_seconds:.2f} s   "
        f"RATIO portal/baseline time: {seconds / baseline_seconds:.2f}"
    )


# --- lists at scale --------------------------------------------------------------------------------------------

LIST_REQUESTS = [
    ("office: households, one settlement", "office", "/households/", {"settlement": "{fumin}"}),
    (
        "office: households, 2018 registered-poor",
        "office",
        "/households/",
        {"project_year": 2018, "registered_poor": "true"},
    ),
    ("office: persons, labour age, one settlement", "office", "/persons/", {"labour_age": 1, "settlement": "{fumin}"}),
    ("office: persons, full ID number", "office", "/persons/", {"q": "{full_id}"}),
    ("office: persons, ID number's last 4", "office", "/persons/", {"q": "{last4}"}),
    ("office: persons, birth date (8 digits)", "office", "/persons/", {"q": "{birth}"}),
    ("office: persons, name", "office", "/persons/", {"q": "杨明"}),
    ("clerk: households of the centre", "clerk", "/households/", {}),
    ("clerk: persons, hukou not transferred", "clerk", "/persons/", {"hukou_status": "not_transferred"}),
]


def list_timings(clients, values) -> dict[str, float]:
    """Median wall time of each list request, five runs after one warm-up."""
    timings = {}
    for label, who, url, params in LIST_REQUESTS:
        params = {k: str(v).format(**values) for k, v in params.items()}
        times = []
        for _ in range(6):
            seconds, response = timed(clients[who].get, url, params)
            assert response.status_code == 200, (label, response.status_code)
            times.append(seconds)
        timings[label] = statistics.median(times[1:])
    return timings


def grow_to_scale(target_persons: int):
    """Add synthetic households and persons by SQL until the registry holds `target_persons` persons.

    The ID numbers are stored as the portal stores them, at their real width: ciphertexts drawn from a pool of
    real ones (SM4-GCM cannot run in SQL), unique stand-ins for the whole number's keyed hash, and the real
    keyed hashes of every possible last 4 and last 6 characters (from tables filled here), so a search by
    the last 4 digits or by a birth date finds as many persons as it would among 1.9 million real ones."""
    missing = target_persons - Person.objects.count()
    if missing <= 0:
        return
    per_household = 4
    households = missing // per_household + 1
    settlement_ids = list(Settlement.objects.order_by("pk").values_list("pk", flat=True))
    start = Household.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        ciphertexts = _load_id_number_tables(cursor)
        cursor.execute(
            """
            INSERT INTO settlements_household (code, settlement_id, room_number, project_year, origin_township,
                origin_village, registered_poor, move_in_date, moved_out_on, move_out_reason, status,
                created_at, updated_at)
            SELECT 'SCALE-' || lpad(g::text, 8, '0'), (%s::bigint[])[1 + g %% %s], (g %% 1800)::text,
                   2016 + g %% 3, '计划乡', '加去村', g %% 7 <> 0, DATE '2019-01-01' + (g %% 365)::int, NULL, '',
                   'moved_in', now(), now()
            FROM generate_series(%s, %s) AS g
            """,
            [settlement_ids, len(settlement_ids), start + 1, start + households],
        )
        cursor.execute(
            """
            INSERT INTO settlements_person (household_id, settlement_id, name, id_number_encrypted, id_number_hash,
                id_region, id_tail4_hash, id_tail6_hash, sex, birth_date,
                relation, phone, education, health, hukou_status, status, left_on, created_at, updated_at)
            SELECT h.id, h.settlement_id,
                   -- about 18,000 distinct names, like real ones: 20 surnames, 1 or 2 given characters of 30
                   substr('杨吴王石龙潘李陈张罗蒙韦欧姚邓梁胡何周刘', (1 + (h.id * 13 + m) %% 20)::int, 1) ||
                   substr('明华军勇强伟英芳秀兰梅琴燕丽娟霞珍凤平林斌海波辉成荣富贵光忠',
                          (1 + (h.id * 7 + m * 3) %% 30)::int, 1) ||
                   substr('明华军勇强伟英芳秀兰梅琴燕丽娟霞珍凤平林斌海波辉成荣富贵光忠',
                          (1 + (h.id * 11 + m * 5) %% 31)::int, ((h.id + m) %% 2)::int),
                   (%s::text[])[1 + (h.id * 5 + m) %% %s],
                   md5('scale-id-' || (h.id * 5 + m)::text),
                   '900000',
                   t4.hash, t6.hash,
                   CASE WHEN m %% 2 = 0 THEN 'M' ELSE 'F' END,
                   DATE '1950-01-01' + ((h.id * 37 + m * 4111) %% 25000)::int,
                   CASE WHEN m = 0 THEN 'head' WHEN m = 1 THEN 'spouse' ELSE 'son' END,
                   '139' || lpad((h.id * 5 + m)::text, 8, '0'),
                   'junior', 'healthy',
                   (ARRAY['citizen_card','transferred','not_transferred'])[1 + (h.id + m) %% 3],
                   'active', NULL, now(), now()
            FROM settlements_household h CROSS JOIN generate_series(0, %s) AS m
                 JOIN bench_id_tail4 t4 ON t4.i = (h.id * 5 + m) %% %s
                 JOIN bench_id_tail6 t6 ON t6.i = (h.id * 7 + m) %% %s
            WHERE h.code LIKE 'SCALE-%%'
            """,
            [ciphertexts, len(ciphertexts), per_household - 1, len(TAIL4_VALUES), len(TAIL6_VALUES)],
        )
        cursor.execute("DROP TABLE bench_id_tail4, bench_id_tail6")
    with connection.cursor() as cursor:  # the steady state autovacuum keeps a production database in
        cursor.execute("VACUUM ANALYZE settlements_household")
        cursor.execute("VACUUM ANALYZE settlements_person")
        # and the load's dirty pages written now: otherwise the checkpoint its WAL set off spreads those
        # writes over the next minutes, across the timed requests (a first list took 327 ms instead of 125)
        cursor.execute("CHECKPOINT")


# Every last 4 (3 digits and a check character) and last 6 (5 digits and a check character) of an ID number.
TAIL4_VALUES = [f"{n:03d}{check}" for n in range(1000) for check in "0123456789X"]
TAIL6_VALUES = [f"{n:05d}{check}" for n in range(100_000) for check in "0123456789X"]
CIPHERTEXT_POOL = 5000


def _load_id_number_tables(cursor) -> list[str]:
    """Fill scratch tables with the keyed hash of every possible last 4 and last 6; return a pool of real
    ciphertexts of synthetic numbers (with the current key)."""
    from settlements import personal_data
    from settlements.models import ID_NUMBER, ID_TAIL4, ID_TAIL6

    for table, values, purpose in (
        ("bench_id_tail4", TAIL4_VALUES, ID_TAIL4),
        ("bench_id_tail6", TAIL6_VALUES, ID_TAIL6),
    ):
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (i integer PRIMARY KEY, hash text NOT NULL)")
        lines = "".join(f"{i}\t{personal_data.keyed_hash(value, purpose=purpose)}\n" for i, value in enumerate(values))
        cursor.cursor.copy_expert(f"COPY {table} (i, hash) FROM STDIN", io.StringIO(lines))
    return [personal_data.encrypt(f"9{n:016d}X", purpose=ID_NUMBER) for n in range(CIPHERTEXT_POOL)]


def bench_lists(scale_persons: int, office, clerk):
    say("== 4. Lists, first filtered page")
    clients = {"office": signed_in(office), "clerk": signed_in(clerk)}
    sample = Person.objects.order_by("pk").first()
    number = sample.id_number
    values = {"fumin": Settlement.objects.get(code="fumin").pk, "full_id": number, "last4": number[-4:]}
    values["birth"] = number[6:14]
    small = list_timings(clients, values)
    persons_before = Person.objects.count()
    seconds, _ = timed(grow_to_scale, scale_persons)
    say(f"   grew the registry from {persons_before:,} to {Person.objects.count():,} persons in {seconds:.0f} s")
    large = list_timings(clients, values)
    say(f"   {'request':<46} {'25k ms':>8} {'1.9M ms':>9} {'ratio':>7}  goal < 300 ms")
    for label in small:
        flag = "ok" if large[label] < 0.3 else "SLOW"
        say(
            f"   {label:<46} {small[label] * 1000:8.0f} {large[label] * 1000:9.0f} "
            f"{large[label] / small[label]:7.1f}  {flag}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=LEDGER_PERSONS)
    parser.add_argument("--scale-persons", type=int, default=SCALE_PERSONS)
    parser.add_argument("--skip-scale", action="store_true", help="leave out the 1.9-million-person lists")
    parser.add_argument("--keep", action="store_true", help="keep the generated registry for inspection")
    parser.add_argument("--lists-only", action="store_true", help="import the ledger without measuring, then lists")
    options = parser.parse_args()
    if not connection.settings_dict["NAME"].endswith("_bench"):
        sys.exit("The benchmark empties its database: run it through scripts/bench.")
    office, clerk = bench_users()
    say(f"Registry benchmark on PostgreSQL ({connection.settings_dict['NAME']}), {timezone.localdate()}")
    rows = ledger_rows(options.persons)
    if options.lists_only:
        empty_registry()
        importing.write_ledger(importing.check_ledger(io.BytesIO(ledger_file(rows)), office), office)
    else:
        bench_import(rows, office)
        bench_export(office)
    if not options.skip_scale:
        bench_lists(options.scale_persons, office, clerk)
    if not options.keep:
        empty_registry()


if __name__ == "__main__":
    main()
