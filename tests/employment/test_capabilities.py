"""Employment's own capabilities: the services refuse an actor who may not keep the ledger whatever the page
did, and the pages and their buttons ask the same capability."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from employment import services
from employment.capabilities import KEEP_EMPLOYMENT
from employment.models import (
    Employer,
    EmployerKind,
    Employment,
    EmploymentKind,
    JobPost,
    JobPush,
    TrainingRecord,
    Unemployment,
)

from .factories import D, family

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(reference):
    _, (person,) = family("fumin")
    return person


def test_a_leader_or_reporter_may_not_record_a_job_even_calling_the_service(users, worker):
    for key in ("leader", "reporter", "team_lead"):
        with pytest.raises(PermissionDenied, match=KEEP_EMPLOYMENT.refusal):
            services.employment_start(
                person=worker,
                actor=users[key],
                kind=EmploymentKind.LOCAL_FIRM,
                employer_name="某厂",
                start_date=D(2025, 1, 1),
            )
    assert not Employment.objects.exists()


def test_a_leader_may_not_end_a_job_or_record_training_even_calling_the_services(users, clerk, worker):
    job = services.employment_start(
        person=worker, actor=clerk, kind=EmploymentKind.LOCAL_FIRM, employer_name="某厂", start_date=D(2025, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        services.employment_end(employment=job, end_date=D(2025, 6, 1), reason="lost", actor=users["leader"])
    job.refresh_from_db()
    assert job.end_date is None and not Unemployment.objects.exists()
    with pytest.raises(PermissionDenied):
        services.training_record(
            person=worker,
            actor=users["leader"],
            course="缝纫班",
            kind="directed",
            provider="县职校",
            start_date=D(2025, 2, 1),
            end_date=D(2025, 2, 10),
            days=10,
        )
    assert not TrainingRecord.objects.exists()


def test_a_leader_posting_a_push_is_refused_and_nothing_is_recorded(client, users, worker):
    employer = Employer.objects.create(name="榕江县苗绣公司", kind=EmployerKind.ENTERPRISE)
    post = JobPost.objects.create(
        employer=employer, title="刺绣工", openings=5, published_on=D(2026, 1, 1), valid_until=timezone.localdate()
    )
    client.force_login(users["leader"])
    page = client.get(reverse("employment:push_list"))
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    response = client.post(
        reverse("employment:push_list"),
        {
            "settlement": worker.settlement_id,
            "held_on": timezone.localdate(),
            "title": "推送会",
            "posts": [post.pk],
            "persons": worker.id_number,
        },
    )
    assert response.status_code == 403 and KEEP_EMPLOYMENT.refusal in response.content.decode()
    assert not JobPush.objects.exists()
