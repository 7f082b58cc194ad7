"""Running totals: a figure that counts a period or a war, not one event ("900 have died in the past
eight months", "the 2014 war killed 2,200", "the deaths the insurgency has caused"). Read from the
parse: the period must hang from the figure's own verb or noun, so "Two guards died, and 40 others
have died this year" makes only 40 a total, and "the deadliest attack this year" (a rank) none.
Every word list is in lexicon.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from . import lexicon as L
from .slots import children, counted_noun, lemma

if TYPE_CHECKING:
    from spacy.tokens import Token


def _anchors(pred: "Token", x: "Token") -> Iterator["Token"]:
    """The words a period phrase of the figure hangs from: its predicate, its noun, the verb that
    takes the predicate ("left 5 dead", "were among the dead") and, for a figure in a relative
    clause, the phrase that clause describes ("the fifth raid this month, which have killed 40") and,
    when that phrase numbers itself in a series, the participle describing it ("the third raid carried
    out this year, which have killed 40": the series' toll)."""
    yield from (pred, x, counted_noun(x))
    if pred.dep_ in ("acomp", "oprd", "xcomp", "attr", "pobj") and pred.head != pred:
        yield pred.head
    rel = next((a for a in (pred, *pred.ancestors) if a.dep_ == "relcl"), None)
    if rel is not None:
        yield from (rel, rel.head)
        if any(m.ent_type_ == "ORDINAL" for m in children(rel.head, "amod")):
            yield from children(rel.head, "acl")


def _ranked(t: "Token") -> bool:
    """'the deadliest attack', 'the most violent month': a period after it ranks, it does not sum."""
    return any(c.tag_ in ("JJS", "RBS") or lemma(c) in L.RANK_WORDS
               for m in children(t, "amod", "advmod") for c in (m, *m.children))


def _period(c: "Token") -> bool:
    """A word hanging from the figure that names the span a toll covers."""
    lem = lemma(c)
    if lem in L.SINCE_WORDS and c.dep_ in ("prep", "mark") or \
            c.dep_ == "advcl" and any(lemma(m) in L.SINCE_WORDS for m in children(c, "mark")):
        return True  # "since 2014", "since the mission was established"
    if c.dep_ == "prep" and lem in L.SPAN_PREPS:
        for o in children(c, "pobj"):
            if lemma(o) in L.WAR_NOUNS:
                return True  # "during the war"
            if lemma(o) in L.PERIOD_NOUNS and any(lemma(m) in L.SPAN_WORDS for m in o.children):
                return True  # "in the past eight months", "in the first six months of 2017"
    if lem in L.PERIOD_NOUNS and c.dep_ in ("npadvmod", "advmod") and \
            any(lemma(d) in L.THIS_WORDS for d in children(c, "det", "amod", "prep")):
        return True  # "this year", "last month", "5,000 a year"
    if any((lem, lemma(g)) in L.TOTAL_PAIRS for g in c.children):
        return True  # "so far", "to date"
    if lem in L.TOTAL_WORDS and c.dep_ in ("advmod", "amod"):
        return True  # "overall", "cumulative"
    # "the 1,600 deaths the insurgency has caused"
    return c.dep_ == "relcl" and any(lemma(s) in L.TOTAL_SUBJECTS for s in children(c, "nsubj"))


def is_total(pred: "Token", x: "Token") -> bool:
    """Whether the figure headed by x, bound to pred, is a running total."""
    if any(lemma(s) in L.TOTAL_SUBJECTS for s in children(pred, "nsubj")):
        return True  # "the war has killed", "the 2014 war killed 2,200 people"
    return any(_period(c) for a in set(_anchors(pred, x)) if not _ranked(a) for c in a.children)
