"""The backend layer: structured calls, validation re-asks (recorded from the real model), and
transport retries against a real HTTP server on loopback that answers with scripted faults."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, field_validator

from summarizer.llm.backend import PROFILES, Backend, RetryPolicy
from summarizer.errors import BackendError

from .conftest import BASE_URL, MODEL, ROOT
from .fakeserver import FakeOpenAI, Fault, recorded_response

# One cassette per test, named after it (pytest-recording's default); two are read by other tests.
CASSETTES = Path(__file__).parent / "cassettes" / "test_backend"
TINY = CASSETTES / "test_structured_call_uses_llama_cpp_request_shape.yaml"
REASK = CASSETTES / "test_validation_failure_is_reasked_with_the_error.yaml"
MESSAGES = [
    {"role": "system", "content": "Answer in JSON."},
    {"role": "user", "content": "Article: Two rockets hit Al Asad air base on Monday; no one was hurt, "
                                "the Iraqi military said. Give a headline of at most 8 words."},
]


class Headline(BaseModel):
    headline: str = Field(max_length=80)


class TaggedHeadline(BaseModel):
    headline: str = Field(max_length=80)

    @field_validator("headline")
    @classmethod
    def tagged(cls, v: str) -> str:
        if not v.startswith("BREAKING: "):
            raise ValueError("the headline must start with 'BREAKING: '")
        return v


class NeverValid(BaseModel):
    headline: str = Field(max_length=80)

    @field_validator("headline")
    @classmethod
    def never(cls, v: str) -> str:
        raise ValueError("this test rejects every headline")


def make_backend(base_url: str = BASE_URL, policy: RetryPolicy | None = None, timeout: float = 60) -> Backend:
    return Backend(base_url, MODEL, PROFILES["llama-cpp-python"], timeout=timeout,
                   policy=policy or RetryPolicy(attempts=1, reasks=0))


def run(coro):
    return asyncio.run(coro)


@pytest.mark.vcr
def test_structured_call_uses_llama_cpp_request_shape(vcr):
    obj, usage, seconds = run(make_backend().extract(Headline, MESSAGES, max_tokens=60))
    assert isinstance(obj, Headline) and obj.headline
    assert usage.calls == 1 and usage.prompt_tokens > 0 and usage.completion_tokens > 0
    body = vcr.requests[0].body
    assert b'"type": "json_object"' in body or b'"type":"json_object"' in body
    assert vcr.play_count == 1


@pytest.mark.vcr
def test_validation_failure_is_reasked_with_the_error(vcr):
    backend = make_backend(policy=RetryPolicy(attempts=1, reasks=2))
    obj, usage, _ = run(backend.extract(TaggedHeadline, MESSAGES, max_tokens=60))
    assert obj.headline.startswith("BREAKING: ")
    assert vcr.play_count == 2  # one failed answer, one re-ask
    assert b"must start with 'BREAKING: '" in vcr.requests[1].body
    # the tokens of both answers, as the server reported them, are counted
    answers = [recorded_response(REASK, i)["usage"] for i in range(2)]
    assert usage.calls == 1 and usage.prompt_tokens == sum(a["prompt_tokens"] for a in answers)
    assert usage.completion_tokens == sum(a["completion_tokens"] for a in answers)


@pytest.mark.vcr
def test_reasks_are_bounded(vcr):
    backend = make_backend(policy=RetryPolicy(attempts=1, reasks=1))
    with pytest.raises(BackendError, match="failed validation after 2 tries"):
        run(backend.extract(NeverValid, MESSAGES, max_tokens=60))
    assert vcr.play_count == 2


# ---- transport faults over real sockets -------------------------------------------------------



class Sleeps:
    def __init__(self):
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def faulty(script, attempts=4, reasks=1, timeout=30.0):
    sleeps = Sleeps()
    # "ok" answers replay the real model's recorded answer to the same request
    server = FakeOpenAI(script, recorded_response(TINY))
    policy = RetryPolicy(attempts=attempts, reasks=reasks, sleep=sleeps)
    return server, sleeps, policy, timeout


def call(server, policy, timeout, model=Headline):
    backend = make_backend(server.base_url, policy, timeout=timeout)
    return run(backend.extract(model, MESSAGES, max_tokens=60))


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_with_backoff(status):
    server, sleeps, policy, timeout = faulty([Fault("status", status)] * 3)
    with server:
        obj, _, _ = call(server, policy, timeout)
    assert obj.headline and len(server.requests) == 4
    assert sleeps.waits == [0.5, 1.0, 2.0]


def test_429_honours_retry_after():
    server, sleeps, policy, timeout = faulty([Fault("status", 429, {"Retry-After": "3"}), Fault("status", 429)])
    with server:
        call(server, policy, timeout)
    assert len(server.requests) == 3 and sleeps.waits == [3.0, 1.0]


def test_compressed_error_answers_are_read_like_plain_ones():
    """A gateway may gzip its error bodies: still a 429 with Retry-After, retried, then the server's words."""
    server, sleeps, policy, timeout = faulty([Fault("gzip_status", 429, {"Retry-After": "2"})] * 10, attempts=2)
    with server, pytest.raises(BackendError) as info:
        call(server, policy, timeout)
    assert sleeps.waits == [2.0] and len(server.requests) == 2
    assert "rate limiting (HTTP 429, after 2 attempts)" in str(info.value)


def test_concurrent_calls_count_their_own_tokens():
    server = FakeOpenAI([], recorded_response(TINY))
    answer = recorded_response(TINY)["usage"]
    with server:
        backend = make_backend(server.base_url)

        async def both():
            results = await asyncio.gather(*(backend.extract(Headline, MESSAGES, max_tokens=60) for _ in range(3)))
            await backend.aclose()
            return results
        results = run(both())
    assert len(server.requests) == 3
    for _, usage, _ in results:
        assert (usage.prompt_tokens, usage.completion_tokens) == (answer["prompt_tokens"], answer["completion_tokens"])


def test_persistent_failure_gives_one_line_naming_the_cause():
    server, sleeps, policy, timeout = faulty([Fault("status", 503)] * 10)
    with server, pytest.raises(BackendError) as info:
        call(server, policy, timeout)
    assert len(server.requests) == 4 and len(sleeps.waits) == 3
    assert str(info.value) == f"backend at {server.base_url} answered HTTP 503: scripted 503 (after 4 attempts)"


def test_rate_limit_that_never_lifts():
    server, _, policy, timeout = faulty([Fault("status", 429, {"Retry-After": "1"})] * 10, attempts=2)
    with server, pytest.raises(BackendError, match=r"rate limiting \(HTTP 429, after 2 attempts\)"):
        call(server, policy, timeout)


def test_hang_past_the_timeout_is_retried_then_reported():
    server, _, policy, _ = faulty([Fault("hang", seconds=3)] * 2, attempts=2)
    with server, pytest.raises(BackendError, match="timed out"):
        call(server, policy, 0.5)
    assert len(server.requests) == 2


def test_dropped_connection_is_retried():
    server, sleeps, policy, timeout = faulty([Fault("drop")])
    with server:
        obj, _, _ = call(server, policy, timeout)
    assert obj.headline and len(server.requests) == 2 and sleeps.waits == [0.5]


@pytest.mark.parametrize("kind", ["invalid_json", "bad_schema"])
def test_unparseable_output_is_reasked_not_retried(kind):
    server, sleeps, policy, timeout = faulty([Fault(kind)])
    with server:
        obj, _, _ = call(server, policy, timeout)
    assert obj.headline and len(server.requests) == 2 and sleeps.waits == []


def test_output_cut_by_length_is_reported():
    server, _, policy, timeout = faulty([Fault("length")] * 5)
    with server, pytest.raises(BackendError, match="cut off by the length limit"):
        call(server, policy, timeout)


def test_empty_choice_list_is_reported():
    server, _, policy, timeout = faulty([Fault("empty_choices")] * 5)
    with server, pytest.raises(BackendError) as info:
        call(server, policy, timeout)
    assert "\n" not in str(info.value)


def test_unauthorized_is_not_retried_and_names_the_key_problem():
    key = "sk-live-" + "Zz9" * 12
    server, sleeps, policy, timeout = faulty([Fault("status", 401)] * 5)
    backend = Backend(server.base_url, MODEL, PROFILES["openai"], api_key=key, timeout=timeout, policy=policy)
    with server, pytest.raises(BackendError, match="refused the API key") as info:
        run(backend.extract(Headline, MESSAGES))
    assert len(server.requests) == 1 and sleeps.waits == []
    assert key not in str(info.value) and key not in repr(info.value)


def test_unreachable_backend():
    policy = RetryPolicy(attempts=2, reasks=0, sleep=Sleeps())
    with pytest.raises(BackendError, match="cannot reach backend at http://127.0.0.1:9/v1"):
        run(make_backend("http://127.0.0.1:9/v1", policy, timeout=2).extract(Headline, MESSAGES))


def test_answer_classes_are_built_once_and_async_validators_still_refused(monkeypatch):
    """The per-call caches around instructor change its cost, not its checks."""
    import sys

    from instructor.v2.validation import async_validators

    from summarizer.llm import backend as backend_module
    from summarizer.llm.backend import _answer_class

    class Plain(BaseModel):
        """A plain answer."""

        n: int

    Backend(BASE_URL, MODEL, PROFILES["llama-cpp-python"])  # installs the once-per-class walk
    walk = async_validators.reject_async_validators
    assert getattr(walk, "walks_once", False)
    # every instructor module that holds the function by name holds the once-per-class one
    holders = [m for n, m in sys.modules.items() if n.startswith("instructor") and hasattr(m, "reject_async_validators")]
    assert holders and all(m.reject_async_validators is walk for m in holders)
    answer = _answer_class(Plain)
    assert _answer_class(Plain) is answer and issubclass(answer, Plain)
    assert answer.__name__ == "Plain" and answer.model_json_schema() is answer.model_json_schema()
    assert answer.model_json_schema() == Plain.model_json_schema()

    walked = []
    # the original walk is the one callable the wrapper closes over; count its calls
    inner = next(cell for cell in walk.__closure__ if callable(cell.cell_contents))
    monkeypatch.setattr(inner, "cell_contents", walked.append)

    class Fresh(BaseModel):
        n: int

    for _ in range(3):
        walk(Fresh)
    assert walked == [Fresh]  # walked on first use only

    class WithAsync(BaseModel):
        n: int

        @async_validators.async_field_validator("n")
        async def check(self, value):  # pragma: no cover - never run: the class is refused first
            return value

    monkeypatch.undo()
    for _ in range(2):  # refused every time, not only on the first walk
        with pytest.raises(ValueError, match="async validators"):
            walk(WithAsync)
    assert backend_module._walk_each_class_once() is None  # a second install changes nothing
    assert async_validators.reject_async_validators is walk


def test_standard_profile_sends_the_standard_json_schema_body():
    """Profiles other than llama-cpp-python send OpenAI's own response_format, the schema intact."""
    server = FakeOpenAI([], recorded_response(TINY))
    with server:
        backend = Backend(server.base_url, MODEL, PROFILES["vllm"], policy=RetryPolicy(attempts=1, reasks=0))
        obj, usage, _ = run(backend.extract(Headline, MESSAGES, max_tokens=60))
        run(backend.aclose())
    body = server.requests[0]["body"]
    assert body["response_format"] == {"type": "json_schema", "json_schema": {
        "name": "Headline", "schema": Headline.model_json_schema()}}
    assert body["messages"] == MESSAGES and body["max_tokens"] == 60 and body["model"] == MODEL
    assert obj.headline and usage.calls == 1
    answer = recorded_response(TINY)["usage"]
    assert (usage.prompt_tokens, usage.completion_tokens) == (answer["prompt_tokens"], answer["completion_tokens"])


def test_answer_that_is_not_json_is_one_line():
    server, sleeps, policy, timeout = faulty([Fault("not_json")] * 5, attempts=3)
    with server, pytest.raises(BackendError) as info:
        call(server, policy, timeout)
    message = str(info.value)
    assert message.startswith(f"backend at {server.base_url} answered with something other than a chat completion")
    assert "gateway says hi" in message and "\n" not in message
    assert len(server.requests) == 1 and sleeps.waits == []  # not a transport fault: not retried


def test_transport_follows_the_event_loop_and_a_dropped_backend_is_quiet():
    """Each asyncio.run is a new event loop; the backend's HTTP session follows it, and a backend
    dropped without aclose (as a quick script would) closes its sockets without a warning at exit."""
    script = textwrap.dedent("""
        import asyncio
        from tests.fakeserver import FakeOpenAI
        from tests.test_backend import TINY, MESSAGES, Headline, RetryPolicy, make_backend, recorded_response
        server = FakeOpenAI([], recorded_response(TINY))
        with server:
            backend = make_backend(server.base_url, RetryPolicy(attempts=1, reasks=0))
            for _ in range(2):
                print(asyncio.run(backend.extract(Headline, MESSAGES, max_tokens=60))[0].headline)
            headers = {k.lower(): v for k, v in server.requests[0]["headers"].items()}
            print(len(server.requests), headers["content-type"], headers["authorization"])
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and lines[0] == lines[1] != ""
    assert lines[2] == "2 application/json Bearer not-needed"
    assert done.stderr == ""  # no "Unclosed client session" / "Unclosed connector"


def test_request_options_are_sent_as_options_not_in_the_body():
    server = FakeOpenAI([], recorded_response(TINY))
    with server:
        backend = make_backend(server.base_url)
        completion = run(backend._send(model=MODEL, messages=MESSAGES, extra_headers={"X-Probe": "1"},
                                       extra_body={"seed": 7}, timeout=5))
        run(backend.aclose())
    request = server.requests[0]
    assert request["body"] == {"model": MODEL, "messages": MESSAGES, "seed": 7}
    assert {k.lower(): v for k, v in request["headers"].items()}["x-probe"] == "1"
    assert completion.choices[0].message.content
