"""The roster spreadsheet as committees write it: Chinese headers, Chinese words for
relations and roles, numbers typed any way Excel lets them be typed.

The header texts and cell words below are the file's data format, not interface
text, so they are not translated: a committee in an English session still gets
`姓名` in its export, and an English header is accepted as an alias.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from villages.models import Relation, Role

# Column key → the header we write. The order is the order of the export.
HEADERS: dict[str, str] = {
    "name": "姓名",
    "phone": "手机号",
    "household": "户号",
    "relation": "与户主关系",
    "birth_year": "出生年份",
    "grid": "网格",
    "roles": "角色",
}
REQUIRED_COLUMNS = ("name", "phone")

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "成员姓名", "name"),
    "phone": (
        "手机号",
        "手机号码",
        "手机",
        "电话",
        "联系电话",
        "电话号码",
        "phone",
        "mobile",
    ),
    "household": ("户号", "户编号", "家庭户号", "household", "householdnumber"),
    "relation": ("与户主关系", "与户主的关系", "家庭关系", "关系", "relation"),
    "birth_year": (
        "出生年份",
        "出生年",
        "出生年月",
        "出生日期",
        "birthyear",
        "yearofbirth",
    ),
    "grid": ("网格", "所属网格", "网格名称", "grid"),
    "roles": ("角色", "身份", "职务", "roles", "role"),
}
HEADER_LOOKUP: dict[str, str] = {
    alias: key for key, aliases in _HEADER_ALIASES.items() for alias in aliases
}

# Relation to the head of the household: every word people write → our value.
RELATION_WORDS: dict[str, str] = {
    "户主": Relation.HEAD,
    "本人": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "妻子": Relation.SPOUSE,
    "丈夫": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "儿子": Relation.CHILD,
    "女儿": Relation.CHILD,
    "儿媳": Relation.CHILD_IN_LAW,
    "女婿": Relation.CHILD_IN_LAW,
    "儿媳/女婿": Relation.CHILD_IN_LAW,
    "父母": Relation.PARENT,
    "父亲": Relation.PARENT,
    "母亲": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD,
    "孙子": Relation.GRANDCHILD,
    "孙女": Relation.GRANDCHILD,
    "兄弟姐妹": Relation.SIBLING,
    "兄弟": Relation.SIBLING,
    "姐妹": Relation.SIBLING,
    "其他": Relation.OTHER,
    **{value: value for value in Relation.values},
}
# What the export writes for each relation (each one reads back as itself).
RELATION_EXPORT: dict[str, str] = {
    Relation.HEAD: "户主",
    Relation.SPOUSE: "配偶",
    Relation.CHILD: "子女",
    Relation.CHILD_IN_LAW: "儿媳/女婿",
    Relation.PARENT: "父母",
    Relation.GRANDCHILD: "孙子女",
    Relation.SIBLING: "兄弟姐妹",
    Relation.OTHER: "其他",
}

ROLE_WORDS: dict[str, str] = {
    "村民": Role.RESIDENT,
    "居民": Role.RESIDENT,
    "户代表": Role.HOUSEHOLD_REP,
    "户主代表": Role.HOUSEHOLD_REP,
    "网格员": Role.GRID_WORKER,
    "村两委": Role.COMMITTEE,
    "两委": Role.COMMITTEE,
    "村委": Role.COMMITTEE,
    "村委会": Role.COMMITTEE,
    "居委会": Role.COMMITTEE,
    "店主": Role.SHOPKEEPER,
    "超市店主": Role.SHOPKEEPER,
    "村民代表": Role.VILLAGER_REP,
    "居民代表": Role.VILLAGER_REP,
    "村务监督委员会": Role.MONITOR,
    "监督委员会": Role.MONITOR,
    "村监委": Role.MONITOR,
    "监委会": Role.MONITOR,
    **{value: value for value in Role.values},
}
ROLE_EXPORT: dict[str, str] = {
    Role.RESIDENT: "村民",
    Role.HOUSEHOLD_REP: "户代表",
    Role.GRID_WORKER: "网格员",
    Role.COMMITTEE: "村两委",
    Role.SHOPKEEPER: "店主",
    Role.MONITOR: "村务监督委员会",
    Role.VILLAGER_REP: "村民代表",
}
ROLE_SEPARATORS = re.compile(r"[、，,;；/\s]+")

_SPACES = re.compile(r"\s+")
_NOTE_IN_BRACKETS = re.compile(r"[(（【\[].*?[)）】\]]")
_LEADING_YEAR = re.compile(r"^(\d{4})(?:\D|$)")


def normalize_header(value: Any) -> str:
    """`手机号码（必填）*` → `手机号码`: no spaces, notes in brackets or stars."""
    text = cell_text(value)
    text = _NOTE_IN_BRACKETS.sub("", text)
    return _SPACES.sub("", text).replace("*", "").replace("_", "").lower()


def header_key(value: Any) -> str | None:
    return HEADER_LOOKUP.get(normalize_header(value))


def cell_text(value: Any) -> str:
    """A cell as the text a person sees: `13800138000.0` → `13800138000`.

    Also undoes our own export's neutralisation (`'=x` → `=x`), so an exported
    roster reads back unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
        text = text[1:].strip()
    return text


def parse_year(value: Any) -> int | None:
    """`1980`, `1980.0`, `1980年`, `1980-05-01` or a date cell → 1980; else None."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.year
    match = _LEADING_YEAR.match(cell_text(value))
    return int(match.group(1)) if match else None


def split_roles(value: Any) -> list[str]:
    return [word for word in ROLE_SEPARATORS.split(cell_text(value)) if word]


def export_phone(e164: str | None) -> str:
    """Mainland numbers in the form people type (`13800138000`), so the export
    reads back; any other number as it is (the export makes its `+` inert)."""
    if not e164:
        return ""
    if e164.startswith("+86") and len(e164) == 14:
        return e164[3:]
    return e164
