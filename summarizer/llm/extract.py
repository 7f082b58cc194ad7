"""Extraction passes: focused questions a small model answers well, run against one backend.

"multi" mode asks three short questions per article: check the casualty figures the program found
(each marked in the article; the model never writes a number), list the actors (and assets and
bases, where the article names any), then write the overview with the verified casualty figures in
hand. Every pass's instructions are in
the static system prompt and the article follows it, so the passes differ only in a short last task:
a server that reuses the prompt prefix (llama.cpp) reads the instructions once per run and the
article once per article. "single" mode asks for the whole brief in one call, for strong hosted
models. Long articles are split into overlapping chunks; the per-chunk answers are merged
(verification de-duplicates them against the article).
"""

from __future__ import annotations

import asyncio
import copy
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import prompts
from .backend import Backend
from ..text.grounding import Grounder, headline_span, sentence_spans
from ..figures.candidates import Candidate, candidates, read_figures
from ..figures.equipment import entity_sections
from ..figures.mentions import Mention, find_numbers
from ..models.brief import (DRAFTS, ITEM_MODELS, PASS_LIMITS, Brief, Dateline, QuestionDraft, Usage,
                            figure_labels, labels_of, section_draft)


@functools.cache
def entities_answer(sections: tuple[str, ...]) -> type[BaseModel]:
    """The entities pass's answer for the sections asked (equipment.entity_sections)."""
    return section_draft("EntitiesAnswer", list(sections), at_most=PASS_LIMITS)


_OVERVIEW_FIELDS: dict[str, Any] = {
    "headline": (str, Brief.model_fields["headline"]),
    "summary": (str, Brief.model_fields["summary"]),
}
# The overview pass's summary: asked for two sentences, a small model writes on to the field's limit;
# the grammar stops it at about two (a sentence cut there is dropped: verify/prose.check_prose).
SUMMARY_CHARS = 320
_PASS_SUMMARY = (str, Field(max_length=SUMMARY_CHARS, description="2 short sentences, bottom line up front."))
_QUESTION = {"open_questions": QuestionDraft}
# The dateline is read from the text by the program (dateline.py); only single mode asks for it.
OverviewAnswer = section_draft("OverviewAnswer", ["open_questions"],
                               extra={**_OVERVIEW_FIELDS, "summary": _PASS_SUMMARY},
                               at_least={"open_questions": 1}, at_most=PASS_LIMITS, items=_QUESTION)
# for an article with its own headline (grounding.stated_headline): the model need not write one
SummaryAnswer = section_draft("SummaryAnswer", ["open_questions"], extra={"summary": _PASS_SUMMARY},
                              at_least={"open_questions": 1}, at_most=PASS_LIMITS, items=_QUESTION)
SingleAnswer = section_draft(
    "SingleAnswer",
    ["actors", "assets", "bases", "casualties", "background_figures", "open_questions"],
    extra={**_OVERVIEW_FIELDS,
           "dateline": (Dateline | None, Field(None, description="The article's own date and place."))},
)


@dataclass(frozen=True)
class Pass:
    name: str
    template: str
    answer: type[BaseModel]
    max_tokens: int


CASUALTIES_TEMPLATE = "pass_casualties.j2"
LABEL_TOKENS = 14  # output budget per figure label: "#12": "...",
LABELS_PER_CALL = 12  # figures asked about in one call (a long list loses its order)
ENTITIES = "entities"
OVERVIEW = Pass("overview", "pass_overview.j2", OverviewAnswer, 600)
SUMMARY = Pass("overview", "pass_overview.j2", SummaryAnswer, 500)
SINGLE = Pass("single", "single.j2", SingleAnswer, 2000)


@dataclass
class Drafts:
    """Everything the model proposed for one article, before verification."""

    sections: dict[str, list[BaseModel]] = field(default_factory=dict)
    # the model's labels of each figure's mentions (killed, then wounded); None: not asked
    # (running totals)
    figures: list[tuple[Candidate, list[BaseModel | None] | None]] = field(default_factory=list)
    overview: BaseModel | None = None
    # the article's lead as the figure, entities and overview passes read it (figures marked)
    lead: str | None = None
    usage: Usage = field(default_factory=Usage)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, answer: BaseModel, usage: Usage, seconds: float) -> None:
        for section in type(answer).model_fields:
            value = getattr(answer, section)
            if isinstance(value, list) and section in ITEM_MODELS:
                self.sections.setdefault(section, []).extend(value)
        self.usage += usage
        self.timings[name] = round(self.timings.get(name, 0.0) + seconds, 3)


def chunks(text: str, max_chars: int, overlap_paragraphs: int = 1) -> list[str]:
    """Split on paragraph boundaries into pieces of at most max_chars, overlapping by a paragraph.

    A paragraph longer than max_chars is cut on sentence-ish boundaries so nothing is dropped.
    """
    if len(text) <= max_chars:
        return [text]
    paras: list[str] = []
    for p in text.split("\n"):
        while len(p) > max_chars:
            cut = p.rfind(". ", 0, max_chars)
            cut = cut + 1 if cut > max_chars // 2 else max_chars
            paras.append(p[:cut])
            p = p[cut:].lstrip()
        paras.append(p)
    out: list[str] = []
    current: list[str] = []
    for p in paras:
        if current and len("\n".join(current + [p])) > max_chars:
            out.append("\n".join(current))
            keep = current[-overlap_paragraphs:] if overlap_paragraphs else []
            current = keep if len("\n".join(keep + [p])) <= max_chars else []
        current.append(p)
    if current:
        out.append("\n".join(current))
    return out


async def _call(backend: Backend, p: Pass, text: str, **context: Any) -> tuple[BaseModel, Usage, float]:
    """One pass over `text`: the static system prompt, the article, then the pass's short task.
    Any figure mark the model copied from a marked lead is taken out of its answer."""
    answer, usage, seconds = await backend.extract(p.answer, prompts.messages(p.template, text, **context),
                                                   max_tokens=p.max_tokens)
    return unmarked(answer), usage, seconds


async def _ask(backend: Backend, p: Pass, text: str, drafts: Drafts,
               label: str, **context: Any) -> BaseModel:
    answer, usage, seconds = await _call(backend, p, text, **context)
    drafts.add(label, answer, usage, seconds)
    return answer


def _window(text: str, c: Candidate, m: Mention, mark: str, words: int = 6) -> str:
    """The words around one figure in its sentence, the figure marked as in a marked lead: the
    article is in the prompt already, so a few words say which number is meant, and every prompt
    token costs time."""
    left = text[c.start:m.start].split()[-words:]
    right = text[m.end:c.end].split()[:words]
    return " ".join([*left, m.text + mark, *right])


MARK = "[#{}]"
_MARKS = re.compile(r" ?\[#\d+\]")


def marked(text: str, lead: str, mentions: list[Mention]) -> str | None:
    """The lead with each figure marked [#1], [#2] ... right after it, in text order; None where a
    figure lies outside the lead (a long article: the figures are then shown in their own words).
    The marks cost a few prompt tokens in the prefix every pass shares, not a window each."""
    if not text.startswith(lead) or any(m.end > len(lead) for m in mentions):
        return None
    out, at = [], 0
    for k, m in enumerate(mentions, 1):
        out += [lead[at:m.end], MARK.format(k)]
        at = m.end
    return "".join(out) + lead[at:]


def unmarked(value: Any) -> Any:
    """An answer with any mark the model copied from the marked lead taken out of its text."""
    if isinstance(value, str):
        return _MARKS.sub("", value)
    if isinstance(value, list):
        return [unmarked(v) for v in value]
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            setattr(value, name, unmarked(getattr(value, name)))
    return value


def _mentions(c: Candidate) -> list[Mention]:
    return [m for m in (c.killed, c.wounded) if m is not None]


def _field(c: Candidate, m: Mention) -> str:
    return "killed" if m is c.killed else "wounded"


def _asked(found: list[Candidate], text: str) -> tuple[list[tuple[Candidate, Mention]], dict[int, Mention]]:
    """The figures to ask about, in text order, and the headline tolls that take the answer of
    the body figure repeating them (a headline toll the body repeats is one figure,
    dedupe_casualties: asked once, in the body)."""
    every = [(c, m) for c in found for m in _mentions(c)]
    head = headline_span(text)
    twin: dict[int, Mention] = {}
    if head is not None:
        body = {(_field(c, m), m.value): m for c, m in every if not head[0] <= c.start < head[1]}
        twin = {id(m): body[(_field(c, m), m.value)] for c, m in every
                if head[0] <= c.start < head[1] and (_field(c, m), m.value) in body}
    shown = sorted(((c, m) for c, m in every if id(m) not in twin), key=lambda cm: cm[1].start)
    return shown, twin


async def _label_figures(backend: Backend, found: list[Candidate], text: str, lead: str,
                         drafts: Drafts) -> None:
    """One question for all the figures of an article, after the article (`lead`, the prefix the
    other passes share), each figure marked in it (or, beyond a long article's lead, shown marked in
    a few of its own words): the model says what each number counts, keyed by its mark (the killed
    and wounded figures of one report are asked apart, so it is not told the parser's reading)."""
    shown, twin = _asked(found, text)
    answers: dict[int, BaseModel] = {}
    for at in range(0, len(shown), LABELS_PER_CALL):
        batch = shown[at:at + LABELS_PER_CALL]
        marks = (at + 1, at + len(batch))
        p = Pass("casualties", CASUALTIES_TEMPLATE, figure_labels(at + 1, len(batch)),
                 20 + LABEL_TOKENS * len(batch))
        if drafts.lead is not None:
            answer, usage, seconds = await _call(backend, p, drafts.lead, marks=marks)
        else:
            answer, usage, seconds = await _call(backend, p, lead, marks=marks, windows=[
                _window(text, c, m, MARK.format(k)) for k, (c, m) in enumerate(batch, at + 1)])
        drafts.add(p.name, answer, usage, seconds)
        for (_, m), lab in zip(batch, labels_of(answer)):
            answers[id(m)] = lab
    for c in found:
        drafts.figures.append((c, [answers.get(id(twin.get(id(m), m))) for m in _mentions(c)]))


def program_figures(grounder: Grounder) -> list[Candidate]:
    """The casualty figures the parse finds in the article. Figures in sentences that address the
    model are never offered to it (injection.py)."""
    spans = [sp for sp in grounder.sentence_spans if sp not in grounder.injected_spans]
    return candidates(read_figures(grounder.text, spans))


async def extract_facts(backend: Backend, text: str, max_chars: int,
                        grounder: Grounder) -> Drafts:
    """The fact passes: figure labels (only where the program found figures), then entities over
    every chunk. Concurrent where the backend serves requests in parallel. On one that serves one
    at a time, in the order that reuses its cache: every pass after the first reads only its short
    task, since the static system prompt and the article (its lead piece, figures marked) are the
    prefix that the figure, entities and overview passes share; the other pieces go first."""
    drafts = Drafts()
    pieces = chunks(text, max_chars)
    found = []
    for c in program_figures(grounder):
        if c.role in ("total", "casualties"):
            drafts.figures.append((c, None))  # background figures: nothing for the model to check
        else:
            found.append(c)
    if found:
        drafts.lead = marked(text, pieces[0], [m for _, m in _asked(found, text)[0]])
    entity_answers: list[tuple[BaseModel, Usage, float] | None] = [None] * len(pieces)

    async def entities(i: int) -> None:
        sections = tuple(entity_sections(pieces[i], sentence_spans(pieces[i])))
        p = Pass(ENTITIES, "pass_entities.j2", entities_answer(sections), 900)
        entity_answers[i] = await _call(backend, p, (drafts.lead or pieces[i]) if i == 0 else pieces[i],
                                        sections=sections)

    async def labels() -> None:
        if found:
            await _label_figures(backend, found, text, pieces[0], drafts)

    if backend.profile.concurrency > 1:
        limit = asyncio.Semaphore(backend.profile.concurrency)

        async def limited(job: Any) -> None:
            async with limit:
                await job

        await asyncio.gather(limited(labels()), *(limited(entities(i)) for i in range(len(pieces))))
    else:
        for i in range(1, len(pieces)):
            await entities(i)
        await labels()
        await entities(0)
    for answer in entity_answers:  # in article order, whatever order they were asked in
        assert answer is not None
        drafts.add(ENTITIES, *answer)
    return drafts


async def extract_overview(backend: Backend, text: str, max_chars: int,
                           facts: list[str], drafts: Drafts, headline: bool = True) -> BaseModel:
    """The headline (unless `headline` is False: the article has its own), summary and open question."""
    lead = drafts.lead or chunks(text, max_chars)[0]
    p = OVERVIEW if headline else SUMMARY
    answer = await _ask(backend, p, lead, drafts, p.name, facts=facts, headline=headline)
    drafts.overview = answer
    return answer


async def extract_single(backend: Backend, text: str) -> Drafts:
    drafts = Drafts()
    drafts.overview = await _ask(backend, SINGLE, text, drafts, SINGLE.name)
    return drafts


# The fair baseline, for comparison (benchmarks, eval): one call with three worked examples, as a
# competent user would write it (langextract's way), one schema, no verification.
def _required(info: FieldInfo) -> FieldInfo:
    """The same field with no default: a key the grammar makes the model write (a small model
    skips optional keys, and then every list of the answer is missing)."""
    out = copy.copy(info)
    out.default, out.default_factory = PydanticUndefined, None
    return out


# Its casualty numbers are strings, as langextract's attributes are: asked for integers, the 1.5B
# model wrote null for every number on dev (0 figures kept); asked for the words, it copies them.
_NaiveCasualty = create_model(
    "NaiveCasualty", __config__=ConfigDict(extra="ignore"),
    **{name: ((str | None, Field(description=f"People {name}, the number as written; else null."))
              if name in ("killed", "wounded") else (info.annotation, _required(info)))
       for name, info in DRAFTS["casualties"].model_fields.items()},
)
NaiveAnswer = create_model(
    "NaiveAnswer", __config__=ConfigDict(extra="ignore"),
    **{name: ((list[_NaiveCasualty], _required(info)) if name == "casualties" else (info.annotation, _required(info)))
       for name, info in SingleAnswer.model_fields.items()},
)
NAIVE_TEMPLATE = "fewshot.j2"


def _as_number(written: str | None) -> int | None:
    """'at least 12', 'twelve' -> 12: the first number in the words, as a user's own code would read it."""
    values = [m.value for m in find_numbers(written or "") if m.value is not None and m.kind != "date"]
    return values[0] if values else None


async def extract_naive(backend: Backend, text: str) -> Drafts:
    drafts = Drafts()
    messages = [{"role": "user", "content": prompts.render(NAIVE_TEMPLATE, text=text)}]
    answer, usage, seconds = await backend.extract(NaiveAnswer, messages, max_tokens=2000)
    answer.casualties = [DRAFTS["casualties"].model_validate(
        {**c.model_dump(), "killed": _as_number(c.killed), "wounded": _as_number(c.wounded)}) for c in answer.casualties]
    drafts.add("naive", answer, usage, seconds)
    drafts.overview = answer
    return drafts
