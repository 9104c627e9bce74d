"""Demo activity on the plan for the embedded default: a month of reports and the month's meeting."""

from django.db import transaction
from django.utils import timezone

from settlements.models import User

from . import services
from .models import Meeting, Task, first_of_month

DEMO_REPORTERS = ("reporter", "teamlead")  # demo users whose units lead tasks (教育科技局, 人社局)
DEMO_MEETING_DAY = 25


@transaction.atomic
def seed_demo_dispatch() -> dict[str, int]:
    """Reports from the demo reporters on their units' tasks, half accepted, and this month's meeting.

    Does nothing once a meeting exists, so running it again changes nothing.
    """
    if Meeting.objects.exists():
        return {}
    office = User.objects.get(username="office")
    today = timezone.localdate()
    made = {"reports": 0, "accepted": 0}
    for username in DEMO_REPORTERS:
        reporter = User.objects.get(username=username)
        for index, task in enumerate(Task.objects.filter(lead_unit=reporter.unit)):
            report = services.report_submit(
                task=task,
                actor=reporter,
                period=first_of_month(today),
                progress=f"{reporter.unit}本月按方案推进“{task.title}”，已召开专题会议，落实责任人。",
                problems="部分安置点场地尚未交付。" if index % 3 == 0 else "",
            )
            made["reports"] += 1
            if index % 2 == 0:
                services.report_accept(report=report, actor=office)
                made["accepted"] += 1
    meeting_day = today.replace(day=DEMO_MEETING_DAY) if today.day <= DEMO_MEETING_DAY else today
    services.meeting_schedule(held_on=meeting_day, place="县生态移民局会议室", actor=office)
    made["meetings"] = 1
    return made
