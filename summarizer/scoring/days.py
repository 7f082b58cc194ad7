"""Labeled days: what a daily brief of a few articles should hold, written by hand (dailyset/).

One JSON object per line and day: the articles in the order they are given to `summarizer daily`
(numbered from 1, as the daily brief numbers them), the places and actors each names, the day's
incidents with every source's figure and the expected headline figures, and the sentences that give
only vague numbers ("dozens"). Article paths are relative to the labels file's folder or a folder
above it (the repository root), the first where the file is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from .jsonl import read_labels
from ..models.brief import Qualifier, Victims
from ..text.grounding import name_key


class _Label(BaseModel):
    model_config = ConfigDict(extra="ignore")  # labellers may add notes


class ActorLabel(_Label):
    name: str
    aliases: list[str] = Field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ArticleLabel(_Label):
    n: int = Field(description="Input order: the article's number in the daily brief.")
    file: str
    source: str | None = None
    publisher: str | None = None
    places: list[str] = Field(default_factory=list)
    actors: list[ActorLabel] = Field(default_factory=list)


class ReportLabel(_Label):
    """One source's figure for an incident, as one article gives it."""

    article: int
    killed: int | None = None
    wounded: int | None = None
    qualifier: Qualifier | None = None
    reported_by: str | None = None
    sentence: str | None = None


class IncidentLabel(_Label):
    id: str
    what: str = ""
    date: str | None = None
    places: list[str] = Field(default_factory=list)
    victims: Victims
    reports: list[ReportLabel] = Field(min_length=1)
    headline_killed: int | None = None
    headline_wounded: int | None = None

    def articles(self) -> set[int]:
        return {r.article for r in self.reports}


class DayLabel(_Label):
    day: str
    split: Literal["dev", "test", "seed"]
    date: str | None = None
    articles: list[ArticleLabel] = Field(min_length=1)
    incidents: list[IncidentLabel] = Field(default_factory=list)
    vague: list[str] = Field(default_factory=list)

    def article(self, n: int) -> ArticleLabel | None:
        return next((a for a in self.articles if a.n == n), None)

    def places_of(self, n: int) -> list[str]:
        """The places article n names, with those of the incidents it reports."""
        a = self.article(n)
        own = a.places if a else []
        return [*own, *(p for i in self.incidents if n in i.articles() for p in i.places)]

    def actor_groups(self) -> list[set[str]]:
        """The day's actors, each as every name any article gives it: entries sharing a name are
        one actor ("Moscow" with alias "Russia" in one article, "Russia" in another)."""
        groups: list[set[str]] = []
        for actor in (x for a in self.articles for x in a.actors):
            names = {name_key(n) for n in actor.names()} - {""}
            overlapping = [g for g in groups if g & names]
            for g in overlapping:
                names |= g
                groups.remove(g)
            groups.append(names)
        return groups

    def actors_of(self, n: int) -> set[str]:
        """Every name (folded by `name_key`) of the actors article n names, aliases of the day included."""
        a = self.article(n)
        own = {name_key(x) for actor in (a.actors if a else []) for x in actor.names()}
        return {name for g in self.actor_groups() if g & own for name in g}

    def figures_of(self, n: int) -> set[int]:
        """The killed and wounded figures article n gives, in any incident."""
        return {v for i in self.incidents for r in i.reports if r.article == n
                for v in (r.killed, r.wounded) if v is not None}


def is_day_labels(path: Path) -> bool:
    """Whether a labels file holds labeled days (its first object has "day" and "incidents")."""
    try:
        with path.open(encoding="utf-8") as f:
            first = next((line for line in f if line.strip()), "")
        obj = json.loads(first)
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # the article loader reports what is wrong with it
    return isinstance(obj, dict) and "day" in obj and "incidents" in obj


def load_days(path: Path, split: str | None = None) -> list[tuple[DayLabel, list[Path]]]:
    """Labeled days (of one split, or all) and each day's article files in input order."""
    out = []
    for n, day in read_labels(path, DayLabel, "day label"):
        if split is not None and day.split != split:
            continue
        numbers = sorted(a.n for a in day.articles)
        if numbers != list(range(1, len(numbers) + 1)):
            raise InputError(f"{path}:{n}: day {day.day}: articles must be numbered 1 to {len(numbers)}")
        files = [_find(path, a.file, f"{path}:{n}") for a in sorted(day.articles, key=lambda a: a.n)]
        out.append((day, files))
    if not out:
        raise InputError(f"{path}: no labeled days{f' in split {split}' if split else ''}")
    return out


def _find(labels: Path, file: str, where: str) -> Path:
    if Path(file).is_absolute():
        return Path(file)
    for folder in [labels.resolve().parent, *labels.resolve().parent.parents]:
        if (folder / file).is_file():
            return folder / file
    raise InputError(f"{where}: {file}: no such file beside the labels or in a folder above them")


def same_name(a: str | None, b: str | None) -> bool:
    """Two names for one thing, folded for case, spacing, punctuation and a leading article."""
    return bool(a and b) and name_key(a) == name_key(b)


# What a place's name may end in without naming another place: "Hiran" is "Hiran region".
PLACE_WORDS = {"region", "province", "district", "city", "town", "village", "county", "governorate", "area"}


def same_place(a: str | None, b: str | None) -> bool:
    """Two names for one place: as `same_name`, less a trailing word such as "region" or "province"."""
    def key(name: str) -> str:
        words = name_key(name).split()
        while len(words) > 1 and words[-1] in PLACE_WORDS:
            words.pop()
        return " ".join(words)
    return bool(a and b) and key(a) == key(b)  # type: ignore[arg-type]
