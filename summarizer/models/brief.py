"""The brief's pydantic models: the single source of truth for JSON Schema, prompts and renderers.

Two families live here:
- the public models (`Brief` and its items), which carry program-checked `Evidence`;
- the draft models the LLM fills in (`*Draft`), derived from the public ones so field names,
  types and descriptions are written once. A draft carries a `quote` string instead of evidence;
  the program locates that quote in the article itself (see grounding.py).
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model

ActorKind = Literal[
    "state", "military force", "armed group", "official", "organization", "civilians", "other"
]
AssetType = Literal["aircraft", "ship", "submarine", "missile", "weapon", "unit", "vehicle", "other"]
Qualifier = Literal["exact", "at least", "more than", "about", "unknown"]
Victims = Literal["civilians", "combatants", "mixed", "unknown"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """A verbatim quote from the article, located by the program (never by the model)."""

    quote: str = Field(description="Exact words from the article.")
    start: int | None = Field(None, description="Character offset of the quote in the article text.")
    end: int | None = Field(None, description="Character offset just past the quote.")
    match: Literal["exact", "normalized", "fuzzy"] | None = Field(
        None, description="How the quote was found: exactly, after folding case/space/quote marks, or fuzzily."
    )

    @property
    def grounded(self) -> bool:
        return self.start is not None and self.end is not None


class Actor(_Model):
    name: str = Field(max_length=80, description="Name exactly as the article writes it.")
    kind: ActorKind = Field(description="What sort of actor this is.")
    role: str = Field(max_length=80, description="What it does in this story, in a few words.")
    evidence: list[Evidence] = Field(default_factory=list)


class Asset(_Model):
    name: str = Field(max_length=80, description="The aircraft, ship, weapon or unit, in the article's words.")
    type: AssetType = Field(description="What sort of asset this is.")
    operator: str | None = Field(None, max_length=80, description="Who operates it, if stated.")
    evidence: list[Evidence] = Field(default_factory=list)


class Base(_Model):
    name: str = Field(max_length=80, description="The base or facility, in the article's words.")
    location: str | None = Field(None, max_length=80, description="Where it is, if stated.")
    operator: str | None = Field(None, max_length=80, description="Who uses it, if stated.")
    evidence: list[Evidence] = Field(default_factory=list)


class Casualty(_Model):
    """One report of people killed or wounded in one incident, as one source gives it."""

    killed: int | None = Field(None, ge=0, description="People killed, a number written in the quote; else null.")
    wounded: int | None = Field(None, ge=0, description="People wounded or injured, a number written in the quote; else null.")
    qualifier: Qualifier = Field(description="How precise the figure is.")
    victims: Victims = Field(description="Who the dead or wounded were.")
    location: str | None = Field(None, max_length=80, description="Where it happened.")
    perpetrator: str | None = Field(None, max_length=80, description="Who caused it, as reported; else null.")
    reported_by: str | None = Field(None, max_length=80, description="Who gives the figure; null if the article itself.")
    part_of_larger_figure: bool = Field(
        False, description="True when the figure is part of another report's toll, e.g. 'three children among the dead'.")
    model_reading: str | None = Field(
        None, max_length=80, description="Where the model read the figure as the other kind of harm (killed for "
                                         "wounded or the reverse): its reading. The figure stands on the parse's.")
    evidence: list[Evidence] = Field(default_factory=list)
    # where in the article the parse found its numbers (not exported): one sentence naming two people
    # killed ("among the dead were a colonel and a police chief") holds two reports, not one repeated
    _numbers_at: frozenset[int] = PrivateAttr(default_factory=frozenset)


class BackgroundFigure(_Model):
    """A number that is not an incident's casualties: a cumulative toll, a population, a count of things."""

    figure: str = Field(max_length=60, description="The figure as written.")
    about: str = Field(max_length=100, description="What it counts.")
    evidence: list[Evidence] = Field(default_factory=list)


class OpenQuestion(_Model):
    question: str = Field(max_length=160, description="A question the article does not answer.")
    why: str = Field(max_length=160, description="Why it is open: conflicting claims, unconfirmed, not stated.")
    evidence: list[Evidence] = Field(default_factory=list)


class Dateline(_Model):
    date: str | None = Field(None, max_length=40, description="The article's date, YYYY-MM-DD.")
    place: str | None = Field(None, max_length=60, description="The dateline place.")


class CasualtyConflict(_Model):
    """Several reports of the same incident's toll that disagree."""

    location: str | None
    reports: list[int] = Field(description="Indexes into `casualties` of the disagreeing reports.")
    headline_killed: int | None = Field(description="The most conservative credible killed figure (lowest reported).")
    note: str


class Rejected(_Model):
    """An item the model proposed that the program could not verify; kept so nothing silently disappears."""

    section: str
    item: dict[str, Any]
    reason: str


class Usage(_Model):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        """The usage of both together (calls of a run, briefs of a day): `sum(usages, Usage())`."""
        return Usage(calls=self.calls + other.calls, prompt_tokens=self.prompt_tokens + other.prompt_tokens,
                     completion_tokens=self.completion_tokens + other.completion_tokens)


class Meta(_Model):
    model: str
    backend: str = Field(description="Base URL of the OpenAI-compatible endpoint (never a key).")
    profile: str = Field(description="Request-shape profile used for this backend.")
    prompt_version: str
    usage: Usage = Field(default_factory=Usage)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per pipeline step.")
    source: str | None = Field(None, description="File path or URL of the article.")
    note: str | None = Field(None, description="A choice the program made for the user that shapes the brief "
                                               "(e.g. the profile, when profile auto could not detect the server).")
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


class Brief(_Model):
    """A schema-validated brief of one article."""

    headline: str = Field(max_length=140, description="Factual, at most 15 words.")
    summary: str = Field(max_length=600, description="2-3 sentences, bottom line up front.")
    dateline: Dateline | None = None
    actors: list[Actor] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    bases: list[Base] = Field(default_factory=list)
    casualties: list[Casualty] = Field(default_factory=list)
    background_figures: list[BackgroundFigure] = Field(default_factory=list)
    casualty_conflicts: list[CasualtyConflict] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    meta: Meta


# ---- what the model writes -------------------------------------------------------------------

QUOTE_DESCRIPTION = "Words copied exactly from the article that state this (one clause)."
QUOTE_MAX_CHARS = 240
# Upper bounds on list lengths: the grammar enforces them, so a small model cannot run away.
# The multi passes ask for fewer: every generated token costs time on a CPU (and grammar-constrained
# sampling checks each one), and the parse adds every named actor and the bases found by pattern,
# whatever the model's list leaves out.
PASS_LIMITS = {"actors": 5, "assets": 3, "bases": 2, "open_questions": 1}
SECTION_LIMITS = {"actors": 10, "assets": 8, "bases": 5, "casualties": 8,
                  "background_figures": 4, "open_questions": 3}

ITEM_MODELS: dict[str, type[_Model]] = {
    "actors": Actor,
    "assets": Asset,
    "bases": Base,
    "casualties": Casualty,
    "background_figures": BackgroundFigure,
    "open_questions": OpenQuestion,
}
# Sections whose evidence the program finds from the item's name (a verbatim span of the article);
# the model writes no quote for them, which halves what a small model must generate.
NAMED_SECTIONS = ("actors", "assets", "bases")


# Fields the program fills, never the model.
PROGRAM_FIELDS = ("evidence", "model_reading")


def draft_of(model: type[BaseModel], with_quote: bool) -> type[BaseModel]:
    """The model-facing twin of an item model: same fields, a `quote` string instead of `evidence`.

    The quote comes first so the model copies the words before it reads numbers or names off them.
    """
    fields: dict[str, Any] = {}
    if with_quote:
        fields["quote"] = (str, Field(max_length=QUOTE_MAX_CHARS, description=QUOTE_DESCRIPTION))
    for name, info in model.model_fields.items():
        if name not in PROGRAM_FIELDS:
            fields[name] = (info.annotation, info)
    return create_model(f"{model.__name__}Draft", __config__=ConfigDict(extra="ignore"), **fields)


DRAFTS: dict[str, type[BaseModel]] = {
    name: draft_of(m, with_quote=name not in NAMED_SECTIONS) for name, m in ITEM_MODELS.items()
}


# The overview pass's open question (multi mode), tighter than the brief's: the opening words of the
# sentence that raises it are enough to find that sentence in the article (grounding), and a copied
# sentence is the longest thing it writes; why it is open is a choice, not prose (the 1.5B model wrote
# "The article does not provide any information about ..." at 20 tokens where two words say it).
QUESTION_QUOTE_CHARS = 120
OpenReason = Literal["conflicting accounts", "unconfirmed claim", "not stated"]
QuestionDraft = create_model(
    "OpenQuestionDraft", __base__=DRAFTS["open_questions"],
    quote=(str, Field(max_length=QUESTION_QUOTE_CHARS, description=QUOTE_DESCRIPTION)),
    why=(OpenReason, Field(description="Why it is open: the accounts conflict, a claim is unconfirmed, "
                                        "or the article does not say.")),
)


# The casualties pass checks figures the program found; it never writes a number. Its answer is as
# short as the check allows: one key per figure, the figure's mark ("#1"), whose value is what happened
# to the people it counts. The grammar writes the keys in order, so an answer cannot lose its place in
# the list, and the model copies no figure (half the tokens of {"figure": "12", "happened": ...}).
HAPPENED = ("The word of the number's sentence that says what happened to the people it counts "
            "(killed, died, dead, wounded, injured, kidnapped, arrested, deployed ...).")
# a word it copies: a small model copies far more reliably than it classifies; the program reads the
# word and checks it against the parser's reading
FigureLabel = create_model(
    "FigureLabel", __config__=ConfigDict(extra="ignore"),
    happened=(str, Field(max_length=30, description=HAPPENED, examples=["killed"])),
)


@functools.lru_cache(maxsize=64)
def figure_labels(first: int, n: int) -> type[BaseModel]:
    """The answer to the casualties pass about the figures marked [#first] to [#first+n-1]: one key per
    mark, each the word that says what happened (the grammar enforces every key, in order)."""
    return create_model(
        "FigureLabels", __config__=ConfigDict(extra="ignore", populate_by_name=True),
        **{f"m{k}": (str, Field(alias=f"#{k}", max_length=30, description=HAPPENED, examples=["killed"]))
           for k in range(first, first + n)},
    )


def labels_of(answer: BaseModel) -> list[BaseModel]:
    """The casualties pass's answer as one FigureLabel per figure, in the order asked."""
    return [FigureLabel(happened=getattr(answer, name)) for name in type(answer).model_fields]


def prompt_models() -> dict[str, type[BaseModel]]:
    """Models whose fields the prompts describe, by the name templates use."""
    return {**DRAFTS, "figure_labels": figure_labels(1, 1), "question_draft": QuestionDraft}


def section_draft(name: str, sections: list[str], extra: dict[str, Any] | None = None,
                  at_least: dict[str, int] | None = None, at_most: dict[str, int] | None = None,
                  items: dict[str, type[BaseModel]] | None = None) -> type[BaseModel]:
    """A response model holding lists of drafts for the named sections (one extraction pass);
    `at_most` tightens SECTION_LIMITS for a pass, `items` replaces a section's draft model."""
    low, high, drafts = at_least or {}, {**SECTION_LIMITS, **(at_most or {})}, {**DRAFTS, **(items or {})}
    fields: dict[str, Any] = {
        s: (list[drafts[s]], Field(default_factory=list, min_length=low.get(s, 0), max_length=high[s]))
        for s in sections
    }
    fields.update(extra or {})
    return create_model(name, __config__=ConfigDict(extra="ignore"), **fields)
