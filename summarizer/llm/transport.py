"""The HTTP under every model call: JSON posted to the OpenAI-compatible API over one aiohttp session.

openai's own client spends about 2 ms of CPU on each request (its typed request builder, httpx, its
lenient response constructor); with 16 articles in flight on one event loop that CPU, not the
backend, set a batch's pace (benchmarks/RESULTS.md, section 3). aiohttp sends the same bytes for
about 0.3 ms. What the caller sees stays openai's: the `ChatCompletion` type, the exception classes
and openai's own mapping of status codes to them, so retries and error messages are unchanged.
"""

from __future__ import annotations

import asyncio
import base64
import json
import urllib.request
from urllib.parse import unquote, urlsplit, urlunsplit
from typing import Any

import aiohttp
import httpx2  # openai's HTTP library: its exceptions carry httpx requests and responses
import openai
import pydantic
from openai.types.chat import ChatCompletion

from ..version import __version__

CONNECT_TIMEOUT = 30.0  # seconds; a backend that does not accept a connection by then is down
MAX_CONNECTIONS = 1000  # openai's own default; our concurrency settings bound what is in flight
# Idle keep-alive connections are dropped before servers drop them (uvicorn, llama.cpp: 5 s), so a
# request never goes out on a connection the server is closing (a POST is not replayed).
KEEPALIVE = 4.0
_WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


class Transport:
    """POSTs to one base URL over one aiohttp session, bound to the event loop in use (aiohttp's
    sessions belong to the loop that made them): a call from a new loop (another `asyncio.run`)
    starts a new session. Close with `aclose` on the loop that made the calls. A session left
    behind unclosed (its loop finished, or the transport dropped) is marked closed so aiohttp does
    not report it at exit; its sockets are released when the garbage collector takes them.

    `timeout` is a deadline for the whole request (openai's client applied it to each phase);
    connecting gets at most CONNECT_TIMEOUT of it. Proxies come from HTTP(S)_PROXY / NO_PROXY as
    aiohttp reads them (http:// proxies; not ALL_PROXY or socks).
    """

    def __init__(self, base_url: str, api_key: str | None, timeout: float, errors: openai.AsyncOpenAI):
        self.base_url, auth = authorization(base_url, api_key)
        self.headers = {"Authorization": auth, "Content-Type": "application/json",
                        "Accept": "application/json", "User-Agent": f"summarizer/{__version__}"}
        # what openai's client adds from OPENAI_ORG_ID / OPENAI_PROJECT_ID (billing attribution)
        if errors.organization:
            self.headers["OpenAI-Organization"] = errors.organization
        if errors.project:
            self.headers["OpenAI-Project"] = errors.project
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=min(timeout, CONNECT_TIMEOUT))
        # openai's client trusts the certificates httpx finds (certifi, or the system's store);
        # aiohttp's default is the ssl module's, which some Python builds leave empty.
        self._ssl = httpx2.create_ssl_context() if self.base_url.startswith("https:") else None
        self._errors = errors  # the openai client whose status-code mapping names our errors
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _session_here(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            _abandon(self._session)
            # Proxies from the environment, as openai's client honours them; aiohttp's trust_env
            # looks them (and ~/.netrc) up on every request, so only when some are set.
            connector = aiohttp.TCPConnector(limit=MAX_CONNECTIONS, keepalive_timeout=KEEPALIVE,
                                             ssl=self._ssl if self._ssl is not None else True)
            self._session = aiohttp.ClientSession(connector=connector,
                                                  trust_env=bool(urllib.request.getproxies()))
            self._loop = loop
        return self._session

    async def post(self, path: str, body: dict[str, Any], *, headers: dict[str, str] | None = None,
                   params: dict[str, Any] | None = None, timeout: float | None = None) -> ChatCompletion:
        """POST `body` as JSON to base_url + path; the answer as a ChatCompletion, or openai's error."""
        url = endpoint(self.base_url, path)
        # the JSON openai's client sends: compact, UTF-8
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        limit = self.timeout if timeout is None else aiohttp.ClientTimeout(
            total=timeout, connect=min(timeout, CONNECT_TIMEOUT))
        try:
            async with self._session_here().post(url, data=data, params=params, timeout=limit,
                                                 headers={**self.headers, **(headers or {})}) as resp:
                raw = await resp.read()  # decompressed already: drop the headers that describe the wire
                status = resp.status
                resp_headers = {k: v for k, v in resp.headers.items() if k.lower() not in _WIRE_HEADERS}
        except asyncio.TimeoutError as exc:  # before aiohttp.ClientError: its timeouts are both
            raise openai.APITimeoutError(request=_request(url)) from exc
        except aiohttp.ClientError as exc:
            raise openai.APIConnectionError(message=f"Connection error: {exc}", request=_request(url)) from exc
        if status >= 400:
            response = httpx2.Response(status, headers=resp_headers, content=raw, request=_request(url))
            # openai's own status → exception mapping and message (a method of the pinned client)
            raise self._errors._make_status_error_from_response(response)
        try:
            return ChatCompletion.model_validate_json(raw)
        except pydantic.ValidationError:
            pass  # not strictly the OpenAI shape: read it as leniently as openai's client does
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            response = httpx2.Response(status, headers=resp_headers, content=raw, request=_request(url))
            raise openai.APIResponseValidationError(response=response, body=raw.decode("utf-8", "replace"),
                                                    message="the backend's answer is not a JSON object")
        return ChatCompletion.construct(**answer)

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is asyncio.get_running_loop():
                await session.close()
            else:
                _abandon(session)

    def __del__(self) -> None:
        _abandon(self._session)


def endpoint(base_url: str, path: str) -> str:
    """`path` under the base URL, before its query (`.../v1?api-version=X` + /models is
    `.../v1/models?api-version=X`)."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + path))


def authorization(base_url: str, api_key: str | None) -> tuple[str, str]:
    """(base URL without credentials, Authorization header). The API key is sent as a bearer
    token; without one, `user:password@` in the URL is sent as HTTP Basic (as curl does), for a
    backend behind a password-protected proxy."""
    parts = urlsplit(base_url)
    if "@" not in parts.netloc:
        return base_url, f"Bearer {api_key or 'not-needed'}"
    bare = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if api_key:
        return bare, f"Bearer {api_key}"
    pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    return bare, "Basic " + base64.b64encode(pair.encode()).decode()


def _request(url: str) -> httpx2.Request:
    return httpx2.Request("POST", url)


def _abandon(session: aiohttp.ClientSession | None) -> None:
    """Let go of a session that cannot be awaited any more (its loop is gone, or its owner is).

    Marked closed, aiohttp reports neither it nor its connector at exit; if its loop still lives,
    the pooled connections are closed on it (aiohttp's synchronous `_close`, pinned version).
    """
    if session is None or session.closed:
        return
    connector = session.connector
    session.detach()  # marks the session closed without a coroutine
    if connector is not None:
        connector._close()
