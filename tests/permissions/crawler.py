"""The machinery of the permission crawler: walk the URLconf, fill each URL from the
seeded world, ask it as one role, and say what came back."""

from __future__ import annotations

import copy
import re
import traceback
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.urlconf import walk_urlconf

LOGIN_PATHS = ("/accounts/login/", "/cms/login/", "/django-admin/login/")
WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I
)
# Bookkeeping that any request may write: the session, and the rate limits and
# caches when they live in the database.
# The double-tap guard keeps a row a person (operations.submissions).
BOOKKEEPING = {"django_session", "django_cache", "operations_submission"}


@dataclass(frozen=True)
class Route:
    key: str  # the URL's name with its namespace, or its pattern if it has none
    route: str  # the pattern as the URLconf spells it
    name: str | None
    arguments: tuple[str, ...]  # named arguments; positional ones as "0", "1", ...
    callback: str

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(("cms/", "django-admin/"))


def _arguments(route: str) -> tuple[str, ...]:
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    named = tuple(a or b for a, b in names)
    positional = len(re.findall(r"\((?!\?)", route))
    return named + tuple(str(i) for i in range(positional))


def routes() -> list[Route]:
    """Every URL pattern of the project, however deep its include."""
    found = []
    for route, name, pattern in walk_urlconf():
        found.append(
            Route(
                key=name or route,
                route=route,
                name=name,
                arguments=_arguments(route),
                callback=pattern.lookup_str,
            )
        )
    return found


@dataclass
class Answer:
    status: int
    location: str = ""
    writes: list[str] = field(default_factory=list)
    body: str = ""
    error: str = ""

    @property
    def refused(self) -> bool:
        if self.status in (401, 403, 404, 405, 410):
            return True
        return 300 <= self.status < 400 and self.location.startswith(LOGIN_PATHS)

    @property
    def answered(self) -> bool:
        """Served: a page, a file, or a write done."""
        return 200 <= self.status < 300 or bool(self.writes)

    @property
    def turned_back(self) -> bool:
        """Let through to the form or the service, which sent it back (an empty body,
        a state that does not allow it): a redirect with a message, or a 400."""
        return not (self.refused or self.answered or self.status >= 500)

    def __str__(self) -> str:
        text = str(self.status)
        if self.location:
            text += f" → {self.location}"
        if self.error:
            text += f" ({self.error})"
        return text


class _Rollback(Exception):
    pass


def ask(client: Client, method: str, url: str, data: dict | None = None) -> Answer:
    """One request in a savepoint that is rolled back after it, with the SQL it ran.
    The client's cookies are put back too (a logout must not log the role out)."""
    answer = None
    cookies = copy.deepcopy(client.cookies)
    # The log holds at most queries_limit (9,000) queries and CaptureQueriesContext
    # counts by its length: once it is full, nothing more would be seen.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                try:
                    response = getattr(client, method)(url, data or {})
                except Exception as error:
                    answer = Answer(
                        500,
                        error=f"{type(error).__name__}: {error}"[:300]
                        + "\n"
                        + "".join(traceback.format_tb(error.__traceback__)[-3:]),
                    )
                else:
                    body = b""
                    if not getattr(response, "streaming", False):
                        body = response.content
                    answer = Answer(
                        response.status_code,
                        location=response.get("Location", ""),
                        body=body.decode(errors="replace"),
                    )
                raise _Rollback
        except _Rollback:
            pass
        finally:
            client.cookies = cookies
    assert len(connection.queries_log) < connection.queries_limit, (
        f"{method.upper()} {url} ran too many queries to be checked for writes"
    )
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and match[1] not in BOOKKEEPING:
            answer.writes.append(query["sql"][:160])
    return answer
