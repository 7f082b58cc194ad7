"""Many articles through one backend, a bounded number at a time, with results kept in the store.

`summarize_many` yields one `ArticleResult` per article as each finishes; a failure is a result
with `error` set, never an exception, so one bad article cannot sink a batch. With a `Store`, an
article already briefed by the same prompts and model is answered from it without a model call,
and every fresh result is committed the moment it is done, so an interrupted run loses nothing.
Articles are claimed in the store before they are briefed (claims.py), so runs sharing a store
share the work instead of doing it twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable
from dataclasses import replace
from typing import Any

from ..api import Summarizer
from ..errors import SummarizerError, redact
from ..settings import Settings
from ..text.read import Article
from . import claims
from .claims import Claimant
from .keys import store_key
from .results import ArticleResult
from .store import Record, Store


CLAIM_POLL = 1.0  # seconds between looks at an article another run is briefing


async def summarize_many(articles: Iterable[Article | str], concurrency: int | None = None, *,
                         summarizer: Summarizer | None = None, store: Store | None = None,
                         settings: Settings | None = None) -> AsyncIterator[ArticleResult]:
    """Brief every article, at most `concurrency` at once (default: the backend profile's).

    Results come in completion order; `index` says which input each belongs to. Without a
    `summarizer`, one is made from `settings` and closed at the end. With a `store`, each article
    is claimed there before it is briefed: one that another live run is briefing is waited for and
    its result taken (as cached), so two runs on one store brief each article once.
    """
    own = summarizer is None
    s = summarizer or Summarizer(settings)
    items = [a if isinstance(a, Article) else Article(text=a) for a in articles]
    tasks: set[asyncio.Task] = set()
    shared: _Shared | None = None
    try:
        key: tuple[str, str] | None = None  # found on first use: model_id may ask the backend
        todo: dict[str, list[int]] = {}  # text hash -> inputs with that text; the first is briefed
        for i, a in enumerate(items):
            if a.error is not None:
                yield ArticleResult(i, a, error=a.error)
                continue
            if not a.text.strip():
                yield ArticleResult(i, a, error=f"{a.origin}: no article text")
                continue
            if store is not None:
                key = key or store_key(s)
                shared = shared or _Shared(store, key, items, s.progress)
                record = store.get(a.sha256, *key, about=a.origin)
                if record is not None and record.brief is not None:
                    yield ArticleResult(i, a, brief=record.brief, cached=True)
                    continue
                shared.looked(a.sha256, record)
            todo.setdefault(a.sha256, []).append(i)
        if not todo:
            return
        limit = concurrency or s.backend().profile.concurrency
        queue: asyncio.Queue[list[int]] = asyncio.Queue()
        for group in todo.values():
            queue.put_nowait(group)
        done: asyncio.Queue[list[ArticleResult] | Exception] = asyncio.Queue()

        def finish(group: list[int], first: ArticleResult) -> None:
            done.put_nowait([first] + [replace(first, index=j, article=items[j], cached=True) for j in group[1:]])

        async def worker() -> None:
            try:
                while True:
                    group = await queue.get()
                    taken = shared.take(group[0]) if shared is not None else None
                    if isinstance(taken, Claimant):  # another run is briefing it
                        spawn(wait_for(group))
                    elif taken is not None:  # another run's result, saved since we looked
                        finish(group, taken)
                    else:
                        finish(group, await _one(s, items, group[0], store, key))
                        if shared is not None:
                            shared.saved(items[group[0]].sha256)
            except Exception as exc:  # noqa: BLE001 - a bug: stop the run (the store itself works around faults of its file)
                done.put_nowait(exc)

        async def wait_for(group: list[int]) -> None:
            try:
                assert shared is not None
                result = await shared.wait(group[0])
                if result is not None:
                    finish(group, result)
                else:  # it stopped, or died, without a result: ours to brief
                    queue.put_nowait(group)
            except Exception as exc:  # noqa: BLE001
                done.put_nowait(exc)

        def spawn(coro: Coroutine[Any, Any, None]) -> None:
            task = asyncio.create_task(coro)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        for _ in range(max(1, min(limit, len(todo)))):
            spawn(worker())
        if shared is not None:
            spawn(shared.renew())
        for _ in range(len(todo)):
            finished = await done.get()
            if isinstance(finished, Exception):
                raise finished
            for result in finished:
                yield result
    finally:
        for t in list(tasks):
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if shared is not None:
            shared.release_unsaved()
        if own:
            await s.aclose()


class _Shared:
    """This run's side of sharing a store with other runs: claims taken, waited for and given up."""

    def __init__(self, store: Store, key: tuple[str, str], items: list[Article], progress: Callable[[str], None]):
        self.store, self.key, self.items, self.progress = store, key, items, progress
        self.seen: dict[str, int] = {}  # text hash -> attempts stored when we looked: a change is another run's
        self.claimed: set[str] = set()  # claimed and not yet saved
        self.told = False

    def looked(self, text_sha: str, record: Record | None) -> None:
        self.seen.setdefault(text_sha, record.attempts if record is not None else 0)

    def take(self, i: int) -> ArticleResult | Claimant | None:
        """Claim input i. None: ours to brief; a Claimant: the live run briefing it; a result: that of
        a run that finished it since we looked."""
        a = self.items[i]
        holder = self.store.claim(a.sha256, *self.key)
        if holder is not None:
            if not self.told:
                self.told = True
                self.progress(f"another run ({holder}) is briefing some of these articles; "
                              "waiting for its results rather than briefing them twice")
            return holder
        self.claimed.add(a.sha256)
        result = self.theirs(i)
        if result is not None:
            self.store.release(a.sha256, *self.key)
            self.claimed.discard(a.sha256)
        return result

    async def wait(self, i: int) -> ArticleResult | None:
        """Wait while another live run holds input i; then its result, or None if it left none."""
        while self.store.holder(self.items[i].sha256, *self.key) is not None:
            await asyncio.sleep(CLAIM_POLL)
        return self.theirs(i)

    def theirs(self, i: int) -> ArticleResult | None:
        """Another run's result for input i, saved since we looked."""
        a = self.items[i]
        record = self.store.get(a.sha256, *self.key, about=a.origin)
        if record is None or record.attempts == self.seen[a.sha256]:
            return None
        return ArticleResult(i, a, brief=record.brief, error=record.error, cached=True)

    def saved(self, text_sha: str) -> None:
        self.claimed.discard(text_sha)  # saving the result gave the claim up

    async def renew(self) -> None:
        """Keep this run's claims alive while it runs."""
        while True:
            await asyncio.sleep(claims.RENEW_EVERY)
            self.store.renew_claims()

    def release_unsaved(self) -> None:
        """Free what an interrupted run claimed but did not finish, for other runs at once."""
        for text_sha in self.claimed:
            self.store.release(text_sha, *self.key)


async def _one(s: Summarizer, items: list[Article], i: int, store: Store | None,
               key: tuple[str, str] | None) -> ArticleResult:
    a = items[i]
    started = time.perf_counter()
    brief, error = None, None
    try:
        brief = await s.asummarize(a.text, source=a.source)
    except SummarizerError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - a bug on one article is reported, not fatal to the batch
        error = redact(f"internal error: {type(exc).__name__}: {exc}")
    if store is not None and key is not None:
        store.save(a.text, *key, brief, error, a.source)
    return ArticleResult(i, a, brief=brief, error=error, seconds=time.perf_counter() - started)
