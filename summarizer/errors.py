"""Errors the library raises; each carries a one-line message fit for a user, with no secret in it.

Secrets the process holds (API keys, credentials and key parameters of base URLs) are remembered by
`add_secrets` when settings or a backend are made, and `redact` masks them wherever they turn up: a
server may quote a request back in its error (some proxies echo every header), so any text that
came from outside can carry them. Every error message is redacted when the error is built.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

MASK = "***"
MIN_SECRET = 4  # shorter values would mask ordinary words and numbers all over a message
# query parameters that carry credentials (api-key, key, token, access_token, sig, password, ...)
_SECRET_PARAM = re.compile(r"key|token|secret|passw|pwd|sig|auth|cred", re.I)
_secrets: set[str] = set()


def add_secrets(*values: str | None) -> None:
    """Remember secrets this process holds, so that `redact` masks them from now on."""
    _secrets.update(v for v in values if v and len(v) >= MIN_SECRET)


def url_secrets(url: str | None) -> list[str]:
    """The secrets in a URL, in the forms they are quoted in: credentials (also as HTTP Basic
    sends them) and the values of key-like query parameters (raw and decoded)."""
    if not url:
        return []
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:
        return []
    out: list[str] = []
    if password is not None or user:  # a lone user name may be a token (https://TOKEN@host)
        secret = password if password is not None else user
        pair = f"{unquote_plus(user or '')}:{unquote_plus(password or '')}"
        out += [secret, unquote_plus(secret), pair, base64.b64encode(pair.encode()).decode()]
    for name, value in _query_pairs(parts.query):
        if _SECRET_PARAM.search(name):
            out += [value, unquote_plus(value), quote(unquote_plus(value), safe="")]
    return out


def public_url(url: str) -> str:
    """`url` fit to show: credentials and key-like query values replaced by the mask."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return redact(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{MASK}@{'[' + host + ']' if ':' in host else host}{port}"
    query = "&".join(f"{n}={MASK}" if _SECRET_PARAM.search(n) and v else (f"{n}={v}" if v else n)
                     for n, v in _query_pairs(parts.query))
    return redact(urlunsplit(parts._replace(netloc=netloc, query=query)))


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return [(p.partition("=")[0], p.partition("=")[2]) for p in query.split("&") if p]


def redact(text: str) -> str:
    """`text` with every secret this process holds replaced by the mask (longest first, so a key
    is masked whole even where a shorter secret is part of it)."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class SummarizerError(Exception):
    """Base class: the CLI prints the message on one line and exits non-zero."""

    exit_code = 1

    def __init__(self, *args: object):
        super().__init__(*(redact(a) if isinstance(a, str) else a for a in args))


class InputError(SummarizerError):
    """The article (file, stdin, JSON Lines) cannot be read or holds no text."""

    exit_code = 2


class ModelError(SummarizerError):
    """The embedded model cannot be installed, verified or started."""

    exit_code = 3


class BackendError(SummarizerError):
    """The OpenAI-compatible backend failed after retries, or its output never validated."""

    exit_code = 4


class OutputError(SummarizerError):
    """The result cannot be written where it was asked to go (a file, a device, stdout)."""

    exit_code = 5


def shown(path: Path | str) -> str:
    """A path for a message: bytes that are not UTF-8 as \\xNN, as the user typed them."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
