"""Which of the briefs' actors the day's list keeps, and under what name (used by aggregate.py).

- A news outlet that carries the story ("VOA", "Interfax news agency", "VOA Somali") reports on the
  conflict; it is no party to it.
- A document is its author: "the AMISOM Statement said" names AMISOM.
- An initialism is the name it abbreviates: "U.N" and "United Nations" are one actor.
- A role is the actor's only where the article says the actor did it: in "an airstrike has killed
  five al-Shabab militants", "killed militants" is not al-Shabab's role.
"""

from __future__ import annotations

import re

from ..figures import lexicon as L
from ..models.brief import Actor
from ..text.grounding import fold, name_key


def is_outlet(name: str) -> bool:
    """A news outlet's name: a wire service ("VOA", "VOA Somali", "AFP") or an "X news agency"."""
    key = name_key(name)
    words = key.split()
    if key in L.OUTLETS or (len(words) > 1 and words[0] in L.OUTLETS):
        return True
    return any(key.endswith(f" {tail}") for tail in L.OUTLET_TAILS)


def without_document(name: str) -> str:
    """The author of a document named as an actor: "AMISOM Statement" -> "AMISOM"."""
    words = name.split()
    while len(words) > 1 and name_key(words[-1]) in L.DOCUMENT_NOUNS:
        words.pop()
    return " ".join(words)


def initials(key: str) -> str:
    """The initialism of a name of several words ("united nations" -> "un"), else ""."""
    words = [w for w in key.split() if w not in L.INITIALISM_SKIPS]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def abbreviates(short: str, long: str) -> bool:
    """`short` (one word of 2-6 letters, dots folded: "U.N" -> "un") is the initialism of `long`."""
    return " " not in short and 2 <= len(short) <= 6 and short == initials(long)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", fold(text))


def _at(words: list[str], phrase: list[str]) -> list[int]:
    return [i for i in range(len(words) - len(phrase) + 1) if words[i:i + len(phrase)] == phrase]


def role_is_its_own(actor: Actor) -> bool:
    """False where every quote that holds the role's verb names the actor only after it (the actor is
    what the verb was done to: "has killed five al-Shabab militants"); a role whose verb no quote holds,
    or a passive one ("killed by ..."), stands."""
    role = _words(actor.role or "")
    if not role or (len(role) > 1 and role[1] == "by"):
        return True
    name = _words(actor.name)
    seen = False
    for ev in actor.evidence:
        words = _words(ev.quote)
        verbs, names = _at(words, role[:1]), _at(words, name)
        if not verbs or not names:
            continue
        seen = True
        if min(names) < min(verbs):
            return True
    return not seen


def kept(actor: Actor) -> Actor | None:
    """The actor as the day's list shows it, or None for an outlet."""
    if is_outlet(actor.name):
        return None
    update: dict[str, str] = {}
    name = without_document(actor.name)
    if name != actor.name:
        update["name"] = name
    if actor.role and actor.role != L.NAMED_ONLY and not role_is_its_own(actor):
        update["role"] = L.NAMED_ONLY
    return actor.model_copy(update=update) if update else actor
