"""What the hash chain says about the records people read: an entry, a published
list, a shop receipt. Each is reduced to a payload whose digest is a transaction's
``payload_hash``, which the transaction's own hash covers; ``ledger_verify``
rebuilds the payload from the rows people read and compares.

Versions. The first ledger hashed, for a deed, only the household, the points, the
date and the entry's id (``v1``); for a redemption the household, the shop and the
amount. Those transactions stay as they are: their hashes are chained into every
later one and were published on lists and settlements (a list carries its chain
head), so recomputing them in a migration would rewrite what the village already
read. A new transaction hashes the whole substance (``v2``: a ``"v"`` key inside the
payload, so the version is itself under the hash and cannot be downgraded without
breaking the chain). ``ledger_verify`` accepts a v1 payload only where the stored
``payload_hash`` is exactly the v1 digest of the row as it stands; for those older
rows the database triggers, not the chain, guard the fields v1 left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

VERSION = 2


def payload_digest(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _day(value: dt.date) -> str:
    return value.isoformat()


# -- entries -------------------------------------------------------------------


def deed_payload_v1(
    *, household_id: int, points: int, on: dt.date, entry_id: int | None
) -> dict[str, Any]:
    return {
        "op": "deed",
        "household": household_id,
        "points": points,
        "on": _day(on),
        "entry": entry_id,
    }


def deed_payload(
    *,
    entry_id: int,
    household_id: int,
    points: int,
    on: dt.date,
    item_id: int,
    rulebook_id: int,
    item_words: tuple[str, str, str],
    recorded_by_id: int,
    reviewed_by_id: int | None,
    evidence: list[tuple[str, int, int]],
) -> dict[str, Any]:
    """Everything an entry says: whose, for what under which rules (the item, its
    code, name and category as the household reads them), how many points, the
    day of the deed, who recorded and who approved, and the evidence it cites
    (file name and size of each photo)."""
    return {
        **deed_payload_v1(
            household_id=household_id, points=points, on=on, entry_id=entry_id
        ),
        "v": VERSION,
        "item": item_id,
        "rulebook": rulebook_id,
        "item_words": list(item_words),
        "recorded_by": recorded_by_id,
        "reviewed_by": reviewed_by_id,
        "evidence": sorted([name, w, h] for name, w, h in evidence),
    }


def deed_payload_for(entry) -> dict[str, Any]:
    return deed_payload(
        entry_id=entry.pk,
        household_id=entry.household_id,
        points=entry.points,
        on=entry.occurred_on,
        item_id=entry.item_id,
        rulebook_id=entry.item.rulebook_id,
        item_words=(entry.item.code, entry.item.name, entry.item.category.name),
        recorded_by_id=entry.recorded_by_id,
        reviewed_by_id=entry.reviewed_by_id,
        evidence=[
            (p.image.name, p.width, p.height) for p in entry.photos.all().order_by("pk")
        ],
    )


def deed_digests(**entry: Any) -> tuple[str, str]:
    """(v2, v1) digests of an entry as its row stands."""
    v1 = deed_payload_v1(
        household_id=entry["household_id"],
        points=entry["points"],
        on=entry["on"],
        entry_id=entry["entry_id"],
    )
    return payload_digest(deed_payload(**entry)), payload_digest(v1)


# -- lists -------------------------------------------------------------------------


def list_lines_v1(lines: list[dict]) -> list[list]:
    return [
        [
            x["household_id"],
            x["rank"],
            x["score"],
            x["color"],
            x["review"],
            x["public_name"],
        ]
        for x in sorted(lines, key=lambda x: x["pk"])
    ]


def list_snapshot_v1(*, ranking: dict, lines: list[dict]) -> str:
    data = {
        "list": ranking["pk"],
        "from": _day(ranking["starts_on"]),
        "to": _day(ranking["ends_on"]),
        "chain": [ranking["chain_seq"], ranking["chain_hash"]],
        "lines": list_lines_v1(lines),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def list_snapshot(*, ranking: dict, lines: list[dict]) -> str:
    """A published list as the public and the household read it: its period, the
    chain head it was computed from, how long the black list shows, who published,
    and each line (household, rank, score, colour, veto, review, name shown,
    reasons)."""
    return payload_digest(
        {
            "op": "list",
            "v": VERSION,
            "list": ranking["pk"],
            "period": ranking["period"],
            "from": _day(ranking["starts_on"]),
            "to": _day(ranking["ends_on"]),
            "chain": [ranking["chain_seq"], ranking["chain_hash"]],
            "black_until": ranking["black_shown_until"],
            "published_by": ranking["published_by_id"],
            "lines": [
                [
                    x["household_id"],
                    x["rank"],
                    x["score"],
                    x["color"],
                    x["veto"],
                    x["review"],
                    x["public_name"],
                    x["reasons"],
                ]
                for x in sorted(lines, key=lambda x: x["pk"])
            ],
        }
    )


RANKING_FIELDS = [
    "pk",
    "period",
    "starts_on",
    "ends_on",
    "chain_seq",
    "chain_hash",
    "black_shown_until",
    "published_by_id",
    "snapshot_hash",
]
LINE_FIELDS = [
    "pk",
    "ranking_id",
    "household_id",
    "rank",
    "score",
    "color",
    "veto",
    "review",
    "public_name",
    "reasons",
]


def as_row(obj, fields: list[str]) -> dict:
    return {f: getattr(obj, f) for f in fields}


# -- shop receipts ---------------------------------------------------------------


def spend_payload_v1(*, household_id: int, shop_code: str, amount: int) -> dict:
    return {
        "op": "spend",
        "household": household_id,
        "shop": shop_code,
        "amount": amount,
    }


def spend_payload(
    *,
    household_id: int,
    shop_code: str,
    amount: int,
    receipt: dict[str, Any],
) -> dict:
    """A redemption with its receipt (voucher, goods, quantities, prices)."""
    return {
        **spend_payload_v1(
            household_id=household_id, shop_code=shop_code, amount=amount
        ),
        "v": VERSION,
        "receipt": receipt,
    }


def receipt(*, voucher_id: int, lines: list[tuple[int, int, int]]) -> dict[str, Any]:
    """(product id, quantity, points each) for each line."""
    return {"voucher": voucher_id, "lines": sorted([p, q, n] for p, q, n in lines)}
