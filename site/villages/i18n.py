"""What goes on the village's paper notice board is in the village's language.

A print view or a poster is made once and read by everyone at the board, so the
language of whoever pressed "print" (their browser's Accept-Language or their
choice on the site) must not decide it. A village may name its language
(``Village.language``, when a model gives it one); otherwise the installation's
LANGUAGE_CODE speaks for all its villages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation


def village_language(village) -> str:
    return getattr(village, "language", "") or settings.LANGUAGE_CODE


def render_in_village_language(
    village, make_response: Callable[[], HttpResponse]
) -> HttpResponse:
    """``make_response()`` built and rendered in the village's language, and
    labelled so (Content-Language), whatever the visitor's language is."""
    language = village_language(village)
    with translation.override(language):
        response = make_response()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    response["Content-Language"] = language
    return response
