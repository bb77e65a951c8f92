"""No secrets in the repository: every file git tracks is read for private keys,
provider tokens and long secret-looking values; the scanner is shown to find
planted examples, so a clean result means something."""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
MAX_BYTES = 2 * 1024 * 1024

TOKENS = {
    "private key": re.compile(
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"
    ),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "Aliyun AccessKey": re.compile(r"\bLTAI[0-9A-Za-z]{12,24}\b"),
    "Tencent Cloud SecretId": re.compile(r"\bAKID[0-9A-Za-z]{32}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{40,})"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Stripe live key": re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JSON web token": re.compile(
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
    ),
    "password in a URL": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^/\s:@'\"]{6,}@"
    ),
}
# A secret-sounding name given a literal: name = "value", "name": 'value', or an
# environment line NAME=value.
_NAME = (
    r"(?P<name>[a-z0-9_.-]*(?:secret|token|passw(?:or)?d|api[_-]?key|access[_-]?key"
    r"|private[_-]?key|signing[_-]?key|auth[_-]?key|credential)[a-z0-9_.-]*)"
)
_VALUE = r"(?P<value>[A-Za-z0-9+/=_\-.~!@#$%^&*]{20,})"
QUOTED = re.compile(_NAME + r"[\"']?\s*(?::|=|=>)\s*([\"'])" + _VALUE + r"\2", re.I)
ENV_LINE = re.compile(r"^\s*(?:export\s+)?" + _NAME + r"=" + _VALUE + r"\s*$", re.I)
PLACEHOLDER = re.compile(
    r"(?i)test|example|dummy|fake|sample|placeholder|changeme|not[-_]?secret|insecure"
    r"|dev[-_]only|your[-_]|xxxx|\*\*\*\*|\$\{|\{\{|environ|getenv|settings\."
    r"|change[-_]?me|^password$|^secret$"
)
URL_PASSWORD = re.compile(r"://[^/\s:@'\"]+:([^/\s:@'\"]+)@")


@dataclass(frozen=True)
class Finding:
    kind: str
    line: int
    text: str


def entropy(value: str) -> float:
    """Shannon entropy in bits per character: random keys score high, words low."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def find_secrets(text: str) -> list[Finding]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for kind, pattern in TOKENS.items():
            if pattern.search(line):
                if kind == "password in a URL" and all(
                    PLACEHOLDER.search(m) for m in URL_PASSWORD.findall(line)
                ):
                    continue
                found.append(Finding(kind, number, line.strip()[:120]))
        for match in [*QUOTED.finditer(line), *ENV_LINE.finditer(line)]:
            value = match.group("value")
            if PLACEHOLDER.search(value) or PLACEHOLDER.search(line):
                continue
            if len(set(value)) < 8 or entropy(value) < 3.5:
                continue  # "aaaa…", "password1password1…": not a key
            found.append(Finding("secret-looking value", number, line.strip()[:120]))
    return found


def tracked_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    return [ROOT / n.decode() for n in names if n]


def test_no_tracked_file_holds_a_secret():
    files = tracked_files()
    assert len(files) > 300  # really the repository
    report = {}
    for path in files:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary: images, fonts, workbooks
        findings = find_secrets(data.decode("utf-8", errors="replace"))
        if findings:
            report[str(path.relative_to(ROOT))] = findings
    assert report == {}


def test_secret_files_are_not_tracked():
    names = [p.name for p in tracked_files()]
    for name in names:
        assert not re.fullmatch(
            r"(?i)\.env(\..*)?|.*\.(pem|key|p12|pfx|jks)|id_[rd]sa", name
        ), name


# Planted examples, assembled at run time so this file itself stays clean.
BEGIN = "-----BEGIN "
PLANTED = [
    (BEGIN + "RSA PRIVATE KEY-----\nMIIEow...", "private key"),
    (BEGIN + "OPENSSH PRIVATE KEY-----", "private key"),
    ("aws_id = 'AKIA" + "Q3EGRUQWJ7ZP5TNA'", "AWS access key"),
    ("ALIYUN = 'LTAI" + "5tQbR8kZp3Xw9Yc1'", "Aliyun AccessKey"),
    ("token: gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "GitHub token"),
    (
        "Authorization: eyJ"
        + "hbGciOiJIUzI1NiJ9.eyJ"
        + "zdWIiOiIxMjM0NTY3ODkwIn0."
        + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "JSON web token",
    ),
    (
        "DATABASE_URL=postgres://xiangyue:" + "Zr8#kq2LmW@db.internal/xy",
        "password in a URL",
    ),
    (
        'SECRET_KEY = "' + "k9#f2Lq!v8Zr$w1Xb7Np@e4Tg6Ym0Hc3Sj5Ud" + '"',
        "secret-looking value",
    ),
    ("SMS_HTTP_SECRET=" + "Qm7vT2xK9pR4wZ8nB3cF6hJ1", "secret-looking value"),
    ('"api_key": "' + "8f14e45fceea167a5a36dedd4bea2543" + '"', "secret-looking value"),
]


@pytest.mark.parametrize(("sample", "kind"), PLANTED)
def test_the_scanner_finds_planted_secrets(sample, kind):
    assert kind in {f.kind for f in find_secrets(sample)}


@pytest.mark.parametrize(
    "sample",
    [
        'SECRET_KEY = os.environ.get("SECRET_KEY", "")',
        'SECRET_KEY = "test-only-not-secret"',
        'SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")',
        'password1 = "correct horse battery"',
        'SMS_HTTP_SECRET = "secret-1"',
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiangyue",
        'token = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"',
        "csrf_token = request.POST.get('csrfmiddlewaretoken')",
        "token = secrets.token_urlsafe(TOKEN_BYTES)",
        'password = factory.django.Password("correct horse battery")',
        "SECRET_KEY=change-me-to-64-random-characters-python3-c-import-secrets-48",
        "DATABASE_URL=postgres://xiangyue:PASSWORD@10.0.0.20:5432/xiangyue",
    ],
)
def test_the_scanner_lets_ordinary_code_pass(sample):
    assert find_secrets(sample) == []
