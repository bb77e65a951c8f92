"""What a form field expects, as three things: a valid base value (taken from the
world), junk that is invalid by construction (the breakers), and noise that may or
may not be valid (wrong-looking but acceptable values, nasty unicode, duplicates).

A value is a str, a list of str (one key sent several times), an ``Upload``, or
``MISSING`` (the key is not sent at all)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hypothesis import strategies as st

MISSING = object()


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


# Text that arrives through a real form and is valid wherever text is: direction
# marks, zero-width characters, emoji with joiners, combining accents, full-width
# digits, a BOM, characters outside the BMP, markup and SQL. Lone surrogates cannot
# be typed, but a broken client sends their UTF-8 bytes; they arrive as U+FFFD.
NASTY = [
    "\u202e",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u3000",
    "👨\u200d👩\u200d👧\u200d👦",
    "🇨🇳",
    "e\u0301\u0301\u0301",
    "１２３",
    "٣",
    "𠀀",
    "\ud800",
    "\udfff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "\r\n",
    "{{ request }}",
    "${jndi:x}",
]
NOT_A_NUMBER = [
    "abc",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1.5",
    "0x10",
    "1_000",
    "--1",
    "1-",
    "一",
    "1\x00",
    "\x00",
    "1 2",
    "½",
]
BAD_DATES = [
    "9999-99-99",
    "2026-02-30",
    "2026-13-01",
    "0000-01-01",
    "10000-01-01",
    "-2026-01-01",
    "2026-1-1-1",
    "NaN",
    "1e309",
    "abc",
    "2026-01-01\x00",
    "26/26/2026",
    "2026-01-32",
]
BAD_DATETIMES = [
    *BAD_DATES,
    "2026-01-01T25:00",
    "2026-01-01T12:61",
    "2026-02-30T10:00",
    "2026-01-01T10:00+99:00",
]
BLANKS = ["", " ", "\t\n", "\u3000", "\u3000 \u3000"]


def nasty_text(max_size: int = 8) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(NASTY), st.text(max_size=4))
    return st.lists(piece, max_size=max_size).map("".join)


def huge(char_pool: str, at_least: int) -> st.SearchStrategy[str]:
    """Longer than ``at_least`` characters (none of them blank), now and then by
    megabytes: over DATA_UPLOAD_MAX_MEMORY_SIZE the request itself is refused."""
    sizes = st.one_of(
        st.integers(min_value=at_least + 1, max_value=at_least + 50),
        st.sampled_from([at_least * 3 + 1, 300_000, 1_100_000, 2_500_000]),
    )
    return st.builds(lambda c, n: (c * n)[:n], st.sampled_from(list(char_pool)), sizes)


def with_nul(base: str) -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=len(base)).map(
        lambda i: base[:i] + "\x00" + base[i:]
    )


class Field:
    required = True
    fixed = False

    def base(self, w) -> Any:
        raise NotImplementedError

    def broken(self, w) -> st.SearchStrategy | None:
        """Values that make the form invalid whatever the other fields say."""
        return None

    def noise(self, w) -> st.SearchStrategy:
        return st.just(self.base(w))

    def maybe(self, w) -> st.SearchStrategy:
        """What an unbroken field sends: its base, noise, or (if optional) nothing."""
        options = [st.just(self.base(w)), self.noise(w)]
        if not self.required:
            options.append(st.just(MISSING))
        return st.one_of(*options)


@dataclass
class Text(Field):
    max_length: int | None
    required: bool = True
    value: str = "村东头的路坑坑洼洼"
    blank_ok: bool = False  # a service-level text that the form leaves alone

    def base(self, w):
        return self.value

    def broken(self, w):
        options = [with_nul(self.value)]
        if self.max_length:
            options.append(huge("路a😀é", self.max_length))
        if self.required and not self.blank_ok:
            options += [st.sampled_from(BLANKS), st.just(MISSING)]
        return st.one_of(*options)

    def noise(self, w):
        limit = self.max_length or 50
        return st.one_of(
            nasty_text().map(lambda s: s[:limit]),
            st.lists(st.sampled_from(NASTY), min_size=1, max_size=3).map(
                lambda parts: (self.value + "".join(parts))[:limit]
            ),
            st.text(max_size=min(limit, 40)),
        )


@dataclass
class Int(Field):
    low: int | None
    high: int | None
    required: bool = True
    value: int = 1

    def base(self, w):
        return str(self.value)

    def broken(self, w):
        options = [st.sampled_from(NOT_A_NUMBER)]
        if self.high is not None:
            options.append(
                st.one_of(
                    st.integers(min_value=self.high + 1, max_value=self.high + 10),
                    st.sampled_from(
                        [
                            self.high + 10**9,
                            max(self.high + 1, 2**63),
                            10**30 + self.high,
                        ]
                    ),
                ).map(str)
            )
        if self.low is not None:
            options.append(
                st.one_of(
                    st.integers(min_value=self.low - 10, max_value=self.low - 1),
                    st.sampled_from(
                        [min(self.low - 1, -(2**63) - 1), self.low - 10**30]
                    ),
                ).map(str)
            )
        if self.required:
            options += [st.sampled_from(BLANKS), st.just(MISSING)]
        return st.one_of(*options)

    def noise(self, w):
        full_width = str(self.value).translate(
            str.maketrans("0123456789-", "０１２３４５６７８９-")
        )
        values = [full_width, f" {self.value} ", f"+{self.value}", "-0", "1.0", "٣"]
        if self.high is None:  # only the database bounds it
            values += [str(2**15), str(2**31), str(2**63), str(10**30)]
        if self.low is None:
            values += [str(-(2**31) - 1), str(-(2**63) - 1)]
        return st.sampled_from(values)


@dataclass
class Decimal_(Field):
    low: float
    high: float
    required: bool = True
    value: str = "30.5"

    def base(self, w):
        return self.value

    def broken(self, w):
        options = [
            st.sampled_from(
                ["NaN", "sNaN", "-NaN", "inf", "-Infinity", "1e309", "abc", "1,5"]
            ),
            st.sampled_from([self.high + 1, self.low - 1, 1e308]).map(repr),
        ]
        if self.required:
            options += [st.sampled_from(BLANKS), st.just(MISSING)]
        return st.one_of(*options)

    def noise(self, w):
        return st.one_of(
            st.sampled_from(["-0", "0", "1e1", "12.3456789012", "１２", ".5"]),
            st.decimals(
                min_value=self.low, max_value=self.high, allow_nan=False, places=4
            ).map(str),
        )


@dataclass
class Date(Field):
    required: bool = True
    days_from_today: int = 1
    # Dates the form itself refuses (a due date in the past, say).
    out_of_range: tuple = ()

    def base(self, w):
        return (
            timezone.localdate() + dt.timedelta(days=self.days_from_today)
        ).isoformat()

    def broken(self, w):
        options = [st.sampled_from(BAD_DATES)]
        if self.out_of_range:
            options.append(st.sampled_from(self.out_of_range))
        if self.required:
            options += [st.sampled_from(BLANKS), st.just(MISSING)]
        return st.one_of(*options)

    def noise(self, w):
        return st.one_of(
            st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
                str
            ),
            st.sampled_from(
                ["０００１-０１-０１", "2026-1-1", "01/02/2026", "2026-01-01 "]
            ),
        )


@dataclass
class DateTime(Field):
    """A moment some hours from now; or, with ``of``, a moment of the world (an
    object's own time, which does not move while the test runs: a payload built
    from "now" drifts from what the world stored when the machine is slow)."""

    hours_from_now: int = 1
    of: Any = None  # the world -> an aware datetime

    def base(self, w):
        if self.of is not None:
            moment = timezone.localtime(self.of(w))
        else:
            moment = timezone.localtime() + dt.timedelta(hours=self.hours_from_now)
        return moment.strftime("%Y-%m-%dT%H:%M")

    def broken(self, w):
        return st.one_of(
            st.sampled_from(BAD_DATETIMES), st.sampled_from(BLANKS), st.just(MISSING)
        )

    def noise(self, w):
        return st.one_of(
            st.datetimes(
                min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)
            ).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
            st.sampled_from(["2026-01-01", "2026-01-01 10:00:00.123456"]),
        )


def _resolve(value, w):
    return value(w) if callable(value) else value


@dataclass
class Choice(Field):
    """One of ``choices`` (a tuple, or a function of the world). ``junk`` adds
    wrong values that look right (a function of the world, or a tuple)."""

    choices: Any
    required: bool = True
    value: Any = None
    junk: Any = ()
    # Only ``junk`` breaks it: the field takes more than its choices (a slug).
    only_junk: bool = False

    def _choices(self, w) -> list[str]:
        return [str(c) for c in _resolve(self.choices, w)]

    def base(self, w):
        value = _resolve(self.value, w)
        return value if value is not None else self._choices(w)[0]

    def broken(self, w):
        good = set(self._choices(w))
        generic = (
            [] if self.only_junk else ["not-a-choice", "\x00", "NaN", "-1", "1e309"]
        )
        junk = [j for j in [*generic, *_resolve(self.junk, w)] if j not in good]
        options = [st.sampled_from(junk)]
        if not self.only_junk:
            options.append(huge("x", 300))
        if self.required:
            if "" not in good:
                options.append(st.just(""))
            options.append(st.just(MISSING))
        return st.one_of(*options)

    def noise(self, w):
        return st.sampled_from(self._choices(w))


@dataclass
class MultiChoice(Field):
    choices: Any
    value: Any = ()
    required: bool = True
    junk: Any = ()

    def base(self, w):
        return [str(c) for c in _resolve(self.value, w)]

    def broken(self, w):
        good = {str(c) for c in _resolve(self.choices, w)}
        bad = [
            b
            for b in ["0", "8", "x", "\x00", "-1", "1e309", "", *_resolve(self.junk, w)]
            if b not in good
        ]
        options = [
            st.lists(st.sampled_from(bad), min_size=1, max_size=3).map(
                lambda b: [*self.base(w), *b]
            )
        ]
        if self.required:
            options.append(st.just(MISSING))
        return st.one_of(*options)

    def noise(self, w):
        return st.lists(
            st.sampled_from(sorted(str(c) for c in _resolve(self.choices, w))),
            min_size=1,
            max_size=4,
        )


def forged_ids(real: int | None = None, foreign: int | None = None) -> list[str]:
    """Ids that name nothing this person may use: the other village's object, no
    object, an id past any integer column, negative, not a number."""
    ids = ["987654321", str(10**25), "0", "-1", "abc", "1.0e2", " ", "1;DROP"]
    if foreign is not None:
        ids.append(str(foreign))
    if real is not None:
        ids += [f"{real}abc", f"{real}\x00"]
    return ids


@dataclass
class Ref(Field):
    """A choice of an object by id, posted in a field."""

    attr: str
    required: bool = True
    foreign_attr: str | None = None
    extra_forged: tuple = ()  # world attributes that are wrong here too

    def _pk(self, w, attr):
        obj = w
        for part in attr.split("."):
            obj = getattr(obj, part)
        return obj.pk

    def base(self, w):
        return str(self._pk(w, self.attr))

    def broken(self, w):
        foreign = self._pk(w.other, self.foreign_attr or self.attr)
        forged = forged_ids(self._pk(w, self.attr), foreign)
        forged += [str(self._pk(w, a)) for a in self.extra_forged]
        options = [st.sampled_from(forged)]
        if self.required:
            options.append(st.just(MISSING))
        return st.one_of(*options)

    def noise(self, w):
        return st.just(self.base(w))


@dataclass
class Free(Field):
    """A field any value of which the view accepts (a flag, a redirect target)."""

    value: Any = ""
    required: bool = False

    def base(self, w):
        value = _resolve(self.value, w)
        return value if value else MISSING

    def noise(self, w):
        return st.one_of(
            nasty_text(),
            st.sampled_from(
                ["//evil.example/", "javascript:alert(1)", "yes", "on", "0", "\x00"]
            ),
        )


@dataclass
class Fixed(Field):
    """A field that picks the view's branch: always sent as it is."""

    value: str = ""
    fixed: bool = True

    def base(self, w):
        return self.value

    def maybe(self, w):
        return st.just(self.value)


@dataclass
class Bool(Field):
    required: bool = False

    def base(self, w):
        return "on"

    def noise(self, w):
        return st.sampled_from(["", "false", "0", "off", "yes", "\x00", "🙂"])


def png_bytes(size=(32, 24)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 30)).save(out, "PNG")
    return out.getvalue()


JUNK_BYTES = [
    b"",
    b"\x00" * 64,
    b"not an image at all",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG header and nothing after it
    b"%PDF-1.4\n%%EOF",
    b"PK\x03\x04" + b"\x00" * 40,  # a zip header (xlsx are zips) and nothing
    b"\xff\xd8\xff\xe0" + b"\x00" * 40,
]
FILE_NAMES = [
    "x.png",
    "照片.PNG",
    "../../etc/passwd.png",
    ("a" * 300) + ".png",
    "no-extension",
    "x.exe",
    "\u202egpj.exe",
]


@dataclass
class File(Field):
    """A file upload. ``make`` gives the valid bytes; ``bad_names`` are names the
    form refuses (by extension); ``content_checked`` says whether the form reads the
    bytes (so junk bytes are a breaker)."""

    make: Any = None
    name: str = "photo.png"
    content_type: str = "image/png"
    required: bool = True
    multiple: bool = False
    content_checked: bool = True
    bad_names: tuple = ()
    too_many: int | None = None  # the form refuses more than this many files
    junk: tuple = tuple(JUNK_BYTES)  # contents the form refuses

    def base(self, w):
        content = self.make(w) if callable(self.make) else self.make
        return Upload(self.name, content, self.content_type)

    def broken(self, w):
        options = []
        if self.content_checked:
            options.append(
                st.builds(
                    Upload,
                    st.just(self.name),
                    st.sampled_from(self.junk),
                    st.sampled_from([self.content_type, "text/plain"]),
                )
            )
        else:
            options.append(  # an empty file is refused by every FileField
                st.builds(Upload, st.just(self.name), st.just(b""))
            )
        if self.bad_names:
            options.append(
                st.builds(
                    Upload,
                    st.sampled_from(self.bad_names),
                    st.just(self.base(w).content),
                )
            )
        if self.too_many:
            options.append(st.just([self.base(w)] * (self.too_many + 1)))
        if self.required:
            options += [st.just(MISSING), st.sampled_from(["a text, not a file", ""])]
        return st.one_of(*options)

    def noise(self, w):
        content = self.base(w).content
        return st.builds(Upload, st.sampled_from(FILE_NAMES), st.just(content))


@dataclass
class Items(Field):
    """The shop's ``qty-<product id>`` boxes: one key per product."""

    attr: str = "product"
    required: bool = True

    def base(self, w):
        return [(f"qty-{getattr(w, self.attr).pk}", "1")]

    def broken(self, w):
        real = f"qty-{getattr(w, self.attr).pk}"
        foreign = f"qty-{getattr(w.other, self.attr).pk}"
        bad_quantity = st.sampled_from(
            [*NOT_A_NUMBER, "-1", "0", "", "10001", str(10**30), "-0"]
        ).map(lambda q: [(real, q)])
        bad_product = st.sampled_from([foreign, "qty-987654321", f"qty-{10**25}"]).map(
            lambda key: [(key, "1")]
        )
        return st.one_of(bad_quantity, bad_product, st.just([]))

    def noise(self, w):
        return st.just(self.base(w))


# -- URL parts --------------------------------------------------------------------


@dataclass
class UrlPart:
    def base(self, w) -> str:
        raise NotImplementedError

    def broken(self, w) -> st.SearchStrategy:
        raise NotImplementedError


@dataclass
class VillageSlug(UrlPart):
    def base(self, w):
        return w.village.slug

    def broken(self, w):
        return st.sampled_from([w.other.village.slug, "nowhere", "LIUXI", "x" * 300])


@dataclass
class Pk(UrlPart):
    attr: str

    def base(self, w):
        return str(getattr(w, self.attr).pk)

    def broken(self, w):
        return st.sampled_from(
            [str(getattr(w.other, self.attr).pk), "987654321", str(10**25), "0"]
        )


@dataclass
class ShopSlug(UrlPart):
    def base(self, w):
        return w.shop.slug

    def broken(self, w):
        return st.sampled_from(["nowhere", "x" * 300, "%E4%B8%AD"])


@dataclass
class Token(UrlPart):
    attr: str

    def base(self, w):
        return getattr(w, self.attr)

    def broken(self, w):
        return st.sampled_from(
            [getattr(w.other, self.attr), "A" * 43, "abc", "x" * 2000, "%00"]
        )
