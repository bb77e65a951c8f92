"""Removing a person who leaves the village: what goes, what stays, who may."""

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse

import pytest

from audit.models import AuditEntry
from privacy.errors import PrivacyError
from privacy.services import REMOVED_NAME, person_remove
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _ledger_state():
    from points.models import Account, Entry, LedgerHead, Posting, Transaction

    return {
        "transactions": list(
            Transaction.objects.order_by("pk").values_list(
                "pk", "seq", "household_id", "created_by_id", "hash", "prev_hash"
            )
        ),
        "postings": list(
            Posting.objects.order_by("pk").values_list(
                "pk", "transaction_id", "account_id", "amount"
            )
        ),
        "entries": list(
            Entry.objects.order_by("pk").values_list(
                "pk", "status", "points", "recorded_by_id", "reviewed_by_id"
            )
        ),
        "balances": list(Account.objects.order_by("pk").values_list("pk", "balance")),
        "heads": list(LedgerHead.objects.values_list("village_id", "seq", "hash")),
    }


def _audit_rows():
    return list(
        AuditEntry.objects.order_by("pk").values_list(
            "pk", "actor_id", "actor_name", "action", "target_repr", "before", "after"
        )
    )


def _counted(outcome):
    return (
        outcome.participants,
        outcome.paper,
        [(r.option.pk, r.count) for r in outcome.options],
    )


def test_removal_erases_the_person_and_keeps_the_villages_records(
    make_history, household_rep, committee, client, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    from deliberation.models import Comment, CoSignature, Participation
    from deliberation.selectors import vote_outcome
    from notifications.models import Notification

    person = make_history(2)
    old_name, old_phone = person.name, person.phone
    EmailAddress.objects.create(user=person, email="rep@example.com", verified=True)
    client.force_login(person)
    assert Session.objects.count() == 1
    membership = person.memberships.get()
    ledger, audit = _ledger_state(), _audit_rows()
    participations = Participation.objects.filter(voter=person).count()
    votes = {p.vote for p in Participation.objects.filter(voter=person)}
    turnout = {vote.pk: _counted(vote_outcome(vote)) for vote in votes}
    comments = Comment.objects.filter(author=person).count()

    with django_capture_on_commit_callbacks(execute=True):
        removal = person_remove(membership=membership, by=committee)

    assert removal.erased and removal.was_household_rep
    membership.refresh_from_db()
    assert membership.left_at is not None
    assert membership.roles == ["resident"] and membership.birth_year is None
    person.refresh_from_db()
    assert person.name.startswith(REMOVED_NAME + " ") and len(person.name) > 6
    assert old_name not in person.name
    assert person.phone is None and person.email == ""
    assert not person.has_usable_password() and not person.is_active
    assert old_phone not in person.username
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    # logged out everywhere: the session rows are gone
    assert Session.objects.count() == 0
    assert client.get(reverse("accounts:me")).status_code == 302

    # the ledger is untouched and still verifies
    assert _ledger_state() == ledger
    call_command("ledger_verify")
    # comments stay, under the new name; co-signatures and participations stay
    assert Comment.objects.filter(author=person).count() == comments
    assert CoSignature.objects.filter(user=person).exists()
    assert Participation.objects.filter(voter=person).count() == participations
    assert {vote.pk: _counted(vote_outcome(vote)) for vote in votes} == turnout
    # the audit log keeps every row as it was, and adds one that names no one
    after = _audit_rows()
    assert after[: len(audit)] == audit
    [removed] = [
        row for row in after[len(audit) :] if row[3] == "privacy.person_remove"
    ]
    assert old_name not in removed[4] and person.name in removed[4]
    assert removed[5] == {"roles": ["resident", "household_rep"], "household": "LX-001"}


def test_a_session_of_the_removed_person_stops_working_at_once(
    household_rep, committee, client
):
    # Before the rows are deleted (after the commit), the sessions already fail:
    # the password hash they were made with is gone and the account is inactive.
    client.force_login(household_rep)
    assert client.get(reverse("accounts:me")).status_code == 200
    person_remove(membership=household_rep.memberships.get(), by=committee)
    assert Session.objects.count() == 1
    assert client.get(reverse("accounts:me")).status_code == 302


def test_the_topic_page_shows_the_new_name_at_once(
    village, household_rep, committee, client
):
    from deliberation.services.comments import comment_add
    from tests.deliberation.factories import TopicFactory

    topic = TopicFactory(village=village, created_by=committee)
    comment_add(topic=topic, by=household_rep, body="我同意修路")
    old_name = household_rep.name
    client.force_login(committee)
    page = client.get(topic.get_absolute_url())
    assert old_name in page.content.decode()  # and the comment list is now cached

    person_remove(membership=household_rep.memberships.get(), by=committee)

    page = client.get(topic.get_absolute_url()).content.decode()
    assert "我同意修路" in page
    assert old_name not in page and REMOVED_NAME in page


def test_the_representative_role_passes_to_nobody_and_the_committee_is_told(
    household_rep, resident, committee, second_committee
):
    from notifications.models import Notification
    from villages.models import Membership

    person_remove(membership=household_rep.memberships.get(), by=committee)

    household = resident.memberships.get().household
    assert not Membership.objects.filter(
        household=household, is_household_rep=True
    ).exists()
    for member in (committee, second_committee):
        assert Notification.objects.filter(
            recipient=member, title__contains="LX-001"
        ).exists()
    assert not Notification.objects.filter(recipient=resident).exists()


def test_a_person_still_in_another_village_keeps_the_account(
    household_rep, committee, other_village
):
    MembershipFactory(user=household_rep, village=other_village)
    name, phone = household_rep.name, household_rep.phone
    membership = household_rep.memberships.get(
        village=committee.memberships.get().village
    )

    removal = person_remove(membership=membership, by=committee)

    assert not removal.erased
    household_rep.refresh_from_db()
    assert (household_rep.name, household_rep.phone) == (name, phone)
    assert household_rep.is_active
    assert household_rep.memberships.active().get().village == other_village


def test_a_shopkeeper_who_leaves_keeps_no_shop(village, shopkeeper, committee):
    from tests.shop.factories import ShopFactory

    shop = ShopFactory(village=village)
    shop.shopkeepers.add(shopkeeper)
    person_remove(membership=shopkeeper.memberships.get(), by=committee)
    assert not shop.shopkeepers.exists()


def _nothing_changed(membership, user, audit):
    membership.refresh_from_db()
    user.refresh_from_db()
    assert membership.left_at is None and user.is_active
    assert _audit_rows() == audit


@pytest.mark.parametrize(
    "who", ["resident", "grid_worker", "monitor", "supervisor", "other_committee"]
)
def test_only_the_committee_of_the_village_may_remove(request, household_rep, who):
    by = request.getfixturevalue(who)
    membership = household_rep.memberships.get()
    audit = _audit_rows()
    with pytest.raises(PrivacyError, match="Only the committee of this village"):
        person_remove(membership=membership, by=by)
    _nothing_changed(membership, household_rep, audit)


def test_a_person_already_removed_is_refused(household_rep, committee):
    membership = household_rep.memberships.get()
    person_remove(membership=membership, by=committee)
    household_rep.refresh_from_db()
    name, audit = household_rep.name, _audit_rows()
    with pytest.raises(PrivacyError, match="already left"):
        person_remove(membership=membership, by=committee)
    household_rep.refresh_from_db()
    assert household_rep.name == name and _audit_rows() == audit


def test_the_committee_cannot_remove_itself_or_an_administrator(
    village, committee, second_committee
):
    membership = committee.memberships.get()
    audit = _audit_rows()
    with pytest.raises(PrivacyError, match="cannot remove yourself"):
        person_remove(membership=membership, by=committee)
    _nothing_changed(membership, committee, audit)
    admin = MembershipFactory(village=village, user__is_staff=True)
    with pytest.raises(PrivacyError, match="administrator"):
        person_remove(membership=admin, by=committee)
    _nothing_changed(admin, admin.user, audit)
