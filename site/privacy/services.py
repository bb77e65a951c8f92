"""Writes of a person's data rights: the copy of their data, and removal.

Removal keeps the village's records whole. A person's membership ends; when they
belong to no other village (and supervise no area) their account is erased in
place: the row stays, because the ledger, votes, comments and the audit log point
at it and must keep adding up, but it no longer says who the person was.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from privacy.errors import PrivacyError
from privacy.exports import person_zip
from villages.access import forget, membership_for
from villages.models import ROLE_FIELDS, Membership, Role

# What an erased person is called wherever their name was shown (comments, the
# points pages), followed by a short code so that two of them can be told apart.
REMOVED_NAME = "已迁出村民"

EXPORTS_PER_HOUR = 3
EXPORT_WINDOW = 60 * 60


def _export_key(user) -> str:
    return f"privacy:export:user:{user.pk}"


def _recent_exports(user, now: float) -> list[float]:
    # The times themselves, not a counter: a counter's incr() on the database
    # cache would restart the window's timeout with every export.
    times = cache.get(_export_key(user)) or []
    return [t for t in times if now - t < EXPORT_WINDOW]


def export_allowed(*, user) -> bool:
    return len(_recent_exports(user, time.time())) < EXPORTS_PER_HOUR


def _count_export(user) -> None:
    now = time.time()
    times = [*_recent_exports(user, now), now]
    cache.set(_export_key(user), times, EXPORT_WINDOW)


def person_export(*, user) -> bytes:
    """Everything the platform holds about the person, as one zip (a JSON file
    and a sheet per kind). A few per hour per person; each one is audited."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PrivacyError(_("Log in to download your data."), code="anonymous")
    if not export_allowed(user=user):
        raise PrivacyError(
            _(
                "You have downloaded your data %(n)s times in the last hour. "
                "Try again later."
            )
            % {"n": EXPORTS_PER_HOUR},
            code="rate_limited",
        )
    content = person_zip(user=user)
    _count_export(user)
    audit_log(actor=user, action="privacy.export", target=user)
    return content


@dataclass(frozen=True)
class Removal:
    membership: Membership
    erased: bool
    was_household_rep: bool


def _check_remover(*, membership: Membership, by) -> None:
    mine = membership_for(by, membership.village)
    if mine is None or not mine.is_committee:
        raise PrivacyError(
            _("Only the committee of this village can remove its people."),
            code="not_committee",
        )
    if membership.user_id == by.pk:
        raise PrivacyError(
            _("You cannot remove yourself. Ask another committee member."),
            code="self",
        )
    if membership.user.is_staff or membership.user.is_superuser:
        raise PrivacyError(
            _("A site administrator's account is removed by the administrators."),
            code="staff",
        )


def _end_sessions(user) -> int:
    """Delete the person's sessions (they no longer work anyway)."""
    ended = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _erase_account(user) -> None:
    from allauth.account.models import EmailAddress

    from notifications.models import Notification, Preference

    user.name = f"{REMOVED_NAME} {secrets.token_hex(3).upper()}"
    user.phone = None
    user.phone_verified = False
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.username = f"removed-{uuid.uuid4().hex}"
    user.password = make_password(None)
    user.is_active = False
    user.save(
        update_fields=[
            "name",
            "phone",
            "phone_verified",
            "email",
            "first_name",
            "last_name",
            "username",
            "password",
            "is_active",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    # The inbox and its settings were for the person alone.
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).update(birth_year=None)
    # The new password hash and is_active=False already end every session at its
    # next request; deleting the rows reads the whole session table, so it runs
    # after the commit rather than while the removal holds its locks.
    transaction.on_commit(lambda: _end_sessions(user))
    _pages_changed(user)


def _pages_changed(user) -> None:
    """Pages that showed the person's name are cached: renew them, so the new
    name shows at once (the topic pages through their comment-list version)."""
    from django.db.models import Q

    from cms_home.cache import public_pages_changed
    from deliberation.models import Topic
    from deliberation.services.comments import comments_changed

    topic_ids = (
        Topic.objects.filter(
            Q(comments__author=user)
            | Q(created_by=user)
            | Q(cosignatures__user=user)
            | Q(ratings__user=user)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for topic_id in topic_ids:
        comments_changed(topic_id)
    public_pages_changed()


def _tell_committee_no_rep(*, membership: Membership, by) -> None:
    from notifications.models import Kind
    from notifications.services import notify
    from villages.selectors import village_committee

    village = membership.village
    notify(
        recipients=[m.user for m in village_committee(village=village)],
        kind=Kind.ACCOUNT,
        title=_("Household %(number)s has no representative")
        % {"number": membership.household.number},
        body=_(
            "Its representative left the village. Name a new one in the roster "
            "(column 角色: 户代表)."
        ),
        url=reverse("roster:list", kwargs={"village": village.slug}),
        village=village,
    )


@transaction.atomic
def person_remove(*, membership: Membership, by) -> Removal:
    """The committee removes a person who leaves the village.

    The membership ends and its roles go (a household representative's role
    passes to nobody: the committee is told to name a new one). A person left in
    no village is erased: name → 已迁出村民 and a code, phone and e-mail cleared,
    no password, inactive, logged out, inbox emptied. Nothing else changes: the
    ledger's entries, transactions and chain, comments, co-signatures, vote
    participations and the audit log keep every row.
    """
    # Lock the membership row only (FOR UPDATE OF): PostgreSQL cannot lock the
    # nullable side of the household join.
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "village", "household")
        .get(pk=membership.pk)
    )
    if membership.left_at is not None:
        raise PrivacyError(
            _("This person has already left the village."), code="already_removed"
        )
    _check_remover(membership=membership, by=by)
    user = membership.user
    was_rep = membership.is_household_rep
    before = {
        "roles": membership.roles,
        "household": membership.household.number if membership.household_id else "",
    }

    membership.left_at = timezone.now()
    for role, field in ROLE_FIELDS.items():
        if role != Role.RESIDENT:
            setattr(membership, field, False)
    membership.save(update_fields=["left_at", *ROLE_FIELDS.values()])

    from points.shop.models import Shop

    for shop in Shop.objects.filter(village=membership.village, shopkeepers=user):
        shop.shopkeepers.remove(user)

    from villages.services import membership_sync_cms_access

    membership_sync_cms_access(membership)

    still_known = (
        Membership.objects.active().filter(user=user).exists()
        or user.supervisions.exists()
    )
    if not still_known:
        _erase_account(user)
    forget(user)
    if was_rep:
        _tell_committee_no_rep(membership=membership, by=by)
    audit_log(
        actor=by,
        action="privacy.person_remove",
        village=membership.village,
        target=membership,
        before=before,
        after={"account": "kept" if still_known else "erased"},
    )
    return Removal(
        membership=membership, erased=not still_known, was_household_rep=was_rep
    )
