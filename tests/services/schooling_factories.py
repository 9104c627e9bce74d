"""Builders for the schooling tests: schools (facilities of a school kind), children, and their records written
through the services."""

import datetime

from services.models import DropoutVisit, SchoolEnrolment, StudentAid, VisitResult
from services.services import schooling as services
from settlements import services as registry_services
from settlements.models import Facility, FacilityKind, Settlement
from tests.factories import registry_keeper

from .factories import resident

D = datetime.date
OPENED = D(2000, 9, 1)
BORN = D(2015, 3, 1)  # of compulsory age from 2021-09-01 to 2031-08-31


def school(name="测试小学", level="primary_school", *, settlements=(), in_use_on=OPENED, levels=None):
    """A school of `level` (or of several `levels`), serving `settlements` (codes; none: the county's)."""
    return registry_services.facility_save(
        actor=registry_keeper(),
        facility=Facility(name=name, in_use_on=in_use_on),
        kinds=FacilityKind.objects.filter(code__in=levels or [level]),
        settlements=Settlement.objects.filter(code__in=settlements),
        attributes={},
    )


def child(settlement="fumin", *, birth=BORN, name="杨小明", **fields):
    """A child heading a household of `settlement` that moved in on 2019-05-01; returns (household, child)."""
    return resident(settlement, birth=birth, name=name, **fields)


def enrol(person, at, start, end=None, reason="", note="", level="", grade="三年级", actor=None):
    enrolment = SchoolEnrolment(
        person=person,
        school=at,
        level=level,
        grade=grade,
        start_date=start,
        end_date=end,
        end_reason=reason,
        end_note=note,
    )
    return services.school_enrolment_save(enrolment=enrolment, actor=actor or registry_keeper())


def leave(enrolment, end, reason, note="", actor=None):
    enrolment.end_date, enrolment.end_reason, enrolment.end_note = end, reason, note
    return services.school_enrolment_save(enrolment=enrolment, actor=actor or registry_keeper())


def drop_out(person, at, start, end, actor=None):
    return enrol(person, at, start, end, reason="dropout", note="随父母外出务工", actor=actor)


def visit(dropout, day, result=VisitResult.PERSUADING, actor=None):
    record = DropoutVisit(
        dropout=dropout, visited_on=day, visitors="包保干部 王老师", actions="入户劝返", result=result
    )
    return services.dropout_visit_save(visit=record, actor=actor or registry_keeper())


def aid(person, year, scheme="两免两补", granted_on=None, actor=None):
    record = StudentAid(person=person, school_year=year, scheme=scheme, granted_on=granted_on or D(year, 10, 15))
    return services.student_aid_save(aid=record, actor=actor or registry_keeper())
