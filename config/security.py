"""Response headers that Django does not send by itself: the Content-Security-Policy
(one policy per area of the site) and the Permissions-Policy.

Why our own middleware and not django-csp: the policies here are fixed strings chosen
by the area of the site a request falls in (the public site and our apps, the Wagtail
admin, the Django admin), plus a per-view addition for the one page that needs more
(the shop counter's scanner runs a Worker from a Blob URL) and a nonce for the one
inline ``<style>`` whose content depends on the person (comment actions on a cached
comment list). That is about a hundred lines; django-csp would need the same area
logic written as a subclass of its middleware.

Uploaded files that Django hands out get ``default-src 'none'; sandbox`` (and nosniff):
Wagtail documents by path (CSP_FILE_PATHS), our private photos through
``file_response_protect``. A response that already carries a policy keeps it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.utils.functional import SimpleLazyObject

Policy = dict[str, list[str]]


def policy_header(policy: Policy) -> str:
    """``{"default-src": ["'self'"]}`` → ``default-src 'self'``; an empty source
    list writes the directive alone (``sandbox``, ``upgrade-insecure-requests``)."""
    return "; ".join(
        " ".join([directive, *sources]).strip() for directive, sources in policy.items()
    )


def policy_merge(policy: Policy, extra: Policy) -> Policy:
    """The policy with ``extra``'s sources added to each directive. A directive that
    ``policy`` lacks starts from ``default-src`` (as browsers would fall back)."""
    merged = {k: list(v) for k, v in policy.items()}
    for directive, sources in extra.items():
        current = merged.get(directive)
        if current is None:
            current = [s for s in merged.get("default-src", []) if s != "'none'"]
        merged[directive] = list(dict.fromkeys([*current, *sources]))
    return merged


def area_policy(path: str) -> Policy:
    """The policy of the area ``path`` belongs to (CSP_AREAS, first match wins),
    else CSP_DEFAULT; pictures may also come from where media is kept when that is
    another address (object storage behind S3_PUBLIC_URL)."""
    policy = settings.CSP_DEFAULT
    for pattern, area in getattr(settings, "CSP_AREAS", []):
        if re.match(pattern, path):
            policy = area
            break
    origin = media_origin(settings.MEDIA_URL)
    return policy_merge(policy, {"img-src": [origin]}) if origin else policy


def media_origin(media_url: str) -> str | None:
    """``https://media.example.cn/public/`` → ``https://media.example.cn``; None for
    a path on this site (``/media/``)."""
    match = re.match(r"^(https://[^/]+)", media_url or "")
    return match.group(1) if match else None


def csp_allow(**directives: list[str]) -> Callable:
    """A view decorator that widens the policy of that view only:
    ``@csp_allow(worker_src=["blob:"])`` (underscores stand for hyphens)."""
    extra = {k.replace("_", "-"): list(v) for k, v in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_extra = policy_merge(getattr(response, "csp_extra", {}), extra)
            return response

        return wrapped

    return decorator


def file_response_protect(response, *, disposition: str | None = None):
    """Headers for an uploaded file handed out by Django: never sniffed into
    another type, never run as a page (a sandbox without scripts), not readable
    by other sites' pages. ``disposition`` sets Content-Disposition if given."""
    response["Content-Security-Policy"] = policy_header(settings.CSP_FILE_POLICY)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if disposition:
        response["Content-Disposition"] = disposition
    return response


class _Nonce:
    """A nonce made on first use: a page that never asks for one keeps a policy
    without it."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = _Nonce()
        # ``<style nonce="{{ request.csp_nonce }}">``: for styles only.
        request.csp_nonce = SimpleLazyObject(lambda: str(nonce))
        response = self.get_response(request)
        if getattr(request, "is_dummy", False):
            # Wagtail's preview renders the page through the middleware with a made-up
            # request for the page's public address; the admin request that shows it
            # (under /cms/) sets the headers.
            return response
        if any(re.match(p, request.path_info) for p in settings.CSP_FILE_PATHS):
            file_response_protect(response)
        if "Content-Security-Policy" not in response:
            policy = area_policy(request.path_info)
            extra = getattr(response, "csp_extra", {})
            if nonce.value is not None:
                # Only styles use it: no inline script is needed anywhere.
                extra = policy_merge(extra, {"style-src": [f"'nonce-{nonce.value}'"]})
            if extra:
                policy = policy_merge(policy, extra)
            response["Content-Security-Policy"] = policy_header(policy)
        permissions = getattr(settings, "PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
