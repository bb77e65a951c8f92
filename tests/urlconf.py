"""Every URL pattern of the project, however deep its include: what the permission
crawler and the form fuzzer each walk, so that a URL added later is found by both."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver


def walk_urlconf(
    patterns=None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None, URLPattern]]:
    """(route as the URLconf spells it, name with its namespace or None, pattern)."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from walk_urlconf(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern):
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield route, name, p
