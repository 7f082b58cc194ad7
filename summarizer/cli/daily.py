"""`summarizer daily`: brief a day's articles, merge them, and write one report (md, html or json).

Registered in cli/__init__.py. Progress goes to stderr (a bar on a terminal, a line per article otherwise);
failed articles are reported and never stop the run; every result is committed to the store as it
is done, so an interrupted run is resumed by running the same command again.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date as Date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import Progress, Summarizer
from ..daily.aggregate import build_daily_brief
from ..daily.batch import summarize_many
from ..daily.results import ArticleResult
from ..daily.narrative import add_narrative
from ..daily.render import FORMATS, daily_html
from ..daily.store import Store, default_path
from ..errors import InputError, SummarizerError
from ..models.daily import DailyBrief
from ..settings import Settings
from ..text.read import Article, collect
from .shared import ApiKey, BaseUrl, ModelOpt, ModeOpt, ProfileOpt, TimeoutOpt, make_settings, say, write_output

OutputOpt = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write here; the format follows the suffix (.md, .html, .json).")]


class DailyFormat(str, Enum):
    markdown = "markdown"
    html = "html"
    json = "json"


SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def daily(
    inputs: Annotated[list[str], typer.Argument(help="Article files, directories, globs or JSON Lines files.")],
    date: Annotated[Optional[str], typer.Option("--date", help="The day the brief covers, YYYY-MM-DD (default: today).")] = None,
    output: OutputOpt = None,
    format: Annotated[Optional[DailyFormat], typer.Option("--format", "-f", help="Output format (default: from the -o suffix, else markdown).")] = None,
    store: Annotated[Optional[Path], typer.Option("--store", help="SQLite store of briefs (default: in the user cache directory).")] = None,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", help="Articles in flight at once (default: the backend profile's).")] = None,
    narrative: Annotated[bool, typer.Option("--narrative/--no-narrative", help="Ask the model for the day's key developments.")] = True,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None,
    profile: ProfileOpt = None, mode: ModeOpt = None, timeout: TimeoutOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages (failures are still reported).")] = False,
    allow_paths_outside: Annotated[bool, typer.Option(
        "--allow-paths-outside", help="Let a JSON Lines \"path\" name a file outside the JSON Lines file's folder.")] = False,
) -> None:
    """Brief many articles and merge them into one daily brief; reruns only do what is new or failed."""
    day = _check_date(date)
    if concurrency is not None and concurrency < 1:
        raise InputError(f"--concurrency: expected 1 or more, got {concurrency}")
    fmt = _format(format, output)
    articles = collect(inputs, allow_paths_outside=allow_paths_outside)
    if not articles:
        raise InputError(f"no articles found in {', '.join(inputs)} (looked for .txt, .html and .jsonl files)")
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile, mode=mode,
                             timeout=timeout, concurrency=concurrency)
    store_path = store or default_path()
    progress = None if quiet else say
    if not quiet:
        say(f"{len(articles)} articles; store {store_path}")
    state = _Run(len(articles))
    started = time.perf_counter()
    try:
        daily_brief, texts = asyncio.run(_run(articles, settings, store_path, concurrency, day, narrative,
                                              state, progress, say))
    except KeyboardInterrupt:
        if state.saving:
            say(f"interrupted: {state.ok} of {len(articles)} articles are done and kept in {store_path}; "
                 "run the same command again to finish")
        else:
            say(f"interrupted: {state.ok} of {len(articles)} articles were done, but the store could not keep them")
        raise typer.Exit(130) from None
    daily_brief.stats.seconds = round(time.perf_counter() - started, 1)
    for r in state.failed:
        say(f"failed: {r.error if r.error and r.error.startswith(r.article.origin) else f'{r.article.origin}: {r.error}'}")
    if daily_brief.meta.narrative_error and narrative and daily_brief.stats.failed < daily_brief.stats.articles:
        say(f"no narrative: {daily_brief.meta.narrative_error}")
    if not quiet:
        s, u = daily_brief.stats, daily_brief.stats.usage
        say(f"{s.articles} articles: {s.done} done, {s.cached} cached, {s.failed} failed; "
             f"{u.prompt_tokens + u.completion_tokens} tokens ({u.calls} calls); {s.seconds:.1f} s")
    text = daily_html(daily_brief, texts) if fmt == "html" else FORMATS[fmt](daily_brief)
    write_output(text, output)
    if daily_brief.stats.failed == daily_brief.stats.articles:
        raise SummarizerError(f"every article failed ({daily_brief.stats.failed}); nothing was briefed")


class _Run:
    """What the run has finished so far (read by the interrupt message)."""

    def __init__(self, total: int):
        self.total = total
        self.ok = 0
        self.failed: list[ArticleResult] = []
        self.store: Store | None = None

    @property
    def saving(self) -> bool:
        """Whether the store keeps what is done (it may have refused a write)."""
        return self.store is None or self.store.saving


async def _run(articles: list[Article], settings: Settings, store_path: Path, concurrency: int | None, day: str,
               narrative: bool, state: _Run, progress: Progress | None,
               warn: Progress) -> tuple[DailyBrief, dict[int, str]]:
    results: list[ArticleResult] = []
    async with Summarizer(settings, progress=progress, warn=warn) as s:
        with Store(store_path, warn=warn, timeout=settings.store_timeout) as store:
            state.store = store
            with _reporter(len(articles), progress) as report:
                async for r in summarize_many(articles, concurrency, summarizer=s, store=store):
                    results.append(r)
                    if r.ok:
                        state.ok += 1
                    else:
                        state.failed.append(r)
                    report(r)
            daily_brief = build_daily_brief(results, date=day)
            if narrative:
                daily_brief = await add_narrative(s, daily_brief, store)
            texts = {a.id: store.text(a.sha256) for a in daily_brief.articles if a.sha256}
    return daily_brief, {k: v for k, v in texts.items() if v is not None}


@contextmanager
def _reporter(total: int, progress: Progress | None) -> Iterator[Callable[[ArticleResult], None]]:
    """A rich progress bar when stderr is a terminal; else one line per finished article."""
    if progress is None:
        yield lambda r: None
        return
    if not sys.stderr.isatty():
        count = [0]

        def line(r: ArticleResult) -> None:
            count[0] += 1
            status = "cached" if r.cached and r.ok else "done" if r.ok else "failed"
            took = f" ({r.seconds:.1f} s)" if r.ok and not r.cached else ""
            progress(f"[{count[0]}/{total}] {status} {r.article.origin}{took}")
        yield line
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("briefing", total=total)
        yield lambda r: bar.advance(task)


def _check_date(value: str | None) -> str:
    if value is None:
        return Date.today().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InputError(f"--date: expected YYYY-MM-DD, got {value!r}")
    try:
        return Date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"--date: {value!r} is not a valid date") from None


def _format(fmt: DailyFormat | None, output: Path | None) -> str:
    if fmt is not None:
        return fmt.value
    if output is None or str(output) == "-":
        return "markdown"
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"{output}: unknown output suffix {suffix or '(none)'}; use .md, .html or .json, or --format")
    return SUFFIXES[suffix]
