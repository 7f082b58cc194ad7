"""Profile auto asks the endpoint's /models who serves it: within --timeout, naming the cause when
that fails, and never choosing a mode for the user without saying so (in the brief and on stderr)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.errors import BackendError

from .conftest import ROOT
from .daily_fake import SchemaFake
from .fakeserver import FakeOpenAI
from .test_daily_batch import _env, frozen_prompts, write_articles  # noqa: F401 - the fixture the CLI test needs

TEXT = "Gunmen killed 12 people in Dogo market on Monday, police said."


def models_answer(status: int = 200, body: Any = None, hang: threading.Event | None = None):
    """A do_GET for the fake servers: /models answers `status` with `body`, or waits for `hang`."""
    def do_GET(self) -> None:
        if hang is not None:
            hang.wait()
            self.close_connection = True
            return
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    return do_GET


def test_probe_waits_no_longer_than_the_timeout_and_says_so():
    answered = threading.Event()  # set at the end only: /models never answers during the test
    with FakeOpenAI([]) as server:
        server.handler.do_GET = models_answer(hang=answered)
        try:
            with pytest.raises(BackendError) as info:
                Summarizer(base_url=server.base_url, timeout=1).backend()
        finally:
            answered.set()
    assert str(info.value) == f"no --model given, and {server.base_url}/models did not answer within 1 s; give --model"


def test_probe_names_a_refused_connection():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound but never listening: connections to it are refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        with pytest.raises(BackendError) as info:
            Summarizer(base_url=url).backend()
    assert str(info.value) == f"no --model given, and {url}/models refused the connection; give --model"


def test_probe_names_a_refused_api_key_without_showing_it():
    key = "sk-test-" + "Qq7" * 10
    with FakeOpenAI([]) as server:
        server.handler.do_GET = models_answer(401, {"error": {"message": "Incorrect API key provided"}})
        with pytest.raises(BackendError) as info:
            Summarizer(base_url=server.base_url, api_key=key).backend()
    message = str(info.value)
    assert message == (f"no --model given, and {server.base_url}/models answered HTTP 401 (the API key was refused: "
                       "Incorrect API key provided); give --model")
    assert key not in message


@pytest.mark.parametrize("status, body, cause", [
    (404, {"error": {"message": "no such route"}}, "answered HTTP 404 (no such route)"),
    (200, {"data": [{"id": "m", "owned_by": "acme"}]}, "names a server of unknown kind (owned_by 'acme')"),
], ids=["no-models-route", "unknown-server"])
def test_a_profile_auto_could_not_detect_is_said_in_the_brief_and_on_stderr(status, body, cause):
    warned: list[str] = []
    with FakeOpenAI([]) as server:
        server.handler.do_GET = models_answer(status, body)
        with Summarizer(base_url=server.base_url, model="m", warn=warned.append) as s:
            brief = s.summarize(TEXT)
    assert brief.meta.profile == "standard/multi"  # the focused passes, not a silent switch to one call
    assert brief.meta.note == (f"profile auto: {server.base_url}/models {cause}; used the standard request shape "
                               "in multi mode (--profile chooses)")
    assert warned == [brief.meta.note]


def test_daily_says_once_on_stderr_which_profile_it_fell_back_to(tmp_path):
    write_articles(tmp_path / "in", 2)
    with SchemaFake() as fake:
        fake.server.RequestHandlerClass.do_GET = models_answer(404, {"error": {"message": "no such route"}})
        p = subprocess.run([sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"), "-q",
                            "--no-narrative", "--base-url", fake.base_url, "--model", "fake-model",
                            "--store", str(tmp_path / "s.sqlite3"), "-o", str(tmp_path / "d.md")],
                           capture_output=True, cwd=ROOT, timeout=120, env=_env())
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert err.splitlines() == [f"summarizer: profile auto: {fake.base_url}/models answered HTTP 404 (no such route); "
                                "used the standard request shape in multi mode (--profile chooses)"]
