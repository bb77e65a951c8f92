"""Factories for the points app."""

import datetime as dt

import factory

from points.models import RuleBook, RuleCategory, RuleItem


class RuleBookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleBook

    year = factory.LazyFunction(lambda: dt.date.today().year)
    title = "积分细则"
    adopted_on = factory.LazyFunction(lambda: dt.date(dt.date.today().year, 1, 5))
    adopted_by = "村民代表会议"


class RuleCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleCategory

    rulebook = factory.SubFactory(RuleBookFactory)
    name = factory.Sequence(lambda n: f"社会公德{n}")


class RuleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleItem

    category = factory.SubFactory(RuleCategoryFactory)
    rulebook = factory.LazyAttribute(lambda o: o.category.rulebook)
    code = factory.Sequence(lambda n: f"A{n:03d}")
    name = factory.Sequence(lambda n: f"参加志愿服务{n}")
    points = 10
