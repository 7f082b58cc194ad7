"""Who a figure counts, where the brief says "unknown" but the figure's own words say more: "more than a
dozen people, both civilians and soldiers, were wounded" (mixed), "seven people, all of them police
officers" (combatants). Only the words set off right after the figure's people-noun are read: the
subject or object of the sentence (the attackers, the troops a convoy carried) is not the victims.
"""

from __future__ import annotations

import re

from ..figures import lexicon as L
from ..figures.mentions import find_numbers
from ..models.brief import Casualty, Victims

_IRREGULAR = {"children": "child", "women": "woman", "men": "man", "people": "person", "police": "police",
              "policemen": "policeman", "servicemen": "serviceman", "militiamen": "militiaman",
              "policewomen": "policewoman", "gunmen": "gunman", "tribesmen": "tribesman"}
# "people" and its like name no side; what follows them, set off by a comma or a dash, may
_GENERIC = r"(?:people|persons|individuals|others|victims|dead|wounded|injured)"
_APPOSITION = re.compile(rf"^\s*(?:[\w-]+\s+){{0,2}}?{_GENERIC}\s*[,—–(-]\s*([^,;()—–]{{3,80}})", re.IGNORECASE)
_PARTS = re.compile(r"\b(?:including|among)\b", re.IGNORECASE)  # "two of them" has a number: left out below


def _singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    for end, repl in (("ies", "y"), ("es", "e"), ("s", "")):
        if w.endswith(end) and len(w) > len(end) + 2:
            stem = w[: -len(end)] + repl
            if stem in L.CIVILIAN_NOUNS or stem in L.COMBATANT_NOUNS or end == "s":
                return stem
    return w


def side_of(words: str) -> set[str]:
    """The sides ("civilians", "combatants") the nouns of `words` name."""
    sides = set()
    for w in re.findall(r"[A-Za-z-]+", words):
        s = _singular(w)
        if s in L.CIVILIAN_NOUNS:
            sides.add("civilians")
        elif s in L.COMBATANT_NOUNS or s in L.COMBATANT_MODIFIERS:
            sides.add("combatants")
    return sides


def _named(quote: str, figures: set[int]) -> set[str]:
    sides: set[str] = set()
    for m in find_numbers(quote):
        if m.value not in figures:
            continue
        said = _APPOSITION.match(quote[m.end:])
        # "including three soldiers" is a part with a figure of its own, read as one by the parse
        if said and not _PARTS.search(said.group(1)) and not find_numbers(said.group(1)):
            sides |= side_of(said.group(1))
    return sides


def victims_of(c: Casualty) -> Victims:
    """The brief's victims; where it says "unknown", what the words set off after the figure name."""
    if c.victims != "unknown":
        return c.victims
    figures = {v for v in (c.killed, c.wounded) if v is not None}
    sides = set().union(*(_named(ev.quote, figures) for ev in c.evidence if ev.quote)) if figures else set()
    if len(sides) > 1:
        return "mixed"
    return next(iter(sides), "unknown")  # type: ignore[return-value]
