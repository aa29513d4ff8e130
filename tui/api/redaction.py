"""The one redaction point: every secret known at any moment of the run, removed from text.

Credentials register themselves when they come to exist (``tui.api.auth``: a password
when it is given, an OAuth token when the server issues it), so that text leaving the
process is redacted of tokens issued after start too. ``redact`` is applied where text
leaves: the errors of the client's send loop, the debug log's handler, the CLI's stderr,
the audit log.
"""

from __future__ import annotations

import re
import threading

# A secret at least this long (an MD5, a base64 header, a token) cannot occur by chance
# in the data, so it is removed wherever it is, even glued to other letters (as in a
# percent-encoded echo). A shorter one (the demo password "demo") is removed only where
# it stands as itself, so that a user code like "tillrulocaldemonightly1" stays whole.
ANYWHERE_LENGTH = 16
# Shorter strings are not secrets worth the damage of redacting them everywhere.
SHORTEST_SECRET = 4
REDACTED = "<redacted>"
# Not a letter or digit (any script): what may stand next to a short secret.
_NOT_ALNUM_BEFORE = r"(?<![^\W_])"
_NOT_ALNUM_AFTER = r"(?![^\W_])"

_lock = threading.Lock()  # tokens are issued on worker threads too
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _secret_pattern(secret: str) -> str:
    pattern = re.escape(secret)
    if len(secret) >= ANYWHERE_LENGTH:
        return pattern
    # A boundary is only needed where the secret's own edge is a letter or digit.
    if secret[0].isalnum():
        pattern = _NOT_ALNUM_BEFORE + pattern
    if secret[-1].isalnum():
        pattern += _NOT_ALNUM_AFTER
    return pattern


def _compile(secrets: set[str]) -> re.Pattern[str] | None:
    if not secrets:
        return None
    # Longest first: an alternation takes the first branch that matches, so a shorter
    # secret inside a longer one must not consume part of it and leave the rest readable.
    ordered = sorted(secrets, key=lambda s: (-len(s), s))
    return re.compile("|".join(_secret_pattern(s) for s in ordered))


def register(*secrets: str | None) -> None:
    """Add secrets to the process's registry (from now on ``redact`` removes them)."""
    global _pattern
    new = {s for s in secrets if s and len(s) >= SHORTEST_SECRET} - _secrets
    if not new:
        return
    with _lock:
        _secrets.update(new)
        _pattern = _compile(_secrets)


def forget_all() -> None:
    """Empty the registry: a caller that runs several commands in one process (the tests
    do) must not have one run's password redacted out of the next run's words."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``<redacted>``."""
    pattern = _pattern
    return text if pattern is None else pattern.sub(REDACTED, text)
