"""Many articles through one backend, a bounded number at a time, with results kept in the store.

`summarize_many` yields one `ArticleResult` per article as each finishes; a failure is a result
with `error` set, never an exception, so one bad article cannot sink a batch. With a `Store`, an
article already briefed by the same prompts and model is answered from it without a model call,
and every fresh result is committed the moment it is done, so an interrupted run loses nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, replace

from . import local_model, pipeline
from .api import Summarizer
from .collect import Article
from .errors import SummarizerError, redact
from .schema import Brief
from .settings import Settings
from .store import Store


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
    `summarizer`, one is made from `settings` and closed at the end.
    """
    own = summarizer is None
    s = summarizer or Summarizer(settings)
    items = [a if isinstance(a, Article) else Article(text=a) for a in articles]
    workers: list[asyncio.Task] = []
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
                record = store.get(a.sha256, *key)
                if record is not None and record.brief is not None:
                    yield ArticleResult(i, a, brief=record.brief, cached=True)
                    continue
            todo.setdefault(a.sha256, []).append(i)
        if not todo:
            return
        limit = concurrency or s.backend().profile.concurrency
        queue: asyncio.Queue[list[int]] = asyncio.Queue()
        for group in todo.values():
            queue.put_nowait(group)
        done: asyncio.Queue[list[ArticleResult] | Exception] = asyncio.Queue()

        async def worker() -> None:
            try:
                while not queue.empty():
                    group = queue.get_nowait()
                    first = await _one(s, items, group[0], store, key)
                    done.put_nowait([first] + [replace(first, index=j, article=items[j], cached=True)
                                               for j in group[1:]])
            except Exception as exc:  # noqa: BLE001 - e.g. the store's disk is full: stop the run
                done.put_nowait(exc)

        workers = [asyncio.create_task(worker()) for _ in range(max(1, min(limit, len(todo))))]
        for _ in range(len(todo)):
            finished = await done.get()
            if isinstance(finished, Exception):
                raise finished
            for result in finished:
                yield result
    finally:
        for w in workers:
            w.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
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
        error = redact(f"internal error: {type(exc).__name__}: {exc}")
    if store is not None and key is not None:
        store.save(a.text, *key, brief, error, a.source)
    return ArticleResult(i, a, brief=brief, error=error, seconds=time.perf_counter() - started)
