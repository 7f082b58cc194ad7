"""Batches against a real OpenAI-compatible server on loopback (tests/daily_fake.py): bounded
concurrency, failures as values, reruns from the store, and runs interrupted halfway then resumed."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer import Article, DailyBrief, summarize_many
from summarizer.llm.prompts import prompts_dir
from summarizer.settings import Settings
from summarizer.daily.store import Store

from .conftest import ROOT
from .daily_fake import SchemaFake

PROMPTS: Path = ROOT / "summarizer" / "prompts"


def article_text(i: int) -> str:
    toll = f" Police said gunmen killed {i + 2} people at the Checkpoint." if i % 2 else ""
    return (f"KABUL — Report number {i}: Taliban fighters attacked a Checkpoint in Province{i} on Monday, "
            f"officials in Kabul said.{toll} Officials gave no further details.\n")


def articles(n: int) -> list[Article]:
    return [Article(text=article_text(i), origin=f"a{i}.txt") for i in range(n)]


def settings(fake: SchemaFake, profile: str = "llama.cpp") -> Settings:
    return Settings(base_url=fake.base_url, model="fake-model", profile=profile, attempts=1)


def run_all(items, **kwargs) -> list:
    async def go():
        return [r async for r in summarize_many(items, **kwargs)]
    return asyncio.run(go())


def test_articles_run_a_bounded_number_at_a_time_and_failures_are_values():
    with SchemaFake(delay=0.2, fail=lambda text: "number 3:" in text) as fake:
        results = run_all(articles(6), concurrency=3, settings=settings(fake))
    assert sorted(r.index for r in results) == list(range(6))
    assert fake.max_articles_in_flight == 3  # reached, never exceeded
    failed = [r for r in results if not r.ok]
    assert [r.index for r in failed] == [3] and "HTTP 400" in failed[0].error
    ok = [r for r in results if r.ok]
    assert all(r.brief.meta.model == "fake-model" and not r.cached for r in ok)
    assert all(r.brief.actors for r in ok)  # the fake's names were verified in the articles


def test_default_concurrency_is_the_backend_profiles():
    with SchemaFake(delay=0.2) as fake:
        run_all(articles(5), settings=settings(fake, profile="ollama"))  # ollama profile: 2
    assert fake.max_articles_in_flight == 2


def test_rerun_does_only_what_is_new_or_failed(tmp_path):
    items = articles(4)
    with Store(tmp_path / "s.sqlite3") as store:
        with SchemaFake(fail=lambda text: "number 1:" in text) as fake:
            first = run_all(items, concurrency=2, settings=settings(fake), store=store)
        assert sum(r.ok for r in first) == 3 and store.counts() == {"done": 3, "failed": 1}
        extra = Article(text=article_text(9), origin="new.txt")
        with SchemaFake() as fake:
            second = run_all([*items, extra], concurrency=2, settings=settings(fake), store=store)
            assert fake.calls_for(items[0].text) == fake.calls_for(items[2].text) == 0
            assert fake.calls_for(items[1].text) > 0 and fake.calls_for(extra.text) > 0  # failed, new
        assert sorted((r.index, r.cached) for r in second) == [(0, True), (1, False), (2, True), (3, True), (4, False)]
        assert store.counts() == {"done": 5}
        with SchemaFake() as fake:
            third = run_all([*items, extra, items[0]], settings=settings(fake), store=store)
            assert len(fake.requests) == 0  # everything from the store
        assert all(r.ok and r.cached for r in third) and len(third) == 6


def test_an_upgrade_of_the_program_redoes_stored_briefs(tmp_path, monkeypatch):
    """Stored briefs are keyed by the program that checked them too: after an upgrade, briefs the
    older rules made are made again, not served from the store."""
    from summarizer import pipeline

    items = articles(2)
    with Store(tmp_path / "s.sqlite3") as store:
        with SchemaFake() as fake:
            assert all(r.ok for r in run_all(items, settings=settings(fake), store=store))
        monkeypatch.setattr(pipeline, "brief_version", lambda: pipeline.prompts.prompt_version() + "+upgraded")
        with SchemaFake() as fake:
            again = run_all(items, settings=settings(fake), store=store)
            assert all(fake.calls_for(a.text) > 0 for a in items)
        assert all(r.ok and not r.cached for r in again)


def test_briefs_of_another_mode_or_chunk_size_are_not_served_from_the_store(tmp_path):
    """A run in single mode (or with other chunks) after a multi run makes its own briefs: the
    stored ones were made another way (they were served as cached before)."""
    items = articles(2)
    with Store(tmp_path / "s.sqlite3") as store:
        with SchemaFake() as fake:
            assert all(r.ok for r in run_all(items, settings=settings(fake), store=store))
        for other in ({"mode": "single"}, {"chunk_chars": 600}):
            with SchemaFake() as fake:
                s = settings(fake).model_copy(update=other)
                again = run_all(items, settings=s, store=store)
                assert all(fake.calls_for(a.text) > 0 for a in items), other
            assert all(r.ok and not r.cached for r in again)


def test_the_store_key_of_the_embedded_default_is_known_without_starting_its_server(monkeypatch):
    """A daily run whose briefs are all stored makes no call, so it must not start the model either."""
    from summarizer import Summarizer
    from summarizer.daily.keys import store_key

    def refuse(*args, **kwargs):
        raise AssertionError("the embedded server was started")

    with Summarizer(Settings(mode="auto", profile="auto", base_url=None)) as s:
        monkeypatch.setattr(s, "_start_embedded", refuse)
        version, model = store_key(s)
        assert version.endswith("+multi+" + str(s.settings.chunk_chars)) and model
        assert s.server is None


def test_brief_version_is_the_prompts_and_the_code_that_makes_briefs(monkeypatch):
    from summarizer import pipeline
    from summarizer.llm import prompts

    version = pipeline.brief_version()
    assert version.startswith(prompts.prompt_version() + "+")
    source = pipeline._source
    for edited in ("verify.casualties", "llm.prompts"):  # a rule of the checks; the field guidance the model is shown
        pipeline.brief_version.cache_clear()
        monkeypatch.setattr(pipeline, "_source", lambda m, e=edited: source(m) + ("\n# edited" if m == e else ""))
        try:
            assert pipeline.brief_version() != version
        finally:
            pipeline.brief_version.cache_clear()
    monkeypatch.setattr(pipeline, "_source", source)
    monkeypatch.setattr(pipeline, "_library", lambda name: f"{name} 99.0")  # a library upgrade
    try:
        assert pipeline.brief_version() != version
    finally:
        pipeline.brief_version.cache_clear()
    assert "def check_prose" in source("verify.prose") and "\r\n" not in source("verify.prose")


# ---- the command -----------------------------------------------------------------------------

def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer.cli", *args], capture_output=True, cwd=ROOT,
                          timeout=120, env=_env(), **kw)


@pytest.fixture(scope="module", autouse=True)
def frozen_prompts(tmp_path_factory):
    """The commands read a snapshot of prompts/: the prompt version (part of every store key) must
    not change between two runs of one test, even while someone edits the templates."""
    global PROMPTS
    PROMPTS = tmp_path_factory.mktemp("prompts") / "prompts"
    shutil.copytree(prompts_dir(), PROMPTS)
    yield


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    return {**env, "SUMMARIZER_ATTEMPTS": "1", "SUMMARIZER_PROMPTS_DIR": str(PROMPTS)}


def flags(fake: SchemaFake, store: Path) -> list[str]:
    return ["--base-url", fake.base_url, "--model", "fake-model", "--profile", "llama.cpp", "--store", str(store)]


def write_articles(directory: Path, n: int) -> list[str]:
    directory.mkdir()
    texts = [article_text(i) for i in range(n)]
    for i, t in enumerate(texts):
        (directory / f"{i:02d}.txt").write_text(t)
    return texts


def test_daily_command_writes_all_formats_and_a_second_run_makes_no_model_calls(tmp_path):
    texts = write_articles(tmp_path / "in", 3)
    store = tmp_path / "s.sqlite3"
    with SchemaFake() as fake:
        p = cli("daily", str(tmp_path / "in"), "--date", "2016-08-16", "-o", str(tmp_path / "d.md"), *flags(fake, store))
        assert p.returncode == 0, p.stderr.decode()
        first_calls = len(fake.requests)
        assert all(fake.calls_for(t) >= 2 for t in texts) and fake.per_article["narrative"] == 1
        err = p.stderr.decode()
        assert "3 articles: 3 done, 0 cached, 0 failed;" in err and "Traceback" not in err
        md = (tmp_path / "d.md").read_text()
        assert md.startswith("# Daily brief — 2016-08-16") and "## Key developments" in md
        developments = md.split("## Key developments\n\n")[1].split("\n\n")[0].splitlines()
        assert [line[:30] + line[-4:] for line in developments] == [
            f"- KABUL — Report number {i}: Tal [{i + 1}]" for i in range(3)]

        for out in ("d2.md", "d.html", "d.json"):
            p = cli("daily", str(tmp_path / "in"), "--date", "2016-08-16", "-o", str(tmp_path / out), *flags(fake, store))
            assert p.returncode == 0, p.stderr.decode()
            assert "3 articles: 0 done, 3 cached, 0 failed; 0 tokens (0 calls)" in p.stderr.decode()
        assert len(fake.requests) == first_calls  # no model call at all: briefs and narrative stored
    again = (tmp_path / "d2.md").read_text()
    assert again.split("## Key developments")[1].split("## Articles")[0] == md.split("## Key developments")[1].split("## Articles")[0]
    daily = DailyBrief.model_validate_json((tmp_path / "d.json").read_text())
    assert daily.date == "2016-08-16" and daily.stats.cached == 3 and len(daily.narrative) == 3
    page = (tmp_path / "d.html").read_text()
    assert page.startswith("<!doctype html>") and page.count("<mark id=") >= 3
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT status, COUNT(*), MAX(attempts) FROM briefs").fetchall() == [("done", 3, 1)]


def test_progress_bar_on_a_terminal_and_a_line_per_article_otherwise(tmp_path):
    write_articles(tmp_path / "in", 2)
    master, slave = pty.openpty()  # stderr is a terminal; stdout is not
    with SchemaFake(delay=0.3) as fake:
        proc = subprocess.Popen(
            [sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"), "-o", str(tmp_path / "d.md"),
             *flags(fake, tmp_path / "s.sqlite3")],
            cwd=ROOT, env={**_env(), "TERM": "xterm-256color", "COLUMNS": "100"},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not data:
                break
            seen += data
        assert proc.wait(timeout=60) == 0
    os.close(master)
    screen = seen.decode("utf-8", "replace")
    assert "briefing" in screen and "\x1b[" in screen  # rich's bar, drawn with terminal controls
    assert "/2" in screen and "[1/2] done" not in screen
    assert "2 articles: 2 done, 0 cached, 0 failed" in screen
    # not a terminal: one line per article (all from the store; the server is gone, no call is made)
    p = cli("daily", str(tmp_path / "in"), "--no-narrative", *flags(fake, tmp_path / "s.sqlite3"))
    err = p.stderr.decode()
    assert "briefing" not in err and "\x1b[" not in err
    assert [line.split(" ")[1:3] for line in err.splitlines() if "] cached " in line] == [["[1/2]", "cached"], ["[2/2]", "cached"]]


def _done(store: Path) -> int:
    try:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT COUNT(*) FROM briefs WHERE status='done'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("sig,start", [(signal.SIGINT, None), (signal.SIGINT, _ignore_sigint), (signal.SIGKILL, None)],
                         ids=["ctrl-c", "ctrl-c-sigint-ignored-at-start", "crash"])
def test_run_interrupted_halfway_then_rerun_finishes_every_article_once(tmp_path, sig, start):
    """`start` runs in the child before exec: a shell's background job, a CI runner or nohup-style
    wrapper may start the command with SIGINT ignored, and Ctrl-C (kill -INT) must still stop it."""
    texts = write_articles(tmp_path / "in", 5)
    store = tmp_path / "s.sqlite3"
    args = [sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"), "--concurrency", "1",
            "-o", str(tmp_path / "d.md")]
    # Each article takes 2-3 calls: the backend wedges partway through the run.
    with SchemaFake(stall_after=6) as fake:
        proc = subprocess.Popen([*args, *flags(fake, store)], cwd=ROOT, env=_env(), preexec_fn=start,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while fake.answered < 6 or len(fake.requests) <= 6:  # wedged on a request
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.05)
        done_before = _done(store)
        assert 1 <= done_before < 5
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        first_run = {t: fake.calls_for(t) for t in texts}
    if sig == signal.SIGINT:
        lines = [line for line in err.decode().splitlines() if line.startswith("summarizer: interrupted")]
        assert proc.returncode == 130 and "Traceback" not in err.decode()
        assert lines == [f"summarizer: interrupted: {done_before} of 5 articles are done and kept in {store}; "
                         "run the same command again to finish"]
    else:
        assert proc.returncode == -signal.SIGKILL
    assert _done(store) == done_before  # nothing finished was lost
    with SchemaFake() as fake:
        p = subprocess.run([*args, *flags(fake, store)], cwd=ROOT, env=_env(), capture_output=True, timeout=120)
        assert p.returncode == 0, p.stderr.decode()
        second_run = {t: fake.calls_for(t) for t in texts}
    finished_first = [t for t in texts if first_run[t] and not second_run[t]]
    assert len(finished_first) == done_before  # done articles were not asked again
    assert all(second_run[t] for t in texts if t not in finished_first)
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT status, COUNT(*), MAX(attempts) FROM briefs").fetchall() == [("done", 5, 1)]
    assert f"5 articles: {5 - done_before} done, {done_before} cached, 0 failed" in p.stderr.decode()


def _one_line(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode()
    assert p.returncode != 0 and "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_daily_errors_are_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    store = str(tmp_path / "s.sqlite3")
    line = _one_line(cli("daily", str(tmp_path / "empty"), "--store", store, "-q"))
    assert line.startswith("summarizer: error: no articles found in")
    line = _one_line(cli("daily", str(tmp_path / "empty"), "--date", "16/08/2016", "-q"))
    assert "--date: expected YYYY-MM-DD" in line
    line = _one_line(cli("daily", "seeds", "-o", str(tmp_path / "d.pdf"), "-q"))
    assert "unknown output suffix .pdf" in line
    line = _one_line(cli("daily", "seeds", "--concurrency", "0", "-q"))
    assert "--concurrency: expected 1 or more, got 0" in line


def test_every_article_failing_fails_the_command_but_reports_each(tmp_path):
    write_articles(tmp_path / "in", 2)
    with SchemaFake(fail=lambda text: True) as fake:
        p = cli("daily", str(tmp_path / "in"), "-q", "-o", str(tmp_path / "d.json"), *flags(fake, tmp_path / "s.sqlite3"))
    err = p.stderr.decode().splitlines()
    assert p.returncode == 1 and "Traceback" not in p.stderr.decode()
    assert err[-1] == "summarizer: error: every article failed (2); nothing was briefed"
    assert sum("failed: " in line and "HTTP 400" in line for line in err) == 2
    daily = json.loads((tmp_path / "d.json").read_text())  # the report is still written
    assert [a["status"] for a in daily["articles"]] == ["failed", "failed"]


def test_eval_scores_the_briefs_a_daily_run_stored_without_calling_the_model(tmp_path):
    texts = write_articles(tmp_path / "in", 3)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"id": f"a{i}", "path": f"in/{i:02d}.txt", "actors": ["Taliban"],
                                          "casualties": [{"killed": i + 2}] if i % 2 else []}) + "\n"
                              for i in range(len(texts))))
    store = tmp_path / "s.sqlite3"
    with SchemaFake() as fake:
        p = cli("eval", str(labels), "--modes", "multi", "--json", str(tmp_path / "first.json"), *flags(fake, store))
        assert p.returncode == 0, p.stderr.decode()
        made = len(fake.requests)
        assert made >= 6  # every article briefed (at least two passes each) and saved
        p = cli("daily", str(tmp_path / "in"), "--date", "2016-08-16", "--no-narrative", "-o",
                str(tmp_path / "d.md"), *flags(fake, store))
        assert p.returncode == 0 and "3 articles: 0 done, 3 cached" in p.stderr.decode()
        p = cli("eval", str(labels), "--modes", "multi", "--json", str(tmp_path / "again.json"), *flags(fake, store))
        assert p.returncode == 0, p.stderr.decode()
        assert len(fake.requests) == made  # the daily run and the second eval briefed nothing
    first, again = (json.loads((tmp_path / f).read_text())["multi"] for f in ("first.json", "again.json"))
    assert [a["from_store"] for a in first["articles"]] == [False] * 3
    assert [a["from_store"] for a in again["articles"]] == [True] * 3
    assert again["totals"] == first["totals"] and again["totals"]["killed_wounded_exact_primary"] == 1.0
