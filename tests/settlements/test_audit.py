"""The audit trail: a hash chain the verification command checks, append-only in the database, archived
to files after the retention period and never silently dropped."""

import datetime
import gzip

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone

from settlements import audit
from settlements.models import AuditArchive, AuditEntry
from settlements.roles import Role

pytestmark = pytest.mark.django_db

PORTAL_ROLE = "rongjiang_app"  # created by scripts/test (ensure_postgres_role), as in production


def _entries(count, actor=None):
    return [audit.record(actor=actor, action="test.entry", detail={"n": n}) for n in range(count)]


def _raw(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _bypassing_the_trigger(statement, params=()):
    """What someone with the owner's rights could do directly in the database."""
    _raw("ALTER TABLE settlements_auditentry DISABLE TRIGGER settlements_auditentry_append_only")
    _raw(statement, params)
    _raw("ALTER TABLE settlements_auditentry ENABLE TRIGGER settlements_auditentry_append_only")


def _verify_command_output():
    try:
        call_command("verify_audit_trail", stdout=_Sink(), stderr=(sink := _Sink()))
    except CommandError as failure:
        return False, sink.text + str(failure)
    return True, sink.text


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_each_entry_carries_the_digest_of_the_one_before(users):
    first, second, third = _entries(3, users["office"])
    assert second.previous_hash == first.entry_hash
    assert third.previous_hash == second.entry_hash
    assert first.actor_name == users["office"].username
    assert audit.verify().intact


def test_an_entry_edited_in_the_database_is_reported_by_the_verification_command():
    entries = _entries(4)
    assert _verify_command_output()[0]
    _bypassing_the_trigger("UPDATE settlements_auditentry SET action = 'covered.up' WHERE id = %s", [entries[1].id])
    intact, output = _verify_command_output()
    assert not intact
    assert f"第 {entries[1].id} 条：内容与摘要不符" in output


def test_an_entry_deleted_in_the_database_is_reported_by_the_verification_command():
    entries = _entries(4)
    _bypassing_the_trigger("DELETE FROM settlements_auditentry WHERE id = %s", [entries[2].id])
    intact, output = _verify_command_output()
    assert not intact
    assert f"第 {entries[3].id} 条：前一条摘要不符" in output


@pytest.mark.parametrize(
    "statement",
    ["UPDATE settlements_auditentry SET outcome = 'success'", "DELETE FROM settlements_auditentry"],
)
def test_the_database_refuses_to_change_or_delete_a_recent_entry(statement):
    _entries(2)
    with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic():
        _raw(statement)
    assert AuditEntry.objects.count() == 2


def test_a_forged_archive_record_does_not_unlock_recent_entries():
    entries = _entries(2)
    AuditArchive.objects.create(
        file_name="forged.jsonl.gz",
        file_sha256="0" * 64,
        first_id=entries[0].id,
        last_id=entries[1].id,
        entry_count=2,
        first_previous_hash=entries[0].previous_hash,
        last_entry_hash=entries[1].entry_hash,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("DELETE FROM settlements_auditentry")
    assert AuditEntry.objects.count() == 2


class TestThePortalsProductionRole:
    """The portal runs as a role that does not own the tables (`grant_portal_role`)."""

    @pytest.fixture(autouse=True)
    def as_portal_role(self):
        call_command("grant_portal_role", PORTAL_ROLE, stdout=_Sink())
        _raw(f"SET LOCAL ROLE {PORTAL_ROLE}")  # undone with the test's transaction

    def test_it_appends_and_reads(self):
        entries = _entries(2)
        assert AuditEntry.objects.filter(id__in=[entry.id for entry in entries]).count() == 2

    @pytest.mark.parametrize(
        "statement",
        [
            "UPDATE settlements_auditentry SET action = 'x'",
            "TRUNCATE settlements_auditentry",
            "ALTER TABLE settlements_auditentry DISABLE TRIGGER settlements_auditentry_append_only",
            "DROP TRIGGER settlements_auditentry_append_only ON settlements_auditentry",
            "DELETE FROM settlements_auditarchive",
        ],
    )
    def test_it_cannot_change_the_trail_or_its_guard(self, statement):
        _entries(1)
        with (
            pytest.raises(DatabaseError, match="permission denied|must be owner|权限不够|必须是"),
            transaction.atomic(),
        ):
            _raw(statement)

    def test_it_still_writes_the_registry(self, users):
        users["office"].full_name = "改名"
        users["office"].save(update_fields=["full_name"])


def test_a_refused_service_call_is_in_the_trail(users):
    @audit.audited("test.service", target="thing")
    def service(*, actor, thing):
        if actor.role != Role.OFFICE:
            raise PermissionDenied("只有领导小组办公室可以进行此操作。")
        return None

    with pytest.raises(PermissionDenied):
        service(actor=users["leader"], thing=users["office"])
    service(actor=users["office"], thing=users["office"])
    refused, allowed = AuditEntry.objects.order_by("id")
    assert (refused.outcome, refused.actor, refused.detail["reason"]) == (
        audit.REFUSED,
        users["leader"],
        "只有领导小组办公室可以进行此操作。",
    )
    assert refused.target_id == str(users["office"].pk)
    assert (allowed.outcome, allowed.action) == (audit.SUCCESS, "test.service")


def test_a_validation_refusal_names_the_reason(users):
    @audit.audited("test.validation")
    def service(*, actor):
        raise ValidationError({"name": "姓名不能为空。"})

    with pytest.raises(ValidationError):
        service(actor=users["leader"])
    assert AuditEntry.objects.get().detail == {"reason": "姓名不能为空。"}


def test_the_client_address_is_recorded_for_a_request(client, users):
    client.force_login(users["office"])
    token = audit._client_address.set("10.1.2.3")
    try:
        entry = audit.record(actor=users["office"], action="test.ip")
    finally:
        audit._client_address.reset(token)
    assert entry.ip_address == "10.1.2.3"


class TestArchiving:
    @pytest.fixture(autouse=True)
    def archive_dir(self, settings, tmp_path):
        settings.AUDIT_ARCHIVE_DIR = tmp_path
        settings.AUDIT_RETENTION_DAYS = 180
        return tmp_path

    def _old_and_new_entries(self):
        with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
            old = _entries(3)
        with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC), tick=False):
            recent = _entries(2)
        return old, recent

    def test_old_entries_move_to_a_file_and_the_chain_still_verifies(self, archive_dir):
        old, recent = self._old_and_new_entries()
        archived = audit.archive()
        assert (archived.first_id, archived.last_id, archived.entry_count) == (old[0].id, old[-1].id, 3)
        assert list(AuditEntry.objects.order_by("id")) == recent
        with gzip.open(archive_dir / archived.file_name, "rt", encoding="utf-8") as lines:
            assert len(lines.readlines()) == 3
        later = audit.record(actor=None, action="test.after_archive")
        assert later.previous_hash == recent[-1].entry_hash
        result = audit.verify()
        assert result.intact, result.problems
        assert result.checked == 6

    def test_entries_within_the_retention_period_stay(self):
        self._old_and_new_entries()
        audit.archive()
        assert audit.archive() is None
        assert AuditEntry.objects.count() == 2

    def test_a_retention_setting_below_the_floor_keeps_180_days(self, settings):
        settings.AUDIT_RETENTION_DAYS = 30
        with time_machine.travel(datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC), tick=False):
            _entries(1)
        assert audit.retention_days() == 180
        assert audit.archive() is None

    def test_a_changed_archive_file_is_reported(self, archive_dir):
        self._old_and_new_entries()
        archived = audit.archive()
        path = archive_dir / archived.file_name
        path.write_bytes(gzip.compress(b"{}\n"))
        result = audit.verify()
        assert [problem for problem in result.problems if archived.file_name in problem]

    def test_a_missing_archive_file_is_reported(self, archive_dir):
        self._old_and_new_entries()
        archived = audit.archive()
        (archive_dir / archived.file_name).unlink()
        assert f"归档文件 {archived.file_name} 不存在。" in audit.verify().problems


# --- services, batches and requests -------------------------------------------------------------------------------


def test_services_called_inside_covered_record_nothing(users):
    @audit.audited("test.row")
    def row_service(*, actor):
        return None

    with audit.covered():
        for _ in range(3):
            row_service(actor=users["office"])
    assert not AuditEntry.objects.exists()
    row_service(actor=users["office"])
    assert AuditEntry.objects.get().action == "test.row"


def test_the_target_may_be_the_argument_rather_than_the_result(users):
    @audit.audited("test.end", target="thing", result_is_target=False)
    def end(*, actor, thing):
        return users["leader"]  # what the service made, not what it acted on

    end(actor=users["office"], thing=users["clerk_wenti"])
    assert AuditEntry.objects.get().target_id == str(users["clerk_wenti"].pk)


def test_a_refusal_in_a_transaction_the_request_rolls_back_is_recorded_when_the_request_ends(rf, users):
    """The view's transaction rolls back with the refusal: recorded inside it, the entry would go too."""

    @audit.audited("test.inside")
    def service(*, actor):
        raise PermissionDenied("不允许。")

    def view(request):
        try:
            with transaction.atomic():
                service(actor=request.user)
        except PermissionDenied:
            return HttpResponse("refused")

    request = rf.get("/", REMOTE_ADDR="10.0.0.9")
    request.user = users["leader"]
    audit.AuditRequestMiddleware(view)(request)
    refused = AuditEntry.objects.get()
    assert (refused.action, refused.outcome, refused.actor, refused.ip_address) == (
        "test.inside",
        audit.REFUSED,
        users["leader"],
        "10.0.0.9",
    )


def test_an_action_is_defined_once_and_gives_its_category():
    name = audit.define_action("test.defined", "测试操作", audit.SECURITY)
    assert audit.define_action("test.defined", "测试操作", audit.SECURITY) == name
    with pytest.raises(ValueError, match="defined twice"):
        audit.define_action("test.defined", "另一个说法", audit.SECURITY)
    assert audit.record(actor=None, action=name).category == audit.SECURITY
    assert audit.record(actor=None, action="test.undefined").category == audit.WRITE
    assert audit.action_label("test.undefined") == "test.undefined"


def test_a_full_id_number_in_an_access_description_is_masked(users):
    number = "52263219800101001X"
    entry = audit.record_access(
        actor=users["office"], action="personal_data.export_full", record_count=2, description=f"q={number} 共2人"
    )
    assert entry.detail == {"record_count": 2, "description": f"q={number[:6]}********{number[-4:]} 共2人"}


def test_verify_reports_its_progress():
    _entries(12)
    fractions = []
    assert audit.verify(chunk_size=5, progress=fractions.append).intact
    assert fractions == [5 / 12, 10 / 12]


def test_an_entry_moved_in_from_an_older_log_waits_for_those_before_it(settings, tmp_path):
    """Entries moved into the chain later (the old access log, migration 0012) carry their own, older time:
    archiving takes only the entries before the first one still within the retention period."""
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(days=200), tick=False):
        recent = _entries(1)[0]
    with time_machine.travel(now - datetime.timedelta(days=400), tick=False):
        moved = _entries(1)[0]
    assert moved.id > recent.id and moved.at < recent.at
    assert audit.archive(now=now - datetime.timedelta(days=100)) is None  # the first entry is not old enough yet
    archived = audit.archive()
    assert (archived.first_id, archived.last_id) == (recent.id, moved.id)
    assert audit.verify().intact


# --- the personal-data access log folded into the trail (migration 0015) ------------------------------------------

BEFORE_FOLDING = ("settlements", "0014_person_id_encrypted_required")


@pytest.mark.django_db(transaction=True)
def test_the_access_log_moves_into_the_chain_after_the_entries_already_there(users):
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import household_with_head

    _, head = household_with_head("fumin")  # an entry (person.create) already in the trail
    existing = list(AuditEntry.objects.order_by("id"))
    call_command("migrate", *BEFORE_FOLDING, verbosity=0)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE_FOLDING).apps
        access = old_apps.get_model("settlements", "PersonalDataAccess")
        clerk = users["clerk_wenti"]
        exported = access.objects.create(
            user_id=clerk.pk, kind="export_full", record_count=120, description=f"人员台账导出 q={head.id_number}"
        )
        revealed = access.objects.create(
            user_id=clerk.pk, kind="reveal", person_id=head.pk, record_count=1, description=head.name
        )
        access.objects.filter(pk=revealed.pk).update(at=exported.at - datetime.timedelta(days=30))  # older
    finally:
        call_command("migrate", verbosity=0)
    first, second = AuditEntry.objects.filter(category=audit.PERSONAL_DATA).order_by("id")
    assert first.previous_hash == existing[-1].entry_hash  # the chain goes on from the entries there
    assert (first.action, first.actor, first.actor_name) == ("personal_data.reveal", clerk, clerk.username)
    assert (first.target_type, first.target_id, first.target_label) == ("settlements.person", str(head.pk), head.name)
    assert first.detail == {"record_count": 1, "description": head.name}
    assert (second.action, second.target_id, second.detail["record_count"]) == ("personal_data.export_full", "", 120)
    assert head.id_number not in second.detail["description"] and head.masked_id_number in second.detail["description"]
    assert first.at < second.at  # in time order
    result = audit.verify()
    assert result.intact, result.problems
    assert result.checked == len(existing) + 2


def test_every_action_the_code_records_has_a_chinese_label():
    """An action named in a `record(action="...")` call without a definition would show on the audit page as
    its raw name and be missing from the page's filter."""
    import re
    from pathlib import Path

    from django.conf import settings

    named = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        named |= set(re.findall(r'\baction="([a-z_]+(?:\.[a-z_]+)+|logout)"', path.read_text(encoding="utf-8")))
    assert "login.failed" in named
    undefined = sorted(name for name in named if audit.action_label(name) == name)
    assert undefined == []
