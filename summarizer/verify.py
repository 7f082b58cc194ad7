"""Turn the model's drafts into verified brief items; whatever fails a check goes to `rejected`.

Checks, all done by the program:
- every item is grounded: its quote (or, for actors, assets and bases, its name) is found in the
  article, and the evidence stored is the article's own text at computed offsets;
- every killed/wounded figure is written in its evidence and bound there to deaths or injuries;
- running totals ("since 2011") are background figures, not incident casualties;
- conflicting reports of one incident are flagged, with the most conservative figure as headline;
- numbers in the headline and summary must be verified figures or stated in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pysbd
from pydantic import BaseModel

from .grounding import Grounder, fold
from .numbers import find_numbers, figure_check, is_cumulative, vague_mention
from .schema import (
    ITEM_MODELS, NAMED_SECTIONS, BackgroundFigure, Casualty, CasualtyConflict, Dateline, Evidence,
    Rejected,
)

_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=False)


@dataclass
class Verified:
    items: dict[str, list[Any]] = field(default_factory=lambda: {s: [] for s in ITEM_MODELS})
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[CasualtyConflict] = field(default_factory=list)

    def reject(self, section: str, item: BaseModel | dict, reason: str) -> None:
        data = item.model_dump(mode="json") if isinstance(item, BaseModel) else dict(item)
        self.rejected.append(Rejected(section=section, item=data, reason=reason))


def verify_drafts(text: str, drafts: dict[str, list[BaseModel]], grounder: Grounder | None = None) -> Verified:
    """Verify every drafted item of every section against the article text."""
    g = grounder or Grounder(text)
    out = Verified()
    for section in NAMED_SECTIONS:
        _named(section, drafts.get(section, []), g, out)
    for d in drafts.get("casualties", []):
        _casualty(d, g, out)
    for d in drafts.get("background_figures", []):
        _quoted("background_figures", d, g, out)
    for d in drafts.get("open_questions", []):
        _quoted("open_questions", d, g, out)
    _dedupe_casualties(out)
    out.conflicts = find_conflicts(out.items["casualties"])
    return out


def _key(s: str | None) -> str:
    return re.sub(r"^(the|a|an) ", "", fold(s or ""))


def _named(section: str, drafts: list[BaseModel], g: Grounder, out: Verified) -> None:
    model = ITEM_MODELS[section]
    seen: set[str] = set()
    for d in drafts:
        data = d.model_dump()
        name = (data.get("name") or "").strip()
        key = _key(name)
        if not key or key in seen:
            continue
        ev = g.locate_name(name)
        if ev is None:
            out.reject(section, data, "name not found in the article")
            continue
        seen.add(key)
        out.items[section].append(model(**data, evidence=[ev]))


def _quoted(section: str, d: BaseModel, g: Grounder, out: Verified) -> None:
    data = d.model_dump()
    ev = g.locate(data.pop("quote", "") or "")
    if ev is None:
        out.reject(section, d, "quote not found in the article")
        return
    if any(ev.start == e.evidence[0].start for e in out.items[section]):
        return  # same quote already used: a duplicate from an overlapping chunk
    out.items[section].append(ITEM_MODELS[section](**data, evidence=[ev]))


def _casualty(d: BaseModel, g: Grounder, out: Verified) -> None:
    data = d.model_dump()
    ev = g.locate(data.pop("quote", "") or "")
    if ev is None:
        out.reject("casualties", d, "quote not found in the article")
        return
    qualifiers: list[str] = []
    for name, want in (("killed", "death"), ("wounded", "injury")):
        value = data.get(name)
        if value is None:
            continue
        mention, reason = figure_check(value, ev.quote, want)
        if mention is None:
            # The figure may sit just outside a short quote: then the sentence becomes the evidence.
            sentence = g.sentence_evidence(ev)
            mention, _ = figure_check(value, sentence.quote, want)
            if mention is not None:
                ev = sentence
        if mention is None:
            out.reject("casualties", {**data, "quote": ev.quote}, f"{name} figure rejected: {reason}")
            data[name] = None
            continue
        qualifiers.append(mention.qualifier)
        assert ev.start is not None
        near = g.text[max(0, ev.start + mention.start - 60): ev.start + mention.end + 60]
        if is_cumulative(near):
            out.items["background_figures"].append(BackgroundFigure(
                figure=f"{'' if mention.qualifier == 'exact' else mention.qualifier + ' '}{mention.text}",
                about=f"people {'killed' if want == 'death' else 'wounded'} (running total)",
                evidence=[ev]))
            data[name] = None
            data["_moved"] = True
    if data.pop("_moved", False) and data["killed"] is None and data["wounded"] is None:
        return
    if data["killed"] is None and data["wounded"] is None:
        vague = vague_mention(ev.quote, "death") or vague_mention(ev.quote, "injury")
        if vague is None and not _mentions_harm(ev.quote):
            out.reject("casualties", {**d.model_dump()}, "no death or injury is stated in the quote")
            return
        data["qualifier"] = vague.qualifier if vague else "unknown"
    else:
        data["qualifier"] = qualifiers[0] if qualifiers else data["qualifier"]
    out.items["casualties"].append(Casualty(**data, evidence=[ev]))


def _mentions_harm(text: str) -> bool:
    return any(m.kind in ("death", "injury") for m in find_numbers(text)) or bool(
        re.search(r"\b(kill|dead|death|died|wound|injur|fatalit|casualt)", text, re.I))


def _dedupe_casualties(out: Verified) -> None:
    kept: list[Casualty] = []
    for c in out.items["casualties"]:
        same = [k for k in kept if (k.killed, k.wounded) == (c.killed, c.wounded)
                and _overlap(k.evidence[0], c.evidence[0])]
        if not same:
            kept.append(c)
    out.items["casualties"] = kept


def _overlap(a: Evidence, b: Evidence) -> bool:
    return a.start is not None and b.start is not None and a.start < (b.end or 0) and b.start < (a.end or 0)


def find_conflicts(casualties: list[Casualty]) -> list[CasualtyConflict]:
    """Reports of one place's toll from different sources that disagree on the killed figure."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(casualties):
        if c.killed is not None and c.location:
            groups.setdefault(_key(c.location), []).append(i)
    conflicts = []
    for idx in groups.values():
        figures = {casualties[i].killed for i in idx}
        sources = {_key(casualties[i].reported_by) for i in idx}
        if len(figures) > 1 and len(sources) > 1:
            low = min(f for f in figures if f is not None)
            note = "; ".join(f"{casualties[i].reported_by or 'the article'}: {casualties[i].killed} killed"
                             for i in idx)
            conflicts.append(CasualtyConflict(location=casualties[idx[0]].location, reports=idx,
                                              headline_killed=low, note=note))
    return conflicts


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SEGMENTER.segment(text) if s.strip()]


def check_prose(headline: str, summary: str, text: str, casualties: list[Casualty],
                out: Verified) -> tuple[str | None, str]:
    """Drop headline/summary sentences that carry a number not verified or not in the article."""
    verified = {v for c in casualties for v in (c.killed, c.wounded) if v is not None}
    in_article = {m.value for m in find_numbers(text) if m.value is not None}

    def ok(sentence: str) -> str | None:
        for m in find_numbers(sentence):
            if m.value is None:
                continue
            if m.kind in ("death", "injury") and m.value not in verified:
                return f"{m.text} is not a verified casualty figure"
            if m.value not in in_article:
                return f"{m.text} is not stated in the article"
        return None

    kept = []
    for s in sentences(summary):
        reason = ok(s)
        if reason:
            out.reject("summary", {"sentence": s}, reason)
        else:
            kept.append(s)
    reason = ok(headline)
    if reason:
        out.reject("headline", {"headline": headline}, reason)
        return None, " ".join(kept)
    return headline, " ".join(kept)


def check_dateline(dateline: Dateline | None, text: str) -> Dateline | None:
    """Keep the date only if its year is in the article, and the place only if it is named there."""
    if dateline is None:
        return None
    date = dateline.date if dateline.date and dateline.date[:4] in text else None
    place = dateline.place if dateline.place and fold(dateline.place) in fold(text) else None
    return Dateline(date=date, place=place) if date or place else None
