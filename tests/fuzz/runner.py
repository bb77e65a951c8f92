"""Turning a form entry into requests: the example strategy, the two body
encodings a browser uses, and the reading of the SQL a request ran."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote_from_bytes

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hypothesis import strategies as st

from accounts import sms
from tests.fuzz.fields import MISSING, Field, File, Items, Upload, nasty_text
from tests.fuzz.forms import Form

# Bookkeeping that any request may touch: the session (messages, login state),
# the cache table when the cache lives in the database, and the double-tap
# guard's row of the person (operations.submissions).
BOOKKEEPING = frozenset({"django_session", "xiangyue_cache", "operations_submission"})
BOUNDARY = "----xiangyue-fuzz-7MA4YWxkTrZu0gW"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"


@dataclass
class Example:
    kwargs: dict[str, str]
    pairs: list[tuple[str, object]]
    encoding: str
    broken: tuple[str, ...]

    def __repr__(self) -> str:  # what a failure prints: short, and exact
        def short(value):
            if isinstance(value, Upload):
                return f"Upload({value.name!r}, {len(value.content)} bytes)"
            if isinstance(value, str) and len(value) > 80:
                return f"{value[:40]!r}…({len(value)} chars)"
            return repr(value)

        pairs = ", ".join(f"({k!r}, {short(v)})" for k, v in self.pairs)
        return (
            f"Example(broken={self.broken}, kwargs={self.kwargs}, "
            f"encoding={self.encoding!r}, pairs=[{pairs}])"
        )


def _bytes(text: str) -> bytes:
    # Lone surrogates leave as the bytes a broken client sends for them.
    return text.encode("utf-8", "surrogatepass")


def urlencode(pairs) -> bytes:
    parts = []
    for key, value in pairs:
        if isinstance(value, Upload):
            value = value.name  # a file field sent as text: what a form without
            # enctype does
        parts.append(
            quote_from_bytes(_bytes(key), safe="")
            + "="
            + quote_from_bytes(_bytes(value), safe="")
        )
    return "&".join(parts).encode("ascii")


def multipart(pairs) -> bytes:
    out = []
    for key, value in pairs:
        out.append(f"--{BOUNDARY}\r\n".encode())
        name = _bytes(key).replace(b'"', b"%22")
        if isinstance(value, Upload):
            filename = _bytes(value.name).replace(b'"', b"%22")
            out.append(
                b'Content-Disposition: form-data; name="'
                + name
                + b'"; filename="'
                + filename
                + b'"\r\n'
                + f"Content-Type: {value.content_type}\r\n\r\n".encode()
                + value.content
                + b"\r\n"
            )
        else:
            out.append(
                b'Content-Disposition: form-data; name="'
                + name
                + b'"\r\n\r\n'
                + _bytes(value)
                + b"\r\n"
            )
    out.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(out)


def breakable(form: Form, w) -> list[str]:
    parts = [f"url:{name}" for name in form.kwargs]
    parts += [
        f"field:{name}"
        for name, f in form.fields.items()
        if not f.fixed and f.broken(w) is not None
    ]
    return parts


def _append(pairs, name: str, field: Field, value) -> None:
    if value is MISSING:
        return
    if isinstance(field, Items):
        pairs.extend(value)
        return
    for one in value if isinstance(value, list) else [value]:
        pairs.append((name, one))


@st.composite
def examples(draw, form: Form, w, *, break_it: bool = True):
    """A request for ``form``. With ``break_it``, at least one part (a field or a
    part of the URL) holds a value that the form or the URL refuses by
    construction; the others hold their base value or noise."""
    parts = breakable(form, w)
    broken: set[str] = set()
    if break_it:
        assert parts, f"{form.key} has nothing that can be broken"
        broken = set(
            draw(
                st.lists(
                    st.sampled_from(parts),
                    min_size=1,
                    max_size=min(2, len(parts)),
                    unique=True,
                )
            )
        )
    kwargs = {}
    for name, part in form.kwargs.items():
        kwargs[name] = draw(part.broken(w)) if f"url:{name}" in broken else part.base(w)
    pairs: list[tuple[str, object]] = []
    for name, field in form.fields.items():
        if f"field:{name}" in broken:
            value = draw(field.broken(w))
        else:
            value = draw(field.maybe(w))
        if (
            value is not MISSING
            # Uploads and text go to separate dicts (FILES, POST): a copy of a
            # file field would not be overridden by the chosen value.
            and not isinstance(field, Items | File)
            and not field.fixed
            and draw(st.integers(0, 9)) == 0
        ):
            # The same key twice: Django reads the last one of a single-value
            # field, so the copy goes first and the chosen value still decides.
            copy = draw(field.noise(w))
            if copy is not MISSING and not isinstance(copy, list):
                pairs.append((name, copy))
        _append(pairs, name, field, value)
    extra = draw(
        st.lists(
            st.tuples(st.text(max_size=12).map(lambda s: "zz-" + s), nasty_text(3)),
            max_size=3,
        )
    )
    pairs.extend(extra)
    # A broken upload must arrive as an upload; otherwise either encoding (a file
    # field sent urlencoded arrives as text, and is missing as a file).
    files_broken = any(
        isinstance(form.fields.get(part.split(":", 1)[1]), File)
        for part in broken
        if part.startswith("field:")
    )
    encoding = draw(
        st.sampled_from(["multipart"] if files_broken else ["urlencoded", "multipart"])
    )
    return Example(kwargs, pairs, encoding, tuple(sorted(broken)))


def base_example(form: Form, w) -> Example:
    pairs: list[tuple[str, object]] = []
    for name, field in form.fields.items():
        _append(pairs, name, field, field.base(w))
    kwargs = {name: part.base(w) for name, part in form.kwargs.items()}
    return Example(kwargs, pairs, "multipart", ())


# -- what the request wrote ------------------------------------------------------

_SAVEPOINT = re.compile(r'^SAVEPOINT\s+"?(\w+)"?', re.I)
_RELEASE = re.compile(r'^RELEASE\s+SAVEPOINT\s+"?(\w+)"?', re.I)
_ROLLBACK_TO = re.compile(r'^ROLLBACK\s+TO\s+SAVEPOINT\s+"?(\w+)"?', re.I)
_WRITE = re.compile(
    r'^(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I
)


def persisted_writes(queries, ignore=frozenset()) -> list[tuple[str, str]]:
    """(table, sql) of every write the request left behind: writes made inside a
    savepoint that was then rolled back (a service refusing half-way) do not
    count; writes to the ``ignore`` tables do not count."""
    levels: list[tuple[str | None, list]] = [(None, [])]
    for query in queries:
        sql = query["sql"].strip()
        if match := _SAVEPOINT.match(sql):
            levels.append((match[1], []))
        elif match := _RELEASE.match(sql):
            while len(levels) > 1:
                name, writes = levels.pop()
                levels[-1][1].extend(writes)
                if name == match[1]:
                    break
        elif match := _ROLLBACK_TO.match(sql):
            while len(levels) > 1 and levels[-1][0] != match[1]:
                levels.pop()
            levels[-1][1].clear()
        elif (match := _WRITE.match(sql)) and match[1] not in BOOKKEEPING | ignore:
            levels[-1][1].append((match[1], sql[:300]))
    return [write for _name, writes in levels for write in writes]


@dataclass
class Outcome:
    status: int
    writes: list[tuple[str, str]]
    location: str


SENT = {"requests": 0}


def send(form: Form, w, example: Example) -> Outcome:
    """Send one request from a fresh browser of the form's person, inside a
    savepoint that is rolled back afterwards: every example starts from the world."""
    with transaction.atomic():
        cache.clear()  # rate limits and cached pages from the last example
        sms.outbox.clear()
        client = Client()
        if form.role:
            client.force_login(getattr(w, form.role))
        if form.prepare:
            form.prepare(client, w)
        path = form.build_path(w, example.kwargs)
        SENT["requests"] += 1
        with CaptureQueriesContext(connection) as queries:
            if form.method == "get":
                query = urlencode(example.pairs).decode()
                response = client.get(f"{path}?{query}" if query else path)
            else:
                response = _post(client, path, example)
        outcome = Outcome(
            response.status_code,
            persisted_writes(queries.captured_queries),
            response.get("Location", ""),
        )
        transaction.set_rollback(True)
    return outcome


def _post(client: Client, path: str, example: Example):
    if example.encoding == "multipart":
        body, content_type = multipart(example.pairs), MULTIPART
    else:
        body, content_type = urlencode(example.pairs), URLENCODED
    return client.generic("POST", path, body, content_type=content_type)


def send_twice(form: Form, w, example: Example) -> tuple[Outcome, Outcome]:
    """The same request twice from one browser (a double tap that arrives after
    the first answer), inside a savepoint that is rolled back afterwards."""
    outcomes = []
    with transaction.atomic():
        cache.clear()
        sms.outbox.clear()
        client = Client()
        client.force_login(getattr(w, form.role))
        if form.prepare:
            form.prepare(client, w)
        path = form.build_path(w, example.kwargs)
        for _copy in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = _post(client, path, example)
            outcomes.append(
                Outcome(
                    response.status_code,
                    persisted_writes(queries.captured_queries),
                    response.get("Location", ""),
                )
            )
        transaction.set_rollback(True)
    return outcomes[0], outcomes[1]
