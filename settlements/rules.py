"""Household composition rules: exactly one head, and relations that the members' ages must allow.

Used by the entry form and the Excel import alike, so a household is judged the same way either way.
"""

import datetime
from dataclasses import dataclass

from .id_numbers import Sex, age_on
from .models import Relation

HEAD_MIN_AGE = 16  # 民法典第十八条: 16 and living on one's own labour counts as of full capacity
MARRIAGE_AGE = {Sex.MALE: 22, Sex.FEMALE: 20}  # 民法典第一千零四十七条
YOUNGER_THAN_HEAD = {
    Relation.SON,
    Relation.DAUGHTER,
    Relation.GRANDSON,
    Relation.GRANDDAUGHTER,
}
OLDER_THAN_HEAD = {Relation.FATHER, Relation.MOTHER}

MSG_NO_HEAD = "每户须有且只有一名户主：本户没有户主。"
MSG_MANY_HEADS = "每户须有且只有一名户主：本户有{count}名户主。"
MSG_HEAD_TOO_YOUNG = f"户主须年满{HEAD_MIN_AGE}周岁。"
MSG_SPOUSE_TOO_YOUNG = "配偶未到法定婚龄（男22周岁、女20周岁），请核对关系或身份证号。"
MSG_NOT_YOUNGER = "“{relation}”应比户主年轻，请核对关系或身份证号。"
MSG_NOT_OLDER = "“{relation}”应比户主年长，请核对关系或身份证号。"


@dataclass(frozen=True)
class Member:
    relation: str
    birth_date: datetime.date
    sex: str


@dataclass(frozen=True)
class Problem:
    index: int | None  # the member the problem is about; None for the household as a whole
    field: str
    message: str


def check_household(members: list[Member], on: datetime.date) -> list[Problem]:
    """Problems with a household's active members on date `on`; empty when it is consistent."""
    heads = [i for i, member in enumerate(members) if member.relation == Relation.HEAD]
    if not heads:
        return [Problem(None, "relation", MSG_NO_HEAD)]
    if len(heads) > 1:
        return [Problem(i, "relation", MSG_MANY_HEADS.format(count=len(heads))) for i in heads]
    head = members[heads[0]]
    problems = []
    if age_on(head.birth_date, on) < HEAD_MIN_AGE:
        problems.append(Problem(heads[0], "relation", MSG_HEAD_TOO_YOUNG))
    for i, member in enumerate(members):
        message = _relation_problem(member, head, on)
        if message:
            problems.append(Problem(i, "relation", message))
    return problems


def _relation_problem(member: Member, head: Member, on: datetime.date) -> str | None:
    label = Relation(member.relation).label
    if member.relation == Relation.SPOUSE and age_on(member.birth_date, on) < MARRIAGE_AGE[member.sex]:
        return MSG_SPOUSE_TOO_YOUNG
    if member.relation in YOUNGER_THAN_HEAD and member.birth_date <= head.birth_date:
        return MSG_NOT_YOUNGER.format(relation=label)
    if member.relation in OLDER_THAN_HEAD and member.birth_date >= head.birth_date:
        return MSG_NOT_OLDER.format(relation=label)
    return None


# Labour age (劳动年龄) for the registry's lists and counts: 16 to 59 full years. The employment part of the
# portal refines who counts as labour with dated rules of its own.
LABOUR_AGE_MIN = 16
LABOUR_AGE_MAX = 59
