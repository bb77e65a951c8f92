"""Whole-page cache for anonymous readers of the public pages.

A villager's phone asks for the same notice board as everyone else's, so its HTML
is rendered once per change, not once per visit. A hit skips Wagtail's routing and
rendering entirely; only the CSRF token of the language-switch form is made fresh
for each visitor. Every change to any page (publish, unpublish, move, delete: all
pass through Wagtail's page log) starts a new generation, so nothing stale is
served; other apps whose slots appear on the village home page call
``public_pages_changed()`` when what they show changes, and a short lifetime bounds
anything missed.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.encoding import iri_to_uri

GENERATION_KEY = "cms:pages:generation"
# Never looked up here: the health check must reach its own view, and report a
# cache that is down, rather than fail in this middleware's lookup.
BYPASS_PATHS = frozenset({"/healthz/"})
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def lifetime() -> int:
    return int(getattr(settings, "CMS_PAGE_CACHE_SECONDS", 120))


def public_pages_changed() -> None:
    """Forget every cached public page (cheap: a new generation number)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, generation: str) -> str:
    return ":".join(
        [
            "cms:page",
            generation,
            getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            request.get_host(),
            iri_to_uri(request.path),
        ]
    )


def mark_cacheable(request) -> None:
    """Called for a public page about to be served (after view restrictions)."""
    request._cms_cacheable = True


class PublicPageCacheMiddleware:
    """Sits after CsrfViewMiddleware so the fresh token's cookie is set on a hit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = lifetime()
        usable = (
            seconds > 0
            and request.method == "GET"
            and not request.GET
            and request.path_info not in BYPASS_PATHS
            and _anonymous(request)
        )
        if not usable:
            return self.get_response(request)
        key = _key(request, _generation())
        cached = cache.get(key)
        if cached is not None:
            return self._replay(request, cached)
        response = self.get_response(request)
        if (
            getattr(request, "_cms_cacheable", False)
            and response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies.keys() - {settings.CSRF_COOKIE_NAME}
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    @staticmethod
    def _replay(request, cached):
        from django.http import HttpResponse

        content, content_type = cached
        token = get_token(request).encode()
        body = _TOKEN.sub(lambda m: m.group(1) + token + m.group(2), content)
        response = HttpResponse(body, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
