"""Every form of the site: who posts it, to which URL, and what a valid post looks
like (the base payload that the fuzzer then breaks).

``FORMS`` is checked against the URLconf (test_every_post_endpoint_has_a_fuzz_entry):
a view that takes POST and has neither an entry here nor a reason in ``NOT_FUZZED``
fails that test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from deliberation.models import Electorate, Meeting, Phase, QuorumRule, VoteKind
from deliberation.models.comments import COMMENT_MAX
from deliberation.models.topics import TIMELINE
from notifications.models import Channel, Delivery
from notifications.models import Kind as NoticeKind
from points.images import MAX_PHOTOS
from points.models import PointsSettings
from points.shop.models import Period, Product, Shop
from reports.models import ANSWER_MAX, NOTE_MAX, TEXT_MAX, Rating
from reports.models import Kind as ReportKind
from tests.fuzz.fields import (
    Bool,
    Choice,
    Date,
    DateTime,
    Decimal_,
    Field,
    File,
    Fixed,
    Free,
    Int,
    Items,
    MultiChoice,
    Pk,
    Ref,
    ShopSlug,
    Text,
    Token,
    UrlPart,
    VillageSlug,
    png_bytes,
)
from tests.fuzz.world import CARD_PIN, PASSWORD


@dataclass
class Form:
    url: str
    role: str | None  # an attribute of the world; None: nobody is logged in
    fields: dict[str, Field] = field(default_factory=dict)
    kwargs: dict[str, UrlPart] = field(default_factory=dict)
    variant: str = ""  # tells apart two entries for one URL
    method: str = "post"
    # Tables a refusal may still write to, each for a stated reason.
    writes_on_refusal: frozenset = frozenset()
    # Runs before the request, inside the example's savepoint: (client, world).
    prepare: Callable | None = None
    # For a page outside the URLconf (a Wagtail route): world -> path.
    path: Callable | None = None
    # The base payload is accepted as it is (a success, with a write).
    base_succeeds: bool = True

    @property
    def key(self) -> str:
        return f"{self.url}#{self.variant}" if self.variant else self.url

    def build_path(self, w, kwargs: dict[str, str]) -> str:
        if self.path is not None:
            return self.path(w)
        sentinels = {name: f"9{i}0{i}0{i}9" for i, name in enumerate(kwargs)}
        url = reverse(self.url, kwargs=sentinels)
        for name, value in kwargs.items():
            from urllib.parse import quote

            url = url.replace(sentinels[name], quote(value, safe="%"), 1)
        return url


def v(**kwargs) -> dict[str, UrlPart]:
    return {"village": VillageSlug(), **kwargs}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _today(days=0) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _catalogue_xlsx(w) -> bytes:
    from points.excel import catalogue_export
    from points.models import RuleBook

    return catalogue_export(RuleBook.objects.get(village=w.village))


def _roster_xlsx(w) -> bytes:
    from tests.roster.workbooks import person, workbook_bytes

    return workbook_bytes([person(household="LX-001", grid="第一网格")])


def _pdf(w) -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(w) -> bytes:
    return png_bytes()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHOTO = {"make": _png, "name": "photo.png", "content_type": "image/png"}


def _request_login_code(client, w) -> None:
    """A login code is on its way: the confirm form is what comes next."""
    response = client.post(
        reverse("account_request_login_code"), {"phone": w.household_rep.phone}
    )
    assert response.status_code == 302, response.status_code


def _voucher_code(w) -> tuple[str]:
    return (w.voucher.code,)


BAD_CODES = ("abc", "", "\x00", "1" * 21, "000000", "12 34 5", "１２３４５６")


def _search_path(w) -> str:
    return f"/{w.village.slug}/search/"


def _shop_fields() -> dict[str, Field]:
    return {
        "name": Text(_max(Shop, "name"), value="合作商店"),
        "slug": Choice(
            ("hezuo",),
            value="hezuo",
            junk=(
                "坏 slug",
                "manage",
                "vouchers",
                "cunkou",
                "a/b",
                "x" * 41,
                "",
                "\x00",
            ),
            only_junk=True,  # any other slug is a good one
        ),
        "address": Text(_max(Shop, "address"), required=False, value="村西头"),
        "is_active": Bool(),
        "shopkeepers": Ref("shopkeeper", required=False, extra_forged=("resident",)),
    }


def _product_fields(new: bool) -> dict[str, Field]:
    fields = {
        "name": Text(_max(Product, "name"), value="洗衣皂"),
        "points": Int(1, 100000, value=5),
        "limit_quantity": Int(0, None, required=False, value=2),
        "limit_period": Choice(tuple(Period.values), value=Period.values[0]),
        "is_active": Bool(),
        "weekdays": MultiChoice(tuple("1234567"), value=("1", "3")),
        "photo_upload": File(**PHOTO, required=False),
    }
    if new:
        fields["stock"] = Int(0, 100000, value=20)
    return fields


def _privacy() -> tuple[str, ...]:
    return tuple(
        c for c, _label in PointsSettings._meta.get_field("red_privacy").choices
    )


def _reason(max_length=1000, **kwargs) -> Text:
    return Text(max_length, value="记录有误，当天不在家", **kwargs)


FORMS: list[Form] = [
    # -- accounts (allauth, with our phone field and code form) -------------------
    Form(
        "account_login",
        None,
        {
            "login": Free(value=lambda w: w.household_rep.phone),
            "password": Choice(
                (PASSWORD,),
                value=PASSWORD,
                junk=("", PASSWORD + " ", PASSWORD.upper(), "\x00", "x" * 5000),
            ),
            "remember": Bool(),
        },
    ),
    Form(
        "account_request_login_code",
        None,
        {
            "phone": Choice(
                lambda w: (w.household_rep.phone,),
                junk=(
                    "abc",
                    "1380013800",
                    "+1 555 0100",
                    "+8613000000000",  # nobody's number
                    "１３８００１３８０００\x00",
                    "+86" + "1" * 40,
                    "",
                ),
            )
        },
        base_succeeds=False,  # sends a text, writes no row
    ),
    Form(
        "account_confirm_login_code",
        None,
        {
            "code": Choice(
                ("000000",),
                junk=("", "abc", "12345", "1234567", "\x00", "x" * 5000, "999999a"),
            )
        },
        prepare=_request_login_code,
        base_succeeds=False,  # the real code is random: see accounts tests
    ),
    # -- messages --------------------------------------------------------------
    Form(
        "notifications:mark_read",
        "household_rep",
        {"next": Free()},
        kwargs={"pk": Pk("notification")},
    ),
    Form(
        "notifications:preferences",
        "household_rep",
        {
            **{
                f"{kind}-delivery": Choice(tuple(Delivery.values))
                for kind in NoticeKind.values
            },
            **{
                f"{kind}-channel": Choice(tuple(Channel.values))
                for kind in NoticeKind.values
            },
        },
    ),
    # -- roster ----------------------------------------------------------------
    Form(
        "roster:import",
        "committee",
        {
            "file": File(
                make=_roster_xlsx,
                name="花名册.xlsx",
                content_type=XLSX,
            )
        },
        kwargs=v(),
    ),
    Form(
        "roster:import_confirm",
        "committee",
        kwargs=v(pk=Pk("roster_import")),
        base_succeeds=False,  # the world's import has no file to run
    ),
    # -- points: entries, claims, review, appeals ------------------------------
    Form(
        "points:entry_new",
        "grid_worker",
        {
            "household": Ref("household"),
            "item": Ref("item"),
            "points": Int(-1000, 1000, required=False, value=8),
            "occurred_on": Date(days_from_today=0),
            "note": Text(500, required=False),
            "photos": File(**PHOTO, required=False, multiple=True, too_many=MAX_PHOTOS),
            "key": Text(100, value="fuzz-entry-key"),
        },
        kwargs=v(),
    ),
    Form(
        "points:entry_new",
        "household_rep",
        {
            "household": Ref("household", extra_forged=("household2",)),
            "item": Ref("item"),
            "occurred_on": Date(days_from_today=0),
            "note": Text(500, required=False),
            "key": Text(100, value="fuzz-claim-key"),
        },
        kwargs=v(),
        variant="claim",
    ),
    Form(
        "points:entry_review",
        "committee",
        {
            "action": Choice(("approve", "reject"), value="approve"),
            "reason": Text(1000, required=False),
        },
        kwargs=v(pk=Pk("entry_proposed")),
    ),
    Form(
        "points:entry_reverse",
        "committee",
        {"reason": _reason()},
        kwargs=v(pk=Pk("entry_final")),
    ),
    Form(
        "points:appeal_new",
        "household_rep",
        {"reason": _reason()},
        kwargs=v(pk=Pk("entry_in_notice")),
    ),
    Form(
        "points:appeal_decide",
        "committee",
        {"decision": Choice(("uphold", "reverse")), "reason": _reason()},
        kwargs=v(pk=Pk("appeal")),
    ),
    # -- points: catalogue and settings -----------------------------------------
    Form(
        "points:rules_import",
        "committee",
        {
            "year": Int(2000, 2100, value=timezone.localdate().year + 1),
            "file": File(
                make=_catalogue_xlsx,
                name="积分细则.xlsx",
                content_type=XLSX,
            ),
            "adopted_by": Text(200, required=False, value="村民代表会议"),
            "adopted_on": Date(required=False, days_from_today=-3),
            "minutes": File(
                make=_pdf,
                name="纪要.pdf",
                content_type="application/pdf",
                required=False,
                # The form reads the first bytes: a PDF, JPEG or PNG signature.
                junk=(b"not a pdf", b"PK\x03\x04" + b"\x00" * 40, b"\x00" * 64),
            ),
        },
        kwargs=v(),
    ),
    Form(
        "points:settings",
        "committee",
        {
            "notice_days": Int(1, 365, value=7),
            "objection_days": Int(1, 365, value=7),
            "red_percent": Int(0, 50, value=10),
            "black_percent": Int(0, 50, value=5),
            "red_privacy": Choice(_privacy()),
            "black_privacy": Choice(_privacy()),
            "black_display_days": Int(1, 365, value=30),
            # Bounded by the database column only (wider on SQLite).
            "annual_budget": Int(0, None, required=False, value=5000),
        },
        kwargs=v(),
    ),
    # -- points: the red/black list and credit repair ---------------------------
    Form(
        "points:list_new",
        "committee",
        {
            "period": Choice(("month", "quarter", "year"), value="month"),
            "year": Int(2000, 2100, value=timezone.localdate().year - 1),
            "number": Int(1, 12, required=False, value=3),
        },
        kwargs=v(),
    ),
    Form("points:list_notify", "committee", kwargs=v(pk=Pk("ranking"))),
    Form(
        "points:list_publish",
        "committee",
        kwargs=v(pk=Pk("notified_ranking")),
        base_succeeds=False,  # objections are still open: a refusal by the service
    ),
    Form(
        "points:line_review",
        "committee",
        {"action": Free(value="keep"), "reason": _reason()},
        kwargs=v(pk=Pk("black_line")),
    ),
    Form(
        "points:line_object",
        "neighbour",
        {"reason": _reason()},
        kwargs=v(pk=Pk("notified_black_line")),
    ),
    Form(
        "points:line_consent",
        "household_rep",
        {"consent": Free(value="yes")},
        kwargs=v(pk=Pk("red_line")),
    ),
    Form(
        "points:task_new",
        "committee",
        {
            "description": Text(200, value="打扫村道三次"),
            "hours": Int(1, 500, required=False, value=6),
        },
        kwargs=v(pk=Pk("black_line")),
    ),
    Form("points:task_verify", "committee", kwargs=v(pk=Pk("task"))),
    # -- shop: villagers ---------------------------------------------------------
    Form(
        "shop:take",
        "household_rep",
        {"items": Items()},
        kwargs=v(shop=ShopSlug()),
    ),
    Form("shop:voucher_cancel", "household_rep", kwargs=v(pk=Pk("voucher"))),
    # -- shop: the counter -------------------------------------------------------
    Form(
        "shop:counter",
        "shopkeeper",
        {"code": Choice(_voucher_code, junk=BAD_CODES)},
        kwargs=v(shop=ShopSlug()),
        base_succeeds=False,  # shows the voucher, writes nothing: see the shop tests
    ),
    Form(
        "shop:redeem_code",
        "shopkeeper",
        {
            "code": Choice(_voucher_code, junk=BAD_CODES),
            # The voucher the confirm page showed; a value that is not an id is
            # ignored (the code decides), so it cannot break the request.
            "voucher": Free(value=lambda w: str(w.voucher.pk)),
        },
        kwargs=v(shop=ShopSlug()),
    ),
    Form(
        "shop:confirm",
        "shopkeeper",
        {"ticket": Free()},
        kwargs=v(shop=ShopSlug(), token=Token("voucher_token")),
    ),
    Form(
        "shop:card",
        "shopkeeper",
        {
            "shop": Free(value="cunkou"),
            "pin": Choice(
                (CARD_PIN,),
                value=CARD_PIN,
                junk=("", "0000", "123456", "abcdef", "４８２９１５", "\x00", "9" * 50),
            ),
            "items": Items(),
        },
        kwargs=v(token=Token("card_token")),
        # A wrong PIN is counted on the card (it locks after a few): that is the
        # point of counting, not a stray write.
        writes_on_refusal=frozenset({"shop_householdcard"}),
    ),
    # -- shop: statements and the committee ------------------------------------
    Form(
        "shop:statement_settle",
        "committee",
        {
            "month": Free(
                value=(timezone.localdate().replace(day=1) - dt.timedelta(1)).strftime(
                    "%Y-%m"
                )
            ),
            "note": Text(200, required=False, value="现金结清"),
        },
        kwargs=v(shop=ShopSlug()),
        base_succeeds=False,  # last month has no redemptions in the world
    ),
    Form(
        "shop:manage",
        "committee",
        {
            "yuan_per_point": Decimal_(0, 9999, value="0.5000"),
            "voucher_hours": Int(1, 72, required=False, value=24),
            # Bounded by the database columns only (wider on SQLite).
            "card_daily_cap": Int(0, None, required=False, value=200),
            "card_pin_attempts": Int(0, None, value=5),
        },
        kwargs=v(),
    ),
    Form("shop:shop_new", "committee", _shop_fields(), kwargs=v()),
    Form("shop:shop_edit", "committee", _shop_fields(), kwargs=v(shop=ShopSlug())),
    Form(
        "shop:product_new",
        "committee",
        _product_fields(new=True),
        kwargs=v(shop=ShopSlug()),
    ),
    Form(
        "shop:product_edit",
        "committee",
        _product_fields(new=False),
        kwargs=v(shop=ShopSlug(), pk=Pk("product")),
    ),
    Form(
        "shop:stock",
        "committee",
        {"delta": Int(-100000, 100000, value=12), "reason": Text(200, value="进货")},
        kwargs=v(shop=ShopSlug(), pk=Pk("product")),
    ),
    Form(
        "shop:card_issue",
        "committee",
        {
            "pin": Choice(
                ("739164",),
                junk=("", "12", "1234567", "abcd", "\x00", "１２３", "x" * 500),
            ),
            "pin_again": Choice(("739164",), junk=("", "739165", "\x00")),
        },
        kwargs=v(pk=Pk("household")),
    ),
    Form("shop:card_revoke", "committee", kwargs=v(pk=Pk("household2"))),
    # -- deliberation: topics ------------------------------------------------------
    Form(
        "deliberation:topic_new",
        "committee",
        {
            "title": Text(120, value="修缮村口凉亭"),
            "description": Text(10000, value="凉亭屋顶漏雨，请大家出主意。"),
            "collecting_until": Date(required=False, days_from_today=14),
            "attachment": File(
                **PHOTO,
                required=False,
                content_checked=False,
                bad_names=("x.exe", "x.svg", "x.html", "no-extension"),
            ),
            "caption": Text(120, required=False, value="现场照片"),
        },
        kwargs=v(),
    ),
    Form(
        "deliberation:propose",
        "resident",
        {
            "title": Text(120, value="村口装路灯"),
            "description": Text(10000, value="晚上太黑，老人出门不便。"),
        },
        kwargs=v(),
    ),
    Form("deliberation:cosign", "household_rep", kwargs=v(pk=Pk("proposal"))),
    Form(
        "deliberation:answer",
        "committee",
        {
            "accept": Choice(("1", "0")),
            "answer": Text(4000, required=False, value="下次会议讨论"),
        },
        kwargs=v(pk=Pk("proposal")),
    ),
    Form(
        "deliberation:phase",
        "committee",
        {
            "phase": Choice(
                tuple(
                    p.value for p in Phase if p not in (Phase.PROPOSED, Phase.DECLINED)
                ),
                value=Phase.VOTING.value,
                junk=(Phase.PROPOSED.value, Phase.DECLINED.value),
            ),
            "note": Text(300, required=False, value="开始投票"),
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:dates",
        "committee",
        {
            **{
                f"{phase}_start": Date(required=False, days_from_today=i * 10)
                for i, phase in enumerate(TIMELINE)
            },
            **{
                f"{phase}_end": Date(required=False, days_from_today=i * 10 + 5)
                for i, phase in enumerate(TIMELINE)
            },
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:decision",
        "committee",
        {"decision": Text(10000, value="先修东段，明年修西段。")},
        kwargs=v(pk=Pk("topic")),
    ),
    # -- deliberation: comments ------------------------------------------------
    Form(
        "deliberation:comment",
        "household_rep",
        {
            "body": Text(COMMENT_MAX, value="同意先修东段"),
            "reply": Ref("comment", required=False),
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:comment_edit",
        "household_rep",
        {"body": Text(COMMENT_MAX, value="改一下：同意先修西段")},
        kwargs=v(pk=Pk("comment")),
    ),
    Form("deliberation:comment_report", "resident", kwargs=v(pk=Pk("comment"))),
    Form(
        "deliberation:comment_hide",
        "committee",
        {"reason": Text(200, value="人身攻击")},
        kwargs=v(pk=Pk("comment")),
    ),
    # -- deliberation: votes -------------------------------------------------------
    Form(
        "deliberation:vote",
        "household_rep",
        {
            "choice": Ref("yes_option", extra_forged=("multi_option",)),
            "receipt": Choice(
                ("",),
                value="",
                junk=("abc", "\x00", "x" * 41, "!!!!!!!!!!!!!!!!!!!!"),
                required=False,
            ),
        },
        kwargs=v(pk=Pk("vote")),
    ),
    Form(
        "deliberation:vote",
        "household_rep",
        {
            "choice": MultiChoice(
                lambda w: [o.pk for o in w.multi_options],
                value=lambda w: [w.multi_options[0].pk],
                junk=lambda w: [
                    str(w.yes_option.pk),
                    str(w.other.multi_options[0].pk),
                    *[str(o.pk) for o in w.multi_options],  # three: at most two
                ],
            )
        },
        kwargs=v(pk=Pk("multi_vote")),
        variant="multiple",
    ),
    Form(
        "deliberation:vote_new",
        "committee",
        {
            "question": Text(200, value="是否同意修缮凉亭？"),
            "kind": Choice(tuple(VoteKind.values), value=VoteKind.YES_NO.value),
            "options": Text(3000, required=False, value="东段\n西段"),
            "max_choices": Int(1, 50, value=1),
            "electorate": Choice(tuple(Electorate.values)),
            "rule": Choice(tuple(QuorumRule.values)),
            "opens_at": DateTime(hours_from_now=1),
            "closes_at": DateTime(hours_from_now=72),
            "results_live": Bool(),
            "is_secret": Bool(),
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:vote_edit",
        "committee",
        {
            "question": Text(200, value="是否同意硬化村东道路？"),
            # The vote's own opening time: it is locked once voting started, and
            # "an hour ago" computed now drifts from it on a slow machine.
            "opens_at": DateTime(of=lambda w: w.vote.opens_at),
            "closes_at": DateTime(hours_from_now=100),
            "results_live": Bool(),
            "is_secret": Bool(),
        },
        kwargs=v(pk=Pk("vote")),
    ),
    Form(
        "deliberation:paper_ballot",
        "grid_worker",
        {
            "voter": Ref("neighbour", extra_forged=("shopkeeper",)),
            "choice": Ref("yes_option", extra_forged=("multi_option",)),
            "consent_note": Text(300, value="12月3日上门询问，本人签字"),
        },
        kwargs=v(pk=Pk("vote")),
    ),
    # -- deliberation: follow-up ----------------------------------------------------
    Form(
        "deliberation:meeting_new",
        "committee",
        {
            "kind": Choice(tuple(Meeting.Kind.values)),
            "held_on": Date(days_from_today=-1),
            "place": Text(120, value="村委会议室"),
            "attendance": Int(0, 100000, value=40),
            "required": Int(0, 100000, value=30),
            "minutes": Text(20000, value="讨论修路方案"),
            "decision": Text(10000, required=False, value="先修东段"),
            "publish_decision": Bool(),
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:progress_new",
        "committee",
        {
            "percent": Int(0, 100, value=40),
            "text": Text(4000, value="路基已完成"),
            "photo": File(
                **PHOTO,
                required=False,
                content_checked=False,
                bad_names=("x.pdf", "x.gif", "no-extension"),
            ),
        },
        kwargs=v(pk=Pk("topic")),
    ),
    Form(
        "deliberation:rate",
        "household_rep",
        {
            "stars": Choice(("5", "4", "3", "2", "1"), junk=("0", "6", "５")),
            "comment": Text(500, required=False, value="修得好"),
        },
        kwargs=v(pk=Pk("done_topic")),
    ),
    # -- reports -------------------------------------------------------------------
    Form(
        "reports:new",
        "resident",
        {
            "kind": Choice(tuple(ReportKind.values)),
            "text": Text(TEXT_MAX, value="桥头的护栏断了"),
            "photos": File(**PHOTO, required=False, multiple=True, too_many=5),
            "place": Text(200, required=False, value="东头桥"),
            "latitude": Decimal_(-90, 90, required=False, value="30.123456"),
            "longitude": Decimal_(-180, 180, required=False, value="120.654321"),
            "is_public": Bool(),
        },
        kwargs=v(),
    ),
    Form(
        "reports:assign",
        "committee",
        {
            "assignee": Choice(
                lambda w: (f"u{w.grid_worker.pk}", f"d{w.department.pk}"),
                junk=lambda w: (
                    f"u{w.other.grid_worker.pk}",
                    f"d{w.other.department.pk}",
                    f"u{w.resident.pk}",  # not someone a report goes to
                    "u987654321",
                    "d987654321",
                    "u",
                    "x1",
                    "uabc",
                    "d-1",
                ),
            ),
            "due_on": Date(
                days_from_today=5,
                out_of_range=(_today(-1), _today(400), "0001-01-01", "9999-12-31"),
            ),
            "note": Text(NOTE_MAX, required=False, value="三天内处理"),
        },
        kwargs=v(pk=Pk("report_new")),
    ),
    Form(
        "reports:chase",
        "committee",
        {"note": Text(NOTE_MAX, required=False, value="请尽快")},
        kwargs=v(pk=Pk("report_assigned")),
    ),
    Form(
        "reports:progress",
        "grid_worker",
        {"note": Text(NOTE_MAX, value="已联系施工队")},
        kwargs=v(pk=Pk("report_assigned")),
    ),
    Form(
        "reports:close",
        "grid_worker",
        {"answer": Text(ANSWER_MAX, value="路灯已经修好")},
        kwargs=v(pk=Pk("report_assigned")),
    ),
    Form(
        "reports:rate",
        "resident",
        {
            "rating": Choice(tuple(Rating.values)),
            "comment": Text(500, required=False, value="很快"),
        },
        kwargs=v(pk=Pk("report_closed")),
    ),
    Form(
        "reports:escalate",
        "committee",
        {"note": Text(NOTE_MAX, value="涉及镇里的河道")},
        kwargs=v(pk=Pk("report_new")),
    ),
    Form("reports:me_too", "neighbour", kwargs=v(pk=Pk("report_public"))),
    Form(
        "reports:topic",
        "committee",
        kwargs=v(pk=Pk("report_public")),
        base_succeeds=False,  # too few "me too" yet: a refusal by the service
    ),
    Form(
        "reports:award",
        "committee",
        {"item": Ref("item", extra_forged=("bad_item",))},
        kwargs=v(pk=Pk("report_closed")),
    ),
    Form(
        "reports:departments",
        "committee",
        {"name": Text(60, value="镇派出所")},
        kwargs=v(),
    ),
    Form(
        "reports:departments",
        "committee",
        {
            "action": Fixed(value="settings"),
            "due_days": Int(1, 365, value=7),
            "topic_threshold": Int(1, 1000, value=10),
            "remind_every_days": Int(1, 365, required=False, value=3),
        },
        kwargs=v(),
        variant="settings",
    ),
    Form(
        "reports:departments",
        "committee",
        {"action": Fixed(value="retire"), "department": Ref("department")},
        kwargs=v(),
        variant="retire",
    ),
    # -- personal data -----------------------------------------------------------
    Form("privacy:remove", "committee", kwargs=v(pk=Pk("leaver"))),
    # -- the disclosure site's search (a Wagtail route, GET) ---------------------
    Form(
        "cms_home:search",
        "resident",
        {"q": Text(None, required=False, value="投票")},
        method="get",
        path=_search_path,
        base_succeeds=False,  # reading: writes nothing either way
    ),
]

# Views that take POST and are not fuzzed here, each with the reason.
NOT_FUZZED = {
    "notifications:mark_all_read": "takes no input at all: nothing to break (it "
    "only marks the person's own inbox read); posted in test_notifications",
    "privacy:export": "takes no input at all: the person's own data, rate-limited",
    "account_logout": "allauth's; takes no input",
    "account_signup": "closed: people join through the roster (is_open_for_signup)",
    "account_reauthenticate": "allauth's own form, not a login form",
    "account_email": "no e-mail addresses: ACCOUNT_USER_MODEL_EMAIL_FIELD is None",
    "account_change_password": "allauth's own form, not a login form",
    "account_set_password": "allauth's own form, not a login form",
    "account_reset_password": "allauth's own form, not a login form",
    "account_reset_password_from_key": "allauth's own form, not a login form",
    "account_confirm_email": "no e-mail addresses",
    "account_change_phone": "allauth's own form, not a login form",
    "set_language": "Django's own view",
    "wagtailcore_authenticate_with_password": "Wagtail's page-password form; no "
    "page of ours is password-protected",
    "wagtailcore_login": "Wagtail's; the site logs in through allauth",
}
