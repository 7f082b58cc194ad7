"""The local store of a daily run: every brief, failure and article text, in one SQLite file.

A brief is keyed by the SHA-256 of the article text, the brief version (the prompts and the program
that makes and checks briefs: `pipeline.brief_version`; stored in the `prompt_version` column) and
the model id, so a rerun only does what is new or failed, and a change of prompts, program or model
redoes everything. Each result is committed the moment it is done (WAL mode), so an interrupted run
loses nothing finished.
The article texts are kept too: evidence offsets point into them, and the HTML page shows them.
The file is marked as this program's (`PRAGMA application_id`); any other database is refused
before anything is written to it.
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


APPLICATION_ID = int.from_bytes(b"SmBr", "big")  # in the SQLite header: "this file is a store"


def _columns() -> dict[str, list[str]]:
    """Each table of SCHEMA and its columns, as SQLite reports them."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    columns = {t: [row[1] for row in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    db.close()
    return columns


COLUMNS = _columns()


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


def _not_a_store(path: Path) -> str | None:
    """Why the database at `path` is not a store, found without writing to it; None if it is one
    (marked, or with only the store's tables, as stores written before the marker are), or is new."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        db = _open_read_only(path)
    except (sqlite3.Error, OSError) as exc:
        raise InputError(f"cannot open the store {path}: {exc}") from None
    try:
        app = db.execute("PRAGMA application_id").fetchone()[0]
        if app == APPLICATION_ID:
            return None
        if app:
            return f"it belongs to another application (application_id {app})"
        entries = db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
        others = sorted(name for kind, name in entries if kind != "table" or name not in COLUMNS)
        if others:
            return f"it has other tables: {', '.join(others)}"
        for _, table in entries:
            if [row[1] for row in db.execute(f"PRAGMA table_info({table})")] != COLUMNS[table]:
                return f"its table {table} has other columns"
        return None
    except sqlite3.Error as exc:
        raise InputError(f"cannot open the store {path}: {exc}") from None
    finally:
        db.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to the file (nor create a journal beside it)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """One SQLite connection; use it from one thread (the event loop's)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()
        why = _not_a_store(self.path)
        if why:
            raise InputError(f"{self.path} is not a summarizer store ({why}); refusing to use it")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)
            if self.db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
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
