"""A daily brief scored against its labeled day (days.py): the hand labels are the truth.

- places: each casualty row's place is null or a place labeled for the day ("Hiran" for "Hiran region");
- one row per incident: each row is mapped to the labeled incident whose reports it carries (same
  article and figure, else the labeled sentence); incidents with several rows have duplicates, rows
  that map to none are extra (a number read from a vague sentence is listed too), incidents with
  none are missed;
- headline figures and victims of the rows that map to an incident;
- citations: every place, actor and number a key-development sentence names is labeled for (or,
  for a number that is no casualty figure, written in) an article it cites.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from ..figures.mentions import find_numbers
from ..models.daily import DailyBrief, Incident, NarrativeSentence, TollReport
from ..text.grounding import fold, name_key
from .days import DayLabel, IncidentLabel, ReportLabel, same_place

SAME_SENTENCE = 90  # rapidfuzz partial ratio of a quote inside a labeled sentence


class DayScore(BaseModel):
    day: str
    split: str
    ok: bool = True
    error: str | None = None
    articles: int = 0
    failed_articles: int = 0
    rows: int = 0
    places_ok: int = 0
    bad_places: list[str] = Field(default_factory=list)
    incidents: int = 0
    incidents_found: int = 0
    missed: list[str] = Field(default_factory=list, description="Labeled incidents no row stands for.")
    duplicates: list[str] = Field(default_factory=list, description="Rows beyond an incident's first.")
    extra: list[str] = Field(default_factory=list, description="Rows that stand for no labeled incident.")
    numbered_vague: list[str] = Field(default_factory=list, description="Rows with a number from a sentence "
                                                                          "that gives only a vague one.")
    headline_right: int = 0
    headline_wrong: list[str] = Field(default_factory=list)
    victims_rows: int = 0
    victims_right: int = 0
    victims_wrong: list[str] = Field(default_factory=list)
    sentences: int = 0
    citations_held: int = 0
    citation_failures: list[str] = Field(default_factory=list)
    rejected_sentences: int = 0
    narrative_error: str | None = None
    from_store: int = 0
    seconds: float = 0.0


def row_text(row: Incident) -> str:
    figures = "/".join("-" if v is None else str(v) for v in (row.headline_killed, row.headline_wounded))
    return f"{row.location or 'no place'}: {figures} killed/wounded, {row.victims} [{','.join(map(str, row.articles))}]"


# ---- rows and incidents ------------------------------------------------------------------------

def _in_sentence(report: TollReport, sentence: str | None) -> bool:
    if not sentence:
        return False
    s = fold(sentence)
    return any(fuzz.partial_ratio(fold(ev.quote), s) >= SAME_SENTENCE for ev in report.evidence if ev.quote)


def _same_figure(r: TollReport, label: ReportLabel) -> bool:
    return (r.killed is not None and r.killed == label.killed) or (r.wounded is not None and r.wounded == label.wounded)


def _weight(row: Incident, incident: IncidentLabel) -> float:
    """How much of the row is this incident's: per report, 2 for its figure, 1 for its sentence."""
    total = 0.0
    for r in row.reports:
        total += max((2 * _same_figure(r, lab) + _in_sentence(r, lab.sentence)
                      for lab in incident.reports if lab.article == r.article), default=0)
    return total


def match_rows(rows: Sequence[Incident], day: DayLabel) -> list[tuple[IncidentLabel | None, float]]:
    """Each row's incident (None: it stands for none) and how well it fits."""
    out: list[tuple[IncidentLabel | None, float]] = []
    for row in rows:
        scored = [(inc, _weight(row, inc)) for inc in day.incidents]
        best = max(scored, key=lambda p: p[1], default=(None, 0.0))
        out.append(best if best[1] > 0 else (None, 0.0))
    return out


def place_ok(location: str | None, places: Sequence[str]) -> bool:
    """Null, or a labeled place ("Aleppo, Syria": each part one)."""
    if location is None:
        return True
    parts = [p for p in location.split(",") if p.strip()]
    return any(same_place(location, p) for p in places) or bool(parts) and all(
        any(same_place(part, p) for p in places) for part in parts)


def _day_places(day: DayLabel) -> list[str]:
    return [*(p for a in day.articles for p in a.places), *(p for i in day.incidents for p in i.places)]


def _numbered_vague(row: Incident, day: DayLabel) -> bool:
    """A number read from a sentence labeled as giving only vague ones ("dozens") that the sentence
    does not write ("three children" beside "dozens wounded" is written)."""
    for r in row.reports:
        figures = {r.killed, r.wounded} - {None}
        for sentence in (v for v in day.vague if _in_sentence(r, v)):
            if figures - {m.value for m in find_numbers(sentence)}:
                return True
    return False


def _score_rows(s: DayScore, daily: DailyBrief, day: DayLabel) -> None:
    rows = daily.casualties
    places = _day_places(day)
    s.rows = len(rows)
    for row in rows:
        if place_ok(row.location, places):
            s.places_ok += 1
        else:
            s.bad_places.append(row_text(row))
        if _numbered_vague(row, day):
            s.numbered_vague.append(row_text(row))
    best: dict[str, tuple[Incident, float]] = {}
    for row, (inc, weight) in zip(rows, match_rows(rows, day)):
        if inc is None:
            s.extra.append(row_text(row))
            continue
        if inc.id in best:
            s.duplicates.append(f"{inc.id}: {row_text(row)}")
        if inc.id not in best or weight > best[inc.id][1]:
            best[inc.id] = (row, weight)
        s.victims_rows += 1
        if row.victims == inc.victims:
            s.victims_right += 1
        else:
            s.victims_wrong.append(f"{inc.id}: {row.victims}, labeled {inc.victims}")
    s.incidents = len(day.incidents)
    s.incidents_found = len(best)
    s.missed = [f"{i.id}: {i.what}" for i in day.incidents if i.id not in best]
    for inc in day.incidents:
        if inc.id not in best:
            continue
        row = best[inc.id][0]
        got, want = (row.headline_killed, row.headline_wounded), (inc.headline_killed, inc.headline_wounded)
        if got == want:
            s.headline_right += 1
        else:
            s.headline_wrong.append(f"{inc.id}: {got[0]} killed/{got[1]} wounded, labeled {want[0]}/{want[1]}")


# ---- citations ---------------------------------------------------------------------------------

def _names_in(text: str, names: set[str]) -> list[str]:
    """The labeled names a sentence names, whole words, the longest where two overlap."""
    key = f" {name_key(text)} "
    spans = []
    for name in names:
        k = name_key(name)
        for m in re.finditer(re.escape(f" {k} "), key) if k else ():
            spans.append((m.start(), m.end(), name))
    kept = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] and o[1] - o[0] > s[1] - s[0]
                                        for o in spans)]
    return list(dict.fromkeys(name for *_, name in sorted(kept)))


def citation_failures(sentence: NarrativeSentence, day: DayLabel, texts: dict[int, str]) -> list[str]:
    """Why a sentence's citations do not hold (empty: they hold)."""
    cites = sentence.cites
    everyone = {n for a in day.articles for n in (*a.places, *(x for actor in a.actors for x in actor.names()))}
    everyone |= {p for i in day.incidents for p in i.places}
    why = []
    for name in _names_in(sentence.text, everyone):
        if not any(same_place(name, place) for c in cites for place in day.places_of(c)) and \
                not any(name_key(name) in day.actors_of(c) for c in cites):
            why.append(f"names {name}, labeled for no cited article")
    cited_figures = {v for c in cites for v in day.figures_of(c)}
    for m in find_numbers(sentence.text):
        if m.value is None or m.kind == "date" or m.value in cited_figures:
            continue
        elsewhere = [a.n for a in day.articles if a.n not in cites and m.value in day.figures_of(a.n)]
        if elsewhere:
            why.append(f"{m.text} is a figure of article {', '.join(map(str, elsewhere))}, not cited")
        elif not any(m.value in {x.value for x in find_numbers(texts.get(c, ""))} for c in cites):
            why.append(f"{m.text} is in no cited article")
    return why


def _score_narrative(s: DayScore, daily: DailyBrief, day: DayLabel, texts: dict[int, str]) -> None:
    s.sentences = len(daily.narrative)
    s.rejected_sentences = len(daily.rejected)
    s.narrative_error = daily.meta.narrative_error
    for sentence in daily.narrative:
        why = citation_failures(sentence, day, texts)
        if why:
            s.citation_failures.append(f"{sentence.text} [{','.join(map(str, sentence.cites))}]: {'; '.join(why)}")
        else:
            s.citations_held += 1


def score_day(daily: DailyBrief, day: DayLabel, texts: dict[int, str]) -> DayScore:
    """`daily` (the day's articles in label order) against its label; `texts` are the article texts."""
    s = DayScore(day=day.day, split=day.split, articles=len(daily.articles),
                 failed_articles=daily.stats.failed, from_store=daily.stats.cached, seconds=daily.stats.seconds)
    _score_rows(s, daily, day)
    _score_narrative(s, daily, day, texts)
    return s


# ---- totals ------------------------------------------------------------------------------------

def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def day_totals(scores: Sequence[DayScore]) -> dict[str, Any]:
    """The days added up; ratios over what could be scored."""
    done = [s for s in scores if s.ok]
    add = lambda f: sum(getattr(s, f) for s in done)  # noqa: E731
    count = lambda f: sum(len(getattr(s, f)) for s in done)  # noqa: E731
    return {
        "days": len(scores), "failed_days": len(scores) - len(done),
        "articles": add("articles"), "failed_articles": add("failed_articles"), "rows": add("rows"),
        "places_ok": add("places_ok"), "place_share": _ratio(add("places_ok"), add("rows")),
        "incidents": add("incidents"), "incidents_found": add("incidents_found"),
        "missed": count("missed"), "duplicates": count("duplicates"), "extra": count("extra"),
        "numbered_vague": count("numbered_vague"),
        "one_row_per_incident": count("missed") + count("duplicates") + count("extra") == 0,
        "headline_right": add("headline_right"), "headline_share": _ratio(add("headline_right"), add("incidents_found")),
        "victims_right": add("victims_right"), "victims_share": _ratio(add("victims_right"), add("victims_rows")),
        "sentences": add("sentences"), "citations_held": add("citations_held"),
        "citation_share": _ratio(add("citations_held"), add("sentences")),
        "rejected_sentences": add("rejected_sentences"),
    }
