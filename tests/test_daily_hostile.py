"""Hostile inputs and faults of a daily run (issue 13): JSON Lines paths that leave their folder,
bad or unwritable stores, a database that is not a store, and two runs on one store."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.collect import collect

from .daily_fake import SchemaFake
from .test_daily_batch import article_text, cli, flags, frozen_prompts  # noqa: F401 - fixture used by the CLI tests

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
