"""Secrets in QR codes: long and random, kept only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

TOKEN_BYTES = 32  # 43 url-safe characters
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
CODE_DIGITS = 6


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: str) -> bool:
    return bool(TOKEN_RE.match(token or ""))


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def clean_code(text: str) -> str | None:
    """The code as typed ("123 456", full-width "１２３４５６") or None."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text or ""))
    if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None
