"""What a number counts, read from the dependency parse: the death or injury predicate it is bound to
(subject of "were killed", object of "killed", "left 5 dead", "the deaths of 12", "the toll rose to
30"), whether it is a part of another figure, negated, hypothetical or an
identifier, and whom it counts. Every word list is in lexicon.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from . import lexicon as L
from .parser import parse_all

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


_MODALS = frozenset("could would may might should can".split())


_NOUNISH = frozenset(("NOUN", "PROPN", "NUM", "PRON", "ADJ"))


def lemma(t: "Token") -> str:
    # the lemmatizer reads "wound" as the past of "wind"; only "wound up/down" is that
    if t.lower_ == "wound" and not any(c.dep_ == "prt" for c in t.children):
        return "wound"
    return t.lemma_.lower()


def children(t: "Token", *deps: str) -> list["Token"]:
    return [c for c in t.children if c.dep_ in deps]


def verb_field(v: "Token") -> str | None:
    lem = lemma(v)
    if lem in L.KILL_VERBS or lem in L.DIE_VERBS:
        return "killed"
    if lem in L.INJURE_VERBS:
        return "wounded"
    if lem == "shoot" and any(lemma(c) in L.DEAD_WORDS for c in v.children):
        return "killed"  # "shot dead"
    if any(f"{lem}_{c.lower_}" in L.KILL_VERBS for c in children(v, "prt")):
        return "killed"  # "gunned down"
    return None


def state_field(t: "Token") -> str | None:
    """'dead', 'injured': the state a victim is left or found in."""
    lem = lemma(t)
    low = t.lower_
    if lem in L.DEAD_WORDS or low in L.DEAD_WORDS:
        return "killed"
    if low in L.INJURED_WORDS or lem in L.INJURE_VERBS:
        return "wounded"
    return None


def noun_field(t: "Token") -> str | None:
    lem, low = lemma(t), t.lower_
    if lem in L.DEATH_NOUNS or low in L.DEATH_NOUNS:
        return "killed"
    if lem in L.INJURY_NOUNS or low in L.INJURY_NOUNS:
        return "wounded"
    if lem in L.CASUALTY_NOUNS:
        return "casualties"
    return None


def _toll_field(toll: "Token") -> str:
    words = {lemma(c) for c in toll.children if c.dep_ in ("compound", "amod")}
    return "casualties" if words & L.CASUALTY_NOUNS else "wounded" if words & L.INJURY_NOUNS else "killed"


def _harm_with(v: "Token") -> str | None:
    """'taken to hospital with injuries', 'treated for wounds', 'suffered injuries'."""
    preps = children(v, "prep")
    preps += [q for p in preps for o in children(p, "pobj") for q in children(o, "prep")]
    for p in preps:
        if lemma(p) in L.HARM_PREPS or lemma(p) == "from" and lemma(v) in L.RECOVER_VERBS:
            for o in children(p, "pobj"):
                if noun_field(o) == "wounded":
                    return "wounded"
    if lemma(v) in L.SUFFER_VERBS:
        for o in children(v, "dobj"):
            if noun_field(o) == "wounded":
                return "wounded"
    if lemma(v) in L.LOSE_VERBS and any(lemma(o) in L.LIFE_NOUNS for o in children(v, "dobj")):
        return "killed"
    return None


def _subjectless_conjuncts(v: "Token") -> Iterator["Token"]:
    """'were taken hostage and beheaded': verbs joined to v that share its subject."""
    for c in v.conjuncts:
        if c.i > v.i and not children(c, "nsubj", "nsubjpass"):
            yield c


def passive(v: "Token") -> bool:
    return bool(children(v, "auxpass")) or (v.tag_ == "VBN" and not children(v, "aux", "nsubj"))


def _among_the_dead(t: "Token", preps: frozenset[str] = L.PART_PREPS) -> tuple[str | None, "Token | None"]:
    """'among the dead', 'among those killed', 'including the wounded' below t: (field, that phrase)."""
    for p in children(t, "prep"):
        if lemma(p) in preps:
            for o in children(p, "pobj"):
                f = noun_field(o) or state_field(o) or next(
                    (verb_field(a) for a in children(o, "acl", "relcl") if verb_field(a)), None)
                if f:
                    return f, o
    return None, None


def slot(x: "Token") -> tuple[str | None, "Token | None", "Token | None"]:
    """(field, predicate, whole) for the phrase headed by x: what it is said to suffer, the word that
    says so, and the phrase it is a part of (None when it is a figure of its own)."""
    stranded = _stranded_subject(x)
    if stranded is not None and verb_field(stranded):
        return verb_field(stranded), stranded, None
    while x.dep_ == "conj" and x.head.pos_ in _NOUNISH and x.head.i < x.i:
        x = x.head  # "3 soldiers and 2 civilians": the conjuncts share the verb
    h, dep = x.head, x.dep_
    # the noun itself names the harm: "12 deaths", "30 casualties", "the 20 injured"
    own = noun_field(x)
    if own and (children(x, "nummod") or x.pos_ != "NOUN"):
        return own, x, None
    past_of = counted_noun(x)
    if past_of is not x:
        f = noun_field(past_of) or next((state_field(a) for a in children(past_of, "amod")
                                          if state_field(a)), None)
        if f:
            return f, past_of, None
    # a relative clause after coordinated nouns belongs to all of them: "it was two soldiers and
    # four civilians that died"
    for rel in (r for n in (x, *x.conjuncts) for r in children(n, "acl", "amod", "relcl")):
        f = verb_field(rel) or (state_field(rel) if rel.dep_ != "relcl" else None)
        if f and (rel.dep_ != "relcl" or passive(rel) or lemma(rel) in L.DIE_VERBS):
            return f, rel, None  # "12 people killed in ...", "the 12 who were killed"
    if dep == "appos" and h.pos_ in _NOUNISH:
        f, pred, whole = slot(h)
        # "Eight people were injured, two of them seriously": a part; "five Nigeriens, four
        # Americans, and 21 militants": a list whose items share the verb, and the whole the list
        # is a part of ("among the dead were the chief Omar Ali, the mayor Ahmed Noor")
        return f, pred, h if part_of_pronoun(x) else whole
    if dep == "pobj" and h.dep_ == "prep":
        p, g = h, h.head
        if lemma(p) in L.PART_PREPS:
            if g.pos_ in ("VERB", "AUX"):  # "killed 42 people, including 24 patients"
                f = verb_field(g)
                return f, g, g
            f, pred, _ = slot(g)
            return f, pred, g
        if lemma(p) == "of" and lemma(g) in L.AMOUNT_NOUNS:
            return slot(g)  # "an average of 5,000 people have been killed", "a total of 45 people"
        if lemma(p) == "of":
            f = noun_field(g)
            if f:
                return f, g, None  # "the deaths of 12 soldiers"
            if lemma(g) in L.TOLL_NOUNS:
                return _toll_field(g), g, None  # "a death toll of 30"
            if lemma(g) in L.LIFE_NOUNS and lemma(g.head) in L.TAKE_LIFE_VERBS | L.LOSE_VERBS:
                return "killed", g, None  # "claimed the lives of 12"
        if lemma(p) in ("to", "at") and lemma(g) in L.TOLL_NOUNS:
            return _toll_field(g), g, None  # "put the toll at 15"
        if lemma(p) in ("to", "at") and lemma(g) in L.TOLL_VERBS:
            tolls = [t for t in g.children if t.dep_ in ("nsubj", "dobj") and lemma(t) in L.TOLL_NOUNS]
            if tolls:
                return _toll_field(tolls[0]), g, None  # "the death toll rose to 30"
            counts = [f for t in children(g, "nsubj", "dobj") if lemma(t) in L.AMOUNT_NOUNS
                      for p2 in children(t, "prep") if lemma(p2) == "of"
                      for o in children(p2, "pobj") if (f := noun_field(o) or state_field(o))]
            if counts:
                return counts[0], g, None  # "the number of dead rose to 45", "put the number of wounded at 45"
    if dep == "nummod" and h.i < x.i and verb_field(h):
        return verb_field(h), h, None  # a headline's "..., Wounds 4": the verb read as a noun before it
    if dep == "attr" and lemma(h) == "be":
        tolls = [t for t in children(h, "nsubj") if lemma(t) in L.TOLL_NOUNS]
        if tolls:
            return _toll_field(tolls[0]), h, None  # "the death toll was 30"
        f, dead = _among_the_dead(h)
        if f and not children(h, "nsubj"):
            return f, dead, dead  # "among the dead were three children"
    if dep == "nsubjpass":
        for v in (h, *_subjectless_conjuncts(h)):
            f = verb_field(v) or _harm_with(v)
            if f:
                return f, v, None
            for c in children(v, "oprd", "xcomp", "acomp"):  # "confirmed killed", "pronounced dead"
                f = verb_field(c) or state_field(c)
                if f:
                    return f, c, None
    if dep == "nsubj" and lemma(h) in L.REPORT_VERBS:
        return None, None, None  # who reports ("Patang told reporters ...") is not who suffered
    if dep == "nsubj":
        found = [r for v in (h, *_subjectless_conjuncts(h)) if (r := _suffered(v))[0]]
        # "suffered a wound ... and was pronounced dead": what happened last to them is what counts
        if found:
            return next((r for r in found if r[0] == "killed"), found[0])
    if dep == "npadvmod" and x.pos_ == "NUM" and x.i > h.i and lemma(h) not in L.DIE_VERBS \
            and verb_field(h) and not children(h, "dobj"):
        return verb_field(h), h, None  # a headline's "..., wound 13"
    if dep == "dobj":
        for p in children(h, "prep"):  # "lists 2,175 soldiers as having died", "counted 30 as dead"
            if lemma(p) == "as":
                for c in children(p, "pcomp", "pobj", "acomp", "amod"):
                    f = verb_field(c) or state_field(c) or ("killed" if lemma(c) in L.DIE_VERBS else None)
                    if f:
                        return f, c, None
    if dep == "dobj" and lemma(h) in L.PART_PREPS:  # "the dead include seven Iranians"
        for sbj in children(h, "nsubj"):
            f = noun_field(sbj) or state_field(sbj)
            if f:
                return f, sbj, sbj
    if dep == "dobj" and lemma(x) in L.LIFE_NOUNS and lemma(h) in L.TAKE_LIFE_VERBS:
        return "killed", h, None  # "the blast claimed 12 lives"
    if dep == "dobj":
        f = verb_field(h)
        if f:
            return f, h, None
        if lemma(h) == "leave":  # "left 5 people dead", "left 5 soldiers, 4 police and 21 militants dead"
            for c in h.subtree:
                if c.i > x.i and c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advcl", "amod") and state_field(c):
                    return state_field(c), c, None
            f, dead = _among_the_dead(h)  # "left three children among the dead"
            if f:
                return f, dead, dead
    # "three children among the dead", "five among those killed", "one of those killed"
    f, dead = _among_the_dead(x, L.PART_PREPS | {"of"} if x.pos_ == "NUM" else L.PART_PREPS)
    if f:
        return f, dead, dead
    return None, None, None


def _stranded_subject(x: "Token") -> "Token | None":
    """The passive verb whose subject x is, where the parser hung x on the noun before it ("killed
    three attackers and one policeman was injured": 'policeman' read as a second object)."""
    if x.dep_ != "conj" or x.pos_ not in _NOUNISH:
        return None
    after = max(t.i for t in x.subtree) + 1
    if after >= len(x.doc) or x.doc[after].dep_ != "auxpass":
        return None
    v = x.doc[after].head
    return v if v.i > x.i and v.dep_ == "conj" and not children(v, "nsubj", "nsubjpass") else None


def _suffered(v: "Token") -> tuple[str | None, "Token | None", "Token | None"]:
    """What a verb says its subject suffered: 'died', '12 killed in blast', 'and seven others
    wounded' (a verb gapped after a passive), '12 are dead', 'were among the dead', 'was pronounced
    dead', 'suffered injuries'."""
    lem = lemma(v)
    if lem in L.DIE_VERBS:
        return "killed", v, None
    gapped = v.dep_ == "conj" and passive(v.head)
    if (v.tag_ == "VBN" or gapped and v.tag_ == "VBD") and not children(v, "aux", "dobj") and verb_field(v):
        return verb_field(v), v, None
    if lem == "be":
        for c in children(v, "acomp", "attr"):
            f = state_field(c) or (noun_field(c) if c.dep_ == "attr" else None)
            if f:
                return f, c, None
        f, dead = _among_the_dead(v)
        if f:
            return f, dead, dead
    if passive(v):
        for c in children(v, "oprd", "xcomp", "acomp"):
            f = verb_field(c) or state_field(c)
            if f:
                return f, c, None
    f = _harm_with(v)
    return (f, v, None) if f else (None, None, None)


def mention_head(doc: "Doc", start: int, end: int) -> "Token | None":
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    for t in toks:
        if t.head not in toks or t.head == t:
            return t
    return toks[-1] if toks else None


def counted(head: "Token") -> "Token":
    """The phrase a number counts: the noun it modifies, or the number itself ('12 were killed')."""
    x = head
    while x.dep_ in ("nummod", "quantmod", "compound", "amod", "advmod") and x.head.pos_ in _NOUNISH \
            and x.head.i > x.i and x.head != x:
        x = x.head
    return x


def counted_noun(x: "Token") -> "Token":
    """What is counted, past "of": 'two of his bodyguards', 'dozens of people', '1,200 head of cattle'."""
    for p in children(x, "prep"):
        if lemma(p) == "of":
            for o in children(p, "pobj"):
                return o
    return x


def part_of_pronoun(x: "Token") -> bool:
    """'two of them', 'four of whom', 'three of the dead'."""
    for p in children(x, "prep"):
        if lemma(p) == "of":
            for o in children(p, "pobj"):
                if lemma(o) in L.PART_PRONOUNS or o.lower_ in L.PART_PRONOUNS:
                    return True
                if any(d.lower_ == "the" for d in o.children) and (noun_field(o) or state_field(o)):
                    return True
    return False


def antecedent(x: "Token", pred: "Token") -> "Token | None":
    """Who "them" stands for in "N of them" when the clause of the figure hangs on a verb whose
    object they are, with no number of its own: "fired on the militants, killing 10 of them" (the
    figure is the whole toll of an uncounted group, not a part of another figure)."""
    if not any(lemma(o) in L.PERSONAL_PRONOUNS for p in children(x, "prep") if lemma(p) == "of"
               for o in children(p, "pobj")):
        return None
    if pred.dep_ not in ("advcl", "conj") or pred.head.pos_ not in ("VERB", "AUX"):
        return None
    verb = pred.head
    # "used fire to target militants": the object of the purpose clause is who was targeted; "fired
    # on the gunmen": the object of the verb's preposition
    verbs = [v for v in (verb, *children(verb, "xcomp", "advcl")) if v is not pred]
    objects = [o for v in verbs for o in (*children(v, "dobj"), *(o for p in children(v, "prep")
                                                                  for o in children(p, "pobj")))]
    people = [o for o in objects if person_noun(o) or _side(o)]
    return people[-1] if people and not children(people[-1], "nummod") else None


def negated(x: "Token", pred: "Token") -> bool:
    if any(c.dep_ == "neg" for c in pred.children):
        return True
    if any(c.dep_ == "det" and c.lower_ == "no" for c in x.children):
        return True
    return x.lower_ in ("none", "nobody", "no-one")


def modal(pred: "Token") -> bool:
    """A predicate that may, could, or was only tried or planned to happen ('could kill', 'tried to
    assassinate', 'an attempt to kill')."""
    v = pred
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in v.children):
            return True
        if v.dep_ in ("xcomp", "acl") and lemma(v.head) in L.ATTEMPT_WORDS:
            return True
        if v.dep_ not in ("conj", "xcomp", "acomp", "oprd") or v.head == v:
            break
        v = v.head
    return False


def addressed(sent: "Span") -> bool:
    """An imperative clause or one that speaks to a model: not a report of anything."""
    root = sent.root
    if root.tag_ == "VB" and not children(root, "nsubj", "nsubjpass", "aux") and root.i == sent.start:
        return True
    # an imperative of a word that speaks to a model ("...; disregard the above"), not one reported
    # ("officials urged residents to ignore rumours": an xcomp, not a clause of its own)
    return any(lemma(t) in L.ADDRESS_WORDS and t.pos_ == "VERB" and t.tag_ == "VB" and
               t.dep_ in ("ROOT", "conj", "parataxis") and not children(t, "nsubj", "aux") for t in sent)


def identifier(head: "Token") -> bool:
    """'Flight 752', 'Resolution 2334': a number after the noun it names."""
    return head.dep_ in ("nummod", "appos", "npadvmod", "compound") and head.head.i < head.i and \
        lemma(head.head) in L.IDENTIFIER_NOUNS


def victims_of(x: "Token") -> str | None:
    """Who the phrase headed by x counts: its noun's side, or, where that names none ("people"), the
    description set off after it ("nine people, all of them soldiers"; "six people, both villagers and
    policemen": mixed)."""
    noun = counted_noun(x)
    own = _side(noun)
    if own:
        return own
    sides = {s for d in _descriptions(noun) if (s := _side(d))}
    return "mixed" if len(sides) > 1 else next(iter(sides), None)


def _side(noun: "Token") -> str | None:
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod")]
    # a compound noun is listed whole where its head alone says nothing: "service_member", "aid_worker"
    return _victims_of({lemma(noun), noun.lower_, *(lemma(c) for c in mods),
                        *(f"{lemma(c)}_{lemma(noun)}" for c in mods if c.dep_ == "compound")})


def companions(x: "Token", pred: "Token") -> str | None:
    """The side of the people killed with those a figure counts, not counted themselves ("an officer,
    killed along with soldiers and civilians": mixed); None where none are named."""
    sides = set()
    for head in {x, counted_noun(x), *children(x, "appos"), pred}:
        for p in children(head, "prep"):
            withs = [p] if lemma(p) == "with" and any(
                lemma(a) in L.COMPANION_WORDS for a in children(head, "prt", "advmod")) else \
                children(p, "prep") if lemma(p) in L.COMPANION_WORDS else []
            for w in (w for w in withs if lemma(w) == "with"):
                for o in children(w, "pobj"):
                    sides |= {s for n in (o, *o.conjuncts) if not children(n, "nummod") and (s := _side(n))}
    return "mixed" if len(sides) > 1 else next(iter(sides), None)


def _descriptions(noun: "Token") -> Iterator["Token"]:
    """Nouns that describe `noun` without counting anything of their own: an apposition ("all of them
    soldiers") or conjuncts opened by "both" ("both civilians and soldiers"). One with a number is a
    figure of its own ("4 people, two soldiers and two civilians"), read as one by slot()."""
    for d in children(noun, "appos"):
        if not children(d, "nummod") and not part_of_pronoun(d):
            yield d
    for c in children(noun, "conj"):
        if any(lemma(p) in L.BOTH_WORDS for p in children(c, "preconj")):
            yield from (d for d in (c, *c.conjuncts) if d is not noun and not children(d, "nummod"))


def _victims_of(words: set[str]) -> str | None:
    if words & L.COMBATANT_NOUNS or words & L.COMBATANT_MODIFIERS:
        return "combatants"
    return "civilians" if words & L.CIVILIAN_NOUNS else None


def victims_named(text: str) -> str | None:
    """Who a short text (a question) is about: "How many soldiers died?" -> "combatants"."""
    (doc,) = parse_all([text])
    return _victims_of({lemma(t) for t in doc} | {t.lower_ for t in doc})


def person_noun(t: "Token") -> bool:
    """A noun that names a person: a listed one, or an agent noun ('peacekeeper', 'journalist')."""
    lem = lemma(t)
    return lem in L.PERSON_NOUNS or lem.endswith(L.PERSON_SUFFIXES)


def apposed_speaker(verb: "Token") -> "Token | None":
    """The subject of a reporting verb that the parser hung on the phrase before it as an
    apposition ('The attack killed 12 people, a spokeswoman for the police chief said.')."""
    if verb.pos_ != "VERB" or lemma(verb) not in L.REPORT_VERBS or children(verb, "nsubj", "nsubjpass"):
        return None
    return next((t for t in verb.doc[:verb.i] if t.dep_ == "appos" and max(x.i for x in t.subtree) == verb.i - 1),
                None)


def _speaker_words(t: "Token") -> bool:
    """Within a speaker's phrase read as an apposition: who speaks, not who was killed."""
    for a in [t, *t.ancestors]:
        after = max(x.i for x in a.subtree) + 1
        if a.dep_ == "appos" and after < len(a.doc) and apposed_speaker(a.doc[after]) == a:
            return True
    return False


def _another_name(t: "Token") -> bool:
    """An apposition that names a person other than the one it hangs on: an item of a list of people
    ('the police chief Omar Ali, the deputy mayor Ahmed Noor'); one person has one name."""
    def name(x: "Token") -> set[int]:
        return {x.i} if x.ent_type_ == "PERSON" else {
            c.i for c in x.children if c.ent_type_ == "PERSON" and c.dep_ in ("appos", "compound")}
    mine = name(t)
    return bool(mine) and bool(name(t.head)) and not mine & name(t.head)


def singular_victims(sent: "Span", taken: set[int]) -> Iterator[tuple["Token", int, int, str]]:
    """Victim slots held by one person: 'A police officer was killed', 'Khan was injured'."""
    for t in sent:
        if t.i not in taken and t.lower_ in L.REFLEXIVES and t.dep_ == "dobj":  # "killed himself"
            yield t, t.idx, t.idx + len(t.text), t.text
            continue
        if t.i not in taken and t.lower_ in L.ONE_MORE and t.pos_ == "PRON" and t.dep_ in ("nsubj", "nsubjpass"):
            yield t, t.idx, t.idx + len(t.text), t.text  # "two were killed and another was wounded"
            continue
        if t.i in taken or t.pos_ not in ("NOUN", "PROPN") or t.tag_ not in ("NN", "NNP"):
            continue
        if t.dep_ not in ("nsubjpass", "nsubj", "dobj", "pobj", "conj", "appos", "attr"):  # attr: "among the dead was a judge"
            continue
        if children(t, "nummod") or (t.dep_ == "compound"):
            continue
        if t.dep_ == "appos" and t.head.pos_ in ("NOUN", "PROPN") and not children(t.head, "nummod") \
                and not _another_name(t):
            continue  # "killed Abdul Noorzai, the district governor": one person named twice
        if _speaker_words(t):
            continue
        ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
        person = ent is not None and ent.label_ == "PERSON"
        determined = any(c.dep_ in ("det", "poss") and c.lower_ not in ("no", "every", "each", "any")
                         for c in t.children)
        if not (person or (determined and person_noun(t))):
            continue
        lefts = [c for c in t.subtree if c.i <= t.i and c.dep_ in ("det", "poss", "compound", "amod", "case")]
        start_tok = min([t, *lefts], key=lambda c: c.i)
        if person and ent is not None:
            start_tok = sent.doc[min(ent.start, start_tok.i)]
            end_tok = sent.doc[ent.end - 1]
        else:
            end_tok = t
        yield t, start_tok.idx, end_tok.idx + len(end_tok.text), sent.doc.text[start_tok.idx:end_tok.idx + len(end_tok.text)]
