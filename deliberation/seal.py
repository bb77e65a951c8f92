"""Sealing a waiting ballot, so that its row in the database says nothing.

A waiting ballot (``SealedBallot``) is written at the moment a person votes, so
its row can be lined up with the person's participation by anyone who reads the
database's insertion traces. Its content is therefore encrypted with a key the
database does not hold: it is derived from ``SECRET_KEY``, which lives in the
application's environment. The construction uses only the standard library:
HMAC-SHA256 as a pseudo-random function in counter mode for the keystream, and
HMAC-SHA256 over the vote id, nonce and ciphertext as the tag (encrypt then
MAC), with separate keys for each. Every ballot of a vote seals to the same
length (the choices are a bitmap over the vote's options), so not even the
number of choices shows.

``SECRET_KEY_FALLBACKS`` still open ballots sealed before a key rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

NONCE = 16
TAG = 32
BLOCK = 32


class SealBroken(Exception):
    """A sealed ballot that no configured key opens: never silently dropped."""


@dataclass(frozen=True)
class Sealed:
    token: str
    stamp: int  # nanoseconds when it was cast: the latest of one token wins
    option_ids: tuple[int, ...]


def _keys(secret: str) -> tuple[bytes, bytes]:
    def derive(purpose: str) -> bytes:
        return salted_hmac(
            f"deliberation.ballot-seal.{purpose}", "", secret=secret, algorithm="sha256"
        ).digest()

    return derive("encrypt"), derive("authenticate")


def _stream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + BLOCK - 1) // BLOCK
    return b"".join(
        hmac.new(key, nonce + i.to_bytes(8, "big"), hashlib.sha256).digest()
        for i in range(blocks)
    )[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def _tag(key: bytes, vote_id: int, nonce: bytes, body: bytes) -> bytes:
    return hmac.new(key, f"{vote_id}|".encode() + nonce + body, hashlib.sha256).digest()


def _bitmap(option_order: list[int], chosen: set[int]) -> str:
    bits = sum(1 << i for i, pk in enumerate(option_order) if pk in chosen)
    return format(bits, "x").zfill((len(option_order) + 3) // 4 or 1)


def seal(*, vote_id: int, option_order: list[int], token: str, option_ids) -> str:
    chosen = set(option_ids)
    payload = f"{token}|{time.time_ns():020d}|{_bitmap(option_order, chosen)}".encode()
    encrypt, authenticate = _keys(settings.SECRET_KEY)
    nonce = secrets.token_bytes(NONCE)
    body = _xor(payload, _stream(encrypt, nonce, len(payload)))
    return base64.b64encode(
        nonce + body + _tag(authenticate, vote_id, nonce, body)
    ).decode()


def unseal(*, vote_id: int, option_order: list[int], sealed: str) -> Sealed:
    raw = base64.b64decode(sealed)
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        encrypt, authenticate = _keys(secret)
        if hmac.compare_digest(_tag(authenticate, vote_id, nonce, body), tag):
            token, stamp, bitmap = (
                _xor(body, _stream(encrypt, nonce, len(body))).decode().split("|")
            )
            bits = int(bitmap, 16)
            chosen = tuple(pk for i, pk in enumerate(option_order) if bits >> i & 1)
            return Sealed(token=token, stamp=int(stamp), option_ids=chosen)
    raise SealBroken(f"a waiting ballot of vote {vote_id} opens with no key")


def latest_per_token(entries: list[Sealed]) -> dict[str, Sealed]:
    """A changed ballot replaces the earlier one of the same receipt."""
    found: dict[str, Sealed] = {}
    for entry in entries:
        if entry.token not in found or entry.stamp > found[entry.token].stamp:
            found[entry.token] = entry
    return found
