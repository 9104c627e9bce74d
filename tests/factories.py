"""factory_boy factories and a maker of valid resident ID numbers for tests."""

import datetime
import itertools
import time

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric

from settlements import services
from settlements.models import Household, HouseholdStatus, Person, ProjectYear, Relation, Settlement, User

_sequence = itertools.count(1)


def make_id_number(birth: datetime.date = datetime.date(1985, 3, 12), male: bool = True, area: str = "522632") -> str:
    """A valid, unused-in-this-run resident ID number for `birth`."""
    n = next(_sequence) % 500
    sequence = n * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def with_check_digit(first17: str) -> str:
    """Complete 17 characters with the right check digit, to build numbers wrong in other ways."""
    return first17 + ric.calc_check_digit(first17 + "0")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    settlement = factory.LazyFunction(lambda: Settlement.objects.get(code="fumin"))
    code = factory.Sequence(lambda n: f"T-{n:05d}")
    room_number = factory.Sequence(lambda n: f"{n % 18 + 1}0{n % 4 + 1}")
    project_year = ProjectYear.Y2017
    origin_township = "古州镇"
    origin_village = "华优村"
    registered_poor = True
    status = HouseholdStatus.MOVED_IN
    move_in_date = datetime.date(2019, 5, 1)


def registry_keeper() -> User:
    """Who the test data is recorded by: a superuser (the services refuse an actor who may not keep households)
    with no role duties, unit or team, so no reminder, escalation or scope counts them."""
    keeper, _ = User.objects.get_or_create(
        username="test-registry-keeper", defaults={"is_superuser": True, "full_name": "测试数据录入"}
    )
    return keeper


def add_member(household, *, name="杨明", relation=Relation.HEAD, birth=datetime.date(1980, 1, 1), male=True, **extra):
    """A member created through the service, as the portal does it."""
    return services.person_create(
        actor=registry_keeper(),
        household=household,
        name=name,
        id_number=make_id_number(birth, male),
        relation=relation,
        **extra,
    )


def household_with_head(settlement_code: str, **fields) -> tuple[Household, Person]:
    household = HouseholdFactory(settlement=Settlement.objects.get(code=settlement_code), **fields)
    return household, add_member(household)


def enrol_authenticator(user) -> TOTPDevice:
    """The user's confirmed authenticator (as if they had enrolled one), made once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def pass_second_factor(client, user) -> None:
    """Make `client`'s session (after `force_login`) that of a user past the verify page, where the security
    policy asks `user` for a second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from settlements.accounts import policy

    if policy.second_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = enrol_authenticator(user).persistent_id
        session.save()


def totp_code(key: bytes, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (RFC 6238: 30-second steps, 6 digits) for the secret `key`;
    `steps_ahead` gives a later step's, which the portal also accepts (one step of tolerance) when the current
    one has been used already."""
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def community_group(
    code, name, founded_on, kind="culture_volunteers", *, disbanded_on=None, members=(), actor=None, count=10
):
    """A community group of settlement `code` and of `kind` (a group kind's code), saved through the service."""
    from settlements import community_groups
    from settlements.models import CommunityGroup, GroupKind

    group = CommunityGroup(
        settlement=Settlement.objects.get(code=code),
        kind=GroupKind.objects.get(code=kind),
        name=name,
        founded_on=founded_on,
        disbanded_on=disbanded_on,
        members_count=count,
    )
    return community_groups.save_group(group=group, members=list(members), actor=actor or registry_keeper())
