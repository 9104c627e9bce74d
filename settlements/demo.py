"""Realistic demo households and one demo user per role, for the embedded default and for trying the portal.

Households get plausible names, family structures, relocation years and valid resident ID numbers of
Rongjiang County (area code 522632). The data is made from a seeded random generator, so a fresh
database always gets the same demo.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.cn import ric

from . import id_numbers, rules, services
from .accounts import policy
from .models import (
    Building,
    Education,
    Health,
    Household,
    HouseholdEvent,
    HouseholdEventKind,
    HouseholdStatus,
    HukouStatus,
    Membership,
    MembershipStart,
    Person,
    ProjectYear,
    Relation,
    ResponsibleUnit,
    Settlement,
    User,
    WorkTeam,
    read_id_number,
)
from .roles import ADMINISTRATOR_ROLES, Role

RONGJIANG_AREA_CODE = "522632"
DEMO_PASSWORD = "Rongjiang@2026"

SURNAMES = "杨吴王石龙潘李陈张罗蒙韦欧姚邓梁胡何周刘"
MALE_GIVEN = "明华军勇强伟刚平林斌海波辉成荣富贵光忠德文武昌永金生发福顺才"
FEMALE_GIVEN = "英芳秀兰梅琴燕丽娟霞珍凤艳玲芬翠花莲娇桂春月香妹银"
ORIGIN_TOWNSHIPS = {
    "古州镇": ["华优村", "高排村", "丰乐村", "车江村"],
    "忠诚镇": ["王岭村", "高扒村", "归柳村"],
    "寨蒿镇": ["晚寨村", "寨蒿村", "乌计村"],
    "平永镇": ["平永村", "中寨村", "寿洞村"],
    "乐里镇": ["乐里村", "本里村", "归洪村"],
    "朗洞镇": ["朗洞村", "卡寨村", "八瑞村"],
    "栽麻镇": ["宰荡村", "大利村", "加宜村"],
    "八开镇": ["八开村", "亚类村", "摆拉村"],
    "计划乡": ["计划村", "加去村", "摆王村"],
    "水尾乡": ["水尾村", "必拱村", "拉术村"],
    "定威乡": ["定威村", "高扒村", "计怀村"],
    "两汪乡": ["两汪村", "空申村", "摆尾村"],
    "塔石乡": ["塔石村", "宰勇村", "党相村"],
    "兴华乡": ["兴华村", "摆贝村", "高岜村"],
    "三江乡": ["三江村", "高岩村", "乌公村"],
    "仁里乡": ["仁里村", "平中村", "培秀村"],
    "平江镇": ["平江村", "滚仲村", "巴略村"],
    "平阳乡": ["平阳村", "小丹江村", "丹江村"],
}

DEMO_USERS = [
    # username, full name, role, unit, work team code
    ("office", "杨主任", Role.OFFICE, "县生态移民局", None),
    ("leader", "吴县长", Role.LEADER, None, None),
    ("teamlead", "王班长", Role.TEAM_LEAD, "县人力资源社会保障局", "employment"),
    ("reporter", "石填报员", Role.REPORTER, "县教育科技局", None),
    ("clerk_wenti", "龙文员", Role.CLERK, "文体社区服务中心", None),
    ("clerk_changba", "潘文员", Role.CLERK, "场坝社区服务中心", None),
    ("clerk_guzhou", "李文员", Role.CLERK, "古州镇", None),
    ("clerk_dingwei", "陈文员", Role.CLERK, "定威乡", None),
    # 三员分立: the three administrators, none of whom reads personal data.
    ("sysadmin", "赵系统管理员", Role.SYSTEM_ADMIN, None, None),
    ("secadmin", "钱安全管理员", Role.SECURITY_ADMIN, None, None),
    ("auditadmin", "孙审计员", Role.AUDIT_ADMIN, None, None),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str
    created: bool
    second_factor: bool  # the security policy asks this role for an authenticator's code


def ensure_demo_users() -> list[DemoLogin]:
    """Create the demo users that are missing; never touch an existing user's password."""
    logins = []
    for username, full_name, role, unit_name, team_code in DEMO_USERS:
        unit = ResponsibleUnit.objects.get(name=unit_name) if unit_name else None
        team = WorkTeam.objects.get(code=team_code) if team_code else None
        created = not User.objects.filter(username=username).exists()
        if created:
            services.user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                unit=unit,
                work_team=team,
            )
        scope = "、".join(s.name for s in Settlement.objects.filter(administered_by=unit)) if role == Role.CLERK else ""
        if role in ADMINISTRATOR_ROLES:
            scope = "不查看个人信息"
        needs_factor = role in policy.in_force().second_factor_roles
        logins.append(
            DemoLogin(username, Role(role).label, scope or str(unit or team or "全县"), created, needs_factor)
        )
    return logins


class HouseholdGenerator:
    """Makes one settlement's households and members from a seeded random generator."""

    def __init__(self, settlement: Settlement, today: datetime.date, taken_ids: set[str]):
        self.settlement = settlement
        self.today = today
        self.random = random.Random(f"rongjiang-demo-{settlement.code}")
        self.taken_ids = taken_ids

    # --- people -------------------------------------------------------------------------------------
    def id_number(self, age: int, male: bool) -> str:
        while True:
            birth = self.today - datetime.timedelta(days=age * 365 + self.random.randint(0, 364))
            sequence = self.random.randint(0, 99) * 10 + self.random.choice(
                [1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8]
            )
            body = f"{RONGJIANG_AREA_CODE}{birth:%Y%m%d}{sequence:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.taken_ids and id_numbers.age_on(birth, self.today) == age:
                self.taken_ids.add(number)
                return number

    def given_name(self, male: bool) -> str:
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        return "".join(self.random.choice(pool) for _ in range(self.random.choice([1, 2])))

    def education(self, age: int) -> str:
        if age < 6:
            return Education.PRESCHOOL
        if age < 12:
            return Education.PRIMARY
        if age < 15:
            return Education.JUNIOR
        if age > 55:
            return self.random.choice([Education.ILLITERATE, Education.ILLITERATE, Education.PRIMARY])
        return self.random.choices(
            [Education.PRIMARY, Education.JUNIOR, Education.SENIOR, Education.VOCATIONAL, Education.COLLEGE],
            weights=[25, 45, 15, 10, 5],
        )[0]

    def health(self, age: int) -> str:
        weights = [85, 8, 3, 4] if age < 60 else [55, 30, 8, 7]
        return self.random.choices([Health.HEALTHY, Health.CHRONIC, Health.SERIOUS, Health.DISABLED], weights=weights)[
            0
        ]

    def phone(self, age: int) -> str:
        if age < 16 or self.random.random() < 0.15:
            return ""
        return f"1{self.random.choice('35789')}{self.random.randint(0, 999999999):09d}"

    def person(self, household, surname, relation, age, male, hukou) -> Person:
        number = self.id_number(age, male)
        resident = id_numbers.parse(number, today=self.today)
        return Person(
            household=household,
            settlement=household.settlement,
            name=surname + self.given_name(male),
            id_number=number,
            birth_date=resident.birth_date,
            sex=resident.sex,
            relation=relation,
            phone=self.phone(age),
            education=self.education(age),
            health=self.health(age),
            hukou_status=hukou,
        )

    def family(self, household) -> list[Person]:
        """A head, usually a spouse, children by the parents' age, sometimes elders or a grandchild."""
        surname = self.random.choice(SURNAMES)
        hukou = self.random.choices(
            [HukouStatus.CITIZEN_CARD, HukouStatus.TRANSFERRED, HukouStatus.NOT_TRANSFERRED], weights=[60, 30, 10]
        )[0]
        head_age = self.random.randint(26, 72)
        head_male = self.random.random() < 0.82
        members = [self.person(household, surname, Relation.HEAD, head_age, head_male, hukou)]
        if self.random.random() < 0.85:
            spouse_surname = self.random.choice(SURNAMES)
            spouse_sex = id_numbers.Sex.FEMALE if head_male else id_numbers.Sex.MALE
            spouse_age = max(rules.MARRIAGE_AGE[spouse_sex], head_age + self.random.randint(-5, 3))
            members.append(self.person(household, spouse_surname, Relation.SPOUSE, spouse_age, not head_male, hukou))
        for _ in range(self.random.choices([0, 1, 2, 3, 4], weights=[8, 25, 35, 22, 10])[0]):
            child_age = head_age - self.random.randint(20, 34)
            if child_age < 0:
                continue
            male = self.random.random() < 0.52
            members.append(
                self.person(household, surname, Relation.SON if male else Relation.DAUGHTER, child_age, male, hukou)
            )
            if child_age >= 24 and male and self.random.random() < 0.4:
                members.append(
                    self.person(
                        household, self.random.choice(SURNAMES), Relation.DAUGHTER_IN_LAW, child_age - 1, False, hukou
                    )
                )
                grandchild_age = child_age - self.random.randint(20, 26)
                if grandchild_age >= 0:
                    gmale = self.random.random() < 0.5
                    members.append(
                        self.person(
                            household,
                            surname,
                            Relation.GRANDSON if gmale else Relation.GRANDDAUGHTER,
                            grandchild_age,
                            gmale,
                            hukou,
                        )
                    )
        if head_age < 45 and self.random.random() < 0.3:
            elder_male = self.random.random() < 0.4
            members.append(
                self.person(
                    household,
                    surname if elder_male else self.random.choice(SURNAMES),
                    Relation.FATHER if elder_male else Relation.MOTHER,
                    head_age + self.random.randint(22, 32),
                    elder_male,
                    hukou,
                )
            )
        return members

    # --- households -----------------------------------------------------------------------------------
    def buildings(self, count: int) -> list[Building]:
        return [
            Building.objects.get_or_create(settlement=self.settlement, name=f"{n}栋")[0] for n in range(1, count + 1)
        ]

    def household(self, number: int, building: Building) -> Household:
        year = self.random.choices(list(ProjectYear.values), weights=[30, 35, 35])[0]
        township = self.random.choice(list(ORIGIN_TOWNSHIPS))
        moved_in = self.random.random() < 0.93
        return Household(
            code=f"{self.settlement.code.upper()}-{number:04d}",
            settlement=self.settlement,
            building=building,
            room_number=f"{self.random.randint(1, 18)}{self.random.randint(1, 4):02d}",
            project_year=year,
            origin_township=township,
            origin_village=self.random.choice(ORIGIN_TOWNSHIPS[township]),
            registered_poor=self.random.random() < 0.85,
            move_in_date=self.move_in_date(year) if moved_in else None,
            status=HouseholdStatus.MOVED_IN if moved_in else HouseholdStatus.ALLOCATED,
        )

    def move_in_date(self, year: int) -> datetime.date:
        start = datetime.date(year + 1, 1, 1)
        return start + datetime.timedelta(days=self.random.randint(0, 364))

    def generate(self, count: int, actor: User | None) -> tuple[int, int]:
        buildings = self.buildings(max(2, count // 12))
        households = [self.household(n, self.random.choice(buildings)) for n in range(1, count + 1)]
        households = bulk_create_with_history(households, Household, default_user=actor)
        if any(h.pk is None for h in households):  # databases that do not return keys
            households = list(Household.objects.filter(settlement=self.settlement).order_by("code"))
        persons = [person for household in households for person in self.family(household)]
        persons = bulk_create_with_history(persons, Person, default_user=actor, batch_size=1000)
        if any(p.pk is None for p in persons):
            persons = list(Person.objects.filter(household__settlement=self.settlement).select_related("household"))
        Membership.objects.bulk_create(
            [
                Membership(
                    person=person,
                    household=person.household,
                    relation=person.relation,
                    start_date=person.household.move_in_date or self.today,
                    start_reason=MembershipStart.MOVE_IN,
                )
                for person in persons
            ],
            batch_size=1000,
        )
        HouseholdEvent.objects.bulk_create(
            [
                HouseholdEvent(household=h, kind=HouseholdEventKind.MOVE_IN, date=h.move_in_date, recorded_by=actor)
                for h in households
                if h.move_in_date
            ]
        )
        return len(households), len(persons)


@transaction.atomic
def seed_demo_households(per_settlement: int, today: datetime.date | None = None) -> dict[str, tuple[int, int]]:
    """Give every settlement without households `per_settlement` demo households. Returns what was made."""
    today = today or timezone.localdate()
    actor = User.objects.filter(username="office").first()
    taken_ids = {
        read_id_number(ciphertext) for ciphertext in Person.objects.values_list("id_number_encrypted", flat=True)
    }
    made = {}
    for settlement in Settlement.objects.all():
        if settlement.households.exists():
            continue
        made[settlement.name] = HouseholdGenerator(settlement, today, taken_ids).generate(per_settlement, actor)
    return made
