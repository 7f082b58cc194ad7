"""The daily brief's pydantic models: many articles' briefs merged, every item citing its articles.

Articles are numbered from 1 in input order; that number is what `[1]`-style citations, the
`articles` lists and `CitedEvidence.article` refer to. Evidence offsets index into that article's
text (kept in the local store, see store.py), never into any merged text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .brief import ActorKind, AssetType, Casualty, Dateline, Evidence, Qualifier, Usage, Victims


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CitedEvidence(Evidence):
    """A verbatim quote located in one article of the day."""

    article: int = Field(description="Number of the article the quote is from (see `articles`).")


class ArticleRef(_Model):
    id: int = Field(description="The article's number, used by citations such as [1].")
    status: Literal["ok", "failed"]
    origin: str = Field(description="Where it came from: file path, or JSON Lines file and line.")
    url: str | None = None
    outlet: str | None = Field(None, description="Publisher, when the input names one.")
    published: str | None = Field(None, description="Publication date as given, else the dateline's.")
    sha256: str | None = Field(None, description="SHA-256 of the article text (its key in the store).")
    headline: str | None = None
    summary: str | None = None
    dateline: Dateline | None = None
    error: str | None = Field(None, description="Why it failed, for failed articles.")


class ActorRole(_Model):
    """What one article says an actor did: roles stay with the article that states them."""

    article: int
    role: str


class MergedActor(_Model):
    name: str = Field(description="One name for the actor across articles.")
    variants: list[str] = Field(description="Every name the articles use for it, e.g. Russia, Moscow, the Kremlin.")
    kind: ActorKind
    roles: list[ActorRole] = Field(default_factory=list, description="Each article's role for it, with the article.")
    articles: list[int]
    evidence: list[CitedEvidence] = Field(default_factory=list)


class MergedAsset(_Model):
    name: str
    variants: list[str]
    type: AssetType
    operators: list[str] = Field(default_factory=list)
    articles: list[int]
    evidence: list[CitedEvidence] = Field(default_factory=list)


class MergedBase(_Model):
    name: str
    variants: list[str]
    locations: list[str] = Field(default_factory=list)
    operators: list[str] = Field(default_factory=list)
    articles: list[int]
    evidence: list[CitedEvidence] = Field(default_factory=list)


class TollReport(_Model):
    """One source's figure for an incident, as one article gives it."""

    article: int
    killed: int | None = None
    wounded: int | None = None
    qualifier: Qualifier
    victims: Victims
    reported_by: str | None = None
    perpetrator: str | None = None
    location: str | None = None
    part_of_larger_figure: bool = False
    model_reading: str | None = Field(None, max_length=80,
                                      description=Casualty.model_fields["model_reading"].description)
    evidence: list[CitedEvidence] = Field(default_factory=list)


class Incident(_Model):
    """Casualty reports rolled up for one incident and place, every source's figure kept."""

    location: str | None
    victims: Victims
    headline_killed: int | None = Field(description="The most conservative (lowest) credible killed figure reported.")
    headline_wounded: int | None = Field(description="The most conservative (lowest) credible wounded figure reported.")
    conflict: bool = Field(description="True when the sources' figures disagree.")
    note: str | None = Field(None, description="Each source's figure, when they disagree.")
    articles: list[int]
    reports: list[TollReport]


class MergedQuestion(_Model):
    question: str
    why: str
    variants: list[str] = Field(default_factory=list, description="The same question as other articles ask it.")
    articles: list[int]
    evidence: list[CitedEvidence] = Field(default_factory=list)


class NarrativeSentence(_Model):
    text: str
    cites: list[int] = Field(description="Articles the sentence comes from.")
    note: str | None = Field(None, description="Where the program moved the citation: the model cited "
                                               "an article that does not name what the sentence names.")


class RejectedSentence(_Model):
    """A narrative sentence the program dropped; kept so nothing silently disappears."""

    text: str
    cites: list[int]
    reason: str


class DailyStats(_Model):
    articles: int = 0
    done: int = Field(0, description="Summarized in this run.")
    cached: int = Field(0, description="Taken from the store, made by an earlier run.")
    failed: int = 0
    usage: Usage = Field(default_factory=Usage, description="Model use of this run (briefs and narrative).")
    seconds: float = Field(0.0, description="Wall time of the run (the CLI); else the articles' times added up.")


class DailyMeta(_Model):
    model: str | None = None
    prompt_version: str
    narrative_error: str | None = Field(None, description="Why the narrative is missing, when it is.")
    created_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))


class DailyBrief(_Model):
    """The day's briefs merged: key developments with citations, actors, assets, bases, tolls."""

    date: str | None = Field(None, description="The day the brief covers, YYYY-MM-DD.")
    narrative: list[NarrativeSentence] = Field(default_factory=list)
    actors: list[MergedActor] = Field(default_factory=list)
    assets: list[MergedAsset] = Field(default_factory=list)
    bases: list[MergedBase] = Field(default_factory=list)
    casualties: list[Incident] = Field(default_factory=list)
    open_questions: list[MergedQuestion] = Field(default_factory=list)
    articles: list[ArticleRef] = Field(default_factory=list)
    rejected: list[RejectedSentence] = Field(default_factory=list)
    stats: DailyStats = Field(default_factory=DailyStats)
    meta: DailyMeta


# ---- what the model writes -------------------------------------------------------------------

NARRATIVE_MAX_SENTENCES = 5


class NarrativeDraft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str = Field(max_length=300, description="One sentence about one development.")
    sources: list[int] = Field(max_length=4, description="Numbers of the articles it comes from, e.g. [1, 3].")


class NarrativeAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sentences: list[NarrativeDraft] = Field(min_length=1, max_length=NARRATIVE_MAX_SENTENCES)
