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
from collections.abc import AsyncIterator, Coroutine, Iterable
from dataclasses import dataclass, replace
from typing import Any

from . import claims, local_model, pipeline
from .api import Summarizer
from .claims import Claimant
from .collect import Article
from .errors import SummarizerError
from .schema import Brief
from .settings import Settings
from .store import Store


CLAIM_POLL = 1.0  # seconds between looks at an article another run is briefing


@dataclass
class ArticleResult:
    index: int  # position in the input
    article: Article
    brief: Brief | None = None
    error: str | None = None
    cached: bool = False  # from the store (or a duplicate of an article in this run)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.brief is not None


def model_id(s: Summarizer) -> str:
    """The model id briefs are keyed by, found without starting the embedded server."""
    if s.settings.base_url:
        return s.backend().model
    return local_model.spec_for(s.settings.embedded_model).name


def store_key(s: Summarizer) -> tuple[str, str]:
    """What this summarizer's briefs are stored under besides the text: (brief version, model id)."""
    return pipeline.brief_version(), model_id(s)


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
    claimed: set[str] = set()
    key: tuple[str, str] | None = None  # found on first use: model_id may ask the backend
    try:
        todo: dict[str, list[int]] = {}  # text hash -> inputs with that text; the first is briefed
        seen: dict[str, int] = {}  # text hash -> attempts stored when we looked: a change is another run's result
        for i, a in enumerate(items):
            if a.error is not None:
                yield ArticleResult(i, a, error=a.error)
                continue
            if not a.text.strip():
                yield ArticleResult(i, a, error=f"{a.origin}: no article text")
                continue
            if store is not None:
                key = key or store_key(s)
                record = store.get(a.sha256, *key, about=a.origin)
                if record is not None and record.brief is not None:
                    yield ArticleResult(i, a, brief=record.brief, cached=True)
                    continue
                seen.setdefault(a.sha256, record.attempts if record is not None else 0)
            todo.setdefault(a.sha256, []).append(i)
        if not todo:
            return
        limit = concurrency or s.backend().profile.concurrency
        queue: asyncio.Queue[list[int]] = asyncio.Queue()
        for group in todo.values():
            queue.put_nowait(group)
        done: asyncio.Queue[list[ArticleResult] | Exception] = asyncio.Queue()
        told: list[Claimant] = []

        def finish(group: list[int], first: ArticleResult) -> None:
            done.put_nowait([first] + [replace(first, index=j, article=items[j], cached=True) for j in group[1:]])

        def theirs(i: int) -> ArticleResult | None:
            """Another run's result for input i, saved since we looked."""
            assert store is not None and key is not None
            a = items[i]
            record = store.get(a.sha256, *key, about=a.origin)
            if record is None or record.attempts == seen[a.sha256]:
                return None
            return ArticleResult(i, a, brief=record.brief, error=record.error, cached=True)

        async def worker() -> None:
            try:
                while True:
                    group = await queue.get()
                    a = items[group[0]]
                    if store is not None and key is not None:
                        holder = store.claim(a.sha256, *key)
                        if holder is not None:
                            if not told:
                                told.append(holder)
                                s.progress(f"another run ({holder}) is briefing some of these articles; "
                                           "waiting for its results rather than briefing them twice")
                            spawn(wait_for_other_run(group))
                            continue
                        claimed.add(a.sha256)
                        result = theirs(group[0])
                        if result is not None:  # it finished between our look and our claim
                            store.release(a.sha256, *key)
                            claimed.discard(a.sha256)
                            finish(group, result)
                            continue
                    finish(group, await _one(s, items, group[0], store, key))
                    claimed.discard(a.sha256)  # saving the result gave the claim up
            except Exception as exc:  # noqa: BLE001 - a bug: stop the run (the store itself works around faults of its file)
                done.put_nowait(exc)

        async def wait_for_other_run(group: list[int]) -> None:
            try:
                assert store is not None and key is not None
                a = items[group[0]]
                while store.holder(a.sha256, *key) is not None:
                    await asyncio.sleep(CLAIM_POLL)
                result = theirs(group[0])
                if result is not None:
                    finish(group, result)
                else:  # it stopped, or died, without a result: ours to brief
                    queue.put_nowait(group)
            except Exception as exc:  # noqa: BLE001
                done.put_nowait(exc)

        async def renew() -> None:
            assert store is not None
            while True:
                await asyncio.sleep(claims.RENEW_EVERY)
                store.renew_claims()

        def spawn(coro: Coroutine[Any, Any, None]) -> None:
            task = asyncio.create_task(coro)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        for _ in range(max(1, min(limit, len(todo)))):
            spawn(worker())
        if store is not None:
            spawn(renew())
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
        if store is not None and key is not None:
            for sha in claimed:  # those not saved (an interrupted run): free for other runs at once
                store.release(sha, *key)
        if own:
            await s.aclose()


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
        error = f"internal error: {type(exc).__name__}: {exc}"
    if store is not None and key is not None:
        store.save(a.text, *key, brief, error, a.source)
    return ArticleResult(i, a, brief=brief, error=error, seconds=time.perf_counter() - started)
