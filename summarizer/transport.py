"""The HTTP under every model call: JSON posted to the OpenAI-compatible API over one aiohttp session.

openai's own client spends about 2 ms of CPU on each request (its typed request builder, httpx, its
lenient response constructor); with 16 articles in flight on one event loop that CPU, not the
backend, set a batch's pace (benchmarks/RESULTS.md, section 3). aiohttp sends the same bytes for
about 0.3 ms. What the caller sees stays openai's: the `ChatCompletion` type, the exception classes
and openai's own mapping of status codes to them, so retries and error messages are unchanged.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any

import aiohttp
import httpx2  # openai's HTTP library: its exceptions carry httpx requests and responses
import openai
import pydantic
from openai.types.chat import ChatCompletion

from . import __version__

CONNECT_TIMEOUT = 30.0  # seconds; a backend that does not accept a connection by then is down
MAX_CONNECTIONS = 1000  # openai's own default; our concurrency settings bound what is in flight


class Transport:
    """POSTs to one base URL over one aiohttp session, bound to the event loop in use (aiohttp's
    sessions belong to the loop that made them): a call from a new loop (another `asyncio.run`)
    starts a new session and shuts the old one. `aclose` closes it; a transport dropped unclosed
    shuts its connections without warnings."""

    def __init__(self, base_url: str, api_key: str, timeout: float, errors: openai.AsyncOpenAI):
        self.base_url = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json",
                        "Accept": "application/json", "User-Agent": f"summarizer/{__version__}"}
        self.timeout = aiohttp.ClientTimeout(total=timeout, connect=min(timeout, CONNECT_TIMEOUT))
        self._errors = errors  # the openai client whose status-code mapping names our errors
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _session_here(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            _abandon(self._session)
            # Proxies from the environment, as openai's client honours them; aiohttp's trust_env
            # looks them (and ~/.netrc) up on every request, so only when some are set.
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=MAX_CONNECTIONS),
                                                  trust_env=bool(urllib.request.getproxies()))
            self._loop = loop
        return self._session

    async def post(self, path: str, body: dict[str, Any], *, headers: dict[str, str] | None = None,
                   params: dict[str, Any] | None = None, timeout: float | None = None) -> ChatCompletion:
        """POST `body` as JSON to base_url + path; the answer as a ChatCompletion, or openai's error."""
        url = self.base_url + path
        # the bytes openai's client would send (compact, UTF-8), so recorded cassettes still match
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        limit = self.timeout if timeout is None else aiohttp.ClientTimeout(
            total=timeout, connect=min(timeout, CONNECT_TIMEOUT))
        try:
            async with self._session_here().post(url, data=data, params=params, timeout=limit,
                                                 headers={**self.headers, **(headers or {})}) as resp:
                raw = await resp.read()
                status, resp_headers = resp.status, dict(resp.headers)
        except asyncio.TimeoutError as exc:  # before aiohttp.ClientError: its timeouts are both
            raise openai.APITimeoutError(request=_request(url)) from exc
        except aiohttp.ClientError as exc:
            raise openai.APIConnectionError(message=f"Connection error: {exc}", request=_request(url)) from exc
        if status >= 400:
            response = httpx2.Response(status, headers=resp_headers, content=raw, request=_request(url))
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


def _request(url: str) -> httpx2.Request:
    return httpx2.Request("POST", url)


def _abandon(session: aiohttp.ClientSession | None) -> None:
    """Shut a session that cannot be awaited any more (its loop is gone, or its owner is): close its
    sockets now, so neither aiohttp nor asyncio reports an unclosed session at exit."""
    if session is None or session.closed:
        return
    connector = session.connector
    session.detach()  # marks the session closed without a coroutine
    if connector is not None:
        connector._close()  # the synchronous part of close(): every pooled transport closed now
