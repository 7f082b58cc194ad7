"""`summarizer eval`: score briefs against labeled articles, or daily briefs against labeled days
(a labels file whose lines have "day" and "incidents"); the scoring is summarizer/scoring/."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..api import Summarizer
from ..daily.store import Store
from ..errors import InputError, OutputError, shown
from ..scoring import load_labels, report_json, run_eval, totals
from ..scoring.day_run import days_json, run_daily_eval
from ..scoring.day_score import DayScore, day_totals
from ..scoring.days import is_day_labels, load_days
from ..settings import Settings
from .shared import ApiKey, BaseUrl, ModelOpt, ProfileOpt, make_settings, say, write_output


def eval_cmd(
    labels: Annotated[Path, typer.Argument(help="JSON Lines of labeled articles (devset/) or labeled days (dailyset/).")],
    modes: Annotated[Optional[str], typer.Option(help="Comma-separated: multi (the pipeline), single, naive (one plain call); one mode for days. [default: multi; days: the backend's]")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")] = None,
    progress_out: Annotated[Optional[Path], typer.Option("--progress", help="Append each article's (or day's) score here as it is done (JSON Lines).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N articles (or days).")] = None,
    split: Annotated[Optional[str], typer.Option(help="Days: only this split (dev, test, seed).")] = None,
    narrative: Annotated[bool, typer.Option("--narrative/--no-narrative", help="Days: write and score the key developments.")] = True,
    store: Annotated[Optional[Path], typer.Option(help="SQLite store of briefs (as `daily --store`): briefs in the default mode are taken from it when there, saved to it when made.")] = None,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None, profile: ProfileOpt = None,
) -> None:
    """Score briefs against a labeled set: figures, actors, bases, grounding, time and tokens; or
    daily briefs against labeled days: places, one row per incident, headline figures, victims, citations."""
    wanted = [m.strip() for m in (modes or "").split(",") if m.strip()]
    bad = [m for m in wanted if m not in ("multi", "single", "naive")]
    if bad:
        raise InputError(f"--modes: unknown mode(s) {', '.join(bad)}; use multi, single or naive")
    if is_day_labels(labels):
        if len(wanted) > 1 or "naive" in wanted:
            raise InputError("--modes: days are scored in one mode, multi or single")
        settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile,
                                 mode=wanted[0] if wanted else None)
        _eval_days(labels, settings, split, limit, narrative, store, json_out, progress_out)
        return
    if split is not None:
        raise InputError("--split: only for labeled days")
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile)
    _eval_articles(labels, settings, wanted or ["multi"], limit, store, json_out, progress_out)


def _append(progress_out: Path | None, line: str) -> None:
    if progress_out is None:
        return
    try:
        with progress_out.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError as exc:
        raise OutputError(f"cannot write {shown(progress_out)} ({exc.strerror or exc})") from None


def _eval_articles(labels: Path, settings: Settings, wanted: list[str], limit: int | None, store: Path | None,
                   json_out: Path | None, progress_out: Path | None) -> None:
    items = load_labels(labels)[:limit]
    results = {}

    def show(sc) -> None:
        _append(progress_out, sc.model_dump_json())
        status = "failed: " + (sc.error or "") if not sc.ok else (
            f"figures {sc.primary_matched}/{sc.primary_gold} primary, {sc.all_matched}/{sc.all_gold} all, "
            f"extra {sc.extra_figures}; "
            f"actors {sc.actors_found}/{sc.actors_gold}; {sc.seconds:.0f} s{' (from the store)' if sc.from_store else ''}")
        say(f"{sc.mode:6} {sc.id}: {status}")

    async def go() -> None:
        async with Summarizer(settings, progress=say) as s:
            if store is None:
                results.update(await run_eval(s, items, wanted, on_score=show))
                return
            with Store(store, warn=say, timeout=settings.store_timeout) as st:
                results.update(await run_eval(s, items, wanted, on_score=show, store=st))

    asyncio.run(go())
    table = Table(title=f"{labels} ({len(items)} articles)")
    table.add_column("metric")
    sums = {m: totals(sc) for m, sc in results.items()}
    for m in wanted:
        table.add_column(m, justify="right")
    for key in next(iter(sums.values())):
        table.add_row(key, *(str(sums[m][key]) for m in wanted))
    Console().print(table)
    if json_out is not None:
        write_output(report_json(results), json_out)


def _eval_days(labels: Path, settings: Settings, split: str | None, limit: int | None, narrative: bool,
               store: Path | None, json_out: Path | None, progress_out: Path | None) -> None:
    days = load_days(labels, split)[:limit]
    scores: list[DayScore] = []

    def show(sc: DayScore) -> None:
        _append(progress_out, sc.model_dump_json())
        say(f"{sc.day}: " + (f"failed: {sc.error}" if not sc.ok else
                             f"{sc.rows} rows for {sc.incidents} incidents; {sc.seconds:.0f} s"))

    async def go() -> None:
        async with Summarizer(settings, progress=say, warn=say) as s:
            if store is None:
                scores.extend(await run_daily_eval(s, days, None, narrative, on_score=show))
                return
            with Store(store, warn=say, timeout=settings.store_timeout) as st:
                scores.extend(await run_daily_eval(s, days, st, narrative, on_score=show))

    asyncio.run(go())
    console = Console(width=None if sys.stdout.isatty() else 200)  # a file or pipe: no wrapped columns
    console.print(days_table(scores, f"{labels} ({len(days)} days{f', split {split}' if split else ''})"))
    for line in failures(scores):
        console.print(line, markup=False, highlight=False)
    if json_out is not None:
        write_output(days_json(scores), json_out)


def _of(a: int, b: int) -> str:
    return f"{a}/{b}"


def days_table(scores: Sequence[DayScore], title: str) -> Table:
    table = Table(title=title)
    for name in ("day", "articles", "rows", "places ok", "incidents found", "duplicates", "extra",
                 "headline right", "victims right", "citations held", "rejected"):
        table.add_column(name, justify="left" if name == "day" else "right")
    for s in scores:
        if not s.ok:
            table.add_row(s.day, "failed", *[""] * 9)
            continue
        table.add_row(s.day, str(s.articles - s.failed_articles), str(s.rows), _of(s.places_ok, s.rows),
                      _of(s.incidents_found, s.incidents), str(len(s.duplicates)), str(len(s.extra)),
                      _of(s.headline_right, s.incidents_found), _of(s.victims_right, s.victims_rows),
                      _of(s.citations_held, s.sentences), str(s.rejected_sentences))
    t = day_totals(scores)
    table.add_row("total", str(t["articles"] - t["failed_articles"]), str(t["rows"]), _of(t["places_ok"], t["rows"]),
                  _of(t["incidents_found"], t["incidents"]), str(t["duplicates"]), str(t["extra"]),
                  _of(t["headline_right"], t["incidents_found"]),
                  _of(t["victims_right"], sum(s.victims_rows for s in scores if s.ok)),
                  _of(t["citations_held"], t["sentences"]), str(t["rejected_sentences"]), style="bold")
    return table


def failures(scores: Sequence[DayScore]) -> list[str]:
    """What went wrong, day by day, one line each."""
    out = []
    for s in scores:
        for what, items in (("not a place", s.bad_places), ("missed", s.missed), ("duplicate", s.duplicates),
                            ("extra row", s.extra), ("number from a vague figure", s.numbered_vague),
                            ("headline", s.headline_wrong), ("victims", s.victims_wrong),
                            ("citation", s.citation_failures)):
            out += [f"{s.day} {what}: {item}" for item in items]
        if s.narrative_error:
            out.append(f"{s.day} no narrative: {s.narrative_error}")
    return out
