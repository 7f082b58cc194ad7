"""How one article's figures hang together, by the article's own words (used by aggregate.py).

An article tells an incident in a chain of sentences: the lead gives the toll, later sentences repeat
it (headline and body), add the other harm ("more than a dozen were wounded") or break it down ("three
civilians had died in the attack", "five troops and an interpreter were wounded by the blast"). A
new incident is announced ("Meanwhile, a roadside bomb killed ...", "In a separate attack ...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..figures import lexicon as L
from ..figures.mentions import find_numbers
from ..models.brief import Casualty
from ..models.daily import TollReport

_EVENTS = "|".join(sorted(L.EVENT_NOUNS | {"firefight", "clashes", "fighting", "airstrike", "assault"}, key=len,
                          reverse=True))
_EVENT = rf"(?:{_EVENTS})(?:s|es)?"
_DAYS = "|".join(sorted(L.DAY_NAMES))
# Words that open another incident than the one the article was telling; "Also Thursday, ..." is how
# news copy adds another item of the day
_NEW_EVENT = re.compile(
    r"^\W*(?:meanwhile|separately|elsewhere|in other news|earlier (?:this|last|in the) \w+|"
    rf"last (?:week|month|year)|also,? (?:on )?(?:{_DAYS}))\b"
    rf"|\b(?:in|during) (?:a separate|another|an earlier|a previous|a similar|a second) (?:[\w-]+ )?{_EVENT}\b",
    re.IGNORECASE)
# "the attack", "the explosion", "Thursday's attack": the incident already told
_DEFINITE = re.compile(rf"\b(?:the|this|that|\w+'s|\w+’s) (?:[\w-]+ )?{_EVENT}\b", re.IGNORECASE)
_DEFINITE_FIGURE = re.compile(r"\b(?:the|those|these)\s+$", re.IGNORECASE)
# "a roadside bomb", "an attack", "another strike": an incident introduced
_INDEFINITE = re.compile(rf"\b(?:a|an|another) (?:[\w-]+ ){{0,2}}{_EVENT}\b", re.IGNORECASE)


def _quotes(c: Casualty | TollReport) -> list[str]:
    return [ev.quote for ev in c.evidence if ev.quote]


def new_event(c: Casualty) -> bool:
    """The figure's sentence says it is another incident than the one before it."""
    return any(_NEW_EVENT.search(q) for q in _quotes(c))


def introduces_event(c: Casualty) -> bool:
    """The figure's sentence introduces an incident ("a roadside bomb killed ...")."""
    return any(_INDEFINITE.search(q) for q in _quotes(c))


def refers_back(c: Casualty) -> bool:
    """The figure's sentence points at the incident already told ("wounded by the explosion") and
    introduces none."""
    return not introduces_event(c) and any(_DEFINITE.search(q) for q in _quotes(c))


def names_told_people(c: Casualty) -> bool:
    """The figure is written as people already told of ("the six who were wounded", "those 12 killed"):
    the incident the article is telling, however it counted them before."""
    values = {v for v in (c.killed, c.wounded) if v is not None}
    return any(m.value in values and _DEFINITE_FIGURE.search(q[max(0, m.start - 8):m.start])
               for q in _quotes(c) for m in find_numbers(q))


def is_country(key: str) -> bool:
    """A state's name (as aggregate.place_key writes it): it places a toll in a country, not at one place."""
    return key in L.STATES


_HARMS = ("killed", "wounded")


def _whole(group: Sequence[TollReport], harm: str) -> int | None:
    values = [getattr(r, harm) for r in group if not r.part_of_larger_figure and getattr(r, harm) is not None]
    return max(values, default=None)


def complements(c: Casualty, group: Sequence[TollReport]) -> bool:
    """The figure gives only a harm the incident has no figure for: a wounded toll after a killed one."""
    return all(getattr(c, h) is None or _whole(group, h) is None for h in _HARMS)


def part_of(c: Casualty, aid: int, group: Sequence[TollReport]) -> bool:
    """The figure is a part of the incident's toll: smaller, and either naming whom it counts where the
    toll does not ("three civilians" of "four people"), or sharing its sentence with such a part
    ("five troops and one interpreter" of "more than a dozen")."""
    harms = [h for h in _HARMS if getattr(c, h) is not None]
    if not harms:
        return False
    for h in harms:
        whole = _whole(group, h)
        if whole is None or getattr(c, h) >= whole:
            return False
        victims = {r.victims for r in group if not r.part_of_larger_figure and getattr(r, h) is not None}
        named = c.victims in ("civilians", "combatants") and victims <= {"unknown", "mixed"}
        quotes = set(_quotes(c))
        siblings = [r for r in group if r.part_of_larger_figure and r.article == aid
                    and getattr(r, h) is not None and quotes & set(_quotes(r))]
        if not named and not (siblings and getattr(c, h) + sum(getattr(r, h) for r in siblings) <= whole):
            return False
    return True
