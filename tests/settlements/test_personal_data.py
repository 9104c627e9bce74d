"""ID numbers encrypted at rest (settlements/personal_data.py and the person's stored number): nothing readable in
the tables, exact and partial search, uniqueness under any key, a key rotation, masked logs and previews, the
household edit page and the admin, and uploaded ledgers deleted after their retention."""

import base64
import datetime
import io
import os

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from settlements import forms, personal_data, services
from settlements.id_numbers import mask
from settlements.importing import MSG_REGISTERED_IN, check_ledger, write_ledger
from settlements.imports import services as import_services
from settlements.imports.tasks import purge_expired_uploads
from settlements.management.commands import rotate_personal_data_key
from settlements.models import (
    ID_NUMBER,
    ID_TAIL4,
    AuditEntry,
    ImportStatus,
    LedgerImport,
    Person,
    Relation,
)
from tests.conftest import wait_until
from tests.factories import HouseholdFactory, add_member, household_with_head, make_id_number, registry_keeper
from tests.migration_steps import migrate
from tests.settlements.test_entry import form_data, member

D = datetime.date
KEY_1 = (1, b"first-test-key-for-the-rotation-of-32-bytes")
KEY_2 = (2, b"second-test-key-for-the-rotation-of-32-bytes")
LEDGER_HEADERS = ["户编号", "安置点", "户主姓名", "姓名", "身份证号", "与户主关系", "搬迁年度", "迁出乡镇", "入住日期"]


def ledger(*members, code="FM-900"):
    """Ledger rows (headers first) of one household in 富民: (name, relation, number) per member."""
    head = next(name for name, relation, _ in members if relation == "户主")
    rows = [LEDGER_HEADERS]
    for name, relation, number in members:
        rows.append([code, "富民", head, name, number, relation, "2017", "古州镇", "2019-05-01"])
    return rows


def table_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a fixed table name)
        return cursor.fetchall()


# --- nothing readable at rest ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_raw_select_of_persons_and_their_history_shows_no_id_number(users):
    """Persons entered by hand, corrected, and imported by COPY: no column of either table holds a number, its
    part after the region (what the birth date does not give away), or its masked form."""
    household, head = household_with_head("fumin")
    services.person_update(actor=registry_keeper(), person=head, phone="13812345678")  # a "~" history row
    services.person_update(actor=registry_keeper(), person=head, name="杨大明")
    imported = [make_id_number(D(1970, 1, 1)), make_id_number(D(1972, 2, 2), male=False)]
    write_ledger(
        check_ledger(ledger(("龙一", "户主", imported[0]), ("吴二", "配偶", imported[1])), users["office"]),
        users["office"],
    )
    add_member(household, name="吴英", relation=Relation.SPOUSE, birth=D(1982, 5, 6), male=False)
    numbers = [person.id_number for person in Person.objects.all()]
    assert len(numbers) == 4 and set(imported) <= set(numbers)

    persons, history = table_rows("settlements_person"), table_rows("settlements_historicalperson")
    assert len(persons) == 4 and len(history) == 6
    stored = [str(value) for row in persons + history for value in row if value is not None]
    for number in numbers:
        for shown in (number, number[6:], mask(number)):
            assert not [value for value in stored if shown in value], shown
    assert all(value.startswith("v1:") for value in (p.id_number_encrypted for p in Person.objects.all()))


@pytest.mark.django_db
def test_a_ciphertext_altered_or_moved_to_another_purpose_does_not_decrypt(reference):
    token = personal_data.encrypt("522632198503120011", purpose=ID_NUMBER)
    assert personal_data.decrypt(token, purpose=ID_NUMBER) == "522632198503120011"
    raw = bytearray(base64.b64decode(token[3:]))
    raw[14] ^= 1
    with pytest.raises(personal_data.PersonalDataKeyError):
        personal_data.decrypt("v1:" + base64.b64encode(bytes(raw)).decode(), purpose=ID_NUMBER)
    with pytest.raises(personal_data.PersonalDataKeyError):
        personal_data.decrypt(token, purpose=ID_TAIL4)
    assert personal_data.encrypt("522632198503120011", purpose=ID_NUMBER) != token  # a new nonce each time


# --- search --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_exact_and_partial_search_find_the_person(reference):
    household = HouseholdFactory()
    person = services.person_create(
        actor=registry_keeper(), household=household, name="杨明", id_number="52263219850312101x", relation="head"
    )
    add_member(household, name="吴英", relation=Relation.SPOUSE, birth=D(1986, 7, 8), male=False)
    number = "52263219850312101X"
    assert person.id_number == number  # normalised
    assert list(Person.objects.with_id_number(number)) == [person]
    assert list(Person.objects.with_id_number(" 52263219850312101x ")) == [person]
    for typed in (number, number.lower(), "12101X", "101x", "19850312"):
        assert list(Person.objects.search_id_number(typed)) == [person], typed
    assert Person.objects.search_id_number("522632").count() == 2  # the region of registration
    for typed in ("32198503", "2263219", "19851312", "杨明"):  # the middle, an impossible date, no number at all
        assert not Person.objects.search_id_number(typed).exists(), typed


# --- uniqueness ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_number_is_unique_whichever_key_stored_it(reference, settings, users):
    settings.PERSONAL_DATA_KEYS = [KEY_1]
    household, head = household_with_head("fumin")
    settings.PERSONAL_DATA_KEYS = [KEY_2, KEY_1]  # a rotation begins: new numbers are stored under key 2
    other = HouseholdFactory()
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=registry_keeper(), household=other, name="同号", id_number=head.id_number, relation="head"
        )
    assert refused.value.message_dict["id_number"] == ["该身份证号已登记在册。"]
    result = check_ledger(ledger(("同号", "户主", head.id_number)), users["office"])
    assert [error.message for error in result.errors] == [MSG_REGISTERED_IN.format(code=household.code)]


# --- key rotation --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_key_rotation_keeps_every_number_readable_and_findable_and_frees_the_old_key(reference, settings, users):
    settings.PERSONAL_DATA_KEYS = [KEY_1]
    household, head = household_with_head("fumin")
    spouse = add_member(household, name="吴英", relation=Relation.SPOUSE, birth=D(1982, 5, 6), male=False)
    services.person_update(actor=registry_keeper(), person=spouse, phone="13812345678")
    numbers = {person.pk: person.id_number for person in Person.objects.all()}

    settings.PERSONAL_DATA_KEYS = [KEY_2, KEY_1]
    assert list(Person.objects.with_id_number(head.id_number)) == [head]  # found under the old key meanwhile
    output = io.StringIO()
    call_command("rotate_personal_data_key", stdout=output)
    assert "人员：2 行待重新加密" in output.getvalue() and "人员变更记录：3 行待重新加密" in output.getvalue()

    settings.PERSONAL_DATA_KEYS = [KEY_2]  # the old key removed
    for person in Person.objects.all():
        assert person.id_number_encrypted.startswith("v2:") and person.id_number == numbers[person.pk]
        assert list(Person.objects.with_id_number(numbers[person.pk])) == [person]
        assert list(Person.objects.search_id_number(numbers[person.pk][-4:])) == [person]
    for record in Person.history.all():
        assert record.id_number_encrypted.startswith("v2:") and record.instance.id_number == numbers[record.id]
    assert [entry.changes for entry in _person_history(household, spouse)] == [[("联系电话", "—", "13812345678")]]

    again = io.StringIO()
    call_command("rotate_personal_data_key", stdout=again)  # nothing left to do
    assert "人员：0 行待重新加密" in again.getvalue() and "人员变更记录：0 行待重新加密" in again.getvalue()


def _person_history(household, person):
    from settlements import selectors

    return [entry for entry in selectors.household_history(household=household) if entry.subject == person.name][:-1]


@pytest.mark.django_db
def test_an_interrupted_rotation_resumes_where_it_stopped(reference, settings, monkeypatch):
    settings.PERSONAL_DATA_KEYS = [KEY_1]
    for _ in range(3):
        household_with_head("fumin")
    settings.PERSONAL_DATA_KEYS = [KEY_2, KEY_1]
    calls = {"n": 0}
    real = rotate_personal_data_key.stored_id_number

    def failing_on_the_third(number):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the machine went down")
        return real(number)

    monkeypatch.setattr(rotate_personal_data_key, "stored_id_number", failing_on_the_third)
    with pytest.raises(RuntimeError):
        call_command("rotate_personal_data_key", "--batch-size=1", stdout=io.StringIO())
    assert sorted(p.id_number_encrypted[:3] for p in Person.objects.all()) == ["v1:", "v2:", "v2:"]
    monkeypatch.setattr(rotate_personal_data_key, "stored_id_number", real)
    output = io.StringIO()
    call_command("rotate_personal_data_key", "--batch-size=1", stdout=output)
    assert "人员：1 行待重新加密" in output.getvalue()
    assert {p.id_number_encrypted[:3] for p in Person.objects.all()} == {"v2:"}


@pytest.mark.django_db
def test_removing_a_key_before_the_rotation_is_refused_by_the_command(reference, settings):
    settings.PERSONAL_DATA_KEYS = [KEY_1]
    _, head = household_with_head("fumin")
    settings.PERSONAL_DATA_KEYS = [KEY_2]  # the old key dropped too early
    with pytest.raises(personal_data.PersonalDataKeyError, match="v1"):
        Person.objects.get(pk=head.pk).id_number  # noqa: B018
    with pytest.raises(CommandError, match="v1"):
        call_command("rotate_personal_data_key", stdout=io.StringIO())


# --- no full number in the logs and stored checks -------------------------------------------------------------


@pytest.mark.django_db
def test_an_export_searched_by_full_number_is_logged_with_the_number_masked(client, users):
    _, head = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    response = client.get(reverse("person_export"), {"q": head.id_number, "full": "1"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert head.id_number in [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    description = AuditEntry.objects.get(action="personal_data.export_full").detail["description"]
    assert mask(head.id_number) in description and head.id_number not in description


@pytest.mark.django_db
def test_a_full_number_in_another_column_is_masked_in_the_stored_preview_and_errors(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    number, stray = make_id_number(D(1970, 1, 1)), make_id_number(D(1971, 1, 1))
    rows = ledger(("龙一", "户主", number))
    rows[0] = [*rows[0], "备注"]
    rows[1] = [*rows[1], f"原号码 {stray}"]
    rows[1][LEDGER_HEADERS.index("入住日期")] = stray  # a number typed where a date belongs
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    upload = ContentFile(content.getvalue(), name="台账.xlsx")
    record = import_services.import_start(user=users["clerk_wenti"], upload=upload, kind="registry")
    record = import_services.import_check(import_id=record.pk)
    stored = str(record.preview) + str(record.errors)
    assert mask(stray) in stored and mask(number) in stored
    assert stray not in stored and number not in stored


# --- the household edit page and the admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_household_edit_page_shows_masked_numbers_and_keeps_them_when_left_empty(client, users):
    household, head = household_with_head("fumin")
    number = head.id_number
    client.force_login(users["clerk_wenti"])
    page = client.get(reverse("household_edit", args=[household.pk])).content.decode()
    assert f'placeholder="{mask(number)}"' in page and number not in page

    data = form_data([member("杨光明", "", "head")], household=household, code=household.code)
    assert client.post(reverse("household_edit", args=[household.pk]), data).status_code == 302
    head.refresh_from_db()
    assert (head.name, head.id_number) == ("杨光明", number)

    corrected = make_id_number(D(1980, 1, 1))
    data = form_data([member("杨光明", corrected, "head")], household=household, code=household.code)
    assert client.post(reverse("household_edit", args=[household.pk]), data).status_code == 302
    head.refresh_from_db()
    assert head.id_number == corrected and not Person.objects.with_id_number(number).exists()
    detail = client.get(reverse("household_detail", args=[household.pk])).content.decode()
    assert mask(number) in detail and mask(corrected) in detail  # the history, masked
    assert number not in detail and corrected not in detail


@pytest.mark.django_db
def test_a_number_typed_in_part_on_the_edit_page_is_refused(client, users):
    household, head = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    data = form_data([member("杨明", head.id_number[-4:], "head")], household=household, code=household.code)
    response = client.post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 200
    assert response.context["members"].forms[0].errors["id_number"] == ["身份证号应为18位。"]


@pytest.mark.django_db
def test_a_new_member_on_the_edit_page_needs_a_number(client, users):
    household, _ = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    rows = [member("杨明", "", "head"), member("吴英", "", "spouse")]
    response = client.post(
        reverse("household_edit", args=[household.pk]), form_data(rows, household=household, code=household.code)
    )
    assert response.context["members"].forms[1].errors["id_number"] == [forms.MSG_ID_NUMBER_REQUIRED]


@pytest.mark.django_db
def test_the_admin_shows_masked_numbers_only_and_finds_a_person_by_number(client, users):
    household, head = household_with_head("fumin")
    number = head.id_number
    services.person_update(actor=registry_keeper(), person=head, id_number=make_id_number(D(1980, 1, 1)))
    corrected = Person.objects.get(pk=head.pk).id_number
    record = Person.history.filter(id=head.pk).earliest("history_date")
    client.force_login(users["office"])
    pages = [
        reverse("admin:settlements_household_change", args=[household.pk]),
        reverse("admin:settlements_person_change", args=[head.pk]),
        reverse("admin:settlements_person_history", args=[head.pk]),
        reverse("admin:settlements_person_simple_history", args=[head.pk, record.history_id]),
        reverse("admin:settlements_household_history", args=[household.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        for full in (number, corrected):
            assert full not in page, url
    history = client.get(pages[2]).content.decode()
    assert f"{mask(number)}&nbsp;&rarr;&nbsp;&nbsp;{mask(corrected)}" in history.replace("\n", "").replace(" ", "")
    assert "v1:" not in history
    for typed in (corrected, corrected[-4:], corrected[6:14]):
        found = client.get(reverse("admin:settlements_person_changelist"), {"q": typed})
        assert list(found.context["cl"].result_list) == [head], typed


@pytest.mark.django_db
def test_the_admin_keeps_the_number_when_left_empty(client, users):
    household, head = household_with_head("fumin")
    number = head.id_number
    client.force_login(users["office"])
    data = {
        "household": household.pk,
        "name": "杨光明",
        "id_number": "",
        "relation": "head",
        "phone": "",
        "education": "",
        "health": "healthy",
        "hukou_status": "citizen_card",
    }
    response = client.post(reverse("admin:settlements_person_change", args=[head.pk]), data)
    assert response.status_code == 302
    head.refresh_from_db()
    assert (head.name, head.id_number) == ("杨光明", number)


# --- uploaded ledgers deleted after their retention -----------------------------------------------------------------


def _uploaded(user, days_ago, status, name="台账.xlsx"):
    record = LedgerImport.objects.create(
        kind="registry",
        user=user,
        file=ContentFile(b"PK\x03\x04 full numbers", name=name),
        file_name=name,
        status=status,
    )
    LedgerImport.objects.filter(pk=record.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    record.refresh_from_db()
    return record


@pytest.mark.django_db
def test_uploaded_files_are_deleted_after_the_retention_and_their_records_stay(client, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_RETENTION_DAYS = 30
    clerk = users["clerk_wenti"]
    old_done = _uploaded(clerk, 31, ImportStatus.DONE, "旧台账.xlsx")
    old_waiting = _uploaded(clerk, 40, ImportStatus.CHECKED)
    old_running = _uploaded(clerk, 40, ImportStatus.IMPORTING)
    recent = _uploaded(clerk, 29, ImportStatus.DONE)
    paths = {record.pk: record.file.path for record in (old_done, old_waiting, old_running, recent)}

    assert import_services.imports_purge_expired_files() == 2
    assert import_services.imports_purge_expired_files() == 0  # nothing twice
    for record, kept in ((old_done, False), (old_waiting, False), (old_running, True), (recent, True)):
        record.refresh_from_db()
        assert (tmp_path / paths[record.pk]).exists() is kept
        assert bool(record.file) is kept and (record.file_deleted_at is None) is kept
    assert old_done.file_name == "旧台账.xlsx" and old_done.status == ImportStatus.DONE
    assert old_waiting.status == ImportStatus.CANCELLED  # its file is gone: it can no longer be confirmed

    client.force_login(clerk)
    page = client.get(reverse("imports:detail", args=[old_done.pk])).content.decode()
    assert "旧台账.xlsx" in page and "按保留期限（30天）删除" in page


def test_the_purge_of_uploads_is_scheduled_nightly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-uploads"]
    assert entry["task"] == purge_expired_uploads.name
    assert entry["schedule"].hour == {3}


@pytest.mark.worker
def test_the_purge_of_uploads_runs_in_a_real_celery_worker(celery_worker_queue, users):
    expired = _uploaded(users["clerk_wenti"], 45, ImportStatus.DONE)
    path = expired.file.path
    purge_expired_uploads.apply_async(queue=celery_worker_queue)
    assert wait_until(lambda: LedgerImport.objects.get(pk=expired.pk).file_deleted_at is not None)
    assert not LedgerImport.objects.get(pk=expired.pk).file
    assert not os.path.exists(path)


# --- the migrations -------------------------------------------------------------------------------------------------

BEFORE_ENCRYPTION = ("settlements", "0011_accounts_security")


@pytest.mark.django_db(transaction=True)
def test_the_migrations_encrypt_registered_numbers_and_their_history_and_undo_it(reference):
    number, other = make_id_number(D(1970, 1, 1)), make_id_number(D(1972, 2, 2), male=False)
    try:
        apps = migrate([BEFORE_ENCRYPTION])
        model = apps.get_model
        settlement = model("settlements", "Settlement").objects.get(code="fumin")
        user = model("settlements", "User").objects.create(username="before-encryption")
        household = model("settlements", "Household").objects.create(
            code="OLD-1", settlement=settlement, project_year=2017, origin_township="古州镇", status="moved_in"
        )
        person = {"household": household, "sex": "M", "birth_date": D(1970, 1, 1), "health": "healthy"}
        head = model("settlements", "Person").objects.create(
            settlement=settlement, name="杨明", id_number=number, relation="head", **person
        )
        model("settlements", "Person").objects.create(
            settlement=settlement, name="吴英", id_number=other, relation="spouse", **person
        )
        model("settlements", "HistoricalPerson").objects.create(
            id=head.pk, name="杨明", id_number=number, relation="head", history_date=timezone.now(), history_type="+",
            created_at=timezone.now(), updated_at=timezone.now(), **person,
        )  # fmt: skip
        model("settlements", "PersonalDataAccess").objects.create(
            user=user, kind="export_full", description=f"人员台账导出 q={number}"
        )
        model("settlements", "LedgerImport").objects.create(
            kind="registry", user=user, file="imports/old.xlsx", file_name="old.xlsx", status="done",
            errors=[{"text": f"第2行 备注：{other}"}], preview={"rows": [{"cells": [number, "杨明"]}]},
        )  # fmt: skip

        migrate(None)  # 0012, 0013, 0014 and whatever follows
        stored = [
            str(v) for row in table_rows("settlements_person") + table_rows("settlements_historicalperson") for v in row
        ]
        assert not [value for value in stored if number in value or other in value or number[6:] in value]
        assert Person.objects.with_id_number(number).get().name == "杨明"
        assert Person.objects.search_id_number(other[-4:]).get().name == "吴英"
        assert Person.history.get().instance.id_number == number
        folded = AuditEntry.objects.get(action="personal_data.export_full")  # the access log, in the trail
        assert folded.detail["description"] == f"人员台账导出 q={mask(number)}"
        imported = LedgerImport.objects.get()
        assert imported.errors == [{"text": f"第2行 备注：{mask(other)}"}]
        assert imported.preview == {"rows": [{"cells": [mask(number), "杨明"]}]}

        apps = migrate([BEFORE_ENCRYPTION])  # and back: the numbers in clear again
        people = apps.get_model("settlements", "Person").objects
        assert sorted(people.values_list("id_number", flat=True)) == sorted([number, other])
        assert apps.get_model("settlements", "HistoricalPerson").objects.get().id_number == number
    finally:
        migrate(None)
