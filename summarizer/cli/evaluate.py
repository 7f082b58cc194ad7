"""`summarizer eval`: score briefs against a labeled set (the scoring is summarizer/scoring.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..api import Summarizer
from ..daily.store import Store
from ..errors import InputError, OutputError, shown
from ..scoring import load_labels, report_json, run_eval, totals
from .shared import ApiKey, BaseUrl, ModelOpt, ProfileOpt, make_settings, say, write_output


def eval_cmd(
    labels: Annotated[Path, typer.Argument(help="JSON Lines of labeled articles (see devset/).")],
    modes: Annotated[str, typer.Option(help="Comma-separated: multi (the pipeline), single, naive (one plain call).")] = "multi",
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")] = None,
    progress_out: Annotated[Optional[Path], typer.Option("--progress", help="Append each article's score here as it is done (JSON Lines).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N articles.")] = None,
    store: Annotated[Optional[Path], typer.Option(help="SQLite store of briefs (as `daily --store`): briefs in the default mode are taken from it when there, saved to it when made.")] = None,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None, profile: ProfileOpt = None,
) -> None:
    """Score briefs against a labeled set: figures, actors, bases, grounding, time and tokens."""
    items = load_labels(labels)[:limit]
    wanted = [m.strip() for m in modes.split(",") if m.strip()]
    bad = [m for m in wanted if m not in ("multi", "single", "naive")]
    if bad:
        raise InputError(f"--modes: unknown mode(s) {', '.join(bad)}; use multi, single or naive")
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile)
    results = {}

    def show(sc) -> None:
        if progress_out is not None:
            try:
                with progress_out.open("a", encoding="utf-8") as f:
                    f.write(sc.model_dump_json() + "\n")
            except OSError as exc:
                raise OutputError(f"cannot write {shown(progress_out)} ({exc.strerror or exc})") from None
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
