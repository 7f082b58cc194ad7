"""The day's key developments in a few sentences, written by the model from the merged briefs.

The model sees only each article's headline and summary and the program's casualty roll-up, and
cites article numbers per sentence. The program then checks every sentence: it must cite at least
one article, only articles of the day that have a brief, any number in it must be one the model
was shown for the articles it cites (casualty figures: the verified ones), and every place,
organisation and person it names (named entities of the parse) must be named by a cited brief;
where other briefs name them, or give its numbers, the citation is moved there (with a note). A
sentence that fails goes to `DailyBrief.rejected` with the reason. Answers are kept in the store, keyed by the
exact prompt and model, so a rerun over the same briefs makes no call.
"""

from __future__ import annotations

import hashlib
import json
import re

from rapidfuzz import fuzz

from ..llm import prompts
from .aggregate import figure_text
from ..api import Summarizer
from .keys import model_id
from ..models.daily import (
    NARRATIVE_MAX_SENTENCES, DailyBrief, Incident, NarrativeAnswer, NarrativeSentence, RejectedSentence,
)
from ..errors import BackendError
from ..figures.candidates import unverified_figure
from ..figures.mentions import find_numbers
from ..figures.parser import parse_all
from ..text.grounding import fold
from ..models.brief import Usage
from .store import Store

SYSTEM_TEMPLATE = "daily_system.j2"
TASK_TEMPLATE = "daily_narrative.j2"
MAX_TOKENS = 500  # five short sentences and their citations
PROMPT_BUDGET = 12000  # characters of briefs shown; the rest of a very large day is left out
SUMMARY_CHARS = 400
_CITE = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")


def toll_line(incident: Incident) -> str:
    """One incident's figures as the model is shown them, each with the article it comes from."""
    where = incident.location or "unstated place"
    who = f" ({incident.victims})" if incident.victims != "unknown" else ""
    reports = [r for r in incident.reports if not r.part_of_larger_figure] or incident.reports
    parts = [f"{figure_text(r)}{', according to ' + r.reported_by if r.reported_by else ''} [{r.article}]"
             for r in reports if r.killed is not None or r.wounded is not None]
    line = f"{where}{who}: " + "; ".join(parts)
    if incident.conflict:
        line += f" (figures differ; lowest: {incident.headline_killed} killed)" if incident.headline_killed is not None \
            else " (figures differ)"
    return line


def _shown(daily: DailyBrief) -> tuple[list[dict], list[str]]:
    """The articles and toll lines put in the prompt, within the budget."""
    articles, used = [], 0
    for a in daily.articles:
        if a.status != "ok":
            continue
        summary = (a.summary or "")[:SUMMARY_CHARS]
        size = len(a.headline or "") + len(summary) + 20
        if articles and used + size > PROMPT_BUDGET:
            break
        used += size
        articles.append({"id": a.id, "headline": a.headline or "", "summary": summary, "outlet": a.outlet})
    ids = {a["id"] for a in articles}
    tolls = [toll_line(i) for i in daily.casualties if set(i.articles) & ids and
             any(r.killed is not None or r.wounded is not None for r in i.reports)]
    return articles, tolls


def narrative_messages(daily: DailyBrief) -> list[dict[str, str]]:
    articles, tolls = _shown(daily)
    user = prompts.render(TASK_TEMPLATE, date=daily.date, articles=articles, tolls=tolls,
                          max_sentences=NARRATIVE_MAX_SENTENCES)
    return [{"role": "system", "content": prompts.render(SYSTEM_TEMPLATE)}, {"role": "user", "content": user}]


def check_narrative(answer: NarrativeAnswer, daily: DailyBrief) -> tuple[list[NarrativeSentence], list[RejectedSentence]]:
    """Keep the sentences whose citations and numbers check out; the rest, with reasons."""
    articles, _ = _shown(daily)
    known = {a["id"] for a in articles}
    kept, rejected = [], []
    for draft in answer.sentences:
        inline = [int(n) for group in _CITE.findall(draft.text) for n in group.split(",")]
        cites = list(dict.fromkeys([*draft.sources, *inline]))
        text = " ".join(_CITE.sub("", draft.text).split())
        reason = None
        if not text:
            reason = "empty sentence"
        elif not cites:
            reason = "cites no article"
        elif unknown := [c for c in cites if c not in known]:
            reason = f"cites unknown article(s) {', '.join(map(str, unknown))}"
        note = None
        if not reason and (missing := _names_not_in(text, cites, daily)):
            # the places and names decide which articles a sentence is about; then its numbers are checked
            holders = [a["id"] for a in articles if not _names_not_in(text, [a["id"]], daily)]
            if holders:
                note = f"cited {_cites(cites)}, where {', '.join(missing)} is not; it is in {_cites(holders)}"
                cites = holders
            else:
                reason = f"names {', '.join(missing)}, which the cited articles do not"
        if not reason and (reason := _unsupported_number(text, cites, daily, articles)):
            # a figure of another article: cite the article that gives it, where the names hold too
            holders = [a["id"] for a in articles if a["id"] not in cites and not _names_not_in(text, [a["id"]], daily)
                       and not _unsupported_number(text, [a["id"]], daily, articles)]
            if holders:
                note = f"cited {_cites(cites)}, where a figure of it is not; it is in {_cites(holders)}"
                cites, reason = holders, None
        if reason:
            rejected.append(RejectedSentence(text=text, cites=cites, reason=reason))
        else:
            kept.append(NarrativeSentence(text=text, cites=cites, note=note))
    return kept, rejected


def _unsupported_number(text: str, cites: list[int], daily: DailyBrief, articles: list[dict]) -> str | None:
    """A number the cited articles do not give: invented, or arithmetic across reports."""
    verified = {v for i in daily.casualties for r in i.reports if r.article in cites
                for v in (r.killed, r.wounded) if v is not None}
    shown = " ".join(f"{a['headline']} {a['summary']}" for a in articles if a["id"] in cites)
    stated = {m.value for m in find_numbers(shown) if m.value is not None} | verified
    return unverified_figure(text, verified, stated, where="the cited articles")


_NAMED = ("GPE", "LOC", "FAC", "ORG", "PERSON")


def _names_of(article: int, daily: DailyBrief) -> str:
    """Everything an article's brief names, folded: headline, summary, dateline, actors, places,
    sources, bases and assets."""
    ref = next(a for a in daily.articles if a.id == article)
    words = [ref.headline, ref.summary, ref.dateline.place if ref.dateline else None]
    words += [v for group in (daily.actors, daily.bases, daily.assets) for m in group if article in m.articles
              for v in m.variants]
    words += [w for i in daily.casualties for r in i.reports if r.article == article
              for w in (r.location, r.reported_by, r.perpetrator)]
    return fold(" | ".join(w for w in words if w))


def _names_not_in(text: str, cites: list[int], daily: DailyBrief) -> list[str]:
    """The places, organisations and people a sentence names that none of the cited briefs names."""
    (doc,) = parse_all([text])
    held = " | ".join(_names_of(c, daily) for c in cites)
    missing = []
    for e in doc.ents:
        name = re.sub(r"^(?:the|a|an) ", "", fold(e.text))
        if e.label_ in _NAMED and name and name not in held and fuzz.partial_ratio(name, held) < 90:
            missing.append(e.text)
    return list(dict.fromkeys(missing))


def _cites(ids: list[int]) -> str:
    return ", ".join(f"[{i}]" for i in ids)


async def add_narrative(summarizer: Summarizer, daily: DailyBrief, store: Store | None = None) -> DailyBrief:
    """`daily` with its narrative written and checked. A backend failure leaves the narrative empty
    and says why in `meta.narrative_error`; it never loses the rest of the brief."""
    if not any(a.status == "ok" for a in daily.articles):
        return daily.model_copy(update={"meta": daily.meta.model_copy(
            update={"narrative_error": "no article was summarized"})})
    messages = narrative_messages(daily)
    model = model_id(summarizer)
    key = hashlib.sha256(json.dumps([model, messages], sort_keys=True).encode()).hexdigest()
    saved = store.narrative(key, NarrativeAnswer.model_validate_json) if store is not None else None
    usage = Usage()
    if saved is not None:
        answer = saved
    else:
        try:
            answer, usage, _ = await summarizer.backend().extract(NarrativeAnswer, messages, max_tokens=MAX_TOKENS)
        except BackendError as exc:
            return daily.model_copy(update={"meta": daily.meta.model_copy(update={"narrative_error": str(exc)})})
        if store is not None:
            store.save_narrative(key, answer.model_dump_json())
    kept, rejected = check_narrative(answer, daily)
    stats = daily.stats.model_copy(update={"usage": daily.stats.usage + usage})
    return daily.model_copy(update={"narrative": kept, "rejected": [*daily.rejected, *rejected], "stats": stats})
