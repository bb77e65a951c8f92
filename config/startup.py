"""What production refuses to start with, as plain functions that the settings
call and the tests attack. Each answer is one line an operator can act on."""

import os
from pathlib import Path

# Django's own check (security.W009) wants 50 characters and 5 distinct ones. A
# key typed by a person ("xiangyue-county-2026-" repeated) passes that; random keys
# do not come near 12: `secrets.token_urlsafe(48)` shows ~40 distinct characters,
# Django's get_random_secret_key() ~32, and even `openssl rand -hex 32` (16
# symbols, 64 characters) shows fewer than 12 about once in 10^9 draws. So 12
# refuses keys of a few symbols and never a generated one. A phrase repeated to
# reach the length ("xiangyue-2026-" four times has 12 distinct characters) is
# refused by its repetition: any 8 characters seen twice. Among the ~1,800 pairs
# of positions in 64 random characters, that happens about once in 2 million draws
# for hex and never in practice for token_urlsafe.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 12
SECRET_KEY_REPEAT = 8
# Keys Django itself calls insecure (startproject), and placeholders' words.
SECRET_KEY_MARKERS = ("django-insecure", "change-me", "changeme", "change_me")
# Where the release writes text: a key found in any of these files is published.
SOURCE_FOLDERS = (
    "config",
    "site",
    "points",
    "deliberation",
    "templates",
    "tests",
    "bench",
    "locale",
)
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".txt",
    ".toml",
    ".cfg",
    ".ini",
    ".conf",
    ".example",
    ".yml",
    ".yaml",
    ".json",
    ".html",
    ".po",
    ".sh",
    ".service",
    ".timer",
}
HOW = 'make one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))"'


def _release_files(root: Path):
    for name in os.listdir(root):
        path = root / name
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or name in {"Makefile"}):
            yield path
    for folder in SOURCE_FOLDERS:
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames[:] = [d for d in dirnames if not d.startswith((".", "__"))]
            for filename in filenames:
                path = Path(dirpath, filename)
                # run-job, crontab: no suffix, still ours. Not "env": an operator's
                # copy of their own environment is theirs, not the release's.
                if path.suffix in TEXT_SUFFIXES or filename in {"run-job", "crontab"}:
                    yield path


def published_in(value: str, root: Path) -> Path | None:
    """The first file of the release that holds ``value``, if any."""
    needle = value.encode()
    for path in _release_files(root):
        try:
            if needle in path.read_bytes():
                return path
        except OSError:
            continue
    return None


def secret_key_problem(key: str, *, root: Path) -> str | None:
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long; {HOW}"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return (
            f"SECRET_KEY has fewer than {SECRET_KEY_MIN_DISTINCT} different characters: "
            f"it was typed, not generated; {HOW}"
        )
    runs = [key[i : i + SECRET_KEY_REPEAT] for i in range(len(key) - SECRET_KEY_REPEAT)]
    if len(set(runs)) < len(runs):
        return f"SECRET_KEY repeats itself: it was typed, not generated; {HOW}"
    found = published_in(key, root)
    if found:
        return (
            f"SECRET_KEY is published in {found.relative_to(root)}: anyone can sign "
            f"with it; {HOW}"
        )
    lowered = key.lower()
    if any(marker in lowered for marker in SECRET_KEY_MARKERS):
        return f"SECRET_KEY is a placeholder, not a secret; {HOW}"
    return None


def allowed_hosts_problem(raw: str) -> str | None:
    entries = [entry.strip() for entry in raw.split(",")]
    if not any(entries):
        return "ALLOWED_HOSTS must be set in production."
    if not all(entries):
        return (
            f"ALLOWED_HOSTS has an empty entry ({raw!r}): list the site's host names "
            "separated by commas, e.g. ALLOWED_HOSTS=xiangyue.example.cn"
        )
    if any(" " in entry or "/" in entry for entry in entries):
        return (
            f"ALLOWED_HOSTS takes host names, not addresses ({raw!r}): "
            "e.g. ALLOWED_HOSTS=xiangyue.example.cn"
        )
    return None
