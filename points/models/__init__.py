"""Integrity points: the rules catalogue, the ledger, entries and appeals, lists."""

from points.models.catalogue import PointsSettings, RuleBook, RuleCategory, RuleItem
from points.models.entries import Appeal, Entry, EntryPhoto, EntryStep
from points.models.ledger import Account, LedgerHead, Posting, Transaction
from points.models.lists import ListLine, RankingList, RepairTask

__all__ = [
    "Account",
    "Appeal",
    "Entry",
    "EntryPhoto",
    "EntryStep",
    "LedgerHead",
    "ListLine",
    "PointsSettings",
    "Posting",
    "RankingList",
    "RepairTask",
    "RuleBook",
    "RuleCategory",
    "RuleItem",
    "Transaction",
]
