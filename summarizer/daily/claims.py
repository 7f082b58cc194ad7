"""Claims in the store: which run is briefing which article, so that two runs on one store never
brief the same article twice.

A run claims an article just before briefing it, recording its id, pid, host and the time; the
claim goes when the result is saved. A run renews its claims while it lives, so a claim that is not
renewed for `CLAIM_TTL` seconds, or whose process is gone (same host), belongs to a dead or wedged
run and is taken over.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
import uuid
from dataclasses import dataclass

CLAIM_TTL = 300.0  # seconds a claim lives without renewal
RENEW_EVERY = 60.0  # how often a run renews its claims
Key = tuple[str, str, str]  # text hash, brief version, model
_WHERE = "sha256=? AND brief_version=? AND model=?"


@dataclass(frozen=True)
class Claimant:
    owner: str  # one run's random id (two runs in one process differ)
    pid: int
    host: str
    claimed_at: float  # seconds since the epoch, renewed while the run lives

    @classmethod
    def me(cls) -> "Claimant":
        return cls(uuid.uuid4().hex, os.getpid(), socket.gethostname(), 0.0)

    def live(self, now: float, ttl: float = CLAIM_TTL) -> bool:
        """Whether the claim still holds: renewed lately, and its process alive where that can be seen."""
        if now - self.claimed_at > ttl:
            return False
        return self.host != socket.gethostname() or _pid_alive(self.pid)

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # someone else's process: alive
        return True
    return True


def claim(db: sqlite3.Connection, key: Key, me: Claimant, ttl: float = CLAIM_TTL) -> Claimant | None:
    """Claim `key` for `me`: None when it is now `me`'s, else the live claimant that holds it.

    Each write is a compare-and-set on the row it read, so of two runs racing for one article
    exactly one wins, with no lock held between reading and writing.
    """
    for _ in range(5):
        now = time.time()
        row = db.execute(f"SELECT owner, pid, host, claimed_at FROM claims WHERE {_WHERE}", key).fetchone()
        if row is None:
            cur = db.execute("INSERT OR IGNORE INTO claims (sha256, brief_version, model, owner, pid, host, "
                             "claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", (*key, me.owner, me.pid, me.host, now))
        else:
            held = Claimant(*row)
            if held.owner == me.owner:
                return None
            if held.live(now, ttl):
                return held
            cur = db.execute(f"UPDATE claims SET owner=?, pid=?, host=?, claimed_at=? WHERE {_WHERE} "
                             "AND owner=? AND claimed_at=?", (me.owner, me.pid, me.host, now, *key, held.owner,
                                                              held.claimed_at))
        db.commit()
        if cur.rowcount == 1:
            return None
    return holder(db, key, me, ttl)  # lost every race: someone holds it


def holder(db: sqlite3.Connection, key: Key, me: Claimant, ttl: float = CLAIM_TTL) -> Claimant | None:
    """The live claimant of `key` other than `me`, if any."""
    row = db.execute(f"SELECT owner, pid, host, claimed_at FROM claims WHERE {_WHERE}", key).fetchone()
    held = Claimant(*row) if row else None
    return held if held is not None and held.owner != me.owner and held.live(time.time(), ttl) else None


def release(db: sqlite3.Connection, key: Key, me: Claimant) -> None:
    """Drop `me`'s claim of `key` (within the caller's transaction)."""
    db.execute(f"DELETE FROM claims WHERE {_WHERE} AND owner=?", (*key, me.owner))


def release_all(db: sqlite3.Connection, me: Claimant) -> None:
    with db:
        db.execute("DELETE FROM claims WHERE owner=?", (me.owner,))


def renew(db: sqlite3.Connection, me: Claimant) -> None:
    with db:
        db.execute("UPDATE claims SET claimed_at=? WHERE owner=?", (time.time(), me.owner))
