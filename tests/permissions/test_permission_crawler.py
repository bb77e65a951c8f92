"""Every URL of the project, asked for by every role, with GET and with POST.

The URLs come from the URLconf (a new URL is crawled the day it is added, and fails
until POLICY says who may use it); their arguments are filled from one seeded world
(tests/permissions/world.py). POLICY below is the whole access policy: for each URL,
who may GET it and who may POST to it. A cell fails on a server error, on an answer
to someone the table refuses (or a write to the database by their request), and on
a refusal of someone the table allows, so the table is true both ways.

"Refused" is 403, 404, 405, 410 or a redirect to a login page. Someone the table
allows must not be refused. Someone the table refuses must not be served (no 2xx),
must not write to the database and must not see the world's secrets; a redirect with
a message or a 400 is how several views pass a service's refusal on, so it counts
as a refusal when nothing was written. POSTs carry the smallest body that would do
the thing (_post_data()), or none.

Size: 147 rows × 10 roles × GET and POST (2,940 cells); the objects of the other
village through this village's URLs (58 URLs, 1,160 cells); the two admin sites as
groups (102 URLs without arguments, and the admin pages of this village's pages).
"""

from __future__ import annotations

from django.urls import reverse

import pytest

from tests.permissions.crawler import Answer, ask, routes
from tests.permissions.world import ROLES, SECRETS

pytestmark = pytest.mark.django_db

# -- who --------------------------------------------------------------------------
ANON, UNV, RES, REP, GRID, COM, SHOP, MON, SUP, OTH = ROLES
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANON}
MEMBERS = frozenset({UNV, RES, REP, GRID, COM, SHOP, MON})  # of 柳溪村
READERS = MEMBERS | {SUP}  # members and the township
WATCHDOGS = frozenset({COM, MON, SUP})
HOUSEHOLD = frozenset({RES, REP})  # of LX-001, whose entries, vouchers, card...


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


PAGE_KEYS = [
    "page:portal",
    "page:village",
    "page:village/search",
    "page:notices",
    "page:notice",
    "page:notice/print",
    "page:notice/poster",
    "page:notice/versions",
    "page:disclosures",
    "page:disclosure",
    "page:finance",
    "page:finance/export/csv",
    "page:finance/export/xlsx",
]


# -- what: (who may GET, who may POST) per URL name --------------------------------
# The object behind each URL is chosen in _arguments() below: LX-001's entries,
# voucher and card; a report filed by the resident and assigned to the grid worker;
# a topic open for opinions with an open vote; a proposal by another household; ...
P = frozenset  # shorthand for the one-off sets
COMMITTEE = only(COM)
RESIDENTS = frozenset({RES, REP, GRID, COM, MON})  # verified residents (not SHOP)
POLICY: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # Accounts (allauth) and the person's own pages: their own data only.
    "account_login": (EVERYONE, EVERYONE),
    "account_logout": (EVERYONE, EVERYONE),
    "account_signup": (EVERYONE, EVERYONE),  # signed-in people are sent to /me/
    "account_request_login_code": (EVERYONE, EVERYONE),
    "account_confirm_login_code": (SIGNED_IN, SIGNED_IN),  # without a code pending
    "account_reset_password": (EVERYONE, EVERYONE),
    "account_reset_password_done": (EVERYONE, NOBODY),
    "account_reset_password_from_key": (EVERYONE, EVERYONE),
    "account_reset_password_from_key_done": (EVERYONE, NOBODY),
    "account_confirm_email": (EVERYONE, NOBODY),  # a key nobody holds: 404 on POST
    "account_email_verification_sent": (EVERYONE, NOBODY),
    "account_inactive": (EVERYONE, NOBODY),
    "account_change_password": (SIGNED_IN, SIGNED_IN),
    "account_set_password": (SIGNED_IN, SIGNED_IN),
    "account_change_phone": (SIGNED_IN, SIGNED_IN),
    "account_verify_phone": (SIGNED_IN, SIGNED_IN),
    "account_email": (SIGNED_IN, SIGNED_IN),
    "account_reauthenticate": (SIGNED_IN, SIGNED_IN),
    "accounts:me": (SIGNED_IN, SIGNED_IN),
    "privacy:export": (SIGNED_IN, SIGNED_IN),  # one's own data, nobody else's
    "notifications:inbox": (SIGNED_IN, SIGNED_IN),
    "notifications:preferences": (SIGNED_IN, SIGNED_IN),
    "notifications:mark_all_read": (NOBODY, SIGNED_IN),
    "notifications:mark_read": (NOBODY, only(RES)),  # the resident's notification
    # Public: the disclosure site, its files, the language switch, the health check.
    "portal": (EVERYONE, EVERYONE),
    "set_language": (EVERYONE, EVERYONE),
    "operations:healthz": (EVERYONE, NOBODY),
    "wagtailcore_login": (EVERYONE, EVERYONE),
    "wagtaildocs_serve": (EVERYONE, EVERYONE),
    "wagtaildocs_authenticate_with_password": (NOBODY, NOBODY),  # no such restriction
    "wagtailcore_authenticate_with_password": (NOBODY, NOBODY),
    **dict.fromkeys(PAGE_KEYS, (EVERYONE, EVERYONE)),
    # The village's own pages: its members and the township.
    "villages:home": (READERS, NOBODY),
    # Roster (phone numbers): the committee keeps it, the watchdogs read it.
    "roster:list": (WATCHDOGS, NOBODY),
    "roster:export": (WATCHDOGS, NOBODY),
    "roster:import": (COMMITTEE, COMMITTEE),
    "roster:import_detail": (COMMITTEE, NOBODY),
    "roster:import_confirm": (NOBODY, COMMITTEE),
    "privacy:remove": (COMMITTEE, COMMITTEE),
    "audit:log": (WATCHDOGS, NOBODY),
    # Points: every member reads the list and the rules; a household's entries,
    # reasons and photos are for the household, its grid worker and the watchdogs.
    "points:home": (READERS, NOBODY),
    "points:rules": (READERS, NOBODY),
    "points:rules_export": (READERS, NOBODY),
    "points:lists": (READERS, NOBODY),
    "points:household": (HOUSEHOLD | {GRID, COM, MON, SUP}, NOBODY),
    "points:household  (LX-003, in no grid)": (WATCHDOGS, NOBODY),
    "points:photo": (HOUSEHOLD | {GRID, COM, MON, SUP}, NOBODY),
    "points:entry_new": (P({REP, GRID, COM}), P({REP, GRID, COM})),
    "points:appeal_new": (HOUSEHOLD, HOUSEHOLD),
    "points:review": (WATCHDOGS, NOBODY),  # only the committee decides
    "points:entry_review": (NOBODY, COMMITTEE),
    "points:entry_reverse": (NOBODY, COMMITTEE),
    "points:appeal_decide": (NOBODY, COMMITTEE),
    "points:rules_import": (COMMITTEE, COMMITTEE),
    "points:settings": (COMMITTEE, COMMITTEE),
    "points:figures": (WATCHDOGS, NOBODY),
    # The red/black list: a list not yet published is for the committee and the
    # households on it; the household objects to its black line, its representative
    # consents to sharing its red line; the committee runs the rest.
    "points:list": (HOUSEHOLD | WATCHDOGS, NOBODY),  # before publication
    "points:list  (published)": (READERS, NOBODY),
    "points:list_print": (READERS, NOBODY),  # the published list
    "points:list_new": (NOBODY, COMMITTEE),
    "points:list_notify": (NOBODY, COMMITTEE),
    "points:list_publish": (NOBODY, COMMITTEE),
    "points:line_review": (NOBODY, COMMITTEE),
    "points:line_object": (NOBODY, HOUSEHOLD),
    "points:line_consent": (NOBODY, only(REP)),
    "points:task_new": (NOBODY, COMMITTEE),
    "points:task_verify": (NOBODY, COMMITTEE),
    "points:credit_export": (P({COM, SUP}), NOBODY),
    # Shop: members browse; the household takes and holds its vouchers; the
    # shopkeeper works the counter of their own shop; the committee runs the shop;
    # the watchdogs and the shopkeeper read the statements.
    "shop:home": (READERS, NOBODY),
    "shop:shop": (READERS, NOBODY),
    "shop:take": (HOUSEHOLD, HOUSEHOLD),
    "shop:vouchers": (HOUSEHOLD, NOBODY),
    "shop:voucher": (HOUSEHOLD, NOBODY),
    "shop:voucher_cancel": (HOUSEHOLD, HOUSEHOLD),
    "shop:counter": (only(SHOP), only(SHOP)),
    "shop:redeem_code": (only(SHOP), only(SHOP)),
    "shop:confirm": (only(SHOP), only(SHOP)),
    "shop:receipt": (only(SHOP), NOBODY),
    "shop:card": (only(SHOP), only(SHOP)),
    "shop:statement": (WATCHDOGS | {SHOP}, NOBODY),
    "shop:statement_print": (WATCHDOGS | {SHOP}, NOBODY),
    "shop:statement_excel": (WATCHDOGS | {SHOP}, NOBODY),
    "shop:statements": (WATCHDOGS, NOBODY),
    "shop:statement_settle": (COMMITTEE, COMMITTEE),
    "shop:manage": (COMMITTEE, COMMITTEE),
    "shop:shop_new": (COMMITTEE, COMMITTEE),
    "shop:shop_edit": (COMMITTEE, COMMITTEE),
    "shop:product_new": (COMMITTEE, COMMITTEE),
    "shop:product_edit": (COMMITTEE, COMMITTEE),
    "shop:stock": (COMMITTEE, COMMITTEE),
    "shop:cards": (COMMITTEE, NOBODY),
    "shop:card_issue": (COMMITTEE, COMMITTEE),
    "shop:card_revoke": (COMMITTEE, COMMITTEE),
    # Deliberation: members and the township read; verified residents propose,
    # co-sign, comment, vote and rate; the committee runs topics, votes, meetings.
    "deliberation:topics": (READERS, NOBODY),
    "deliberation:topic": (READERS, NOBODY),
    "deliberation:vote": (READERS, RESIDENTS),
    "deliberation:vote_print": (READERS, NOBODY),
    "deliberation:vote_poster": (READERS, NOBODY),
    "deliberation:propose": (RESIDENTS, RESIDENTS),
    "deliberation:cosign": (NOBODY, RESIDENTS),
    "deliberation:comment": (RESIDENTS, RESIDENTS),
    "deliberation:comment_edit": (only(RES), only(RES)),  # the author
    "deliberation:comment_report": (MEMBERS, MEMBERS),
    "deliberation:rate": (NOBODY, RESIDENTS),
    "deliberation:comment_hide": (COMMITTEE, COMMITTEE),
    "deliberation:topic_new": (COMMITTEE, COMMITTEE),
    "deliberation:answer": (NOBODY, COMMITTEE),
    "deliberation:phase": (NOBODY, COMMITTEE),
    "deliberation:dates": (COMMITTEE, COMMITTEE),
    "deliberation:decision": (NOBODY, COMMITTEE),
    "deliberation:vote_new": (COMMITTEE, COMMITTEE),
    "deliberation:vote_edit": (COMMITTEE, COMMITTEE),
    "deliberation:meeting_new": (COMMITTEE, COMMITTEE),
    "deliberation:progress_new": (COMMITTEE, COMMITTEE),
    "deliberation:paper_ballot": (only(GRID), only(GRID)),
    # Reports: members file and see the public ones; a private report is for its
    # filer and its handlers (committee, assignee); the watchdogs see the figures.
    "reports:index": (READERS, NOBODY),
    "reports:new": (MEMBERS, MEMBERS),
    "reports:detail": (P({RES, GRID, COM}), NOBODY),
    "reports:detail  (public, filed by another household)": (MEMBERS, NOBODY),
    "reports:photo": (P({RES, GRID, COM}), NOBODY),
    "reports:me_too": (NOBODY, MEMBERS),  # a public report of another household
    "reports:rate": (NOBODY, only(RES)),
    "reports:progress": (NOBODY, only(GRID)),
    "reports:close": (NOBODY, only(GRID)),
    **{
        f"reports:{name}": (NOBODY, COMMITTEE)
        for name in ("assign", "chase", "escalate", "topic", "award")
    },
    "reports:queue": (COMMITTEE, NOBODY),
    "reports:departments": (COMMITTEE, COMMITTEE),
    "reports:figures": (WATCHDOGS, NOBODY),
    "reports:figures_export": (WATCHDOGS, NOBODY),
    "reports:township": (only(SUP), NOBODY),
    "reports:township_export": (only(SUP), NOBODY),
}


# -- filling the URLs --------------------------------------------------------------
def _arguments(w) -> dict[str, dict[str, object]]:
    """URL name → its arguments, from the world (``village`` and ``shop`` are
    filled for every URL that takes them)."""
    return {
        **_village_arguments(w),
        "notifications:mark_read": {"pk": w.notifications[RES].pk},
        # allauth's links from e-mails, with keys nobody holds.
        "account_confirm_email": {"key": "no-such-key"},
        "account_reset_password_from_key": {"uidb36": "0", "key": "no-such-key"},
        "wagtaildocs_authenticate_with_password": {"restriction_id": 999999},
        "wagtailcore_authenticate_with_password": {
            "page_view_restriction_id": 999999,
            "page_id": w.notice.pk,
        },
        "wagtaildocs_serve": {"0": w.document.pk, "1": w.document.filename},
    }


def _village_arguments(w) -> dict[str, dict[str, object]]:
    """The objects behind the village's URLs (for 柳溪村, or for 桃园村's twin world)."""
    return {
        "roster:import_detail": {"pk": w.roster_import.pk},
        "roster:import_confirm": {"pk": w.roster_import.pk},
        "points:entry_review": {"pk": w.entry_pending.pk},
        "points:entry_reverse": {"pk": w.entry_final.pk},
        "points:appeal_new": {"pk": w.entry_notice.pk},
        "points:appeal_decide": {"pk": w.appeal.pk},
        "points:household": {"number": w.household.number},
        "points:photo": {"pk": w.photo.pk},
        "points:rules_export": {"year": w.rulebook.year},
        "points:list": {"pk": w.ranking.pk},  # told, open for objections
        "points:list_print": {"pk": w.published_list.pk},
        "points:list_notify": {"pk": w.ranking.pk},
        "points:list_publish": {"pk": w.ranking.pk},
        "points:credit_export": {"pk": w.published_list.pk},
        "points:line_review": {"pk": w.black_line.pk},
        "points:line_object": {"pk": w.black_line.pk},  # LX-001's black line
        "points:line_consent": {"pk": w.red_line.pk},  # LX-001's red line
        "points:task_new": {"pk": w.far_black_line.pk},
        "points:task_verify": {"pk": w.task.pk},
        "shop:voucher": {"pk": w.voucher.pk},
        "shop:voucher_cancel": {"pk": w.voucher.pk},
        "shop:card": {"token": w.card_token},
        "shop:card_issue": {"pk": w.household.pk},
        "shop:card_revoke": {"pk": w.household.pk},
        "shop:confirm": {"token": w.voucher_token},
        "shop:receipt": {"pk": w.receipt.pk},
        "shop:product_edit": {"pk": w.product.pk},
        "shop:stock": {"pk": w.product.pk},
        **{
            f"deliberation:{name}": {"pk": w.topic.pk}
            for name in (
                "topic",
                "phase",
                "dates",
                "decision",
                "comment",
                "vote_new",
                "meeting_new",
                "progress_new",
            )
        },
        "deliberation:cosign": {"pk": w.proposal.pk},
        "deliberation:answer": {"pk": w.proposal.pk},
        "deliberation:rate": {"pk": w.done_topic.pk},
        **{
            f"deliberation:comment_{name}": {"pk": w.comment.pk}
            for name in ("edit", "report", "hide")
        },
        **{
            f"deliberation:{name}": {"pk": w.vote.pk}
            for name in (
                "vote",
                "vote_edit",
                "paper_ballot",
                "vote_print",
                "vote_poster",
            )
        },
        **{
            f"reports:{name}": {"pk": w.report.pk}
            for name in (
                "detail",
                "assign",
                "chase",
                "progress",
                "close",
                "rate",
                "escalate",
                "topic",
                "award",
            )
        },
        "reports:me_too": {"pk": w.public_report.pk},
        "reports:photo": {"pk": w.report_photo.pk},
        "privacy:remove": {"pk": w.neighbour_membership.pk},
    }


def _pages(w) -> dict[str, str]:
    """The page tree that Wagtail serves from its catch-all pattern."""
    notice = w.notice.url
    finance = w.finance.url
    return {
        "page:portal": "/",
        "page:village": w.village_page.url,
        "page:village/search": w.village_page.url + "search/?q=投票",
        "page:notices": w.notice_index.url,
        "page:notice": notice,
        "page:notice/print": notice + "print/",
        "page:notice/poster": notice + "poster/",
        "page:notice/versions": notice + f"versions/{w.notice_version.pk}/",
        "page:disclosures": w.disclosure_index.url,
        "page:disclosure": w.disclosure.url,
        "page:finance": finance,
        "page:finance/export/csv": finance + "export/csv/",
        "page:finance/export/xlsx": finance + "export/xlsx/",
    }


def url_for(route, w, given=None) -> str:
    if given is None:
        given = _arguments(w).get(route.key, {})
    values = {}
    for argument in route.arguments:
        if argument in given:
            values[argument] = given[argument]
        elif argument == "village":
            values[argument] = w.village.slug
        elif argument == "shop":
            values[argument] = w.shop.slug
        else:
            raise AssertionError(
                f"{route.key} takes <{argument}>: give it a value in _arguments()"
            )
    positional = [values.pop(a) for a in route.arguments if a.isdigit()]
    return reverse(route.name, args=positional or None, kwargs=values or None)


# -- the crawl ---------------------------------------------------------------------
ALL = [r for r in routes() if not r.is_admin]
SERVE = "wagtail_serve"
# The same URL with another object, where who may use it depends on the object:
# "name  (what is different)".
VARIANT_KEYS = [
    "points:household  (LX-003, in no grid)",
    "points:list  (published)",
    "reports:detail  (public, filed by another household)",
]
KEYS = sorted({r.key for r in ALL if r.key != SERVE}) + PAGE_KEYS + VARIANT_KEYS


def _variant_arguments(w) -> dict[str, dict[str, object]]:
    return {
        "points:household  (LX-003, in no grid)": {"number": w.far.number},
        "points:list  (published)": {"pk": w.published_list.pk},
        "reports:detail  (public, filed by another household)": {
            "pk": w.public_report.pk
        },
    }


def _post_data(w) -> dict[str, dict[str, str]]:
    """What a POST carries where an empty body would stop at the form, so that the
    write check sees the real thing done (or not)."""
    return {
        "points:appeal_new": {"reason": "不服"},
        "points:line_object": {"reason": "我们有异议"},
        "points:line_consent": {"consent": "yes"},
        "deliberation:comment": {"body": "同意"},
        "deliberation:comment_edit": {"body": "改一下"},
        "reports:progress": {"note": "已到现场"},
        "reports:close": {"answer": "已经修好了"},
        "reports:rate": {"rating": "satisfied"},
        "shop:take": {f"qty-{w.product.pk}": "1"},
    }


def crawl(key: str, url: str, world, clients) -> dict[tuple[str, str], Answer]:
    data = _post_data(world).get(key)
    return {
        (role, method): ask(
            clients[role], method, url, data if method == "post" else None
        )
        for method in ("get", "post")
        for role in ROLES
    }


def problems(key, url, answers, expected) -> list[str]:
    found = []
    for (role, method), answer in answers.items():
        may = role in expected[0 if method == "get" else 1]
        cell = f"{method.upper()} {url} as {role}: {answer}"
        if answer.status >= 500:
            found.append(f"server error: {cell}")
        elif may and answer.refused:
            found.append(f"refused, but the table allows: {cell}")
        elif not may and 200 <= answer.status < 300:
            found.append(f"answered, but the table refuses: {cell}")
        if not may:
            if answer.writes:
                found.append(f"refused request wrote: {cell}: {answer.writes[0]}")
            leaked = [s for s in SECRETS if s in answer.body]
            if leaked:
                found.append(f"refused answer shows {leaked[0]!r}: {cell}")
    return found


def observed(answers) -> str:
    def who(method, kind):
        roles = [r for r in ROLES if getattr(answers[r, method], kind)]
        return "{" + ", ".join(roles) + "}"

    return "\n".join(
        f"observed {method.upper()}: served {who(method, 'answered')}, "
        f"turned back {who(method, 'turned_back')}"
        for method in ("get", "post")
    )


@pytest.mark.parametrize("key", KEYS)
def test_every_role_gets_what_the_table_says(key, world, clients):
    assert key in POLICY, f"{key} has no row in POLICY: say who may GET and POST it"
    if key.startswith("page:"):
        url = _pages(world)[key]
    else:
        name = key.split("  ")[0]
        (route,) = [r for r in ALL if r.key == name]
        url = url_for(route, world, _variant_arguments(world).get(key))
    answers = crawl(key, url, world, clients)
    found = problems(key, url, answers, POLICY[key])
    assert not found, "\n".join([*found, observed(answers)])


# The objects of 桃园村 asked for through 柳溪村's addresses (the same URL with the
# other village's entry, vote, voucher...): nobody gets them, whatever their role.
OBJECT_KEYS = sorted(
    r.key
    for r in ALL
    if r.route.startswith("v/<slug:village>/")
    and set(r.arguments) - {"village", "shop", "year"}
)


@pytest.mark.parametrize("key", OBJECT_KEYS)
def test_another_villages_objects_are_out_of_reach(key, world, clients):
    (route,) = [r for r in ALL if r.key == key]
    given = _village_arguments(world.foreign).get(key)
    assert given is not None, f"{key}: give it a value in _village_arguments()"
    url = url_for(route, world, given)
    answers = crawl(key, url, world, clients)
    found = problems(key, url, answers, (NOBODY, NOBODY))
    assert not found, "\n".join([*found, observed(answers)])


def test_the_table_names_only_urls_that_exist():
    assert sorted(set(POLICY) - set(KEYS)) == []


def test_the_walk_reaches_every_part_of_the_project():
    keys = set(KEYS)
    for expected in (
        "villages:home",
        "roster:import_confirm",
        "audit:log",
        "points:appeal_decide",
        "shop:confirm",
        "deliberation:paper_ballot",
        "reports:township",
        "notifications:mark_read",
        "account_login",
        "set_language",
    ):
        assert expected in keys
    assert len([r for r in routes() if r.is_admin]) > 200


# -- the two admin sites, as groups -------------------------------------------------
# Wagtail's admin (/cms/) and Django's admin (/django-admin/) have hundreds of URLs.
# Nobody without admin rights gets any of their pages that take no arguments, and
# nobody but this village's committee gets the admin pages of this village's pages.
# The committees hold Wagtail admin rights (their village's pages); nobody holds
# Django admin rights.
ADMIN = [r for r in routes() if r.is_admin]
ADMIN_PUBLIC = {  # the doors into the admin, open to everyone
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "admin:login",
    "admin:logout",
}
CMS_USERS = frozenset({COM, OTH})
ADMIN_NO_ARGUMENTS = sorted(
    (r for r in ADMIN if not r.arguments and r.key not in ADMIN_PUBLIC),
    key=lambda r: r.key,
)


def admin_url(route) -> str:
    if route.name:
        return reverse(route.name)
    # Unnamed patterns: a plain path, or Wagtail's catch-all regex.
    return "/" + route.route.replace("^.*/$", "no-such-admin-page/")


@pytest.mark.parametrize("route", ADMIN_NO_ARGUMENTS, ids=lambda r: r.key)
def test_admin_pages_refuse_people_without_admin_rights(route, world, clients):
    url = admin_url(route)
    admins = CMS_USERS if route.route.startswith("cms/") else NOBODY
    # Wagtail's /cms/failwhale/ raises on purpose, for the admins who test their
    # error reporting; everyone else must still be refused it.
    admin_methods = () if route.key == "wagtailadmin_error_test" else ("get",)
    answers = {
        (role, method): ask(clients[role], method, url)
        for role in ROLES
        for method in (("get", "post") if role not in admins else admin_methods)
    }
    found = problems(route.key, url, answers, (admins, NOBODY))
    # What a committee may do in Wagtail's own admin is Wagtail's business; here
    # it only must not break.
    found = [f for f in found if "refused, but the table allows" not in f]
    assert not found, "\n".join(found)


def _page_admin_urls(w) -> dict[str, str]:
    """The admin pages of this village's pages, and who may open them (GET)."""
    notice, index = w.notice.pk, w.notice_index.pk
    committee = only(COM)
    urls = {
        reverse("wagtailadmin_pages:edit", args=[notice]): committee,
        reverse("wagtailadmin_pages:edit", args=[w.village_page.pk]): committee,
        reverse("wagtailadmin_pages:edit", args=[w.finance.pk]): committee,
        reverse("wagtailadmin_pages:add_subpage", args=[index]): committee,
        reverse(
            "wagtailadmin_pages:add", args=["notices", "noticepage", index]
        ): committee,
        reverse("wagtailadmin_explore", args=[w.village_page.pk]): committee,
        reverse("wagtailadmin_pages:history", args=[notice]): committee,
        reverse("wagtailadmin_pages:revisions_index", args=[notice]): committee,
    }
    for name in ("delete", "unpublish", "move", "copy", "set_privacy", "lock"):
        # Whatever the committee may do here, nobody else may.
        urls[reverse(f"wagtailadmin_pages:{name}", args=[notice])] = None
    return urls


def test_page_admin_is_for_this_villages_committee_only(world, clients):
    found = []
    for url, may_get in _page_admin_urls(world).items():
        for role in ROLES:
            methods = ("get", "post") if role != COM else ("get",)
            for method in methods:
                answer = ask(clients[role], method, url)
                cell = f"{method.upper()} {url} as {role}: {answer}"
                if answer.status >= 500:
                    found.append(f"server error: {cell}")
                elif role == COM:
                    if may_get and answer.refused:
                        found.append(f"refused, but the committee may: {cell}")
                elif 200 <= answer.status < 300 or answer.writes:
                    found.append(f"answered, but only the committee may: {cell}")
    assert not found, "\n".join(found)
