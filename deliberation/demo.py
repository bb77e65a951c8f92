"""Demo data for deliberation: called from the township's demo seed."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from deliberation.models import Phase, Topic
from deliberation.services.comments import comment_add, comment_edit
from deliberation.services.followup import meeting_record, progress_add, rating_add
from deliberation.services.topics import (
    topic_cosign,
    topic_create,
    topic_propose,
    topic_set_phase,
)
from deliberation.services.votes import ballot_cast, vote_create
from villages.models import Membership, Village

ROAD = "村东道路硬化"
COMMENTS = [
    "路早该修了，下雨天电动车都骑不过去。",
    "建议先修到小学门口那一段，孩子上学安全要紧。",
    "资金怎么来？每户要不要出钱，请村委会说清楚。",
    "同意修，但排水沟要一起做，不然几年就坏。",
    "施工期间农用车怎么走？请提前安排便道。",
    "我家门口那段最窄，能不能顺便拓宽一点。",
    "希望工程公开招标，账目在公开栏贴出来。",
    "老人多，路面别做得太滑。",
]
REPLIES = [
    "上级补助一部分，村集体出一部分，不向农户摊派。",
    "赞成，排水一定要做好。",
    "便道已经和二组商量好了。",
]


@transaction.atomic
def seed_deliberation_demo(village: Village) -> Topic:
    """A topic being voted on, with comments and an open vote; a residents'
    proposal collecting co-signatures; a finished project rated by residents.
    Running it again changes nothing."""
    existing = Topic.objects.filter(village=village, title=ROAD).first()
    if existing:
        return existing
    rng = random.Random(village.pk)  # noqa: S311 - demo data, not secrets
    members = list(
        Membership.objects.active()
        .filter(village=village, verified_at__isnull=False)
        .select_related("user", "household")
        .order_by("pk")
    )
    committee = next((m.user for m in members if m.is_committee), None)
    residents = [m for m in members if m.is_resident and not m.is_committee]
    if committee is None or len(residents) < 10:
        raise ValueError("the demo needs a committee member and ten verified residents")
    now = timezone.now()
    today = timezone.localdate()

    road = topic_create(
        village=village,
        by=committee,
        title=ROAD,
        description=(
            "村东主路约1.2公里，目前为土路，雨天泥泞。村两委提议明年春季硬化为水泥路，"
            "路宽4.5米，两侧修排水沟。预计总投资约60万元，其中上级补助40万元，"
            "村集体经济承担20万元，不向农户摊派。请大家提意见，并参加投票。"
        ),
        phase_dates={
            Phase.COLLECTING: (
                today - dt.timedelta(days=10),
                today - dt.timedelta(days=1),
            ),
            Phase.VOTING: (today, today + dt.timedelta(days=7)),
            Phase.IN_PROGRESS: (
                dt.date(today.year + 1, 3, 1),
                dt.date(today.year + 1, 6, 30),
            ),
        },
    )
    threads = []
    for i, text in enumerate(COMMENTS):
        threads.append(
            comment_add(topic=road, by=residents[i % len(residents)].user, body=text)
        )
    for i, text in enumerate(REPLIES):
        comment_add(
            topic=road,
            by=committee if i == 0 else residents[i + 3].user,
            body=text,
            parent=threads[2 + i],
        )
    comment_edit(
        comment=threads[1],
        by=residents[1].user,
        body=COMMENTS[1] + "（补充：学校放学时段别施工。）",
    )

    vote = vote_create(
        topic=road,
        by=committee,
        question="是否同意按上述方案硬化村东道路？",
        kind="yes_no",
        electorate="households",
        rule="villagers",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=7),
        results_live=True,
        is_secret=True,
    )
    options = {o.code: o.pk for o in vote.options.all()}
    reps = [m.user for m in members if m.is_household_rep]
    for user in reps[: max(1, len(reps) // 3)]:
        choice = rng.choices(["yes", "no", "abstain"], weights=[7, 2, 1])[0]
        ballot_cast(vote=vote, voter=user, option_ids=[options[choice]])
    vote_create(
        topic=road,
        by=committee,
        question="路灯安装在哪一段？（可选两项）",
        kind="multiple",
        options=["村口到小学", "小学到卫生室", "卫生室到河边", "文化广场周边"],
        max_choices=2,
        electorate="residents",
        rule="consultation",
        opens_at=now - dt.timedelta(hours=2),
        closes_at=now + dt.timedelta(days=7),
        results_live=False,
    )

    proposal = topic_propose(
        village=village,
        by=residents[0].user,
        title="在文化广场增设健身器材",
        description="晚上跳广场舞和锻炼的人多，希望增加几套健身器材，方便老人和孩子。",
    )
    for m in residents[1:4]:
        topic_cosign(topic=proposal, by=m.user)

    done = topic_create(
        village=village,
        by=committee,
        title="垃圾分类收集点改造",
        description="把村里6个垃圾堆放点改造成带顶棚的分类收集点。",
    )
    meeting_record(
        topic=done,
        by=committee,
        kind="representatives",
        held_on=today - dt.timedelta(days=90),
        place="村委会会议室",
        attendance=28,
        required=24,
        minutes="讨论收集点选址和保洁员安排，与会代表一致同意。",
        decision="改造6个收集点，由保洁员每日清运。",
        publish_decision=True,
    )
    for percent, text in [
        (40, "完成3个收集点的顶棚。"),
        (100, "6个收集点全部完工并投入使用。"),
    ]:
        progress_add(topic=done, by=committee, percent=percent, text=text)
    done = topic_set_phase(topic=done, by=committee, phase=Phase.DONE)
    for m in residents[:6]:
        rating_add(
            topic=done, by=m.user, stars=rng.choice([4, 5, 5, 3]), comment="干净多了"
        )
    return road
