"""A waiting ballot's seal: unreadable and unforgeable without the server key,
the same length whatever was chosen, and still open after a key rotation."""

import base64
from unittest import mock

import pytest

from deliberation.seal import SealBroken, latest_per_token, seal, unseal

ORDER = [11, 12, 13, 14, 15]
TOKEN = "ab" * 32


def sealed(choices, vote_id=7):
    return seal(vote_id=vote_id, option_order=ORDER, token=TOKEN, option_ids=choices)


def test_it_opens_to_what_went_in_and_shows_none_of_it():
    blob = sealed([12, 15])
    opened = unseal(vote_id=7, option_order=ORDER, sealed=blob)
    assert opened.token == TOKEN and opened.option_ids == (12, 15)
    raw = base64.b64decode(blob)
    assert TOKEN.encode() not in raw and b"ab" * 8 not in raw


def test_every_ballot_of_a_vote_seals_to_the_same_length():
    lengths = {len(sealed(c)) for c in ([11], [11, 12, 13, 14, 15], [14, 15], [])}
    assert len(lengths) == 1
    assert sealed([11]) != sealed([11])  # a fresh nonce each time


def test_a_changed_byte_or_another_vote_does_not_open(settings):
    blob = bytearray(base64.b64decode(sealed([11])))
    blob[20] ^= 1
    with pytest.raises(SealBroken):
        unseal(vote_id=7, option_order=ORDER, sealed=base64.b64encode(blob).decode())
    with pytest.raises(SealBroken):
        unseal(vote_id=8, option_order=ORDER, sealed=sealed([11]))
    old = sealed([13])
    settings.SECRET_KEY = "another-key-" * 5
    with pytest.raises(SealBroken):
        unseal(vote_id=7, option_order=ORDER, sealed=old)


def test_a_rotated_key_still_opens_what_it_sealed(settings):
    old_key = settings.SECRET_KEY
    blob = sealed([14])
    settings.SECRET_KEY = "the-new-key-" * 5
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert unseal(vote_id=7, option_order=ORDER, sealed=blob).option_ids == (14,)


def test_the_latest_of_one_receipt_wins():
    with mock.patch("deliberation.seal.time.time_ns", side_effect=[2, 1]):
        second_made_first = sealed([12])
        first = sealed([11])
    second = unseal(vote_id=7, option_order=ORDER, sealed=second_made_first)
    first = unseal(vote_id=7, option_order=ORDER, sealed=first)
    assert latest_per_token([first, second])[TOKEN].option_ids == (12,)
    assert latest_per_token([second, first])[TOKEN].option_ids == (12,)


@pytest.mark.django_db
def test_boxed_ballots_from_before_the_seal_are_sealed_when_migrating(
    topic, committee, resident
):
    import importlib

    from django.apps import apps

    from deliberation.ballot_box import all_ballots
    from deliberation.models import Ballot, BallotChoice
    from deliberation.services.votes import ballot_token
    from tests.deliberation.factories import make_vote

    migration = importlib.import_module(
        "deliberation.migrations.0005_secret_ballot_box"
    )
    vote = make_vote(topic, committee)
    yes = vote.options.get(code="yes").pk
    token = ballot_token(vote, "AAAA-BBBB-CCCC-DDDD-EEEE")
    old = Ballot.objects.create(vote=vote, token=token)  # as the old rows stood
    BallotChoice.objects.create(ballot=old, option_id=yes)
    migration.seal_box_tokens(apps, None)
    assert Ballot.objects.get().token != token
    assert all_ballots(vote) == {token: (yes,)}
