"""People's words as they reach the site: no control that turns text around.

U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates) let a
title such as "‮通知 gnipoT" read backwards, hiding what it says, or pull the
text around it into its direction. Nobody types them on purpose in a village:
``BidiControlMiddleware`` takes them out of every form anyone sends (the public
site and the Wagtail admin alike), and ``strip_bidi_controls`` serves text that
arrives otherwise (spreadsheets, imports).
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


class BidiControlMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in FORM_TYPES:
            posted = request.POST
            if any(BIDI_CONTROLS.search(v) for v in _values(posted)):
                cleaned = posted.copy()
                for key in cleaned:
                    cleaned.setlist(
                        key, [strip_bidi_controls(v) for v in cleaned.getlist(key)]
                    )
                cleaned._mutable = False
                request.POST = cleaned
        return self.get_response(request)


def _values(posted):
    for key in posted:
        yield from posted.getlist(key)
