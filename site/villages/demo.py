"""A demo township of two villages, so `make run` shows a living site.

Everything is deterministic (a seeded random generator), so the demo phone
numbers below are the same on every machine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from villages.models import (
    Area,
    Grid,
    Household,
    Membership,
    Relation,
    Supervisor,
    Village,
)

DEMO_PASSWORD = "xiangyue-demo"  # noqa: S105 - printed on purpose: demo accounts only

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建国建华志强海燕红梅春花国庆文斌德胜淑珍凤英金凤小红"


@dataclass(frozen=True)
class DemoPerson:
    phone: str
    name: str
    village: str | None  # slug; None for the township supervisor
    place: str
    roles: tuple[str, ...]
    what: str


DEMO_PEOPLE = [
    DemoPerson(
        "13900000001",
        "王建国",
        "liuxi",
        "柳溪村",
        ("committee", "household_rep"),
        "村两委（村支书）",
    ),
    DemoPerson(
        "13900000002", "李秀英", "liuxi", "柳溪村", ("committee",), "村两委（文书）"
    ),
    DemoPerson(
        "13900000003", "张伟", "liuxi", "柳溪村", ("grid_worker",), "网格员（第一网格）"
    ),
    DemoPerson(
        "13900000004", "陈芳", "liuxi", "柳溪村", ("shopkeeper",), "积分超市店主"
    ),
    DemoPerson(
        "13900000005",
        "刘洋",
        "liuxi",
        "柳溪村",
        ("household_rep", "villager_rep"),
        "户代表、村民代表",
    ),
    DemoPerson("13900000006", "赵敏", "liuxi", "柳溪村", (), "村民"),
    DemoPerson(
        "13900000007", "孙丽", "liuxi", "柳溪村", ("monitor",), "村务监督委员会"
    ),
    DemoPerson(
        "13900000011",
        "周海燕",
        "taoyuan",
        "桃园村",
        ("committee", "household_rep"),
        "村两委（村主任）",
    ),
    DemoPerson(
        "13900000012",
        "吴志强",
        "taoyuan",
        "桃园村",
        ("grid_worker",),
        "网格员（第一网格）",
    ),
    DemoPerson(
        "13900000013", "郑桂兰", "taoyuan", "桃园村", ("shopkeeper",), "积分超市店主"
    ),
    DemoPerson(
        "13900000015", "何文斌", "taoyuan", "桃园村", ("household_rep",), "户代表"
    ),
    DemoPerson(
        "13900000099", "周强", None, "青山镇", ("supervisor",), "青山镇督导（只读）"
    ),
]

VILLAGES = [("liuxi", "柳溪村", "LX"), ("taoyuan", "桃园村", "TY")]
GRIDS = ["第一网格", "第二网格", "第三网格", "第四网格"]
HOUSEHOLDS_PER_VILLAGE = 150


def _e164(local: str) -> str:
    return f"+86{local}"


def seed_demo() -> bool:
    """Create the demo township once; return False if it already exists. The
    disclosure site, points and deliberation demo content is added (once) either
    way."""
    from cms_home.demo import seed_disclosure
    from deliberation.demo import seed_deliberation_demo
    from points.demo import seed_points_demo
    from points.shop.demo import seed_shop_demo
    from reports.demo import seed_reports_demo

    created = _seed_people()
    seed_disclosure()
    for village in Village.objects.filter(area__slug="qingshan"):
        seed_points_demo(village)
        seed_shop_demo(village)
        seed_deliberation_demo(village)
        seed_reports_demo(village)
    return created


@transaction.atomic
def _seed_people() -> bool:
    if Area.objects.filter(slug="qingshan").exists():
        return False
    rng = random.Random(20261122)  # noqa: S311 - demo data, not security
    now = timezone.now()
    county = Area.objects.create(name="清河县", slug="qinghe", kind=Area.Kind.COUNTY)
    area = Area.objects.create(
        name="青山镇", slug="qingshan", kind=Area.Kind.TOWNSHIP, parent=county
    )
    demo_password = make_password(DEMO_PASSWORD)
    unusable = make_password(None)
    next_phone = 15000000001

    for slug, name, prefix in VILLAGES:
        village = Village.objects.create(area=area, name=name, slug=slug)
        grids = Grid.objects.bulk_create(Grid(village=village, name=g) for g in GRIDS)
        households = Household.objects.bulk_create(
            Household(
                village=village, number=f"{prefix}-{i:03d}", grid=grids[(i - 1) % 4]
            )
            for i in range(1, HOUSEHOLDS_PER_VILLAGE + 1)
        )
        demo_here = [p for p in DEMO_PEOPLE if p.village == slug]
        users: list[User] = []
        memberships: list[tuple[int, dict]] = []
        # Named demo people first: the household representatives take the first
        # households, the other residents join one of them.
        rep_households = iter(households)
        for person in demo_here:
            user = User(
                username=f"demo{person.phone}",
                name=person.name,
                phone=_e164(person.phone),
                phone_verified=True,
                password=demo_password,
            )
            users.append(user)
            fields: dict = {f"is_{r}": True for r in person.roles}
            if "household_rep" in person.roles:
                household = next(rep_households)
                fields.update(
                    household=household, grid=household.grid, relation=Relation.HEAD
                )
            elif "shopkeeper" in person.roles:
                fields.update(is_resident=True)
            elif "grid_worker" in person.roles:
                fields.update(grid=grids[0])
            else:
                household = households[1]
                fields.update(
                    household=household, grid=household.grid, relation=Relation.CHILD
                )
            fields["birth_year"] = rng.randint(1960, 1995)
            memberships.append((len(users) - 1, fields))
        # Everyone else: a head (the household representative) and family members.
        taken = {
            m[1].get("household").pk
            for m in memberships
            if m[1].get("is_household_rep")
        }
        for number, household in enumerate(households):
            family = (
                [Relation.SPOUSE]
                if household.pk in taken
                else [Relation.HEAD, Relation.SPOUSE]
            )
            family += rng.sample(
                [Relation.CHILD, Relation.CHILD, Relation.PARENT], rng.randint(0, 2)
            )
            for relation in family:
                user = User(
                    username=f"demo{next_phone}",
                    name=rng.choice(SURNAMES)
                    + rng.choice(GIVEN)
                    + rng.choice(["", rng.choice(GIVEN)]),
                    phone=_e164(str(next_phone)),
                    phone_verified=True,
                    password=unusable,
                )
                next_phone += 1
                users.append(user)
                year = {
                    Relation.HEAD: rng.randint(1950, 1990),
                    Relation.SPOUSE: rng.randint(1950, 1992),
                    Relation.PARENT: rng.randint(1935, 1955),
                    Relation.CHILD: rng.randint(1985, 2018),
                }[relation]
                memberships.append(
                    (
                        len(users) - 1,
                        {
                            "household": household,
                            "grid": household.grid,
                            "relation": relation,
                            "birth_year": year,
                            "is_household_rep": relation == Relation.HEAD,
                            # 村民代表: about one for every five households
                            "is_villager_rep": relation == Relation.HEAD
                            and number % 5 == 0,
                        },
                    )
                )
        User.objects.bulk_create(users)
        saved = {
            u.username: u
            for u in User.objects.filter(username__in=[u.username for u in users])
        }
        Membership.objects.bulk_create(
            Membership(
                user=saved[users[i].username],
                village=village,
                verified_at=now,
                **fields,
            )
            for i, fields in memberships
        )

    for person in DEMO_PEOPLE:
        if person.village is None:
            user = User.objects.create(
                username=f"demo{person.phone}",
                name=person.name,
                phone=_e164(person.phone),
                phone_verified=True,
                password=demo_password,
            )
            Supervisor.objects.create(user=user, area=area)
    return True
