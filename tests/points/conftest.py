import pytest

from tests.factories import HouseholdFactory, MembershipFactory
from tests.points.factories import RuleBookFactory, RuleCategoryFactory, RuleItemFactory


@pytest.fixture(autouse=True)
def _english(english):
    """Messages are asserted in their English source, whatever the catalogue."""


@pytest.fixture
def rulebook(village):
    return RuleBookFactory(village=village)


@pytest.fixture
def category(rulebook):
    return RuleCategoryFactory(rulebook=rulebook, name="社会公德")


@pytest.fixture
def good_item(category):
    return RuleItemFactory(
        category=category, code="A01", name="参加志愿服务", points=10
    )


@pytest.fixture
def bad_item(category):
    return RuleItemFactory(category=category, code="B01", name="乱倒垃圾", points=-5)


@pytest.fixture
def veto_item(category):
    return RuleItemFactory(
        category=category, code="V01", name="违法建设", points=-50, is_veto=True
    )


@pytest.fixture
def neighbour(village, grid):
    return HouseholdFactory(village=village, grid=grid, number="LX-002")


@pytest.fixture
def second_committee(village):
    return MembershipFactory(village=village, is_committee=True).user


@pytest.fixture
def committee_in_household(village, household):
    """A committee member who lives in ``household`` (must recuse)."""
    return MembershipFactory(
        village=village, household=household, is_committee=True
    ).user
