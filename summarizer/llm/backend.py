"""One OpenAI-compatible endpoint: its client, its request shape, and the retry policy.

Every backend (OpenAI, vLLM, Ollama, llama.cpp) goes through this one code path. What differs is
how structured output is requested, so a profile names the request shape:
- "json_schema": the standard `response_format={"type": "json_schema", ...}` (OpenAI, vLLM, Ollama,
  llama.cpp's C++ server);
- "json_object_schema": `{"type": "json_object", "schema": ...}`, the only form llama-cpp-python's
  server constrains decoding with (it answers the standard form with HTTP 500).

Retries are owned here and nowhere else: the openai client's own retries are off, tenacity retries
transport failures (connection, timeout, 429 with Retry-After, 5xx), and instructor re-asks a bounded
number of times when the output fails validation. The two budgets are separate.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import instructor
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from ..errors import BackendError, add_secrets, public_url, redact, url_secrets
from ..models.brief import Usage
from .transport import Transport

T = TypeVar("T", bound=BaseModel)
# instructor logs each failed attempt as a warning; with no handler Python would print it to
# stderr. The library never prints: failures reach the caller as one BackendError.
logging.getLogger("instructor").addHandler(logging.NullHandler())
Shape = Literal["json_schema", "json_object_schema"]


@dataclass(frozen=True)
class Profile:
    """How to talk to one kind of backend. Chosen by configuration, never by code edits."""

    name: str
    shape: Shape
    concurrency: int  # requests in flight at once that the backend serves well
    passes: Literal["multi", "single"]  # focused passes for small models, one call for strong ones


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("llama-cpp-python", "json_object_schema", concurrency=1, passes="multi"),
        Profile("llama.cpp", "json_schema", concurrency=1, passes="multi"),
        Profile("ollama", "json_schema", concurrency=2, passes="multi"),
        Profile("vllm", "json_schema", concurrency=32, passes="multi"),
        Profile("openai", "json_schema", concurrency=8, passes="single"),
        # a server of unknown kind (profile auto could not tell): the standard shape, the passes any model manages
        Profile("standard", "json_schema", concurrency=4, passes="multi"),
    )
}


@dataclass
class RetryPolicy:
    attempts: int = 4  # transport attempts in all (1 + retries)
    reasks: int = 2  # validation re-asks, on top of the first answer
    backoff_initial: float = 0.5
    backoff_max: float = 20.0
    retry_after_max: float = 60.0
    sleep: Any = field(default=asyncio.sleep)  # injectable so tests need not wait

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = _retry_after(_root(exc)) if exc is not None else None
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        return min(self.backoff_initial * 2 ** (state.attempt_number - 1), self.backoff_max)


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(exc, "response", None)
    value = getattr(response, "headers", {}).get("retry-after") if response is not None else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def _answer_class(model: type[T]) -> type[T]:
    """instructor's wrapper of `model`, built once, with its JSON schema generated once.

    Per call, instructor wraps the model in a new class (`response_schema`) and regenerates its
    schema: milliseconds of CPU per call on one event loop, which capped batch throughput
    (benchmarks/RESULTS.md, section 2b). Given a class that is already a wrapper it skips both.
    The answer models are few and fixed, so caching per class is safe.
    """
    wrapped = instructor.response_schema(model)
    schema = wrapped.model_json_schema()

    def model_json_schema(cls: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # callers only read the schema (instructor puts it in the request; so do we)
        return schema if not args and not kwargs else wrapped.model_json_schema.__func__(cls, *args, **kwargs)

    # the same name as the model: it appears in the request and in validation errors sent back
    answer = type(model.__name__, (wrapped,), {"__qualname__": model.__qualname__, "__doc__": model.__doc__,
                                                "__module__": model.__module__,
                                                "model_json_schema": classmethod(model_json_schema)})
    return answer


# `chat.completions.create` keywords that are request options, not part of the JSON body
_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


def _walk_each_class_once() -> None:
    """instructor walks the response model for async validators 3-5 times per call (about a fifth
    of the library's CPU per call); a class cannot gain validators after it is built, so one walk
    per class is enough. Changes nothing else, and nothing if instructor's layout differs."""
    try:
        from instructor.v2.validation import async_validators as mod
    except ImportError:  # pragma: no cover - another instructor layout: keep its behaviour
        return
    walk = getattr(mod, "reject_async_validators", None)
    if walk is None or getattr(walk, "walks_once", False):
        return
    checked: weakref.WeakSet[type] = weakref.WeakSet()

    def once(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in checked:
            return
        walk(response_model)
        if isinstance(response_model, type):
            checked.add(response_model)

    once.walks_once = True  # type: ignore[attr-defined]
    # modules that imported the function by name hold their own reference to it
    for name, module in list(sys.modules.items()):
        if name.startswith("instructor") and getattr(module, "reject_async_validators", None) is walk:
            module.reject_async_validators = once


def is_transient(exc: BaseException) -> bool:
    """Transport failures worth another try (the status codes the openai client itself retries)."""
    exc = _root(exc)
    if isinstance(exc, (openai.APIConnectionError, openai.APITimeoutError)):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def _root(exc: BaseException) -> BaseException:
    """instructor wraps provider errors; find the openai error underneath, if any."""
    seen = exc
    for _ in range(5):
        if isinstance(seen, openai.OpenAIError):
            return seen
        nxt = seen.__cause__ or seen.__context__
        if nxt is None:
            break
        seen = nxt
    return exc


def describe(exc: BaseException, base_url: str, attempts: int) -> str:
    """One line naming the cause, for the user."""
    root = _root(exc)
    if isinstance(root, openai.APITimeoutError):
        return f"backend at {base_url} timed out (after {attempts} attempts)"
    if isinstance(root, openai.APIConnectionError):
        return f"cannot reach backend at {base_url}: connection failed (after {attempts} attempts)"
    if isinstance(root, openai.RateLimitError):
        return f"backend at {base_url} is rate limiting (HTTP 429, after {attempts} attempts)"
    if isinstance(root, openai.AuthenticationError):
        return f"backend at {base_url} refused the API key (HTTP 401)"
    if isinstance(root, openai.NotFoundError):
        return f"backend at {base_url} answered 404: wrong --base-url or unknown --model"
    if isinstance(root, openai.APIResponseValidationError):
        return (f"backend at {base_url} answered with something other than a chat completion: "
                f"{_short(str(root.body))}")
    if isinstance(root, openai.APIStatusError):
        msg = _short(_error_message(root))
        return f"backend at {base_url} answered HTTP {root.status_code}: {msg} (after {attempts} attempts)"
    if isinstance(exc, IncompleteOutputException):
        return "the model's output was cut off by the length limit (finish_reason 'length')"
    if isinstance(exc, InstructorRetryException):
        inner = exc.__cause__ or exc
        return f"the model's output failed validation after {exc.n_attempts} tries: {_short(str(inner))}"
    return f"backend call failed: {type(exc).__name__}: {_short(str(exc))}"


def _error_message(exc: openai.APIStatusError) -> str:
    """The server's own words ({"error": {"message": ...}}), not openai's wrapper text."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(body.get("message"), str):
            return body["message"]
    return exc.message


def _short(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters, secrets masked first (a cut key is no longer found)."""
    line = " ".join(redact(str(text)).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _count(usage: Any, field: str) -> int:
    """A token count from a server's usage report; 0 where it is missing or not a number."""
    try:
        return int(getattr(usage, field, 0) or 0)
    except (TypeError, ValueError):
        return 0


class Backend:
    """Structured-output calls against one endpoint, with retries and usage accounting."""

    def __init__(self, base_url: str, model: str, profile: Profile, api_key: str | None = None,
                 timeout: float = 600.0, policy: RetryPolicy | None = None,
                 temperature: float = 0.0):
        add_secrets(api_key, *url_secrets(base_url))
        self.base_url = public_url(base_url)  # what messages and briefs show; the transport has the real one
        self.model = model
        self.profile = profile
        self.policy = policy or RetryPolicy()
        self.temperature = temperature
        # max_retries=0: tenacity below owns the transport retry policy. The openai client sends
        # nothing itself: `transport` does (see transport.py), with this client's error mapping.
        self.raw = openai.AsyncOpenAI(base_url=base_url, api_key=api_key or "not-needed",
                                      max_retries=0, timeout=timeout)
        self.transport = Transport(base_url, api_key, timeout, errors=self.raw)
        # instructor's own construction (what from_openai does), with our `_send` as the create call
        mode = instructor.Mode.JSON_SCHEMA
        self.client = instructor.AsyncInstructor(client=self.raw, create=instructor.patch(create=self._send, mode=mode),
                                                 mode=mode, provider=instructor.Provider.OPENAI)
        _walk_each_class_once()

    async def _send(self, **params: Any) -> ChatCompletion:
        """Send instructor's request in this profile's shape (instructor's `create` call).

        `chat.completions.create` would re-walk every parameter against its typed definition on
        each call (about 1.6 ms of CPU) and then send through openai's HTTP stack (about 2 ms
        more); the transport sends the same JSON and raises the same errors for a fraction.
        """
        if params.get("stream"):
            raise ValueError("streamed completions are not supported here")
        # request options, should a caller ever pass them, are not part of the JSON body
        options = {key: params.pop(key) for key in _REQUEST_OPTIONS if key in params}
        params.update(options.pop("extra_body", None) or {})
        fmt = params.get("response_format")
        if self.profile.shape == "json_object_schema" and fmt and fmt.get("type") == "json_schema":
            params["response_format"] = {"type": "json_object", "schema": fmt["json_schema"]["schema"]}
        return await self.transport.post("/chat/completions", params, headers=options.get("extra_headers"),
                                         params=options.get("extra_query"), timeout=options.get("timeout"))

    async def extract(self, response_model: type[T], messages: list[dict[str, str]],
                      max_tokens: int = 1024) -> tuple[T, Usage, float]:
        """One structured call: (parsed object, usage, seconds). Raises BackendError with one line."""
        usage = Usage()
        start = time.perf_counter()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self.policy.wait,
            retry=retry_if_exception(is_transient),
            sleep=self.policy.sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    obj, completion = await self.client.chat.completions.create_with_completion(
                        model=self.model,
                        messages=messages,
                        response_model=_answer_class(response_model),
                        max_retries=self.policy.reasks,  # re-asks after the first answer
                        temperature=self.temperature,
                        max_tokens=max_tokens,
                    )
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line for the user
            attempts = retrying.statistics.get("attempt_number", 1)
            raise BackendError(describe(exc, self.base_url, attempts)) from exc
        # instructor adds up the usage of every answer (re-asks included) into the last one's
        u = getattr(completion, "usage", None)
        usage.calls = 1
        usage.prompt_tokens = _count(u, "prompt_tokens")
        usage.completion_tokens = _count(u, "completion_tokens")
        return obj, usage, time.perf_counter() - start

    async def aclose(self) -> None:
        await self.transport.aclose()
        await self.raw.close()
