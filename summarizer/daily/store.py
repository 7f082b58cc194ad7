"""The local store of a daily run: every brief, failure and article text, in one SQLite file.

A brief is keyed by the SHA-256 of the article text, the brief version (the prompts and the program
that makes and checks briefs: `pipeline.brief_version`; stored in the `brief_version` column, which older stores called `prompt_version`) and
the model id, so a rerun only does what is new or failed, and a change of prompts, program or model
redoes everything. Each result is committed the moment it is done (WAL mode), so an interrupted run
loses nothing finished.
The article texts are kept too: evidence offsets point into them, and the HTML page shows them.
Opening the file, and refusing one that is not a store, is store_db.py's job.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from .. import downloads
from ..errors import InputError
from ..text.read import sha256
from ..models.brief import Brief
from . import claims
from .claims import Claimant
from .store_db import SCHEMA, not_a_store, open_read_only, open_writable

T = TypeVar("T")


def default_path() -> Path:
    return downloads.cache_dir() / "daily.sqlite3"


@dataclass(frozen=True)
class Record:
    status: str  # "done" or "failed"
    brief: Brief | None
    error: str | None
    attempts: int


def _why(exc: BaseException) -> str:
    """One line on what went wrong: SQLite's message, or the first problem pydantic found."""
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where + ': ' if where else ''}{first['msg']}"
    # SQLite quotes the undecodable bytes themselves: noise on a terminal
    return " ".join(str(exc).split(" with text '")[0].split()) or type(exc).__name__


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The store file, read and written over one connection; use it from one thread (the event loop's).

    When the file cannot be written (read-only file or folder, another program's lock, a full disk)
    the store says so once through `warn` and keeps this run's results in memory beside what the
    file holds, so the run goes on without saving. An unreadable row is reported through `warn` and
    read as absent: its article is briefed again and the row replaced. Claims (claims.py) say which
    run is briefing which article.
    """

    def __init__(self, path: Path | str | None = None, *, warn: Callable[[str], None] | None = None,
                 timeout: float = 30.0, claim_ttl: float = claims.CLAIM_TTL):
        self.path = Path(path) if path is not None else default_path()
        self.warn = warn or (lambda _message: None)
        self.me = Claimant.me()
        self.claim_ttl = claim_ttl
        self._reported: set[tuple] = set()
        self.db: sqlite3.Connection | None = None  # the file; None when it cannot even be read
        self.scratch: sqlite3.Connection | None = None  # this run's results, once the file refuses them
        try:
            why = not_a_store(self.path, timeout)
        except (sqlite3.OperationalError, OSError) as exc:  # cannot read it, so cannot write to it either
            self._without_file(exc)
            return
        if why:
            raise InputError(f"{self.path} is not a summarizer store ({why}); refusing to use it")
        try:
            self.db = open_writable(self.path, timeout)
        except (sqlite3.Error, OSError) as exc:
            try:
                self.db = open_read_only(self.path, timeout) if self.path.is_file() else None
            except sqlite3.Error:
                self.db = None
            self._without_file(exc)

    @property
    def saving(self) -> bool:
        """Whether results reach the file (False once it refused one)."""
        return self.scratch is None

    def _without_file(self, exc: BaseException) -> None:
        """From now on, keep results in memory only; say so once."""
        if self.scratch is not None:
            return
        self.scratch = sqlite3.connect(":memory:")
        self.scratch.executescript(SCHEMA)
        self.warn(f"store {self.path} cannot be written ({_why(exc)}); running without saving: "
                  "this run's results will not be kept")

    def _write(self, statements: Callable[[sqlite3.Connection], None]) -> None:
        """Run `statements` in one transaction on the file, or in memory when the file refuses them."""
        if self._closed:  # e.g. a cancelled run's last words: nowhere to keep them
            return
        if self.scratch is None and self.db is not None:
            try:
                with self.db:  # committed on exit, rolled back on an error
                    statements(self.db)
                return
            except sqlite3.IntegrityError:
                raise  # a bug, not a fault of the file
            except sqlite3.DatabaseError as exc:  # read-only, locked, disk full, I/O error
                self._without_file(exc)
        assert self.scratch is not None

        with self.scratch:
            statements(self.scratch)

    def _bad(self, row: tuple, message: str) -> None:
        """Report an unreadable row, once however often it is read."""
        if row not in self._reported:
            self._reported.add(row)
            self.warn(f"store {self.path}: {message}")

    def _row(self, sql: str, args: tuple) -> tuple | None:
        """The first row `sql` finds: this run's unsaved results first, then the file."""
        for db in (self.scratch, self.db):
            row = db.execute(sql, args).fetchone() if db is not None else None
            if row is not None:
                return row
        return None

    # ---- briefs ---------------------------------------------------------------------------
    def get(self, text_sha: str, version: str, model: str, about: str | None = None) -> Record | None:
        """The stored result, or None if there is none or it cannot be read (reported, naming the
        article by `about`, else by its hash)."""
        try:
            row = self._row("SELECT status, brief, error, attempts FROM briefs "
                            "WHERE sha256=? AND brief_version=? AND model=?", (text_sha, version, model))
            if row is None:
                return None
            status, brief, error, attempts = row
            return Record(status, Brief.model_validate_json(brief) if brief else None, error, attempts)
        except (ValueError, sqlite3.Error) as exc:  # one bad row must not sink a run of good ones
            self._bad(("brief", text_sha, version, model),
                      f"the stored brief of {about or 'article ' + text_sha[:12]} cannot be read ({_why(exc)}); "
                      "briefing it again")
            return None

    def save(self, text: str, version: str, model: str, brief: Brief | None,
             error: str | None = None, source: str | None = None) -> None:
        """Record a brief (or a failure, with `error`) and the article text, in one commit."""
        key = sha256(text)
        status = "done" if brief is not None else "failed"
        row = (key, version, model, status, brief.model_dump_json() if brief is not None else None, error,
               source, _now())

        def statements(db: sqlite3.Connection) -> None:
            claims.release(db, (key, version, model), self.me)  # with the result: no gap between the two
            db.execute("INSERT OR IGNORE INTO articles (sha256, text, added_at) VALUES (?, ?, ?)",
                       (key, text, _now()))
            db.execute(
                "INSERT INTO briefs (sha256, brief_version, model, status, brief, error, source, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (sha256, brief_version, model) DO UPDATE SET status=excluded.status, "
                "brief=excluded.brief, error=excluded.error, source=excluded.source, "
                "attempts=briefs.attempts + 1, updated_at=excluded.updated_at", row)

        self._write(statements)

    def text(self, text_sha: str) -> str | None:
        """The article text, or None if there is none or it cannot be read (reported)."""
        try:
            row = self._row("SELECT text FROM articles WHERE sha256=?", (text_sha,))
        except sqlite3.Error as exc:
            self._bad(("text", text_sha), f"the stored text of article {text_sha[:12]} cannot be read ({_why(exc)})")
            return None
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        """Briefs in the file, by status (for reports and tests)."""
        db = self.db or self.scratch
        assert db is not None
        return dict(db.execute("SELECT status, COUNT(*) FROM briefs GROUP BY status").fetchall())

    # ---- narratives -----------------------------------------------------------------------
    def narrative(self, key: str, parse: Callable[[str], T] | None = None) -> str | T | None:
        """The stored answer (parsed by `parse` when given), or None if there is none or it cannot
        be read (reported)."""
        try:
            row = self._row("SELECT answer FROM narratives WHERE key=?", (key,))
            return None if row is None else parse(row[0]) if parse is not None else row[0]
        except (ValueError, sqlite3.Error) as exc:
            self._bad(("narrative", key), f"the stored narrative cannot be read ({_why(exc)}); asking for it again")
            return None

    def save_narrative(self, key: str, answer: str) -> None:
        self._write(lambda db: db.execute(
            "INSERT OR REPLACE INTO narratives (key, answer, created_at) VALUES (?, ?, ?)", (key, answer, _now())))

    # ---- claims: which run is briefing what (claims.py) ----------------------------------------
    def claim(self, text_sha: str, version: str, model: str) -> Claimant | None:
        """Claim an article for this run before briefing it. None: this run's to brief (claimed, or
        the file takes no writes, so there is no one to share the work with); else the live run
        that holds it."""
        return self._claims(lambda db: claims.claim(db, (text_sha, version, model), self.me, self.claim_ttl))

    def holder(self, text_sha: str, version: str, model: str) -> Claimant | None:
        """The live run, other than this one, that holds the article's claim."""
        return self._claims(lambda db: claims.holder(db, (text_sha, version, model), self.me, self.claim_ttl))

    def release(self, text_sha: str, version: str, model: str) -> None:
        """Give up this run's claim of an article (saving its result gives it up too)."""
        def give_up(db: sqlite3.Connection) -> None:
            with db:
                claims.release(db, (text_sha, version, model), self.me)

        self._claims(give_up)

    def renew_claims(self) -> None:
        """Tell other runs this one is alive (call well within the claims' lifetime)."""
        self._claims(lambda db: claims.renew(db, self.me))

    def _claims(self, op: Callable[[sqlite3.Connection], Claimant | None]) -> Claimant | None:
        if not self.saving or self.db is None or self._closed:
            return None
        try:
            return op(self.db)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            if self.db.in_transaction:
                self.db.rollback()
            self._without_file(exc)
            return None

    # ---- lifetime -------------------------------------------------------------------------
    _closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._claims(lambda db: claims.release_all(db, self.me))  # an interrupted run's claims go with it
        self._closed = True
        for db in (self.db, self.scratch):
            if db is not None:
                db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
