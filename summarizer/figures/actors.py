"""Named actors from the parse's entities: people, organisations, groups, and states that act.

The model lists actors too (and gives their kind and role); these are joined with its list so a long
article keeps its named officials even when the model's list is full. A place is an actor only when
it acts: the subject of a verb ("Russia said", "Iran allowed") or a possessor ("Moscow's jets"), not
"in Aleppo".
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from pydantic import BaseModel

from . import lexicon as L
from .parser import parse_all
from ..text.grounding import is_title
from ..models.brief import DRAFTS

if TYPE_CHECKING:
    from spacy.tokens import Doc

MAX_SENTENCES = 400  # actors of a very long text: its first sentences are enough
_SINGLE_LOWER = re.compile(r"^[a-z]")


def _kind(label: str, name: str, titled: bool) -> str:
    words = {w.lower().strip(".,'") for w in name.split()}
    if label == "PERSON":
        return "official" if titled else "other"
    if label == "GPE":
        return "state"
    if words & L.FORCE_WORDS:
        return "military force"
    if words & L.ARMED_GROUP_WORDS:
        return "armed group"
    return "organization" if label == "ORG" else "other"


def named_actors(text: str, spans: list[tuple[int, int]]) -> list[BaseModel]:
    """Actor drafts for the named people, organisations and acting states of the article."""
    docs = parse_all([text[a:b] for a, b in spans[:MAX_SENTENCES]])
    found: dict[str, BaseModel] = {}
    people: list[str] = []
    for doc in docs:
        if is_title(doc.text):
            continue  # a headline in title case: the tagger reads its capitals as names ("Kills 5 Militants")
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
                continue
            name = ent.text.strip(" ,.'\"")
            if name.lower().startswith("the "):
                name = name[4:]
            if not 2 <= len(name) <= 80 or _SINGLE_LOWER.match(name) or "\n" in name:
                continue
            root = ent.root
            if ent.label_ in ("GPE", "NORP"):
                # a place or nationality acts only as a subject or possessor ("Russia said", "Iran's")
                if ent.label_ == "NORP" and not any(w in name.lower() for w in L.GROUP_NORP_HINTS):
                    continue
                if root.dep_ not in ("nsubj", "nsubjpass", "poss", "agent"):
                    continue
            if ent.label_ == "PERSON":
                if len(name.split()) == 1 and any(p.split()[-1] == name for p in people):
                    continue  # "Shoigu" after "Sergei Shoigu"
                people.append(name)
            titled = any(t.lemma_.lower() in L.TITLE_WORDS for t in root.subtree) or any(
                t.lemma_.lower() in L.TITLE_WORDS for t in doc[max(0, ent.start - 3):ent.start])
            kind = _kind(ent.label_, name, titled)
            found.setdefault(name.lower(), DRAFTS["actors"](name=name, kind=kind, role=L.NAMED_ONLY))
        for name, kind in _bodies(doc):
            found.setdefault(name.lower(), DRAFTS["actors"](name=name, kind=kind, role=L.NAMED_ONLY))
    return list(found.values())


def _bodies(doc: "Doc") -> list[tuple[str, str]]:
    """Forces and governments named by a common noun and whose they are: "Afghan security forces",
    "the US military", "coalition troops", "the Afghan government" (not "security forces" alone)."""
    out = []
    for t in doc:
        if t.lemma_.lower() not in L.BODY_NOUNS or t.pos_ != "NOUN" or t.dep_ == "compound":
            continue
        mods = []
        for c in reversed([c for c in t.children if c.i < t.i and c.dep_ in ("amod", "compound")]):
            if c.i != (mods[0].i if mods else t.i) - 1:
                break  # the words right before the noun only
            mods.insert(0, c)
        whose = [c for c in mods if c.ent_type_ in ("NORP", "GPE") or c.lower_ in L.ALLIANCE_WORDS
                 or c.text[:1].isupper() and (c.i > 0 or c.tag_ == "NNP")]
        if not whose:
            continue  # "security forces", "struggling forces": whose, it does not say
        # from the first word that says whose, with its own modifiers ("U.S. Central Command forces")
        name = doc[min(x.i for x in whose[0].subtree):t.i + 1].text
        out.append((name, "state" if t.lemma_.lower() == "government" else "military force"))
    return out
