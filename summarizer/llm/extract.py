"""Extraction passes: focused questions a small model answers well, run against one backend.

"multi" mode asks three short questions per article: label the casualty figures the program found
in the text (the model never writes a number), list actors, assets and bases, then write the
overview with the verified casualty figures in hand. "single" mode asks for the whole
brief in one call, for strong hosted models. Long articles are split into overlapping chunks; the
per-chunk answers are merged (verification de-duplicates them against the article).
"""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import prompts
from .backend import Backend
from ..text.grounding import Grounder
from ..figures.candidates import Candidate, candidates, read_figures
from ..figures.mentions import Mention
from ..models.brief import ITEM_MODELS, Brief, Dateline, Usage, figure_labels, section_draft

EntitiesAnswer = section_draft("EntitiesAnswer", ["actors", "assets", "bases"])
_OVERVIEW_FIELDS: dict[str, Any] = {
    "headline": (str, Brief.model_fields["headline"]),
    "summary": (str, Brief.model_fields["summary"]),
}
# The dateline is read from the text by the program (dateline.py); only single mode asks for it.
OverviewAnswer = section_draft("OverviewAnswer", ["open_questions"], extra=_OVERVIEW_FIELDS,
                               at_least={"open_questions": 1})
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
LABEL_TOKENS = 60  # output budget per figure label
ENTITIES = Pass("entities", "pass_entities.j2", EntitiesAnswer, 900)
OVERVIEW = Pass("overview", "pass_overview.j2", OverviewAnswer, 600)
SINGLE = Pass("single", "single.j2", SingleAnswer, 2000)


@dataclass
class Drafts:
    """Everything the model proposed for one article, before verification."""

    sections: dict[str, list[BaseModel]] = field(default_factory=dict)
    # the model's labels of each figure's mentions (killed, then wounded); None: not asked
    figures: list[tuple[Candidate, list[BaseModel] | None]] = field(default_factory=list)
    overview: BaseModel | None = None
    usage: Usage = field(default_factory=Usage)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, answer: BaseModel, usage: Usage, seconds: float) -> None:
        for section in type(answer).model_fields:
            value = getattr(answer, section)
            if isinstance(value, list) and section in ITEM_MODELS:
                self.sections.setdefault(section, []).extend(value)
        self.usage.calls += usage.calls
        self.usage.prompt_tokens += usage.prompt_tokens
        self.usage.completion_tokens += usage.completion_tokens
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


async def _ask(backend: Backend, p: Pass, text: str, drafts: Drafts,
               label: str, **context: Any) -> BaseModel:
    messages = prompts.messages(p.template, text, **context)
    answer, usage, seconds = await backend.extract(p.answer, messages, max_tokens=p.max_tokens)
    drafts.add(label, answer, usage, seconds)
    return answer


def _window(text: str, c: Candidate, m: Mention, words: int = 14) -> str:
    """The sentence around one figure, the figure in brackets: enough to find it in the article
    above, and short, since every prompt token costs time on a CPU."""
    left = text[c.start:m.start].split()[-words:]
    right = text[m.end:c.end].split()[:words]
    return " ".join([*left, f"[{m.text}]", *right])


def _mentions(c: Candidate) -> list[Mention]:
    return [m for m in (c.killed, c.wounded) if m is not None]


async def _label_figures(backend: Backend, piece: str, found: list[Candidate],
                         text: str, drafts: Drafts) -> None:
    """One question per figure, in article order: a small model asked about several figures at
    once loses track of which answer is which (seen: the reading of one figure given for its
    neighbour). The article is the shared prefix of every question, so each adds only its task.
    The killed and wounded figures of one report are asked apart, so the model says what each
    number counts without being told the parser's reading."""
    p = Pass("casualties", CASUALTIES_TEMPLATE, figure_labels(1), 40 + LABEL_TOKENS)
    for c in found:
        labels = []
        for m in _mentions(c):
            shown = [{"figure": m.text, "sentence": _window(text, c, m)}]
            answer = await _ask(backend, p, piece, drafts, p.name, candidates=shown)
            labels.append(answer.figures[0])
        drafts.figures.append((c, labels))


async def extract_facts(backend: Backend, text: str, max_chars: int,
                        grounder: Grounder) -> Drafts:
    """The fact passes over every chunk: figure labels (only where the program found figures),
    then entities. Concurrent where the backend allows."""
    drafts = Drafts()
    pieces = chunks(text, max_chars)
    found = []
    # Figures in sentences that address the model are never offered to it (injection.py).
    spans = [sp for sp in grounder.sentence_spans if sp not in grounder.injected_spans]
    for c in candidates(read_figures(text, spans)):
        if c.role in ("total", "casualties"):
            drafts.figures.append((c, None))  # background figures: nothing for the model to attribute
        else:
            found.append(c)
    per_piece: list[list[Candidate]] = [[] for _ in pieces]
    for c in found:
        sentence = text[c.start:c.end]
        home = next((i for i, piece in enumerate(pieces) if sentence in piece), len(pieces) - 1)
        per_piece[home].append(c)
    limit = asyncio.Semaphore(max(1, backend.profile.concurrency))

    async def labels(i: int) -> None:
        async with limit:
            await _label_figures(backend, pieces[i], per_piece[i], text, drafts)

    async def entities(i: int) -> None:
        async with limit:
            await _ask(backend, ENTITIES, pieces[i], drafts, ENTITIES.name)

    # Per chunk, labels then entities: consecutive requests share the chunk as prompt prefix.
    jobs = []
    for i in range(len(pieces)):
        if per_piece[i]:
            jobs.append(labels(i))
        jobs.append(entities(i))
    await asyncio.gather(*jobs)
    return drafts


async def extract_overview(backend: Backend, text: str, max_chars: int,
                           facts: list[str], drafts: Drafts) -> BaseModel:
    lead = chunks(text, max_chars)[0]
    answer = await _ask(backend, OVERVIEW, lead, drafts, OVERVIEW.name, facts=facts)
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


NaiveAnswer = create_model(
    "NaiveAnswer", __config__=ConfigDict(extra="ignore"),
    **{name: (info.annotation, _required(info)) for name, info in SingleAnswer.model_fields.items()},
)
NAIVE_TEMPLATE = "fewshot.j2"


async def extract_naive(backend: Backend, text: str) -> Drafts:
    drafts = Drafts()
    messages = [{"role": "user", "content": prompts.render(NAIVE_TEMPLATE, text=text)}]
    answer, usage, seconds = await backend.extract(NaiveAnswer, messages, max_tokens=2000)
    drafts.add("naive", answer, usage, seconds)
    drafts.overview = answer
    return drafts
