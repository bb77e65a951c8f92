"""Chinese search. Wagtail's database search splits words at spaces and punctuation,
which Chinese does not have: 投票 would never find 村民投票通知. So pages index their
text cut into words by jieba (村民 投票 通知), and queries are cut the same way.
Works unchanged on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import logging
import re
import threading

from wagtail.models import Page

_lock = threading.Lock()
_ready = False
_WORD = re.compile(r"\w", re.UNICODE)
MAX_RESULTS = 50


def _jieba():
    global _ready
    import jieba

    if not _ready:
        with _lock:
            if not _ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _ready = True
    return jieba


def words(text: str) -> list[str]:
    """The words of ``text`` (search mode: long words also give their parts)."""
    if not text:
        return []
    return [
        w.strip().lower()
        for w in _jieba().cut_for_search(text)
        if w.strip() and _WORD.search(w)
    ]


def segment(text: str) -> str:
    return " ".join(words(text))


def search_pages(*, query: str, within: Page | None = None, limit: int = MAX_RESULTS):
    """Live pages under ``within`` matching every word of ``query``."""
    terms = segment(query)
    if not terms:
        return []
    pages = Page.objects.live()
    if within is not None:
        pages = pages.descendant_of(within)
    return list(pages.search(terms, operator="and")[:limit])
