import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from settlements import demo, demo_grids, grids, id_numbers
from settlements.models import Grid, GridAssignment, Household, Person, Relation, Settlement, User
from settlements.roles import Role


@pytest.fixture
def seeded(reference, settings):
    settings.DEBUG = True
    call_command("seed_demo", households_per_settlement=12, verbosity=0)


@pytest.mark.django_db
def test_demo_makes_households_in_every_settlement_with_one_head_each(seeded):
    per_settlement = dict(Settlement.objects.annotate(n=Count("households")).values_list("code", "n"))
    assert set(per_settlement.values()) == {12}
    heads = Household.objects.annotate(heads=Count("members", filter=Q(members__relation=Relation.HEAD)))
    assert set(heads.values_list("heads", flat=True)) == {1}
    assert Person.objects.count() > 7 * 12 * 2


@pytest.mark.django_db
def test_demo_id_numbers_are_valid_rongjiang_numbers_matching_birth_and_sex(seeded):
    for person in Person.objects.all():
        resident = id_numbers.parse(person.id_number)
        assert person.id_number.startswith(demo.RONGJIANG_AREA_CODE)
        assert (resident.birth_date, resident.sex) == (person.birth_date, person.sex)


@pytest.mark.django_db
def test_demo_users_one_per_role_and_clerks_for_every_administering_body(seeded):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    clerk_units = set(User.objects.filter(role=Role.CLERK).values_list("unit__name", flat=True))
    administering = set(Settlement.objects.values_list("administered_by__name", flat=True))
    assert clerk_units == administering
    assert all(user.check_password(demo.DEMO_PASSWORD) for user in User.objects.all())


@pytest.mark.django_db
def test_demo_twice_changes_nothing(seeded):
    counts = (User.objects.count(), Household.objects.count(), Person.objects.count())
    call_command("seed_demo", households_per_settlement=12, verbosity=0)
    assert (User.objects.count(), Household.objects.count(), Person.objects.count()) == counts


@pytest.mark.django_db
def test_demo_keeps_a_changed_password(seeded):
    office = User.objects.get(username="office")
    office.set_password("Changed-Passw0rd")
    office.save()
    call_command("seed_demo", households_per_settlement=12, verbosity=0)
    office.refresh_from_db()
    assert office.check_password("Changed-Passw0rd")


@pytest.mark.django_db
def test_demo_is_refused_in_production(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG 已关闭"):
        call_command("seed_demo", verbosity=0)
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_demo_records_history_for_its_households(seeded):
    household = Household.objects.first()
    assert household.history.count() == 1
    assert household.history.first().history_user.username == "office"


@pytest.mark.django_db
def test_demo_draws_grids_leaves_a_few_households_out_and_one_building_without_a_head(seeded):
    call_command("seed_demo", households_per_settlement=12, verbosity=0)  # safe twice
    first = Settlement.objects.order_by("sort_order").first()
    shown = grids.structure(settlement=first, day=timezone.localdate())
    governance, security = shown.kinds
    assert len(governance.grids) == len(security.grids) == 1
    assert len(governance.grids[0].members) + 1 > 0  # a grid shows even without members
    assert governance.unassigned_count <= demo_grids.LEFT_OUT and security.unassigned_count == 0
    assert len(shown.headless) == 1
    assert Grid.objects.count() == 2 * Settlement.objects.count()
    assert GridAssignment.objects.filter(end_date__isnull=True).count() == 2 * 12 * 7 - demo_grids.LEFT_OUT * 7
