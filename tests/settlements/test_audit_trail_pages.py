"""What the audit trail holds (every write through a service, with its refusals; an import as one entry with
its counts and its file's hash; personal-data access; session timeouts) and the audit administrator's page
(search, filters, export, the chain check), refused to every other role."""

import datetime
import hashlib
import inspect
import io

import openpyxl
import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from employment import services as employment_services
from settlements import audit, audit_exports, capabilities, importing, services
from settlements.imports import services as import_services
from settlements.models import AuditEntry, AuditVerification, ImportStatus, Person, Relation
from settlements.roles import Role
from tasks import services as task_services
from tests.employment import subsidy_factories as make
from tests.factories import add_member, household_with_head, make_id_number
from tests.settlements.test_import import good_file, run_import, upload, xlsx  # noqa: F401  (good_file: a fixture)
from tests.settlements.test_imports_framework import phone_importer  # noqa: F401  (a fixture)
from tests.tasks.factories import make_report, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDIT_ADMIN)


@pytest.fixture
def jobs_run(eager_jobs, django_capture_on_commit_callbacks):
    """`with jobs_run(execute=True): ...`: the Celery jobs queued on commit inside run at its end."""
    return django_capture_on_commit_callbacks


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


# --- every write through a service ------------------------------------------------------------------------------

# Functions of the services modules that write but are not audited here, and why.
NOT_AUDITED = {
    "save_with_history": "a helper of the services, called inside an audited one",
    "person_apply_id_number": "sets fields, writes nothing",
    "refuse_future": "a check the services call before they write; writes nothing",
    "person_reveal_id_number": "personal-data access: records its own entry (tested below)",
    "user_create": "accounts: user and role events are recorded by the accounts' own services",
    "user_save": "accounts: user and role events are recorded by the accounts' own services",
    "sessions_purge_expired": "records each timeout itself (tested below)",
    "session_end_expired": "records the timeout itself (tested below)",
    "notifications_create": "the portal's own messages to users, sent by jobs and by audited services",
    "notifications_mark_read": "a user's inbox: read marks, no record of the registry",
}


@pytest.mark.parametrize("module", [services, task_services, employment_services], ids=lambda module: module.__name__)
def test_every_public_service_is_audited_or_says_why_not(module):
    functions = inspect.getmembers(module, inspect.isfunction)
    own = [(name, function) for name, function in functions if function.__module__ == module.__name__]
    unaudited = {name for name, function in own if not name.startswith("_") and not hasattr(function, "audit_action")}
    assert unaudited <= set(NOT_AUDITED), unaudited - set(NOT_AUDITED)
    for name, function in own:
        if hasattr(function, "audit_action"):
            assert audit.action_label(function.audit_action) != function.audit_action, name  # defined, labelled


def new_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=since).order_by("id"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_successful_write_is_in_the_trail_with_its_actor_and_record(users, reference):
    household, _ = household_with_head("fumin")
    since = last_id()
    services.household_update(actor=users["clerk_wenti"], household=household, room_number="8-101")
    (entry,) = new_entries(since)
    assert (entry.actor, entry.action, entry.outcome, entry.category) == (
        users["clerk_wenti"],
        "household.update",
        audit.SUCCESS,
        audit.WRITE,
    )
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "settlements.household",
        str(household.pk),
        household.code,
    )
    assert audit.verify().intact


def test_a_leader_trying_to_update_a_household_is_refused_in_the_trail(users, reference):
    household, _ = household_with_head("fumin")
    with pytest.raises(PermissionDenied):
        services.household_update(actor=users["leader"], household=household, room_number="8-101")
    (refused,) = entries(outcome=audit.REFUSED)
    assert (refused.actor, refused.action, refused.target_id) == (
        users["leader"],
        "household.update",
        str(household.pk),
    )
    assert refused.detail == {"reason": capabilities.KEEP_HOUSEHOLDS.refusal}
    household.refresh_from_db()
    assert household.room_number != "8-101"


def test_a_rule_the_service_enforces_is_a_refusal_with_its_reason(users, reference):
    household, head = household_with_head("fumin")
    add_member(household, name="吴英", relation=Relation.SPOUSE, male=False)
    with pytest.raises(ValidationError):
        services.person_leave(
            actor=users["clerk_wenti"], person=head, date=datetime.date(2026, 1, 1), reason="move_out"
        )
    (refused,) = entries(outcome=audit.REFUSED)
    assert (refused.action, refused.target_id) == ("person.leave", str(head.pk))
    assert refused.detail["reason"] == services.MSG_HEAD_LEAVING


def test_a_service_calling_other_services_is_one_entry(users, reference):
    """person_birth calls person_create, which calls person_register and person_save: one entry, the birth's."""
    household, _ = household_with_head("fumin")
    since = last_id()
    born = services.person_birth(
        actor=users["clerk_wenti"],
        household=household,
        name="杨小宝",
        id_number=make_id_number(datetime.date(2024, 1, 1)),
        relation=Relation.SON,
    )
    assert [(entry.action, entry.target_id) for entry in new_entries(since)] == [("person.birth", str(born.pk))]


def test_ending_a_job_names_the_job_not_the_unemployment_it_opens(users, reference):
    _, person = household_with_head("fumin")
    job = make.job(person, datetime.date(2025, 1, 1), users["clerk_wenti"], employer_name="某厂")
    employment_services.employment_end(
        employment=job, end_date=datetime.date(2025, 6, 1), reason="lost", actor=users["clerk_wenti"]
    )
    ended = AuditEntry.objects.get(action="employment.end")
    assert (ended.target_type, ended.target_id) == ("employment.employment", str(job.pk))


def test_the_office_accepting_a_report_is_in_the_trail(users, reference):
    task = make_task()
    report = make_report(
        task, "县人力资源社会保障局", datetime.date(2026, 11, 1), submitted_on=datetime.date(2026, 11, 5)
    )
    task_services.report_accept(report=report, actor=users["office"])
    accepted = AuditEntry.objects.get(action="progress_report.accept")
    assert (accepted.actor, accepted.target_id, accepted.outcome) == (users["office"], str(report.pk), audit.SUCCESS)


# --- an import is one entry -----------------------------------------------------------------------------------


def test_an_import_is_one_entry_with_its_counts_and_the_files_hash(users, good_file):  # noqa: F811
    clerk = users["clerk_wenti"]
    content = xlsx(good_file)
    since = last_id()
    record = run_import(clerk, content)
    assert record.status == ImportStatus.DONE and Person.objects.count() == 6
    (entry,) = new_entries(since)  # not one per household or person written
    assert (entry.actor, entry.action, entry.outcome, entry.category) == (
        clerk,
        "import.registry",
        audit.SUCCESS,
        audit.WRITE,
    )
    assert (entry.target_type, entry.target_id) == ("settlements.ledgerimport", str(record.pk))
    assert entry.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert entry.detail["file_name"] == record.file_name
    assert entry.detail["counts"]["rows"] == 6
    assert entry.detail["counts"]["written"]["households_created"] == 3
    assert entry.detail["counts"]["written"]["persons_created"] == 6
    assert audit.action_label("import.registry") == "导入户籍台账"


def test_an_importer_that_writes_through_services_per_row_is_still_one_entry(users, good_file, phone_importer):  # noqa: F811
    importing.write_ledger(importing.check_ledger(xlsx(good_file), users["office"]), users["office"])
    persons = list(Person.objects.filter(settlement__code="fumin"))
    phones = xlsx(
        [["身份证号", "联系电话"], *[[person.id_number, f"1390000{index:04d}"] for index, person in enumerate(persons)]]
    )
    clerk = users["clerk_wenti"]
    since = last_id()
    record = import_services.import_start(user=clerk, upload=upload(phones), kind="test_phones")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    import_services.import_confirm(user=clerk, record=record)
    import_services.import_write(import_id=record.pk)
    assert Person.objects.filter(phone__startswith="1390000").count() == len(persons) == 5
    (entry,) = new_entries(since)  # the importer's five person_update calls record nothing of their own
    assert (entry.action, entry.detail["counts"]["written"]) == ("import.test_phones", {"created": 0, "updated": 5})


def test_a_refused_confirmation_is_a_refused_entry(users, good_file):  # noqa: F811
    good_file[2][good_file[0].index("身份证号")] = "522632198203040000"  # a wrong check digit
    clerk = users["clerk_wenti"]
    record = import_services.import_start(user=clerk, upload=upload(xlsx(good_file)), kind="registry")
    import_services.import_check(import_id=record.pk)
    record.refresh_from_db()
    with pytest.raises(PermissionDenied):
        import_services.import_confirm(user=users["clerk_changba"], record=record)
    with pytest.raises(ValidationError):
        import_services.import_confirm(user=clerk, record=record)  # a wrong row, and not "only the valid rows"
    stranger, wrong_rows = entries(action="import.registry")
    assert (stranger.actor, stranger.outcome, stranger.target_id) == (users["clerk_changba"], "refused", str(record.pk))
    assert stranger.detail["reason"] == import_services.MSG_NOT_OWNER
    assert (wrong_rows.actor, wrong_rows.outcome) == (clerk, "refused") and "1行存在错误" in wrong_rows.detail["reason"]


def test_a_write_that_conflicts_with_the_database_is_a_refused_entry(users, good_file, monkeypatch):  # noqa: F811
    def conflicting_write(*args, **kwargs):
        raise IntegrityError("duplicate key value")

    monkeypatch.setattr(importing.REGISTRY, "write", conflicting_write)
    content = xlsx(good_file)
    record = run_import(users["clerk_wenti"], content)
    assert record.status == ImportStatus.FAILED
    (entry,) = entries(action="import.registry")
    assert (entry.outcome, entry.detail["reason"]) == (audit.REFUSED, import_services.MSG_WRITE_CONFLICT)
    assert entry.detail["sha256"] == hashlib.sha256(content).hexdigest()


# --- personal data -----------------------------------------------------------------------------------------------


def test_a_reveal_is_a_personal_data_entry_on_the_person(client, users, reference):
    _, head = household_with_head("fumin")
    client.force_login(users["clerk_wenti"])
    assert head.id_number in client.post(reverse("person_reveal", args=[head.pk])).content.decode()
    (entry,) = entries(category=audit.PERSONAL_DATA)
    assert (entry.action, entry.actor, entry.target_type, entry.target_id) == (
        "personal_data.reveal",
        users["clerk_wenti"],
        "settlements.person",
        str(head.pk),
    )
    assert entry.detail == {"record_count": 1, "description": head.name}
    assert entry.ip_address == "127.0.0.1"


def test_an_export_is_a_personal_data_entry_and_a_searched_id_number_is_masked_in_it(client, users, reference):
    _, head = household_with_head("fumin")
    client.force_login(users["office"])
    response = client.get(reverse("person_export"), {"q": head.id_number, "full": "1"})
    assert response.status_code == 200
    (entry,) = entries(category=audit.PERSONAL_DATA)
    assert (entry.action, entry.detail["record_count"]) == ("personal_data.export_full", 1)
    assert head.id_number not in entry.detail["description"]
    assert head.masked_id_number in entry.detail["description"]


# --- session timeouts ------------------------------------------------------------------------------------------


def _expire(client):
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
    return key


def test_the_nightly_purge_records_a_timeout_for_each_session_a_user_was_logged_in_with(client, users):
    client.force_login(users["clerk_wenti"])
    key = _expire(client)
    anonymous = Session.objects.create(
        session_key="a" * 32,
        session_data=Session.get_session_store_class()().encode({}),
        expire_date=timezone.now() - datetime.timedelta(days=1),
    )
    assert services.sessions_purge_expired() == 2
    assert not Session.objects.filter(session_key__in=[key, anonymous.session_key]).exists()
    (timeout,) = entries(action="logout.timeout")
    assert (timeout.actor, timeout.category, timeout.outcome) == (users["clerk_wenti"], audit.SECURITY, audit.SUCCESS)
    assert {"last_request", "expired_at"} <= set(timeout.detail)
    assert services.sessions_purge_expired() == 0
    assert len(entries(action="logout.timeout")) == 1


def test_a_request_with_an_expired_sessions_cookie_records_the_timeout_once(client, users):
    client.force_login(users["leader"])
    _expire(client)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    (timeout,) = entries(action="logout.timeout")
    assert timeout.actor == users["leader"]
    client.get(reverse("home"))
    services.sessions_purge_expired()
    assert len(entries(action="logout.timeout")) == 1


def test_a_live_session_records_nothing(client, users):
    client.force_login(users["leader"])
    assert client.get(reverse("home")).status_code == 200
    assert services.sessions_purge_expired() == 0
    assert not entries(action="logout.timeout")


# --- the audit administrator's page -------------------------------------------------------------------------------


def _record(action, *, actor=None, at=None, **fields):
    if at is None:
        return audit.record(actor=actor, action=action, **fields)
    with time_machine.travel(at, tick=False):
        return audit.record(actor=actor, action=action, **fields)


@pytest.fixture
def trail(users, reference):
    """A refusal, a write, a personal-data export and a failed login, on three days."""
    household, _ = household_with_head("fumin")  # and a person.create entry by the registry keeper, today
    day = lambda d: timezone.make_aware(datetime.datetime(2026, 11, d, 10))  # noqa: E731
    return {
        "household": household,
        "refused": _record(
            "household.update",
            actor=users["leader"],
            at=day(3),
            target=household,
            outcome=audit.REFUSED,
            detail={"reason": capabilities.KEEP_HOUSEHOLDS.refusal},
        ),
        "write": _record("household.update", actor=users["clerk_wenti"], at=day(4), target=household),
        "export": _record(
            "personal_data.export_full",
            actor=users["office"],
            at=day(5),
            detail={"record_count": 120, "description": "人员台账导出 settlement=1"},
        ),
        "failed_login": _record(
            "login.failed", actor_name="nobody", at=day(5), category=audit.SECURITY, outcome=audit.REFUSED
        ),
    }


def page_ids(client, **params):
    response = client.get(reverse("audit_list"), params)
    assert response.status_code == 200, response.content.decode()
    return [entry.id for entry in response.context["page"]]


def test_the_auditor_reads_the_trail_newest_first_with_labels(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("audit_list"))
    page = response.content.decode()
    ids = [entry.id for entry in response.context["page"]]
    keeper = AuditEntry.objects.get(action="person.create")  # recorded today, after the others' days
    own_login = AuditEntry.objects.get(action="login.succeeded", actor=auditor)  # the newest
    assert ids == [
        own_login.id,
        keeper.id,
        trail["failed_login"].id,
        trail["export"].id,
        trail["write"].id,
        trail["refused"].id,
    ]
    assert "修改搬迁户" in page and "导出完整身份证号" in page and "拒绝" in page
    assert capabilities.KEEP_HOUSEHOLDS.refusal in page and "记录数：120" in page
    assert "登录失败" in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"user": "nobody"}, ["failed_login"]),
        ({"action": "household.update"}, ["write", "refused"]),
        ({"category": "personal_data"}, ["export"]),
        ({"outcome": "refused"}, ["failed_login", "refused"]),
        ({"q": "120"}, ["export"]),
        ({"q": "只能查阅"}, ["refused"]),
        ({"date_from": "2026-11-04", "date_to": "2026-11-04"}, ["write"]),
        ({"outcome": "refused", "date_from": "2026-11-05"}, ["failed_login"]),
    ],
)
def test_the_auditor_filters_the_trail(client, auditor, trail, params, expected):
    client.force_login(auditor)
    assert page_ids(client, **params) == [trail[key].id for key in expected]


def test_the_auditor_finds_a_record_by_its_label_or_number_and_a_user_by_full_name(client, auditor, trail, users):
    client.force_login(auditor)
    household = trail["household"]
    found = set(page_ids(client, target=household.code))
    assert found == set(page_ids(client, target=str(household.pk))) == {trail["refused"].id, trail["write"].id}
    users["clerk_wenti"].full_name = "王文体"
    users["clerk_wenti"].save()
    assert page_ids(client, user="王文体") == [trail["write"].id]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "请输入有效的日期"),
        ({"date_from": "0001-01-01"}, "起始日期应在1900-01-01至"),  # the portal's one range (input_ranges)
        ({"date_to": "9999-12-31"}, "截止日期应在1900-01-01至"),
        ({"date_to": "99999-01-01"}, "请输入有效的日期"),
        ({"date_from": "2026-11-05", "date_to": "2026-11-04"}, "起始日期不能晚于截止日期"),
        ({"action": "nothing.such"}, "选择一个有效的选项"),
    ],
)
def test_a_wrong_filter_is_refused_in_chinese_and_lists_nothing(client, auditor, trail, params, message):
    client.force_login(auditor)
    response = client.get(reverse("audit_list"), params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(response.context["page"]) == []
    assert client.get(reverse("audit_export"), params).status_code == 302  # the export refuses it too


def test_the_page_is_paginated(client, auditor, users):
    for n in range(55):
        audit.record(actor=users["office"], action="household.update", detail={"n": n})
    client.force_login(auditor)
    first = client.get(reverse("audit_list"), {"action": "household.update"})
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 55
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get(reverse("audit_list"), {"action": "household.update", "page": 2})
    assert [entry.detail["n"] for entry in second.context["page"]] == [4, 3, 2, 1, 0]


def test_the_export_reads_back_filtered_and_is_itself_in_the_trail(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("audit_export"), {"action": "household.update"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:7] == ("记录号", "时间", "用户", "类别", "操作", "操作代码", "结果")
    assert [row[0] for row in rows[1:]] == [trail["write"].id, trail["refused"].id]
    refused = rows[2]
    assert refused[2:7] == (trail["refused"].actor_name, "数据写入", "修改搬迁户", "household.update", "拒绝")
    assert refused[10] == f"原因：{capabilities.KEEP_HOUSEHOLDS.refusal}"
    assert refused[13] == trail["refused"].entry_hash
    exported = AuditEntry.objects.order_by("-id").first()
    assert (exported.action, exported.actor, exported.category) == ("audit.export", auditor, audit.SECURITY)
    assert exported.detail["record_count"] == 2 and "action=household.update" in exported.detail["description"]


def test_an_export_too_long_is_refused_with_a_message(client, auditor, trail, monkeypatch):
    monkeypatch.setattr(audit_exports, "MAX_EXPORT_ROWS", 1)
    client.force_login(auditor)
    response = client.get(reverse("audit_export"), {"outcome": "refused", "date_from": "2026-11-01"}, follow=True)
    assert "符合条件的审计记录有 2 条，超过一次导出的上限 1 条，请缩小日期范围" in response.content.decode()
    assert response.redirect_chain[0][0].startswith(reverse("audit_list") + "?")


@pytest.mark.parametrize("key", ["office", "leader", "team_lead", "reporter", "clerk_wenti", "clerk_changba"])
def test_every_other_role_is_refused_the_page_its_export_and_its_check(client, users, key):
    client.force_login(users[key])
    refusal = capabilities.READ_AUDIT_TRAIL.refusal
    for response in (
        client.get(reverse("audit_list")),
        client.get(reverse("audit_export")),
        client.post(reverse("audit_verify")),
    ):
        assert response.status_code == 403 and refusal in response.content.decode()
    assert not AuditVerification.objects.exists()
    assert "审计记录" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_the_other_administrators_are_refused_too(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("audit_list")).status_code == 403


def test_a_superuser_is_refused(client, make_user):
    superuser = make_user(Role.OFFICE)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    assert client.get(reverse("audit_list")).status_code == 403


def test_the_auditor_finds_the_page_in_the_menu_and_on_the_home_page(client, auditor):
    client.force_login(auditor)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="nav-audit"' in home and 'data-testid="home-audit"' in home
    assert reverse("audit_list") in home


# --- the chain check on demand ------------------------------------------------------------------------------------


def test_the_check_runs_as_a_job_and_the_page_shows_the_chain_intact(client, auditor, trail, jobs_run):
    client.force_login(auditor)
    with jobs_run(execute=True):
        client.post(reverse("audit_verify"))
    response = client.get(reverse("audit_list"))
    verification = AuditVerification.objects.get()
    assert (verification.status, verification.progress, verification.problem_count) == ("done", 100, 0)
    assert verification.checked == 6  # the trail's five and the auditor's login
    assert "摘要链完整" in response.content.decode() and "校验了 6 条记录" in response.content.decode()
    checked = AuditEntry.objects.get(action="audit.verify")
    assert (checked.actor, checked.detail) == (auditor, {"intact": True, "checked": 6, "problem_count": 0})


def test_the_check_names_an_entry_edited_in_the_database(client, auditor, trail, jobs_run):
    from tests.settlements.test_audit import _bypassing_the_trigger

    _bypassing_the_trigger("UPDATE settlements_auditentry SET outcome = 'success' WHERE id = %s", [trail["refused"].id])
    client.force_login(auditor)
    with jobs_run(execute=True):
        client.post(reverse("audit_verify"))
    page = client.get(reverse("audit_list")).content.decode()
    assert "摘要链已被破坏" in page and f"第 {trail['refused'].id} 条：内容与摘要不符" in page
    assert AuditEntry.objects.get(action="audit.verify").detail["intact"] is False


def test_a_running_check_shows_its_progress_polled_by_htmx_and_one_runs_at_a_time(client, auditor):
    client.force_login(auditor)
    client.post(reverse("audit_verify"))  # queued; no worker runs it in this test
    verification = AuditVerification.objects.get()
    AuditVerification.objects.filter(pk=verification.pk).update(progress=40)
    page = client.get(reverse("audit_list")).content.decode()
    assert f'hx-get="{reverse("audit_verification", args=[verification.pk])}"' in page and "40%" in page
    assert 'data-testid="audit-verify" disabled' in page
    fragment = client.get(reverse("audit_verification", args=[verification.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and "40%" in fragment.content.decode()
    again = client.post(reverse("audit_verify"), follow=True)
    assert audit.MSG_VERIFICATION_RUNNING in again.content.decode()
    assert AuditVerification.objects.count() == 1
    audit.verification_run(verification_id=verification.pk)
    fragment = client.get(reverse("audit_verification", args=[verification.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"


def test_a_check_left_running_by_a_dead_worker_does_not_block_a_new_one(auditor):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=7)):
        stale = audit.verification_start(actor=auditor)
    fresh = audit.verification_start(actor=auditor)
    stale.refresh_from_db()
    assert (stale.status, fresh.status) == ("failed", "running")


def test_a_long_result_is_counted_up_to_a_limit(client, auditor, users, monkeypatch):
    from settlements import audit_views

    monkeypatch.setattr(audit_views, "COUNT_LIMIT", 3)
    for n in range(5):
        audit.record(actor=users["office"], action="household.update", detail={"n": n})
    client.force_login(auditor)
    page = client.get(reverse("audit_list"), {"action": "household.update"}).content.decode()
    assert "超过 3 条" in page
    assert "共 1 条" in client.get(reverse("audit_list"), {"q": '"n": 1'}).content.decode()
