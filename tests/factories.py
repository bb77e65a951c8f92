"""factory_boy factories for the shared apps; other apps keep theirs beside their tests."""

from django.utils import timezone

import factory

from accounts.models import User
from villages.models import Area, Grid, Household, Membership, Supervisor, Village


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"村民{n}")
    phone = factory.Sequence(lambda n: f"+86137{n:08d}")
    phone_verified = True
    password = factory.django.Password("correct horse battery")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"青山镇{n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    kind = Area.Kind.TOWNSHIP


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"柳溪村{n}")
    slug = factory.Sequence(lambda n: f"village-{n}")


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}网格")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: f"H{n:04d}")
    grid = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    village = factory.SubFactory(VillageFactory)
    household = None
    birth_year = 1980
    verified_at = factory.LazyFunction(timezone.now)


class SupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisor

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)
