"""Where a topic came from, told by the app it came from.

A topic can grow out of something a higher floor owns (a resident's report that
enough neighbours share becomes a topic in one step). Deliberation does not
import those apps; each registers, in its ``AppConfig.ready``, a function that
returns the topic's origins as links::

    from deliberation.origins import register_topic_origins

    register_topic_origins(report_origins_of_topic)

``origins(topic=...)`` returns ``[TopicOrigin(label, url), …]`` with one query
at most: the topic page keeps the result with its shared, cached part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TopicOrigin:
    label: str
    url: str


_sources: list[Callable[..., list[TopicOrigin]]] = []


def register_topic_origins(source: Callable[..., list[TopicOrigin]]) -> None:
    if source not in _sources:
        _sources.append(source)


def topic_origins(*, topic) -> list[TopicOrigin]:
    return [origin for source in _sources for origin in source(topic=topic)]
