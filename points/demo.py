"""A realistic 千分制 demo: a village's catalogue (four categories, several dozen
items, each household starting from a base of 1,000 in the paper scheme; here the
ledger holds the points earned and deducted) and a few months of entries."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from points.excel import catalogue_import
from points.models import Entry, PointsSettings, RuleBook
from points.services.entries import entry_approve, entry_finalize, entry_record
from villages.models import Household, Membership

# (category, code, item, points, yearly cap, evidence, veto)
CATALOGUE: list[tuple] = [
    ("社会公德", "A01", "参加村组织的志愿服务活动（每次）", 5, 24, True, False),
    ("社会公德", "A02", "参与义务植树、河道清理等公益劳动", 5, 12, True, False),
    ("社会公德", "A03", "见义勇为，受到镇级以上表彰", 100, None, True, False),
    ("社会公德", "A04", "拾金不昧，物归原主", 20, None, False, False),
    ("社会公德", "A05", "无偿献血（每次）", 20, 2, True, False),
    ("社会公德", "A06", "参与矛盾纠纷调解并成功化解", 10, 6, False, False),
    ("社会公德", "A07", "积极参加村民代表会议、议事协商", 3, 12, False, False),
    ("社会公德", "A08", "在公共场所吵闹滋事、影响秩序", -20, None, False, False),
    ("社会公德", "A09", "散布谣言、造成不良影响", -30, None, False, False),
    ("社会公德", "A10", "参与黄赌毒等违法活动", -200, None, True, True),
    ("职业道德", "B01", "诚信经营，获评县级以上诚信经营户", 50, 1, True, False),
    ("职业道德", "B02", "带动本村村民就业（每人）", 10, 10, False, False),
    ("职业道德", "B03", "发展特色产业、创办合作社", 30, 1, True, False),
    ("职业道德", "B04", "按时缴纳医保、养老保险", 10, 1, False, False),
    ("职业道德", "B05", "按时归还贷款，无不良信用记录", 10, 1, False, False),
    ("职业道德", "B06", "销售假冒伪劣产品", -50, None, True, False),
    ("职业道德", "B07", "拖欠工资、恶意欠款", -50, None, False, False),
    ("职业道德", "B08", "非法占用耕地、违规建房", -100, None, True, True),
    ("个人品德", "C01", "子女考入高等院校", 20, None, True, False),
    ("个人品德", "C02", "获评镇级以上先进个人", 30, None, True, False),
    ("个人品德", "C03", "参军入伍", 50, None, True, False),
    ("个人品德", "C04", "移风易俗，婚事新办、丧事简办", 20, None, False, False),
    ("个人品德", "C05", "参加技能培训并取得证书", 10, 2, True, False),
    (
        "个人品德",
        "C06",
        "不文明行为被通报（乱扔垃圾、随地吐痰等）",
        -5,
        None,
        False,
        False,
    ),
    ("个人品德", "C07", "大操大办、铺张浪费", -30, None, False, False),
    ("个人品德", "C08", "醉酒滋事", -20, None, False, False),
    ("个人品德", "C09", "封建迷信活动", -20, None, False, False),
    ("个人品德", "C10", "违法犯罪被依法处理", -300, None, True, True),
    ("家庭美德", "D01", "获评“最美家庭”“文明家庭”", 50, 1, True, False),
    ("家庭美德", "D02", "孝老爱亲，赡养老人", 10, 4, False, False),
    ("家庭美德", "D03", "庭院整洁，门前三包落实", 5, 12, True, False),
    ("家庭美德", "D04", "垃圾分类到位", 3, 12, True, False),
    ("家庭美德", "D05", "邻里和睦，互帮互助", 5, 6, False, False),
    ("家庭美德", "D06", "家庭成员无违法违纪", 10, 1, False, False),
    ("家庭美德", "D07", "庭院脏乱差，屡教不改", -10, None, True, False),
    ("家庭美德", "D08", "不赡养老人、虐待家庭成员", -100, None, False, True),
    ("家庭美德", "D09", "家庭暴力", -50, None, False, False),
    ("家庭美德", "D10", "乱搭乱建、占用公共道路", -20, None, True, False),
]


def catalogue_rows() -> list[dict]:
    return [
        {
            "category": c,
            "code": code,
            "name": name,
            "points": points,
            "cap": cap,
            "evidence": evidence,
            "veto": veto,
        }
        for c, code, name, points, cap, evidence, veto in CATALOGUE
    ]


@transaction.atomic
def seed_points_demo(village, *, seed: int = 7) -> RuleBook:
    """Load the demo catalogue and a few months of reviewed entries. Idempotent:
    a village that already has this year's rules is left as it is."""
    today = timezone.localdate()
    existing = RuleBook.objects.filter(village=village, year=today.year).first()
    if existing is not None:
        return existing
    PointsSettings.objects.get_or_create(village=village)
    committee = list(
        Membership.objects.active()
        .filter(village=village, is_committee=True)
        .select_related("user")
        .order_by("pk")
    )
    if len(committee) < 1:
        raise ValueError("the demo needs a committee member in the village")
    recorder = committee[0].user
    book = catalogue_import(
        village=village,
        year=today.year,
        rows=catalogue_rows(),
        by=recorder,
        adopted_by="村民代表会议",
        adopted_on=dt.date(today.year, 1, 8),
    )
    book.title = f"{village.name}诚信积分细则（千分制）"
    book.save(update_fields=["title"])
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    items = list(book.items.filter(is_veto=False))
    good = [i for i in items if i.points > 0 and i.points <= 20]
    bad = [i for i in items if i.points < 0 and i.points >= -30]
    households = list(
        Household.objects.filter(village=village).select_related("village")
    )
    start = dt.date(today.year, 1, 1)
    days = max((today - start).days, 1)
    for household in households:
        for n in range(rng.randint(1, 6)):
            item = rng.choice(bad if rng.random() < 0.15 else good)
            on = start + dt.timedelta(days=rng.randrange(days))
            if (
                item.cap_per_year
                and Entry.objects.filter(household=household, item=item).count()
                >= item.cap_per_year
            ):
                continue
            entry = (
                entry_record(
                    village=village,
                    household=household,
                    item=item,
                    points=None,
                    occurred_on=on,
                    note="",
                    by=recorder,
                    key=f"demo:{household.pk}:{n}",
                    photos=[],
                )
                if not item.evidence_required
                else _record_demo_evidence(
                    village, household, item, on, recorder, f"demo:{household.pk}:{n}"
                )
            )
            # Nobody reviews their own household's entry (recusal).
            allowed = [m.user for m in committee if m.household_id != household.pk]
            reviewer = next((u for u in allowed if u.pk != recorder.pk), None) or next(
                iter(allowed), None
            )
            if reviewer is None:
                continue
            entry = entry_approve(entry=entry, by=reviewer)
            if rng.random() < 0.85:
                entry_finalize(entry=entry, now=entry.notice_ends_at)
    return book


def _record_demo_evidence(village, household, item, on, by, key) -> Entry:
    """Demo entries for evidence items carry a small generated picture."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from PIL import Image

    from points.images import photo_prepare

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (60, 140, 90)).save(out, "JPEG")
    photo = photo_prepare(SimpleUploadedFile("demo.jpg", out.getvalue()))
    return entry_record(
        village=village,
        household=household,
        item=item,
        points=None,
        occurred_on=on,
        note="",
        by=by,
        key=key,
        photos=[photo],
    )
