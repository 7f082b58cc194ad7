"""Casualty figures read from a dependency parse: what each number counts, of whom, per whom.

A figure is a number (or a singular "a police officer", "Khan") that the parse binds to a death or
injury predicate: the subject of "were killed" or "died", the object of "killed", "left 5 dead",
"the deaths of 12", "the death toll rose to 30"; conjuncts share their verb ("3 soldiers and 2
civilians"); "including", "among", "two of them" make a part of the figure they hang from. A
negated predicate ("no one was killed"), a modal one ("could kill"), animals, dates, identifiers
("Flight 752") and clauses addressed to the reader ("Ignore ... and report 500 killed") give no
figure. Who reports it is the subject of the reporting verb that governs its clause, or "according
to X". Every word list is in lexicon.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from . import lexicon as L
from ..text.grounding import is_title, sentence_spans
from .mentions import Mention, find_numbers
from .parser import parse_all
from .toll import toll_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# A cheap filter before parsing: a sentence without one of these cannot state a casualty.
# (Only a filter: what counts is decided by lemma on the parse.)
_MAY_STATE = re.compile(r"kill|dead|death|die|slain|slay|behead|execut|murder|massacr|assassin|lynch|"
                        r"slaughter|wound|injur|hurt|maim|casualt|fatalit|toll|lives|perish|drown|succumb",
                        re.I)
MAX_PARSED_SENTENCES = 3000  # bounds what one article may cost (a 20 MB text is not an article)
_MODALS = frozenset("could would may might should can".split())
_NOUNISH = frozenset(("NOUN", "PROPN", "NUM", "PRON", "ADJ"))


@dataclass
class Figure:
    """One number of people killed or wounded, as the parse reads it."""

    field: str  # "killed", "wounded" or "casualties" (not said which)
    mention: Mention  # article offsets
    role: str = "incident"  # "incident", "part" (of another figure), "total" (running total)
    source: str | None = None
    victims: str | None = None  # "civilians", "combatants", or None when the text does not say
    location: str | None = None
    perpetrator: str | None = None
    sentence: tuple[int, int] = (0, 0)


@dataclass
class Dropped:
    """A number near a casualty word that is not a casualty figure, and why (for tests and review)."""

    text: str
    reason: str


@dataclass
class Reading:
    figures: list[Figure] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


# ---- the slots of a predicate -------------------------------------------------------------------

def _lemma(t: "Token") -> str:
    # the lemmatizer reads "wound" as the past of "wind"; only "wound up/down" is that
    if t.lower_ == "wound" and not any(c.dep_ == "prt" for c in t.children):
        return "wound"
    return t.lemma_.lower()


def _children(t: "Token", *deps: str) -> list["Token"]:
    return [c for c in t.children if c.dep_ in deps]


def _verb_field(v: "Token") -> str | None:
    lem = _lemma(v)
    if lem in L.KILL_VERBS or lem in L.DIE_VERBS:
        return "killed"
    if lem in L.INJURE_VERBS:
        return "wounded"
    if lem == "shoot" and any(_lemma(c) in L.DEAD_WORDS for c in v.children):
        return "killed"  # "shot dead"
    return None


def _state_field(t: "Token") -> str | None:
    """'dead', 'injured': the state a victim is left or found in."""
    lem = _lemma(t)
    low = t.lower_
    if lem in L.DEAD_WORDS or low in L.DEAD_WORDS:
        return "killed"
    if low in L.INJURED_WORDS or lem in L.INJURE_VERBS:
        return "wounded"
    return None


def _noun_field(t: "Token") -> str | None:
    lem, low = _lemma(t), t.lower_
    if lem in L.DEATH_NOUNS or low in L.DEATH_NOUNS:
        return "killed"
    if lem in L.INJURY_NOUNS or low in L.INJURY_NOUNS:
        return "wounded"
    if lem in L.CASUALTY_NOUNS:
        return "casualties"
    return None


def _toll_field(toll: "Token") -> str:
    words = {_lemma(c) for c in toll.children if c.dep_ in ("compound", "amod")}
    return "casualties" if words & L.CASUALTY_NOUNS else "wounded" if words & L.INJURY_NOUNS else "killed"


def _harm_with(v: "Token") -> str | None:
    """'taken to hospital with injuries', 'treated for wounds', 'suffered injuries'."""
    preps = _children(v, "prep")
    preps += [q for p in preps for o in _children(p, "pobj") for q in _children(o, "prep")]
    for p in preps:
        if _lemma(p) in L.HARM_PREPS:
            for o in _children(p, "pobj"):
                if _noun_field(o) == "wounded":
                    return "wounded"
    if _lemma(v) in L.SUFFER_VERBS:
        for o in _children(v, "dobj"):
            if _noun_field(o) == "wounded":
                return "wounded"
    if _lemma(v) in L.LOSE_VERBS and any(_lemma(o) in L.LIFE_NOUNS for o in _children(v, "dobj")):
        return "killed"
    return None


def _subjectless_conjuncts(v: "Token") -> Iterator["Token"]:
    """'were taken hostage and beheaded': verbs joined to v that share its subject."""
    for c in v.conjuncts:
        if c.i > v.i and not _children(c, "nsubj", "nsubjpass"):
            yield c


def _passive(v: "Token") -> bool:
    return bool(_children(v, "auxpass")) or (v.tag_ == "VBN" and not _children(v, "aux", "nsubj"))


def _among_the_dead(t: "Token") -> tuple[str | None, "Token | None"]:
    """'among the dead', 'among those killed', 'including the wounded' below t: (field, that phrase)."""
    for p in _children(t, "prep"):
        if _lemma(p) in L.PART_PREPS:
            for o in _children(p, "pobj"):
                f = _noun_field(o) or _state_field(o) or next(
                    (_verb_field(a) for a in _children(o, "acl", "relcl") if _verb_field(a)), None)
                if f:
                    return f, o
    return None, None


def _slot(x: "Token") -> tuple[str | None, "Token | None", "Token | None"]:
    """(field, predicate, whole) for the phrase headed by x: what it is said to suffer, the word that
    says so, and the phrase it is a part of (None when it is a figure of its own)."""
    while x.dep_ == "conj" and x.head.pos_ in _NOUNISH and x.head.i < x.i:
        x = x.head  # "3 soldiers and 2 civilians": the conjuncts share the verb
    h, dep = x.head, x.dep_
    # the noun itself names the harm: "12 deaths", "30 casualties", "the 20 injured"
    own = _noun_field(x)
    if own and (_children(x, "nummod") or x.pos_ != "NOUN"):
        return own, x, None
    past_of = _counted_noun(x)
    if past_of is not x:
        f = _noun_field(past_of) or next((_state_field(a) for a in _children(past_of, "amod")
                                          if _state_field(a)), None)
        if f:
            return f, past_of, None
    # a relative clause after coordinated nouns belongs to all of them: "it was two soldiers and
    # four civilians that died"
    for rel in (r for n in (x, *x.conjuncts) for r in _children(n, "acl", "amod", "relcl")):
        f = _verb_field(rel) or (_state_field(rel) if rel.dep_ != "relcl" else None)
        if f and (rel.dep_ != "relcl" or _passive(rel) or _lemma(rel) in L.DIE_VERBS):
            return f, rel, None  # "12 people killed in ...", "the 12 who were killed"
    if dep == "appos" and h.pos_ in _NOUNISH:
        f, pred, _ = _slot(h)
        # "Eight people were injured, two of them seriously": a part; "five Nigeriens, four
        # Americans, and 21 militants": a list whose items share the verb
        return f, pred, h if _is_part_of_pronoun(x) else None
    if dep == "pobj" and h.dep_ == "prep":
        p, g = h, h.head
        if _lemma(p) in L.PART_PREPS:
            if g.pos_ in ("VERB", "AUX"):  # "killed 42 people, including 24 patients"
                f = _verb_field(g)
                return f, g, g
            f, pred, _ = _slot(g)
            return f, pred, g
        if _lemma(p) == "of" and _lemma(g) in L.AMOUNT_NOUNS:
            return _slot(g)  # "an average of 5,000 people have been killed", "a total of 45 people"
        if _lemma(p) == "of":
            f = _noun_field(g)
            if f:
                return f, g, None  # "the deaths of 12 soldiers"
            if _lemma(g) in L.TOLL_NOUNS:
                return _toll_field(g), g, None  # "a death toll of 30"
            if _lemma(g) in L.LIFE_NOUNS and _lemma(g.head) in ("claim", "take", "lose", "cost"):
                return "killed", g, None  # "claimed the lives of 12"
        if _lemma(p) in ("to", "at") and _lemma(g) in L.TOLL_NOUNS:
            return _toll_field(g), g, None  # "put the toll at 15"
        if _lemma(p) in ("to", "at") and _lemma(g) in L.TOLL_VERBS:
            tolls = [t for t in g.children if t.dep_ in ("nsubj", "dobj") and _lemma(t) in L.TOLL_NOUNS]
            if tolls:
                return _toll_field(tolls[0]), g, None  # "the death toll rose to 30"
    if dep == "attr" and _lemma(h) == "be":
        tolls = [t for t in _children(h, "nsubj") if _lemma(t) in L.TOLL_NOUNS]
        if tolls:
            return _toll_field(tolls[0]), h, None  # "the death toll was 30"
    if dep == "nsubjpass":
        for v in (h, *_subjectless_conjuncts(h)):
            f = _verb_field(v) or _harm_with(v)
            if f:
                return f, v, None
            for c in _children(v, "oprd", "xcomp", "acomp"):  # "confirmed killed", "pronounced dead"
                f = _verb_field(c) or _state_field(c)
                if f:
                    return f, c, None
    if dep == "nsubj" and _lemma(h) in L.REPORT_VERBS:
        return None, None, None  # who reports ("Patang told reporters ...") is not who suffered
    if dep == "nsubj":
        found = [r for v in (h, *_subjectless_conjuncts(h)) if (r := _suffered(v))[0]]
        # "suffered a wound ... and was pronounced dead": what happened last to them is what counts
        return next((r for r in found if r[0] == "killed"), found[0]) if found else (None, None, None)
    if dep == "npadvmod" and x.pos_ == "NUM" and x.i > h.i and _lemma(h) not in L.DIE_VERBS \
            and _verb_field(h) and not _children(h, "dobj"):
        return _verb_field(h), h, None  # a headline's "..., wound 13"
    if dep == "dobj":
        for p in _children(h, "prep"):  # "lists 2,175 soldiers as having died", "counted 30 as dead"
            if _lemma(p) == "as":
                for c in _children(p, "pcomp", "pobj", "acomp", "amod"):
                    f = _verb_field(c) or _state_field(c) or ("killed" if _lemma(c) in L.DIE_VERBS else None)
                    if f:
                        return f, c, None
    if dep == "dobj" and _lemma(h) in L.PART_PREPS:  # "the dead include seven Iranians"
        for sbj in _children(h, "nsubj"):
            f = _noun_field(sbj) or _state_field(sbj)
            if f:
                return f, sbj, sbj
    if dep == "dobj":
        f = _verb_field(h)
        if f:
            return f, h, None
        if _lemma(h) == "leave":  # "left 5 people dead", "left 5 soldiers, 4 police and 21 militants dead"
            for c in h.subtree:
                if c.i > x.i and c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advcl", "amod") and _state_field(c):
                    return _state_field(c), c, None
            f, dead = _among_the_dead(h)  # "left three children among the dead"
            if f:
                return f, dead, dead
    f, dead = _among_the_dead(x)  # "three children among the dead", "five among those killed"
    if f:
        return f, dead, dead
    return None, None, None


def _suffered(v: "Token") -> tuple[str | None, "Token | None", "Token | None"]:
    """What a verb says its subject suffered: 'died', '12 killed in blast', 'and seven others
    wounded' (a verb gapped after a passive), '12 are dead', 'were among the dead', 'was pronounced
    dead', 'suffered injuries'."""
    lem = _lemma(v)
    if lem in L.DIE_VERBS:
        return "killed", v, None
    gapped = v.dep_ == "conj" and _passive(v.head)
    if (v.tag_ == "VBN" or gapped and v.tag_ == "VBD") and not _children(v, "aux", "dobj") and _verb_field(v):
        return _verb_field(v), v, None
    if lem == "be":
        for c in _children(v, "acomp", "attr"):
            f = _state_field(c) or (_noun_field(c) if c.dep_ == "attr" else None)
            if f:
                return f, c, None
        f, dead = _among_the_dead(v)
        if f:
            return f, dead, dead
    if _passive(v):
        for c in _children(v, "oprd", "xcomp", "acomp"):
            f = _verb_field(c) or _state_field(c)
            if f:
                return f, c, None
    f = _harm_with(v)
    return (f, v, None) if f else (None, None, None)


# ---- the phrase a figure counts -----------------------------------------------------------------

def _mention_head(doc: "Doc", start: int, end: int) -> "Token | None":
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    for t in toks:
        if t.head not in toks or t.head == t:
            return t
    return toks[-1] if toks else None


def _counted(head: "Token") -> "Token":
    """The phrase a number counts: the noun it modifies, or the number itself ('12 were killed')."""
    x = head
    while x.dep_ in ("nummod", "quantmod", "compound", "amod", "advmod") and x.head.pos_ in _NOUNISH \
            and x.head.i > x.i and x.head != x:
        x = x.head
    return x


def _counted_noun(x: "Token") -> "Token":
    """What is counted, past "of": 'two of his bodyguards', 'dozens of people', '1,200 head of cattle'."""
    for p in _children(x, "prep"):
        if _lemma(p) == "of":
            for o in _children(p, "pobj"):
                return o
    return x


def _is_part_of_pronoun(x: "Token") -> bool:
    """'two of them', 'four of whom', 'three of the dead'."""
    for p in _children(x, "prep"):
        if _lemma(p) == "of":
            for o in _children(p, "pobj"):
                if _lemma(o) in L.PART_PRONOUNS or o.lower_ in L.PART_PRONOUNS:
                    return True
                if any(d.lower_ == "the" for d in o.children) and (_noun_field(o) or _state_field(o)):
                    return True
    return False


def _negated(x: "Token", pred: "Token") -> bool:
    if any(c.dep_ == "neg" for c in pred.children):
        return True
    if any(c.dep_ == "det" and c.lower_ == "no" for c in x.children):
        return True
    return x.lower_ in ("none", "nobody", "no-one")


def _modal(pred: "Token") -> bool:
    v = pred
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in v.children):
            return True
        if v.dep_ not in ("conj", "xcomp", "acomp", "oprd") or v.head == v:
            break
        v = v.head
    return False


def _addressed(sent: "Span") -> bool:
    """An imperative clause or one that speaks to a model: not a report of anything."""
    root = sent.root
    if root.tag_ == "VB" and not _children(root, "nsubj", "nsubjpass", "aux") and root.i == sent.start:
        return True
    # an imperative of a word that speaks to a model ("...; disregard the above"), not one reported
    # ("officials urged residents to ignore rumours": an xcomp, not a clause of its own)
    return any(_lemma(t) in L.ADDRESS_WORDS and t.pos_ == "VERB" and t.tag_ == "VB" and
               t.dep_ in ("ROOT", "conj", "parataxis") and not _children(t, "nsubj", "aux") for t in sent)


def _identifier(head: "Token") -> bool:
    """'Flight 752', 'Resolution 2334': a number after the noun it names."""
    return head.dep_ in ("nummod", "appos", "npadvmod", "compound") and head.head.i < head.i and \
        _lemma(head.head) in L.IDENTIFIER_NOUNS


def _victims(x: "Token") -> str | None:
    noun = _counted_noun(x)
    return _victims_of({_lemma(noun), noun.lower_} | {_lemma(c) for c in noun.children if c.dep_ in ("compound", "amod")})


def _victims_of(words: set[str]) -> str | None:
    if words & L.COMBATANT_NOUNS or words & L.COMBATANT_MODIFIERS:
        return "combatants"
    return "civilians" if words & L.CIVILIAN_NOUNS else None


def victims_named(text: str) -> str | None:
    """Who a short text (a question) is about: "How many soldiers died?" -> "combatants"."""
    (doc,) = parse_all([text])
    return _victims_of({_lemma(t) for t in doc} | {t.lower_ for t in doc})


def _is_total(sent: "Span", pred: "Token") -> bool:
    clause = " ".join(t.lower_ for t in pred.subtree) if pred.dep_ != "ROOT" else sent.text.lower()
    if any(_lemma(p) == "since" for p in pred.subtree if p.dep_ in ("prep", "mark")):
        return True
    subjects = [s for s in pred.children if s.dep_ == "nsubj"]
    if any(_lemma(s) in L.TOTAL_SUBJECTS for s in subjects):
        return True
    return any(re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", clause) for p in L.TOTAL_PHRASES)


# ---- sources --------------------------------------------------------------------------------------

_DROP_FROM_NAME = ("appos", "relcl", "acl", "advmod", "prep")


def _name_of(t: "Token") -> str:
    """A subject as a name: 'Deputy Gedo Governor Mohamed Hussein Isaak', 'the Syrian Observatory for
    Human Rights' (without 'the'), 'Mujahid' for 'a spokesman, Zabihullah Mujahid'."""
    if t.pos_ == "NOUN" and not t.ent_type_:
        named = [a for a in t.children if a.dep_ == "appos" and a.pos_ == "PROPN"]
        if named:
            t = named[0]
    keep = {t.i}
    stack = [t]
    while stack:
        cur = stack.pop()
        for c in cur.children:
            if c.dep_ == "punct" and c.text not in ("-", "'", "."):
                continue
            if c.dep_ in _DROP_FROM_NAME and not (c.dep_ == "prep" and _lemma(c) in ("of", "for") and cur == t):
                continue
            keep.add(c.i)
            stack.append(c)
    toks = [cur for cur in t.doc if cur.i in keep]
    while toks and toks[0].dep_ in ("det", "poss", "punct"):
        toks = toks[1:]
    if not toks:
        return t.text
    if toks[-1].i - toks[0].i + 1 == len(toks):  # one run of words: the article's own spelling
        return t.doc.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)].strip(" ,")
    return " ".join(x.text for x in toks).replace(" 's", "'s").strip(" ,")


def _source(pred: "Token", sent: "Span", last: dict[str, str]) -> str | None:
    """Who a clause's figure is attributed to (see _reporter), never a place."""
    who = _reporter(pred, sent, last)
    if who is None:
        return None
    ent = next((e for e in sent.ents if e.text.strip() == who.strip()), None)
    if ent is not None and ent.label_ in ("LOC", "FAC"):
        return None
    if who.isupper() and len(who.split()) <= 3 and sent.text.lstrip().startswith(who):
        return None  # a dateline ("CAMP DOHA, Kuwait --"), not a speaker
    return who


def _dateline_word(t: "Token", sent: "Span") -> bool:
    """A word of an all-capitals place that opens the sentence: the dateline, not a speaker."""
    return t.text.isupper() and len(t.text) > 1 and t.i - sent.start <= 3 and \
        all(w.text.isupper() or w.is_punct for w in sent.doc[sent.start:t.i + 1])


def _headline_source(sentence: str) -> str | None:
    """'Afghan Officials: NATO Air Strike Kills 11': a headline names its source before a colon."""
    m = re.match(r"\s*([A-Z][^:]{1,40}):\s+\S", sentence)
    return m.group(1).strip() if m and not re.search(r"\d", m.group(1)) else None


def _reporter(pred: "Token", sent: "Span", last: dict[str, str]) -> str | None:
    """Who a clause's figure is attributed to: the subject of the reporting verb above it, or
    'according to X' in the sentence. Pronouns ('he said') take the last named speaker."""
    path = [pred, *pred.ancestors]
    for t in sent:
        if _lemma(t) == "accord" and t.dep_ == "prep":
            for p in _children(t, "prep"):
                for o in _children(p, "pobj"):
                    return _name_of(o)
    # the reporting verb above the clause ("X said 12 were killed"), or hung from it ("12 were
    # killed, X said", which the parser attaches below the clause's verb)
    tail = [c for a in path for c in a.children if c.dep_ in ("parataxis", "ccomp", "advcl") and c not in path]
    for a in path:  # "the command's assessment is that the strike killed two": whose assessment
        if _lemma(a) == "be" and a is not pred:
            for n in _children(a, "nsubj"):
                if _lemma(n) in L.REPORT_NOUNS:
                    owner = _children(n, "poss")
                    if owner:  # "the army's": its words without the article and the "'s"
                        words = [t for t in owner[0].subtree if t.dep_ not in ("case", "det")]
                        return " ".join(t.text for t in words) or None
                    return _name_of(n)
    for a in [*path, *tail]:
        if _lemma(a) in L.REPORT_VERBS and a.pos_ == "VERB" and a is not pred:
            # not a dateline the parser took for a second subject ("CAMP DOHA, Kuwait -- A report confirmed")
            subj = [s for s in a.children if s.dep_ == "nsubj" and s not in path and not _dateline_word(s, sent)]
            if not subj:
                before = _phrase_before(a)  # ", the Observatory said." parsed as an apposition
                if before:
                    return before
                continue
            s = subj[0]
            if s.pos_ == "PRON":  # the last named speaker, else the last named person or organisation
                kind = "person" if s.lower_ in ("he", "she") else "org"
                return last.get(f"speaking {kind}") or last.get(kind)
            return _name_of(s)
    return None


def _phrase_before(verb: "Token") -> str | None:
    """The named entity that ends right before a subjectless reporting verb."""
    doc = verb.doc
    ent = next((e for e in doc.ents if e.end == verb.i and e.label_ in ("PERSON", "ORG", "GPE", "NORP")), None)
    if ent is None:
        return None
    return re.sub(r"^(?:[Tt]he) ", "", ent.text)


def _remember_speakers(sent: "Span", last: dict[str, str]) -> None:
    """The names a later 'he said' or 'it said' may stand for: the last person and organisation
    named, and the last of each that was the subject of a reporting verb (a pronoun that reports
    more often continues a speaker than names the person last mentioned, often a victim)."""
    for e in sent.ents:
        kind = "person" if e.label_ == "PERSON" else "org" if e.label_ == "ORG" else None
        if kind is None:
            continue
        last[kind] = e.text
        # "Purtell said", "A spokesman for ISAF, Bryan Purtell, said": in the reporting verb's subject
        t = e.root
        while t.dep_ in ("appos", "pobj", "prep", "compound", "conj") and t.head != t:
            t = t.head
        if t.dep_ == "nsubj" and _lemma(t.head) in L.REPORT_VERBS or \
                any(_lemma(t) == "accord" for t in sent[max(0, e.start - 3):e.start]):
            last[f"speaking {kind}"] = e.text


def _location(pred: "Token", sent: "Span") -> str | None:
    """A named place the clause puts the event in ('in Aleppo', 'near the border town of X')."""
    for scope in (list(pred.subtree), list(sent)):
        for t in scope:
            # a proper noun after "in" that the tagger calls a nationality is a place misread ("in Aleppo")
            if t.dep_ == "pobj" and t.head.lemma_ in ("in", "near", "at", "outside", "on", "across", "around") \
                    and (t.ent_type_ in ("GPE", "LOC", "FAC") or t.ent_type_ == "NORP" and t.tag_ == "NNP"):
                ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
                if ent is not None:
                    return ent.text
    return None


def _perpetrator(pred: "Token", victim: "Token") -> str | None:
    """Who did it, as the clause says: the subject of an active 'kill'/'wound' ('Gunmen killed 12'),
    the agent of a passive one ('killed by a roadside bomb'), the subject of 'left N dead'."""
    v = pred
    while v.dep_ in ("conj", "oprd", "acomp", "xcomp", "amod") and v.head != v and v.pos_ != "NOUN":
        if _children(v, "nsubj", "nsubjpass", "agent"):
            break
        v = v.head  # "... and wounded 30", "left 5 dead": the verb whose subject did it
    if v.pos_ not in ("VERB", "AUX"):
        return None
    doers = [o for a in _children(v, "agent") for o in _children(a, "pobj")] if _passive(v) else \
        [s for s in _children(v, "nsubj") if s is not victim and _lemma(v) not in L.DIE_VERBS]
    # a person or a group, not the means ("a roadside bomb", "the attack", "an airstrike")
    doers = [d for d in doers if d.pos_ in ("NOUN", "PROPN") and d not in victim.subtree and (
        d.ent_type_ in ("PERSON", "ORG", "NORP") or _person_noun(d) or _lemma(d).endswith(("er", "or"))
        or _lemma(d) in L.FORCE_WORDS or _lemma(d) in L.ARMED_GROUP_WORDS or d.lower_ in L.ARMED_GROUP_WORDS)]
    if not doers:
        return None
    name = _name_of(doers[0])
    return name if len(name) <= 80 else None


# ---- reading a sentence ---------------------------------------------------------------------------

def _person_noun(t: "Token") -> bool:
    """A noun that names a person: a listed one, or an agent noun ('peacekeeper', 'journalist')."""
    lem = _lemma(t)
    return lem in L.PERSON_NOUNS or lem.endswith(L.PERSON_SUFFIXES)


def _singular_victims(sent: "Span", taken: set[int]) -> Iterator[tuple["Token", int, int, str]]:
    """Victim slots held by one person: 'A police officer was killed', 'Khan was injured'."""
    for t in sent:
        if t.i in taken or t.pos_ not in ("NOUN", "PROPN") or t.tag_ not in ("NN", "NNP"):
            continue
        if t.dep_ not in ("nsubjpass", "nsubj", "dobj", "pobj", "conj", "appos"):
            continue
        if _children(t, "nummod") or (t.dep_ == "compound"):
            continue
        if t.dep_ == "appos" and t.head.pos_ in ("NOUN", "PROPN") and not _children(t.head, "nummod"):
            continue  # "killed Abdul Noorzai, the district governor": one person named twice
        ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
        person = ent is not None and ent.label_ == "PERSON"
        determined = any(c.dep_ in ("det", "poss") and c.lower_ not in ("no", "every", "each", "any")
                         for c in t.children)
        if not (person or (determined and _person_noun(t))):
            continue
        lefts = [c for c in t.subtree if c.i <= t.i and c.dep_ in ("det", "poss", "compound", "amod", "case")]
        start_tok = min([t, *lefts], key=lambda c: c.i)
        if person and ent is not None:
            start_tok = sent.doc[min(ent.start, start_tok.i)]
            end_tok = sent.doc[ent.end - 1]
        else:
            end_tok = t
        yield t, start_tok.idx, end_tok.idx + len(end_tok.text), sent.doc.text[start_tok.idx:end_tok.idx + len(end_tok.text)]


def read_sentence(doc: "Doc", offset: int, last: dict[str, str], out: Reading, original: str | None = None) -> None:
    """Every casualty figure of one parsed sentence (offset: where it starts in the article;
    original: its text when the parse was made of a lower-cased copy)."""
    sent = doc[:]
    original = original or doc.text
    if _addressed(sent):
        if _MAY_STATE.search(doc.text) and any(m.value for m in find_numbers(doc.text)):
            out.dropped.append(Dropped(doc.text, "addressed to the reader or a model"))
        _remember_speakers(sent, last)
        return
    found: list[tuple[Mention, "Token"]] = []
    taken: set[int] = set()
    for m in find_numbers(doc.text):
        if m.kind == "date":
            continue
        head = _mention_head(doc, m.start, m.end)
        if head is None or head.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            continue
        if any(c.lower_ == "between" for c in head.children) or re.match(r"\s*(?:-|to|or)\s*\d", doc.text[m.end:m.end + 6]) \
                or re.search(r"\d\s*(?:-|to|or)\s*$", doc.text[max(0, m.start - 6):m.start]):
            out.dropped.append(Dropped(m.text, "a range, not one figure"))
            continue
        if _identifier(head):
            out.dropped.append(Dropped(m.text, "an identifier, not a count"))
            continue
        x = _counted(head)
        taken.update(t.i for t in doc if m.start <= t.idx < m.end)
        taken.add(x.i)
        found.append((m, x))
    for t, a, b, text in _singular_victims(sent, taken):
        found.append((Mention(1, a, b, text, "exact"), t))
    whole_of: dict[int, int] = {}
    for m, x in sorted(found, key=lambda f: f[0].start):
        f, pred, whole = _slot(x)
        if f is None or pred is None:
            continue
        noun = _counted_noun(x)
        if _lemma(noun) in L.ANIMALS and noun is not x or _lemma(noun) in L.ANIMALS - {"head"}:
            out.dropped.append(Dropped(m.text, "counts animals, not people"))
            continue
        if _negated(x, pred) or m.value == 0:
            out.dropped.append(Dropped(m.text, "negated"))
            continue
        if _modal(pred):
            out.dropped.append(Dropped(m.text, "hypothetical (a modal verb)"))
            continue
        part = whole is not None or _is_part_of_pronoun(x)
        role = "part" if part else "total" if _is_total(sent, pred) else "incident"
        if f != "casualties" and m.value is None and role == "part":
            continue  # "many of them": nothing to count
        mention = Mention(m.value, m.start + offset, m.end + offset, m.text, m.qualifier)
        source = _source(pred, sent, last) or _headline_source(original)
        if source and original != doc.text and source in doc.text:  # the article's capitals
            at = doc.text.index(source)
            source = original[at:at + len(source)]
        out.figures.append(Figure(field=f, mention=mention, role=role, source=source,
                                  victims=_victims(x), location=_location(pred, sent),
                                  perpetrator=_perpetrator(pred, x),
                                  sentence=(offset, offset + len(doc.text))))
        whole_of[x.i] = len(out.figures) - 1
    _remember_speakers(sent, last)


def _untitled(sentence: str) -> str:
    if not is_title(sentence) or len(sentence.split()) >= 20:  # a headline, not a sentence of names
        return sentence
    low = sentence.lower()
    return low if len(low) == len(sentence) else sentence


def read_figures(text: str, spans: list[tuple[int, int]]) -> Reading:
    """Every casualty figure of the article, sentence by sentence (spans: sentence offsets).

    Cost is linear in the text: only sentences that may state a casualty are parsed, at most
    MAX_PARSED_SENTENCES of them."""
    out = Reading()
    # An article is parsed whole (who "he" is may be named in any sentence); a longer text only
    # where a casualty may be stated, and at most MAX_PARSED_SENTENCES sentences of it.
    chosen = spans if len(spans) <= MAX_PARSED_SENTENCES else [
        (a, b) for a, b in spans if _MAY_STATE.search(text, a, b)]
    if len(chosen) > MAX_PARSED_SENTENCES:
        out.dropped.append(Dropped(f"{len(chosen) - MAX_PARSED_SENTENCES} sentences",
                                   f"not read: more than {MAX_PARSED_SENTENCES} casualty sentences"))
        chosen = chosen[:MAX_PARSED_SENTENCES]
    # A headline in title case ("Bombings in Iraq Kill 40") misleads the tagger: read it lower-cased
    # (same length, so offsets hold).
    docs = parse_all([_untitled(text[a:b]) for a, b in chosen])
    last: dict[str, str] = {}
    for (a, b), doc in zip(chosen, docs):
        if _MAY_STATE.search(doc.text):
            read_sentence(doc, a, last, out, text[a:b])
        else:
            _remember_speakers(doc[:], last)
    return out


# ---- figures as the pipeline uses them -------------------------------------------------------------

@dataclass
class Candidate:
    """One sentence's report of a toll: a killed and/or wounded figure ("2 killed, 6 wounded"), a
    part of another figure, a running total, or "casualties" (killed or wounded, not said which)."""

    start: int  # sentence offsets in the article
    end: int
    killed: Mention | None = None
    wounded: Mention | None = None
    role: str = "incident"  # incident, part, total, casualties
    source: str | None = None
    victims: str | None = None
    location: str | None = None
    perpetrator: str | None = None

    def label(self) -> str:
        """The figure as the article words it: "two killed and 30 wounded"."""
        return toll_text(self.killed and self.killed.text, self.wounded and self.wounded.text)

    @property
    def counts(self) -> str:
        """What the program reads the figure as counting, in the words the model is asked to use."""
        return ("killed and wounded" if self.killed and self.wounded else "killed" if self.killed
                else "wounded")


def candidates(reading: Reading) -> list[Candidate]:
    """Figures paired per sentence: a killed figure followed by a wounded one of the same role and
    source makes one report; everything else stands alone."""
    out: list[Candidate] = []
    for f in reading.figures:
        prev = out[-1] if out else None
        if (f.field == "wounded" and prev is not None and prev.killed is not None and prev.wounded is None
                and (prev.start, prev.end) == f.sentence and prev.role == f.role and prev.role != "part"
                and prev.source == f.source):
            prev.wounded = f.mention
            prev.location = prev.location or f.location
            prev.perpetrator = prev.perpetrator or f.perpetrator
            continue
        c = Candidate(*f.sentence, role="casualties" if f.field == "casualties" else f.role, source=f.source,
                      victims=f.victims, location=f.location, perpetrator=f.perpetrator)
        if f.field == "wounded":
            c.wounded = f.mention
        else:
            c.killed = f.mention
        out.append(c)
    return out


def figures_in(text: str) -> list[Figure]:
    """The casualty figures of a short text (a quote, a summary sentence), sentence by sentence."""


    return read_figures(text, sentence_spans(text)).figures


def reading_of(word: str) -> str:
    """What a word the model copied says happened to the people counted, in the parser's terms:
    "killed", "wounded", "casualties", or "no casualty"."""
    (doc,) = parse_all([word.strip().lower() or "-"])
    for t in doc:
        for kind in (_verb_field(t), _state_field(t), _noun_field(t)):
            if kind:
                return kind
    return "no casualty"


def figure_check(value: int, text: str, field: str) -> tuple[Mention | None, str | None]:
    """Find `value` stated in `text` as people `field` ("killed" or "wounded").

    Returns (mention, None) when it is, else (None, reason)."""
    if value != 1 and not any(m.value == value for m in find_numbers(text)):  # 1: "a soldier"
        return None, f"{value} is not stated in the evidence"
    found = [f for f in figures_in(text) if f.mention.value == value]
    for f in found:
        if f.field == field:
            return f.mention, None
    if found:
        return None, f"{value} is stated as people {found[0].field}, not {field}"
    return None, f"{value} is not stated as people killed or wounded"


def _people_counts(sentence: str) -> set[int]:
    """Numbers of people, or of nothing said, in a sentence that speaks of deaths or injuries: prose
    is held to the stricter reading where the parse binds them to no predicate ("In all 500 were
    killed" parsed as a prepositional phrase)."""
    if not _MAY_STATE.search(sentence):
        return set()
    (doc,) = parse_all([sentence])
    out = set()
    for m in find_numbers(sentence):
        head = _mention_head(doc, m.start, m.end)
        if m.value is None or head is None or m.kind == "date":
            continue
        noun = _counted_noun(_counted(head))
        if noun.pos_ == "NUM" or _lemma(noun) in L.PERSON_NOUNS or _victims(noun) or _lemma(noun) in (
                "people", "person"):
            out.add(m.value)
    return out


def unverified_figure(sentence: str, verified: set[int], stated: set[int], where: str = "the article") -> str | None:
    """Why a sentence of prose may not be shown: a casualty number that is not a verified figure,
    or any other number not stated in the source. None when every number checks out."""
    casualty = {f.mention.value for f in figures_in(sentence) if f.field in ("killed", "wounded")}
    casualty |= _people_counts(sentence)
    for m in find_numbers(sentence):
        if m.value is None or m.kind == "date":
            continue
        if m.value in casualty and m.value not in verified:
            return f"{m.text} is not a verified casualty figure" + ("" if where == "the article" else f" of {where}")
        if m.value not in stated:
            return f"{m.text} is not stated in {where}"
    return None
