"""Profile "auto": ask an endpoint's /models who serves it and which model it offers.

The answer says what it could not find out, in words fit for the user: a hang, a refused
connection, a refused key, a server of unknown kind. Choosing what to do then is the caller's job.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from .transport import authorization, endpoint

# What /v1/models says in `owned_by`, by server
OWNED_BY = {"me": "llama-cpp-python", "llamacpp": "llama.cpp", "vllm": "vllm",
            "library": "ollama", "ollama": "ollama", "openai": "openai"}
OPENAI_HOSTS = {"api.openai.com"}  # its models say owned_by "system" or an organisation too


@dataclass(frozen=True)
class Probe:
    profile: str | None  # None: /models did not tell (see `problem`)
    model: str | None  # the first model listed
    problem: str | None = None  # what went wrong, as a clause after "<url>/models"


def probe_models(base_url: str, api_key: str | None, timeout: float) -> Probe:
    """Ask `base_url`/models, waiting at most `timeout` seconds for each step of the answer."""
    bare, auth = authorization(base_url, api_key)  # credentials in the URL go as HTTP Basic
    req = urllib.request.Request(endpoint(bare, "/models"))
    req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        return Probe(None, None, _http_problem(exc))
    except urllib.error.URLError as exc:
        return Probe(None, None, _connection_problem(exc.reason, timeout))
    except OSError as exc:  # a timeout or reset while reading the answer
        return Probe(None, None, _connection_problem(exc, timeout))
    try:
        data = json.loads(body.decode("utf-8", "replace")).get("data") or []
    except (ValueError, AttributeError):
        return Probe(None, None, "answered with something other than a model list")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    model = str(first["id"]) if first.get("id") else None
    if not model:
        return Probe(None, None, "listed no model")
    owned_by = str(first.get("owned_by", ""))
    profile = OWNED_BY.get(owned_by.lower()) or ("openai" if urlsplit(base_url).hostname in OPENAI_HOSTS else None)
    if profile is None:
        return Probe(None, model, f"names a server of unknown kind (owned_by {owned_by!r})")
    return Probe(profile, model)


def _http_problem(exc: urllib.error.HTTPError) -> str:
    detail = _server_message(exc)
    if exc.code in (401, 403):
        return f"answered HTTP {exc.code} (the API key was refused{': ' + detail if detail else ''})"
    return f"answered HTTP {exc.code}{f' ({detail})' if detail else ''}"


def _server_message(exc: urllib.error.HTTPError) -> str:
    """The server's own words ({"error": {"message": ...}}), on one short line."""
    try:
        raw = exc.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw
    text = body
    if isinstance(body, dict):
        inner = body.get("error")
        text = inner.get("message") if isinstance(inner, dict) else inner or body.get("message")
    line = " ".join(str(text or "").split())
    return line if len(line) <= 160 else line[:159] + "…"


def _connection_problem(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"did not answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "refused the connection"
    if isinstance(reason, socket.gaierror):
        return f"cannot be reached: unknown host ({reason.strerror})"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot be reached ({' '.join(str(text).split())})"
