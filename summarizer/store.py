"""The local store of a daily run: every brief, failure and article text, in one SQLite file.

A brief is keyed by the SHA-256 of the article text, the brief version (the prompts and the program
that makes and checks briefs: `pipeline.brief_version`; stored in the `prompt_version` column) and
the model id, so a rerun only does what is new or failed, and a change of prompts, program or model
redoes everything. Each result is committed the moment it is done (WAL mode), so an interrupted run
loses nothing finished.
The article texts are kept too: evidence offsets point into them, and the HTML page shows them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import local_model
from .errors import InputError
from .schema import Brief

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    sha256 TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS briefs (
    sha256 TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    brief TEXT,
    error TEXT,
    source TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, prompt_version, model)
);
CREATE TABLE IF NOT EXISTS narratives (
    key TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_path() -> Path:
    return local_model.cache_dir() / "daily.sqlite3"


@dataclass(frozen=True)
class Record:
    status: str  # "done" or "failed"
    brief: Brief | None
    error: str | None
    attempts: int


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite connection; use it from one thread (the event loop's)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise InputError(f"cannot open the store {self.path}: {exc}") from None

    # ---- briefs ---------------------------------------------------------------------------
    def get(self, text_sha: str, version: str, model: str) -> Record | None:
        row = self.db.execute(
            "SELECT status, brief, error, attempts FROM briefs WHERE sha256=? AND prompt_version=? AND model=?",
            (text_sha, version, model)).fetchone()
        if row is None:
            return None
        status, brief, error, attempts = row
        return Record(status, Brief.model_validate_json(brief) if brief else None, error, attempts)

    def save(self, text: str, version: str, model: str, brief: Brief | None,
             error: str | None = None, source: str | None = None) -> None:
        """Record a brief (or a failure, with `error`) and the article text, in one commit."""
        key = sha256(text)
        status = "done" if brief is not None else "failed"
        with self.db:  # one transaction, committed on exit
            self.db.execute("INSERT OR IGNORE INTO articles (sha256, text, added_at) VALUES (?, ?, ?)",
                            (key, text, _now()))
            self.db.execute(
                "INSERT INTO briefs (sha256, prompt_version, model, status, brief, error, source, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (sha256, prompt_version, model) DO UPDATE SET status=excluded.status, "
                "brief=excluded.brief, error=excluded.error, source=excluded.source, "
                "attempts=briefs.attempts + 1, updated_at=excluded.updated_at",
                (key, version, model, status,
                 brief.model_dump_json() if brief is not None else None, error, source, _now()))

    def text(self, text_sha: str) -> str | None:
        row = self.db.execute("SELECT text FROM articles WHERE sha256=?", (text_sha,)).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        """Briefs stored, by status (for reports and tests)."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM briefs GROUP BY status").fetchall())

    # ---- narratives -----------------------------------------------------------------------
    def narrative(self, key: str) -> str | None:
        row = self.db.execute("SELECT answer FROM narratives WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def save_narrative(self, key: str, answer: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO narratives (key, answer, created_at) VALUES (?, ?, ?)",
                            (key, answer, _now()))

    # ---- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
