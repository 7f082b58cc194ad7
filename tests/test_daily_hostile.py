"""Hostile inputs and faults of a daily run (issue 13): JSON Lines paths that leave their folder,
bad or unwritable stores, a database that is not a store, and two runs on one store."""

from __future__ import annotations

import json
import os
import sqlite3
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from summarizer import Article
from summarizer.text.read import collect
from summarizer.errors import InputError
from summarizer.daily.store import SCHEMA, Store, sha256

from .conftest import ROOT
from .daily_fake import SchemaFake, answer
from .test_daily_batch import (  # noqa: F401 - frozen_prompts: the fixture the CLI tests need
    _env, _one_line, article_text, cli, flags, frozen_prompts, run_all, settings, write_articles,
)

SECRET = "SECRET-7f3a"


def _outside_feed(tmp_path: Path) -> tuple[Path, Path]:
    """A JSON Lines feed whose first three lines point outside its folder (a relative path, an
    absolute one, a symlink inside the folder), and whose fourth names a file inside it."""
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "secret.txt"
    secret.write_text(f"{SECRET}: Gunmen killed 4 guards at the Vault on Monday, police said.\n")
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "ok.txt").write_text(article_text(0))
    (feed / "link.txt").symlink_to(secret)
    lines = [{"path": "../private/secret.txt"}, {"path": str(secret)}, {"path": "link.txt"}, {"path": "ok.txt"}]
    day = feed / "day.jsonl"
    day.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return day, secret


def test_jsonl_paths_outside_the_files_folder_are_refused_unless_allowed(tmp_path):
    day, _ = _outside_feed(tmp_path)
    found = collect([str(day)])
    assert len(found) == 4
    for n, a in enumerate(found[:3], 1):
        assert a.text == "" and a.error is not None and "\n" not in a.error
        assert a.error.startswith(f"{day}:{n}: ") and "outside" in a.error and "--allow-paths-outside" in a.error
    assert found[3].error is None and found[3].text == article_text(0)
    allowed = collect([str(day)], allow_paths_outside=True)
    assert [a.error for a in allowed] == [None] * 4 and all(a.text.startswith(SECRET) for a in allowed[:3])


def test_daily_never_reads_sends_stores_or_shows_a_file_outside_the_feed(tmp_path):
    day, _ = _outside_feed(tmp_path)
    store = tmp_path / "s.sqlite3"
    with SchemaFake() as fake:
        p = cli("daily", str(day), "--no-narrative", "-o", str(tmp_path / "d.html"), *flags(fake, store))
        sent = json.dumps(fake.requests)
    err = p.stderr.decode()
    assert p.returncode == 0 and "Traceback" not in err, err
    assert SECRET not in sent and fake.calls_for(article_text(0)) > 0  # the other line still ran
    assert SECRET not in (tmp_path / "d.html").read_text()
    assert all(SECRET.encode() not in f.read_bytes() for f in tmp_path.glob("s.sqlite3*"))
    refused = [line for line in err.splitlines() if line.startswith("summarizer: failed: ")]
    assert [line.split(": ")[2] for line in refused] == [f"{day}:{n}" for n in (1, 2, 3)]
    assert "4 articles: 1 done, 0 cached, 3 failed" in err


# ---- a database that is not the program's store ------------------------------------------------

def _sqlite(path: Path, *statements: str) -> bytes:
    db = sqlite3.connect(path)
    with db:
        for sql in statements:
            db.execute(sql)
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("tables", [
    ("CREATE TABLE contacts (name TEXT, phone TEXT)", "INSERT INTO contacts VALUES ('Ann', '555-0100')"),
    ("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT, body TEXT)",),  # one of our names, not ours
    ("PRAGMA application_id = 1234", "CREATE TABLE briefs (x TEXT)"),
], ids=["other-tables", "same-name-other-columns", "other-application"])
def test_a_database_that_is_not_a_store_is_refused_and_left_untouched(tmp_path, tables):
    other = tmp_path / "other.sqlite3"
    before = _sqlite(other, *tables)
    with pytest.raises(InputError, match=r"^.*other\.sqlite3 is not a summarizer store \(.*\); refusing to use it$"):
        Store(other)
    assert other.read_bytes() == before and sorted(tmp_path.iterdir()) == [other]
    write_articles(tmp_path / "in", 1)
    with SchemaFake() as fake:
        line = _one_line(cli("daily", str(tmp_path / "in"), "-q", "-o", str(tmp_path / "d.md"), *flags(fake, other)))
        assert fake.requests == []
    assert "is not a summarizer store" in line
    assert other.read_bytes() == before and not (tmp_path / "d.md").exists()
    assert not list(tmp_path.glob("other.sqlite3-*"))  # no journal, WAL or shared-memory file either


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(InputError, match=r"is not a summarizer store \(it is a folder\)"):
        Store(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_store_made_before_the_marker_is_still_a_store(tmp_path):
    """Stores written by earlier versions have the program's tables and no marker: they are adopted."""
    old = tmp_path / "old.sqlite3"
    db = sqlite3.connect(old)
    db.executescript(SCHEMA.split("CREATE TABLE IF NOT EXISTS claims")[0])
    db.execute("INSERT INTO articles VALUES ('abc', 'Some text.', '2024-01-01')")
    db.commit()
    db.close()
    with Store(old) as store:
        assert store.text("abc") == "Some text."
    with Store(old) as store:  # now marked
        assert store.db.execute("PRAGMA application_id").fetchone()[0] != 0


# ---- a store with a bad row, or one that cannot be written ------------------------------------

def _stored_run(tmp_path: Path, n: int = 3, stored: int | None = None) -> tuple[list[str], Path]:
    """n articles in tmp_path/in, the first `stored` of them (default all) briefed into a store."""
    texts = write_articles(tmp_path / "in", n)
    store = tmp_path / "store" / "s.sqlite3"
    store.parent.mkdir()
    first = tmp_path / "first"
    first.mkdir()
    for t in texts[:stored if stored is not None else n]:
        (first / f"{texts.index(t):02d}.txt").write_text(t)
    if stored == 0:
        return texts, store
    with SchemaFake() as fake:
        p = cli("daily", str(first), "-q", "-o", str(tmp_path / "first.md"), *flags(fake, store))
    assert p.returncode == 0, p.stderr.decode()
    return texts, store


def test_a_bad_store_row_is_reported_and_its_article_briefed_again(tmp_path):
    texts, store = _stored_run(tmp_path, 4)
    bad = {texts[0]: '{"headline": "cut',  # not JSON
           texts[1]: '{"headline": 7, "unexpected": true}',  # JSON, not a brief
           texts[2]: None}  # not UTF-8: SQLite cannot even hand it over as text
    with sqlite3.connect(store) as db:
        for text, value in bad.items():
            if value is None:
                db.execute("UPDATE briefs SET brief = CAST(X'FFFE41' AS TEXT) WHERE sha256 = ?", (sha256(text),))
            else:
                db.execute("UPDATE briefs SET brief = ? WHERE sha256 = ?", (value, sha256(text)))
        db.execute("UPDATE narratives SET answer = '{\"sentences\": 5'")
    db.close()
    with SchemaFake() as fake:
        p = cli("daily", str(tmp_path / "in"), "-o", str(tmp_path / "d.json"), *flags(fake, store))
        redone = [t for t in texts if fake.calls_for(t)]
        assert fake.per_article["narrative"] == 1  # the bad stored narrative is asked for again
    err = p.stderr.decode()
    assert p.returncode == 0 and "Traceback" not in err and "internal error" not in err, err
    assert redone == texts[:3]  # only the unreadable rows; the good one is used
    unreadable = [line for line in err.splitlines() if "cannot be read" in line]
    assert len(unreadable) == 4 and all("briefing it again" in line for line in unreadable[:3]), err
    assert "4 articles: 3 done, 1 cached, 0 failed" in err
    daily = json.loads((tmp_path / "d.json").read_text())
    assert [a["status"] for a in daily["articles"]] == ["ok"] * 4 and daily["narrative"]
    with Store(store) as s:  # the bad rows were replaced by good ones
        assert s.counts() == {"done": 4} and not [line for line in err.splitlines() if "store" in line and "written" in line]


@pytest.fixture
def read_only():
    """Make a file or folder read-only, for root too (whom permissions do not stop: chattr +i)."""
    made: list[Path] = []

    def make(path: Path) -> None:
        path.chmod(0o555 if path.is_dir() else 0o444)
        made.append(path)
        if os.geteuid() == 0 and subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("running as root, and chattr +i cannot make a file read-only here")

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.mark.parametrize("fault", ["read-only file", "read-only folder", "read-only folder, no store yet", "locked"])
def test_a_store_that_cannot_be_written_runs_without_saving_and_says_so(tmp_path, read_only, fault):
    stored = 0 if "no store" in fault else 2
    texts, store = _stored_run(tmp_path, 3, stored)
    before = store.read_bytes() if store.exists() else None
    holder = None
    env = _env()
    if fault == "read-only file":
        read_only(store)
    elif fault.startswith("read-only folder"):
        read_only(store.parent)
    else:  # another program holds the write lock for the whole run
        holder = sqlite3.connect(store, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        env["SUMMARIZER_STORE_TIMEOUT"] = "0.5"  # the lock is never released: any wait gives the same outcome
    try:
        with SchemaFake() as fake:
            p = subprocess.run([sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"),
                                "-o", str(tmp_path / "d.html"), *flags(fake, store)],
                               capture_output=True, cwd=ROOT, timeout=120, env=env)
            briefed = [t for t in texts if fake.calls_for(t)]
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    err = p.stderr.decode()
    assert p.returncode == 0 and "Traceback" not in err and "internal error" not in err, err
    warned = [line for line in err.splitlines() if "cannot be written" in line]
    assert len(warned) == 1 and str(store) in warned[0] and "running without saving" in warned[0], err
    assert briefed == texts[stored:]  # what the store holds is still used
    assert f"3 articles: {3 - stored} done, {stored} cached, 0 failed" in err
    page = (tmp_path / "d.html").read_text()
    assert all(f"Report number {i}:" in page for i in range(3))  # texts from the store and from this run
    assert (store.read_bytes() if store.exists() else None) == before


# ---- two runs on one store -------------------------------------------------------------------

def _until(condition, what: str, timeout: float = 60) -> None:
    """Wait for `condition` (an event in another thread or process), failing after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def test_two_runs_on_one_store_brief_each_article_once(tmp_path):
    texts = write_articles(tmp_path / "in", 6)
    with SchemaFake() as fake:  # what briefing each article once costs
        run_all([Article(text=t) for t in texts], settings=settings(fake))
        once = {t: fake.calls_for(t) for t in texts}
    store = tmp_path / "s.sqlite3"
    gate, held, lock = threading.Event(), [0], threading.Lock()

    def respond(body):  # every answer waits until both runs have requests in flight
        with lock:
            held[0] += 1
        gate.wait()
        return answer(body)

    with SchemaFake(respond=respond) as fake:
        runs = [subprocess.Popen([sys.executable, "-m", "summarizer.cli", "daily", str(tmp_path / "in"),
                                  "--no-narrative", "--concurrency", "2", "-o", str(tmp_path / f"{name}.md"),
                                  *flags(fake, store)],
                                 cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for name in ("a", "b")]
        try:
            _until(lambda: held[0] >= 4 or any(r.poll() is not None for r in runs), "both runs to be briefing")
        finally:
            gate.set()
        errs = [r.communicate(timeout=120)[1].decode() for r in runs]
        twice = {t[:30]: fake.calls_for(t) for t in texts if fake.calls_for(t) != once[t]}
    assert [r.returncode for r in runs] == [0, 0], errs
    assert twice == {}  # every article briefed by one run only
    done = [int(e.split(" articles: ")[1].split(" done")[0]) for e in errs]
    assert sum(done) == 6 and all(f"6 articles: {n} done, {6 - n} cached, 0 failed" in e for n, e in zip(done, errs))
    with sqlite3.connect(store) as db:  # saved once each; no claim left behind
        assert db.execute("SELECT status, COUNT(*), MAX(attempts) FROM briefs").fetchall() == [("done", 6, 1)]
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
    db.close()


def test_a_claim_of_a_dead_or_silent_run_is_taken_over(tmp_path):
    texts, store = _stored_run(tmp_path, 3)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is gone (and reaped)
    with sqlite3.connect(store) as db:
        version, model = db.execute("SELECT brief_version, model FROM briefs").fetchone()
        db.execute("DELETE FROM briefs WHERE sha256 IN (?, ?)", (sha256(texts[0]), sha256(texts[1])))
        db.execute("INSERT INTO claims (sha256, brief_version, model, owner, pid, host, claimed_at) "
                   "VALUES (?, ?, ?, 'crashed-run', ?, ?, ?)",
                   (sha256(texts[0]), version, model, dead.pid, socket.gethostname(), time.time()))
        # a live process, but its claim has not been renewed for a day: the run is wedged or on another host
        db.execute("INSERT INTO claims (sha256, brief_version, model, owner, pid, host, claimed_at) "
                   "VALUES (?, ?, ?, 'silent-run', ?, 'elsewhere', ?)",
                   (sha256(texts[1]), version, model, os.getpid(), time.time() - 86400))
    db.close()
    with SchemaFake() as fake:
        p = cli("daily", str(tmp_path / "in"), "--no-narrative", "-o", str(tmp_path / "d.md"), *flags(fake, store))
        assert [bool(fake.calls_for(t)) for t in texts] == [True, True, False]
    assert p.returncode == 0 and "3 articles: 2 done, 1 cached, 0 failed" in p.stderr.decode(), p.stderr.decode()
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
    db.close()
