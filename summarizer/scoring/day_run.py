"""Labeled days through the daily pipeline (as `summarizer daily` runs them), each scored as it is done."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..daily.aggregate import build_daily_brief
from ..daily.batch import summarize_many
from ..daily.narrative import add_narrative
from ..errors import SummarizerError
from ..models.daily import DailyBrief
from ..text.read import collect
from .day_score import DayScore, day_totals, score_day
from .days import DayLabel


async def run_day(summarizer: Any, day: DayLabel, files: Sequence[Path], store: Any = None,
                  narrative: bool = True) -> tuple[DailyBrief, dict[int, str]]:
    """One day's daily brief, its articles numbered in label order, and their texts by number."""
    articles = collect([str(f) for f in files])
    results = [r async for r in summarize_many(articles, summarizer=summarizer, store=store)]
    daily = build_daily_brief(results, date=day.date)
    if narrative:
        daily = await add_narrative(summarizer, daily, store)
    return daily, {n: a.text for n, a in enumerate(articles, 1)}


async def run_daily_eval(summarizer: Any, days: Sequence[tuple[DayLabel, list[Path]]], store: Any = None,
                         narrative: bool = True,
                         on_score: Callable[[DayScore], None] = lambda _s: None) -> list[DayScore]:
    """Every day built and scored; a day that cannot be built is scored as failed, the rest go on."""
    scores = []
    for day, files in days:
        started = time.perf_counter()
        try:
            daily, texts = await run_day(summarizer, day, files, store, narrative)
            sc = score_day(daily, day, texts)
        except SummarizerError as exc:
            sc = DayScore(day=day.day, split=day.split, ok=False, error=str(exc))
        sc.seconds = round(time.perf_counter() - started, 1)
        scores.append(sc)
        on_score(sc)
    return scores


def days_json(scores: Sequence[DayScore]) -> str:
    return json.dumps({"totals": day_totals(scores), "days": [s.model_dump() for s in scores]}, indent=2) + "\n"
