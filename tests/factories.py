"""factory_boy factories for the shared apps; other apps keep theirs beside their tests."""

from django.conf import settings as django_settings
from django.utils import timezone

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

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


def wagtail_roots():
    """A transactional test before this one (in this run or, with --reuse-db, the
    last) may have flushed the rows that Wagtail's migrations made."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(
            django_settings.LANGUAGE_CODE
        )
    )
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def double_tap_window_passes():
    """The same form sent again from now on is a new request, not a double tap
    (operations.submissions): what a person does minutes later."""
    from operations.models import Submission

    Submission.objects.all().delete()
