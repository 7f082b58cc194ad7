"""The store's SQLite file: its tables, the mark that makes it this program's, and how it is opened.

A file that is not a store (another program's database, or not a database at all) is refused
before anything is written to it: the check reads it through a read-only connection. A store that
cannot be written (read-only file or folder, another program's lock) can still be read.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    sha256 TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS briefs (
    sha256 TEXT NOT NULL,
    brief_version TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    brief TEXT,
    error TEXT,
    source TEXT,
    attempts INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sha256, brief_version, model)
);
CREATE TABLE IF NOT EXISTS narratives (
    key TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    sha256 TEXT NOT NULL,
    brief_version TEXT NOT NULL,
    model TEXT NOT NULL,
    owner TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    PRIMARY KEY (sha256, brief_version, model)
);
"""

APPLICATION_ID = int.from_bytes(b"SmBr", "big")  # in the SQLite header: "this file is a store"
# Columns renamed since stores were first written: (table, old name, new name)
RENAMED = (("briefs", "prompt_version", "brief_version"), ("claims", "prompt_version", "brief_version"))


def _columns() -> dict[str, list[str]]:
    """Each table of SCHEMA and its columns, as SQLite reports them."""
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    columns = {t: [row[1] for row in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    db.close()
    return columns


COLUMNS = _columns()


def not_a_store(path: Path, timeout: float) -> str | None:
    """Why the database at `path` is not a store, found without writing to it; None if it is one
    (marked, or with only the store's tables, as stores written before the mark are) or is new.

    Raises InputError for a file that is not a database, and sqlite3.OperationalError when the
    file cannot be read at all (locked, no permission).
    """
    if path.is_dir():
        return "it is a folder"
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        db = open_read_only(path, timeout)
    except sqlite3.OperationalError:
        raise
    except sqlite3.Error as exc:
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
        for _, table in entries:  # only the store's own table names are left: safe to splice in
            if _current([row[1] for row in db.execute(f"PRAGMA table_info({table})")], table) != COLUMNS[table]:
                return f"its table {table} has other columns"
        return None
    except sqlite3.OperationalError:
        raise
    except sqlite3.Error as exc:
        raise InputError(f"cannot open the store {path}: {exc}") from None
    finally:
        db.close()


def _current(columns: list[str], table: str) -> list[str]:
    """A table's columns under their present names."""
    new = {old: name for t, old, name in RENAMED if t == table}
    return [new.get(c, c) for c in columns]


def _rename_old_columns(db: sqlite3.Connection) -> None:
    for table, old, new in RENAMED:
        if old in [row[1] for row in db.execute(f"PRAGMA table_info({table})")]:
            db.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")


def open_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection that cannot change the file. Where SQLite cannot create the shared-memory file
    a WAL reader needs (a read-only folder), the file is read as immutable instead."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        db.close()
        if "unable to open" not in str(exc):
            raise
    db = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout)
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return db


def open_writable(path: Path, timeout: float) -> sqlite3.Connection:
    """The store file ready for writing: created if new, WAL mode, tables and mark in place.

    Raises sqlite3.Error or OSError when it cannot be written; a write is tried (and rolled back)
    because SQLite opens a read-only file without complaint and refuses only the first write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        _rename_old_columns(db)
        db.executescript(SCHEMA)
        if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("BEGIN IMMEDIATE")
        db.execute(f"PRAGMA user_version = {db.execute('PRAGMA user_version').fetchone()[0]}")
        db.rollback()
        return db
    except BaseException:
        db.close()
        raise
