"""Score briefs against a labeled set (JSON Lines of gold casualty figures, actors and bases)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..daily.keys import store_key
from ..errors import InputError, SummarizerError
from .jsonl import read_labels
from ..text.grounding import fold
from ..text.read import decode, sha256
from ..models.brief import Brief


class GoldCasualty(BaseModel):
    killed: int | None = None
    wounded: int | None = None
    reported_by: str | None = None
    primary: bool = True


class Label(BaseModel):
    id: str
    path: str
    casualties: list[GoldCasualty] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    bases: list[str] = Field(default_factory=list)


class Score(BaseModel):
    id: str
    mode: str
    ok: bool = True
    error: str | None = None
    primary_gold: int = 0
    primary_matched: int = 0
    all_gold: int = 0
    all_matched: int = 0
    extra_figures: int = 0  # reported figures matching no gold figure
    actors_gold: int = 0
    actors_found: int = 0
    bases_gold: int = 0
    bases_found: int = 0
    items: int = 0
    grounded_items: int = 0
    rejected: int = 0
    seconds: float = 0.0
    from_store: bool = False  # an earlier run's brief (its seconds and tokens are that run's)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0


def load_labels(path: Path) -> list[tuple[Label, Path]]:
    """Labels and their article paths (relative paths are relative to the labels file)."""
    out = [(label, (path.parent / label.path).resolve()) for _, label in read_labels(path, Label, "label")]
    if not out:
        raise InputError(f"{path}: no labels")
    return out


def _name_match(gold: str, names: list[str]) -> bool:
    g = fold(gold)
    return any(g in fold(n) or fold(n) in g or fuzz.token_set_ratio(g, fold(n)) >= 85 for n in names if n)


def score(brief: Brief, label: Label, mode: str) -> Score:
    s = Score(id=label.id, mode=mode)
    predicted = [(c.killed, c.wounded) for c in brief.casualties if c.killed is not None or c.wounded is not None]
    gold_pairs = [(g.killed, g.wounded) for g in label.casualties]
    s.primary_gold = sum(g.primary for g in label.casualties)
    s.primary_matched = sum(g.primary and (g.killed, g.wounded) in predicted for g in label.casualties)
    s.all_gold = len(gold_pairs)
    s.all_matched = sum(pair in predicted for pair in gold_pairs)
    s.extra_figures = sum(pair not in gold_pairs for pair in predicted)
    actor_names = [a.name for a in brief.actors]
    base_names = [b.name for b in brief.bases]
    s.actors_gold, s.actors_found = len(label.actors), sum(_name_match(a, actor_names) for a in label.actors)
    s.bases_gold, s.bases_found = len(label.bases), sum(_name_match(b, base_names) for b in label.bases)
    items = [*brief.actors, *brief.assets, *brief.bases, *brief.casualties, *brief.background_figures,
             *brief.open_questions]
    s.items = len(items)
    s.grounded_items = sum(bool(i.evidence) and all(e.grounded for e in i.evidence) for i in items)
    s.rejected = len(brief.rejected)
    s.seconds = brief.meta.timings.get("total", 0.0)
    s.prompt_tokens = brief.meta.usage.prompt_tokens
    s.completion_tokens = brief.meta.usage.completion_tokens
    s.calls = brief.meta.usage.calls
    return s


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def totals(scores: list[Score]) -> dict[str, Any]:
    """Aggregate scores of one mode."""
    done = [s for s in scores if s.ok]
    n = len(done) or 1
    add = lambda f: sum(getattr(s, f) for s in done)  # noqa: E731
    return {
        "articles": len(scores),
        "failed": len(scores) - len(done),
        "killed_wounded_exact_primary": _ratio(add("primary_matched"), add("primary_gold")),
        "killed_wounded_recall_all": _ratio(add("all_matched"), add("all_gold")),
        "extra_figures": add("extra_figures"),
        "actor_recall": _ratio(add("actors_found"), add("actors_gold")),
        "base_recall": _ratio(add("bases_found"), add("bases_gold")),
        "grounded_share": _ratio(add("grounded_items"), add("items")),
        "rejected_items": add("rejected"),
        "seconds_per_article": round(add("seconds") / n, 1),
        "prompt_tokens_per_article": round(add("prompt_tokens") / n),
        "completion_tokens_per_article": round(add("completion_tokens") / n),
        "calls_per_article": round(add("calls") / n, 2),
    }


async def run_eval(summarizer: Any, labels: list[tuple[Label, Path]], modes: list[str],
                   on_score: Callable[[Score], None] = lambda _s: None, store: Any = None) -> dict[str, list[Score]]:
    """Brief every labeled article in each mode and score it; a failed article is scored as failed.

    Modes alternate per article, so partial results (on_score) stay comparable side by side. With a
    `store` (see store.py), briefs in the summarizer's default mode are taken from it when it holds
    them (e.g. from a daily run) and saved to it when made, so an interrupted run loses nothing.
    """
    results: dict[str, list[Score]] = {m: [] for m in modes}
    for label, path in labels:
        for mode in modes:
            started = time.perf_counter()
            try:
                text = decode(path.read_bytes(), str(path))
                brief, cached = await _brief(summarizer, text, str(path), mode, store)
                sc = score(brief, label, mode)
                sc.from_store = cached
            except (SummarizerError, OSError) as exc:
                sc = Score(id=label.id, mode=mode, ok=False, error=str(exc),
                           seconds=round(time.perf_counter() - started, 1))
            results[mode].append(sc)
            on_score(sc)
    return results


async def _brief(summarizer: Any, text: str, source: str, mode: str, store: Any) -> tuple[Brief, bool]:
    if store is None or mode != summarizer.mode:
        return await summarizer.asummarize(text, source=source, mode=mode), False
    key = store_key(summarizer)
    record = store.get(sha256(text), *key)
    if record is not None and record.brief is not None:
        return record.brief, True
    brief = await summarizer.asummarize(text, source=source, mode=mode)
    store.save(text, *key, brief, None, source)
    return brief, False


def report_json(results: dict[str, list[Score]]) -> str:
    return json.dumps({mode: {"totals": totals(sc), "articles": [s.model_dump() for s in sc]}
                       for mode, sc in results.items()}, indent=2) + "\n"
