"""Secrets the program holds (the API key, credentials and key parameters in the base URL) never
leave it: not when a server quotes them back in an error, not in messages, the store, reports or
`meta.backend`."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from summarizer import BackendError, Summarizer
from summarizer.errors import InputError, redact

from .conftest import ROOT
from .fakeserver import FakeOpenAI, Fault

KEY = "sk-test-" + "Z9y8X7w6" * 5
QUERY_KEY = "q" + "K3yInTheUrl" * 3
PASSWORD = "pa55-w0rd!"
SECRETS = (KEY, QUERY_KEY, PASSWORD, base64.b64encode(f"alice:{PASSWORD}".encode()).decode())
ATTACKED = "Gunmen killed 12 people in Dogo market, police said."
QUIET = "Officials in Kano said the market reopened on Monday after repairs to the roof."


def echo_attacked(body: dict) -> Fault | None:
    """Quote the request back (headers included) for one article and for the narrative."""
    content = body["messages"][-1]["content"]
    return Fault("echo", 400) if "Dogo" in content or "BRIEFS OF THE DAY" in content else None


def with_query_key(url: str) -> str:
    return f"{url}?api-key={QUERY_KEY}"


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://alice:{PASSWORD.replace('!', '%21')}@")


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert KEY[:14] not in text and PASSWORD[:-1] not in text  # not even cut short or %-encoded


def test_a_key_quoted_back_by_the_backend_is_redacted_from_the_error():
    with FakeOpenAI([], rule=echo_attacked) as server:
        with Summarizer(base_url=with_query_key(server.base_url), model="m", profile="openai", attempts=1,
                        api_key=KEY) as s:
            with pytest.raises(BackendError) as caught:
                s.summarize(ATTACKED)
        sent = server.requests[0]["headers"]
    assert sent["Authorization"] == f"Bearer {KEY}"  # it was sent, and the server quoted it back:
    message = str(caught.value)
    assert "HTTP 400: bad request: POST /v1/chat/completions?api-key=***" in message
    assert "Authorization: Bearer ***" in message
    assert_clean(message)


def test_meta_backend_shows_the_endpoint_without_its_secrets():
    with FakeOpenAI([]) as server:
        with Summarizer(base_url=with_query_key(server.base_url), model="m", profile="openai", attempts=1) as s:
            brief = s.summarize(QUIET)
        assert brief.meta.backend == f"{server.base_url}?api-key=***"
        with Summarizer(base_url=with_credentials(server.base_url), model="m", profile="openai", attempts=1) as s:
            brief = s.summarize(QUIET)  # credentials in the URL: Basic auth, as curl sends them
        sent = server.requests[-1]["headers"]
    assert sent["Authorization"] == "Basic " + base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    assert brief.meta.backend == server.base_url.replace("http://", "http://***@")
    assert_clean(brief.model_dump_json())


def test_redaction_covers_the_forms_a_secret_is_quoted_in():
    Summarizer(base_url=with_credentials("http://gpu.example:8000/v1") + f"?token={QUERY_KEY}&api-version=2024-06-01",
               api_key=KEY)
    auth = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    text = (f"proxy said: Authorization: Basic {auth}; Bearer {KEY}; url http://alice:{PASSWORD}@gpu.example"
            f"/v1?token={QUERY_KEY}&api-version=2024-06-01")
    out = redact(text)
    assert_clean(out)
    assert "api-version=2024-06-01" in out and "gpu.example" in out  # what is no secret stays readable
    assert str(InputError(f"bad {KEY}")) == "bad ***"  # every error the program builds


def test_daily_keeps_secrets_out_of_stderr_store_and_every_report(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "1.txt").write_text(ATTACKED + "\n")
    (tmp_path / "in" / "2.txt").write_text(QUIET + "\n")
    store = tmp_path / "s.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    with FakeOpenAI([], rule=echo_attacked) as server:
        for out in ("d.md", "d.html", "d.json"):
            p = subprocess.run([sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"), "-o",
                                str(tmp_path / out), "--store", str(store), "--base-url", with_query_key(server.base_url),
                                "--model", "m", "--profile", "openai"],
                               cwd=ROOT, capture_output=True, timeout=120,
                               env={**env, "OPENAI_API_KEY": KEY, "SUMMARIZER_ATTEMPTS": "1"})
            err = p.stderr.decode()
            assert p.returncode == 0, err
            assert "failed:" in err and "HTTP 400" in err and "no narrative:" in err  # the errors are shown...
            assert_clean(err)  # ...without the secrets in them
            report = (tmp_path / out).read_text(encoding="utf-8")
            assert "HTTP 400" in report
            assert_clean(report)
    daily = json.loads((tmp_path / "d.json").read_text())
    assert "Bearer ***" in daily["meta"]["narrative_error"]
    with sqlite3.connect(store) as db:
        errors = [e for (e,) in db.execute("SELECT error FROM briefs WHERE error IS NOT NULL")]
        briefs = [b for (b,) in db.execute("SELECT brief FROM briefs WHERE brief IS NOT NULL")]
    assert errors and briefs
    for text in errors + briefs:
        assert_clean(text)
