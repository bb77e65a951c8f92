"""Reads for a person's data export and for removing a person.

Each export read is one query (two with a prefetch), whatever the length of the
person's history; the export's test pins the total.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from villages.models import Household, Membership, Village


def person_memberships(*, user) -> list[Membership]:
    """Every membership of the person, the ended ones too."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("village", "household", "grid")
        .order_by("village__name", "pk")
    )


def person_households(memberships: list[Membership]) -> list[Household]:
    """Households the person belongs to now: what they may see as their own."""
    return [m.household for m in memberships if m.left_at is None and m.household_id]


def household_members(*, households: list[Household]) -> QuerySet[Membership]:
    """Active members of the person's own households, as the roster shows them."""
    return (
        Membership.objects.active()
        .filter(household__in=households)
        .select_related("user", "household", "village")
        .order_by("village__name", "household__number", "relation", "pk")
    )


def person_supervisions(*, user):
    from villages.models import Supervisor

    return Supervisor.objects.filter(user=user).select_related("area")


def person_email_addresses(*, user):
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user).order_by("pk")


def household_points_entries(*, households: list[Household]):
    from points.models import Entry

    return (
        Entry.objects.filter(household__in=households)
        .select_related(
            "village",
            "household",
            "item",
            "item__category",
            "recorded_by",
            "reviewed_by",
        )
        .annotate(photo_count=Count("photos"))
        .order_by("village__name", "-occurred_on", "-pk")
    )


def person_appeals(*, user, households: list[Household]):
    """Appeals the person filed, and those about their household's entries."""
    from points.models import Appeal

    return (
        Appeal.objects.filter(Q(filed_by=user) | Q(entry__household__in=households))
        .select_related(
            "entry",
            "entry__item",
            "entry__household",
            "entry__village",
            "filed_by",
            "decided_by",
        )
        .order_by("-filed_at", "-pk")
    )


def household_accounts(*, households: list[Household]):
    from points.models import Account

    return Account.objects.filter(household__in=households).select_related(
        "household", "village"
    )


def household_holds(*, households: list[Household]) -> dict[int, int]:
    from points.shop.models import HouseholdHold

    return dict(
        HouseholdHold.objects.filter(household__in=households).values_list(
            "household_id", "held"
        )
    )


def household_transactions(*, households: list[Household]):
    """The ledger's transactions of the households, each with what it did to the
    household's own account."""
    from points.models import Transaction

    return (
        Transaction.objects.filter(household__in=households)
        .select_related("village", "household", "entry", "entry__item")
        .annotate(
            household_amount=Sum(
                "postings__amount", filter=Q(postings__account__kind="household")
            )
        )
        .order_by("village__name", "seq")
    )


def household_list_lines(*, households: list[Household]):
    """Lines of the red/black lists about the households, once the household has
    been told (objections open) or the list is published."""
    from points.models import ListLine, RepairTask

    return (
        ListLine.objects.filter(
            household__in=households,
            ranking__status__in=["objection", "published"],
        )
        .select_related("ranking", "ranking__village", "household")
        .prefetch_related(
            Prefetch("repair_tasks", queryset=RepairTask.objects.order_by("pk"))
        )
        .order_by("-ranking__ends_on", "pk")
    )


def household_vouchers(*, households: list[Household]):
    from points.shop.models import Voucher, VoucherLine

    return (
        Voucher.objects.filter(household__in=households)
        .select_related("shop", "household", "village", "redeemed_by")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=VoucherLine.objects.select_related("product").order_by("pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def household_cards(*, households: list[Household]):
    # Never the token or PIN hash: only the columns the export shows are read.
    from points.shop.models import HouseholdCard

    return (
        HouseholdCard.objects.filter(household__in=households)
        .select_related("household", "village")
        .only(
            "household",
            "village",
            "household__number",
            "village__name",
            "issued_at",
            "failed_attempts",
            "locked_at",
            "revoked_at",
        )
        .order_by("-issued_at", "-pk")
    )


def person_shops_kept(*, user):
    from points.shop.models import Shop

    return Shop.objects.filter(shopkeepers=user).select_related("village")


def person_comments(*, user):
    from deliberation.models import Comment, CommentRevision

    return (
        Comment.objects.filter(author=user)
        .select_related("topic", "topic__village")
        .prefetch_related(
            Prefetch(
                "revisions", queryset=CommentRevision.objects.order_by("replaced_at")
            )
        )
        .order_by("created_at", "pk")
    )


def person_topics(*, user):
    from deliberation.models import Topic

    return (
        Topic.objects.filter(created_by=user)
        .select_related("village")
        .order_by("created_at", "pk")
    )


def person_cosignatures(*, user):
    from deliberation.models import CoSignature

    return (
        CoSignature.objects.filter(user=user)
        .select_related("topic", "topic__village")
        .order_by("created_at", "pk")
    )


def person_comment_flags(*, user):
    from deliberation.models import CommentReport

    return (
        CommentReport.objects.filter(reporter=user)
        .select_related("comment__topic", "comment__topic__village")
        .order_by("created_at", "pk")
    )


def person_participations(*, user):
    """That the person took part: never what they chose (there is no link)."""
    from deliberation.models import Participation

    return (
        Participation.objects.filter(voter=user)
        .select_related("vote", "vote__village", "vote__topic", "recorded_by")
        .order_by("voted_on", "vote_id")
    )


def person_paper_ballots_recorded(*, user):
    """Paper ballots the person recorded for others: the vote and the day, and
    how many; never who voted."""
    from deliberation.models import Participation

    return (
        Participation.objects.filter(recorded_by=user)
        .exclude(voter=user)
        .values("vote__question", "vote__village__name", "voted_on")
        .annotate(count=Count("pk"))
        .order_by("voted_on", "vote__question")
    )


def person_ratings(*, user):
    from deliberation.models import Rating

    return (
        Rating.objects.filter(user=user)
        .select_related("topic", "topic__village")
        .order_by("created_at", "pk")
    )


def person_reports(*, user):
    from reports.models import Report, ReportEvent, ReportPhoto

    return (
        Report.objects.filter(filer=user)
        .select_related("village")
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("pk")),
            Prefetch("events", queryset=ReportEvent.objects.order_by("at", "pk")),
        )
        .order_by("filed_at", "pk")
    )


def person_me_too(*, user):
    from reports.models import MeToo

    return (
        MeToo.objects.filter(user=user)
        .select_related("report", "report__village")
        .order_by("at", "pk")
    )


def person_notifications(*, user):
    from notifications.models import Notification

    return (
        Notification.objects.filter(recipient=user)
        .select_related("village")
        .order_by("created_at", "pk")
    )


def person_preferences(*, user) -> dict[str, tuple[str, str]]:
    from notifications.selectors import preferences_for

    return preferences_for(user=user)


def person_audit_entries(*, user, memberships: list[Membership]):
    """Rows where the person acted, or that are about their account or one of
    their memberships."""
    from audit.models import AuditEntry

    about = Q(target_type="accounts.User", target_id=str(user.pk))
    if memberships:
        about |= Q(
            target_type="villages.Membership",
            target_id__in=[str(m.pk) for m in memberships],
        )
    return (
        AuditEntry.objects.filter(Q(actor=user) | about)
        .select_related("village")
        .order_by("created_at", "pk")
    )


# Removal -------------------------------------------------------------------


def membership_for_removal(*, village: Village, pk: int) -> Membership:
    """A membership of this village, ended or not; 404 for any other id."""
    return get_object_or_404(
        Membership.objects.select_related("user", "household", "village"),
        village=village,
        pk=pk,
    )


def removal_summary(*, membership: Membership) -> dict:
    """What a removal would take away and what stays, for the confirm page."""
    user = membership.user
    other_villages = list(
        Membership.objects.active()
        .filter(user=user)
        .exclude(pk=membership.pk)
        .values_list("village__name", flat=True)
    )
    from deliberation.models import Comment, Participation

    return {
        "other_villages": other_villages,
        "erases_account": not other_villages and not user.supervisions.exists(),
        "is_household_rep": membership.is_household_rep and membership.left_at is None,
        "comments": Comment.objects.filter(author=user).count(),
        "participations": Participation.objects.filter(voter=user).count(),
        "household_transactions": (
            membership.household.points_transactions.count()
            if membership.household_id
            else 0
        ),
    }
