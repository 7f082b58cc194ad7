"""Who a figure is attributed to (the subject of the reporting verb that governs its clause, "according
to X", a statement's issuer, a pronoun's latest speaker of its kind, a quotation's speaker; never a
place or a dateline), where it happened (a named place) and who did it (an agent that is a person or
a group).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import lexicon as L
from .slots import apposed_speaker, children, lemma, passive, person_noun

if TYPE_CHECKING:
    from typing import Callable

    from spacy.tokens import Span, Token


_DROP_FROM_NAME = ("appos", "relcl", "acl", "advmod", "prep")


def _name_of(t: "Token") -> str:
    """A subject as a name: 'Deputy Gedo Governor Mohamed Hussein Isaak', 'the Syrian Observatory for
    Human Rights' (without 'the'), 'Mujahid' for 'a spokesman, Zabihullah Mujahid'."""
    if t.pos_ == "NOUN" and not t.ent_type_:
        # "the director of the Red Crescent, Omar Ali": a person in apposition, wherever the parser hangs it
        named = [a for a in t.children if a.dep_ == "appos" and a.pos_ == "PROPN"] or [
            a for a in t.subtree if a.dep_ == "appos" and a.ent_type_ == "PERSON"]
        if named:
            t = named[0]
    keep = {t.i}
    stack = [t]
    while stack:
        cur = stack.pop()
        for c in cur.children:
            if c.dep_ == "punct" and c.text not in ("-", "'", "."):
                continue
            if c.dep_ in _DROP_FROM_NAME and not (c.dep_ == "prep" and lemma(c) in ("of", "for") and cur == t):
                continue
            keep.add(c.i)
            stack.append(c)
    toks = [cur for cur in t.doc if cur.i in keep]
    # a dateline the parser hung on the name ("KABUL - Afghan officials"): where, not who
    dash = next((k for k, x in enumerate(toks) if x.text in ("-", "\u2013", "\u2014", "--")), None)
    if dash and all(x.is_upper or x.is_punct for x in toks[:dash]):
        toks = toks[dash + 1:]
    # "the", "his": not part of the name; an owner named is ("the ministry's spokesman")
    while toks and (toks[0].dep_ in ("det", "punct") or toks[0].dep_ == "poss" and toks[0].pos_ == "PRON"):
        toks = toks[1:]
    if not toks:
        return t.text
    if toks[-1].i - toks[0].i + 1 == len(toks):  # one run of words: the article's own spelling
        return t.doc.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)].strip(" ,")
    return " ".join(x.text for x in toks).replace(" 's", "'s").strip(" ,")


def source_of(pred: "Token", sent: "Span", last: dict[str, str]) -> str | None:
    """Who a clause's figure is attributed to (see _reporter), never a place."""
    who = _reporter(pred, sent, last)
    if who is None:
        return None
    ent = next((e for e in sent.ents if e.text.strip() == who.strip()), None)
    if ent is not None and ent.label_ in ("LOC", "FAC") or _names_a_place(who, sent):
        return None
    if who.isupper() and len(who.split()) <= 3 and sent.text.lstrip().startswith(who):
        return None  # a dateline ("CAMP DOHA, Kuwait --"), not a speaker
    return who


def _names_a_place(who: str, sent: "Span") -> bool:
    """'Diyala province said', 'a statement from the city': a name whose head is a place noun names
    where, not who ('the governor of Diyala province' is a person, 'Islamic State' a group)."""
    at = sent.doc.text.find(who)
    span = sent.doc.char_span(at, at + len(who), alignment_mode="expand") if at >= 0 else None
    if span is None:
        return False
    root = span.root
    return lemma(root) in L.PLACE_NOUNS and root.ent_type_ not in ("ORG", "PERSON", "NORP")


def _dateline_word(t: "Token", sent: "Span") -> bool:
    """A word of an all-capitals place that opens the sentence: the dateline, not a speaker."""
    return t.text.isupper() and len(t.text) > 1 and t.i - sent.start <= 3 and \
        all(w.text.isupper() or w.is_punct for w in sent.doc[sent.start:t.i + 1])


def headline_source(sentence: str, sent: "Span") -> str | None:
    """'Afghan Officials: NATO Air Strike Kills 11': a headline names its source before a colon (a
    name with no verb; 'The governor said: ...' is a sentence that introduces a quotation)."""
    m = re.match(r"\s*([A-Z][^:]{1,40}):\s+\S", sentence)
    if not m or re.search(r"\d", m.group(1)):
        return None
    label = [t for t in sent if t.idx < m.end(1)]
    if any(t.pos_ in ("VERB", "AUX") for t in label):
        return None
    if all(lemma(t) in L.REPORT_NOUNS for t in label if not t.is_punct):
        return None  # "Report: ...": a kind of text, not who tells it
    return m.group(1).strip()


def _reporter(pred: "Token", sent: "Span", last: dict[str, str]) -> str | None:
    """Who a clause's figure is attributed to: the subject of the reporting verb above it, or
    'according to X' in the sentence. Pronouns ('he said') take the last named speaker."""
    path = [pred, *pred.ancestors]
    for t in sent:
        if lemma(t) == "accord" and t.dep_ == "prep":
            for p in children(t, "prep"):
                for o in children(p, "pobj"):  # "according to a statement from the ministry": the ministry
                    return (_owner(o) if lemma(o) in L.REPORT_NOUNS else None) or _name_of(o)
    # the reporting verb above the clause ("X said 12 were killed"), or hung from it ("12 were
    # killed, X said", which the parser attaches below the clause's verb)
    tail = [c for a in path for c in a.children if c.dep_ in ("parataxis", "ccomp", "advcl") and c not in path]
    for a in path:  # "the command's assessment is that the strike killed two": whose assessment
        if lemma(a) == "be" and a is not pred:
            for n in children(a, "nsubj"):
                if lemma(n) in L.REPORT_NOUNS:
                    return _owner(n) or _name_of(n)
    said = _statement_of(path)  # "confirmation from an official that a strike killed two"
    if said:
        return said
    # "X said that staff reported the deaths": the outermost speaker is the one who tells the reader;
    # not across a coordination or a clause of its own ("X says 60 died, but/while Y said 40": Y's 40)
    found = None
    for a in path:
        found = _verb_speaker(a, pred, path, sent, last) or found
        if found and a.dep_ not in ("ccomp", "xcomp"):  # up only from a clause that is what is said
            break
    if found:
        return found
    return next((who for a in tail if (who := _verb_speaker(a, pred, path, sent, last))), None)


def _verb_speaker(a: "Token", pred: "Token", path: list["Token"], sent: "Span", last: dict[str, str]) -> str | None:
    """Who reports through the verb a, if it is a reporting verb whose speaker the parse shows."""
    if a.pos_ != "VERB" or lemma(a) not in L.REPORT_VERBS | L.SHOW_VERBS:
        return None
    if any(lemma(o) in L.LIFE_NOUNS for o in children(a, "dobj")):
        return None  # "the firefight that claimed the life of ...": a death, not a report
    claimed = [n for o in children(a, "dobj") for n in (o, *(x for p in children(o, "prep") if lemma(p) == "of"
                                                             for x in children(p, "pobj")))]
    if lemma(a) == "claim" and any(lemma(n) in L.EVENT_NOUNS | L.DEED_CLAIMS for n in claimed):
        return None  # "the group claimed (most of) the attacks, which killed 19": a deed owned, not a toll told
    if lemma(a) == "say" and a.dep_ == "pcomp" and lemma(a.head) == "as" and lemma(a.head.head) == "quote":
        # "the agency quoted an officer as saying 6 died", "the officer was quoted as saying"
        quoted = children(a.head.head, "dobj") or children(a.head.head, "nsubjpass")
        if quoted:
            return _name_of(quoted[0])
    # not a dateline the parser took for a second subject ("CAMP DOHA, Kuwait -- A report confirmed"),
    # nor an event ("the attack claimed the lives of 12"); the predicate itself reports where its
    # subject tells the toll ("officials put the toll at 30")
    subj = [s for s in a.children if s.dep_ == "nsubj" and s not in path and not _dateline_word(s, sent)
            and not (s.pos_ == "NOUN" and lemma(s) in L.EVENT_NOUNS | L.TOTAL_SUBJECTS)]
    if not subj and a.dep_ == "advcl" and a.tag_ == "VBG":
        # a participle speaks for its clause's subject: "the group claimed the attack, saying it killed 20"
        subj = [s for s in children(a.head, "nsubj") if not _dateline_word(s, sent)
                and not (s.pos_ == "NOUN" and lemma(s) in L.EVENT_NOUNS | L.TOTAL_SUBJECTS)]
    if a == pred and not subj or lemma(a) in L.SHOW_VERBS and not any(lemma(s) in L.REPORT_NOUNS for s in subj):
        return None
    if not subj and a.dep_ == "acl" and lemma(a.head) in L.REPORT_NOUNS:
        return _owner(a.head)  # "the group issued a statement claiming it killed 20"
    if not subj and apposed_speaker(a) is not None:
        return _subject_name(apposed_speaker(a), last)
    if not subj:
        return _phrase_before(a)  # ", the Observatory said." parsed as an apposition
    return _subject_name(subj[0], last)


def account_of(sent: "Span", last: dict[str, str]) -> str | None:
    """Whose account a sentence as a whole gives: the speaker of its main clause ('Police say a car
    bomb exploded', '..., officials said', 'According to X, ...'); None where it gives its own."""
    for root in (t for t in sent if t.dep_ == "ROOT"):
        who = source_of(root, sent, last)
        if who:
            return who
    return None


def has_voice(sent: "Span") -> bool:
    """Whether a sentence has a voice of its own: a verb of saying ('said', 'described', 'denied') or
    'according to'."""
    return any(t.pos_ == "VERB" and lemma(t) in L.REPORT_VERBS | L.SPEECH_VERBS or lemma(t) == "accord"
               for t in sent)


def opens_anew(sent: "Span") -> bool:
    """Whether a sentence turns to another matter or another time before its subject ('Separately,
    ...', 'Meanwhile, ...', 'In March, a crash killed 12'), or sums up what came before ('This brings
    the toll to 6'): it is no longer the account before it."""
    roots = [t for t in sent if t.dep_ == "ROOT"]
    if not roots:
        return False
    subj = [c for c in roots[0].children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if any(s.pos_ == "PRON" and s.lower_ in ("this", "that") for s in subj):
        return True
    opening = sent.doc[sent.start:min([roots[0].i, *(min(x.i for x in s.subtree) for s in subj)])]
    return any(lemma(t) in L.TOPIC_SHIFTS or t.ent_type_ in ("DATE", "TIME") for t in opening)


def quote_speaker(sent: "Span", quoted: "Callable[[Token], bool]", last: dict[str, str]) -> str | None:
    """Who speaks a quotation, as a sentence that holds part of it says outside the marks ('..., he
    said', 'said Ahmed Ali', 'The governor said: "...'); None where it names no one."""
    for t in sent:  # "..., the governor explained" as well as "..., he said"
        if quoted(t) or t.pos_ != "VERB" or lemma(t) not in L.REPORT_VERBS | L.SPEECH_VERBS:
            continue
        subj = [s for s in children(t, "nsubj") if not quoted(s) and not _dateline_word(s, sent)]
        if subj:
            return _subject_name(subj[0], last)
    return None


def _subject_name(s: "Token", last: dict[str, str]) -> str | None:
    """The source a reporting verb's subject names: a pronoun's speaker, a statement's owner, a
    witness named earlier, or the subject's own words."""
    if s.pos_ == "PRON":
        return _pronoun_speaker(s, last)
    if lemma(s) in L.REPORT_NOUNS:  # "a statement from the army said", "the ministry's figures show"
        # "The army issued a statement. The statement said ...": who issued it
        earlier = last.get(f"issued {lemma(s)}") if any(d.lower_ == "the" for d in children(s, "det")) else None
        return _owner(s) or earlier or _name_of(s)
    named = _named_before(s, last)
    return named[1] if named else _name_of(s)


def _pronoun_speaker(s: "Token", last: dict[str, str]) -> str | None:
    """Whom 'he', 'it' or 'they' that reports stands for: the latest speaker of its kind (a person;
    an organisation; a group or an organisation), else the last person or organisation named."""
    if s.lower_ in ("he", "she"):
        return last.get("speaking person") or last.get("person")
    if s.lower_ == "it":
        return last.get("speaking org") or last.get("org")
    if s.lower_ == "they":  # "the Taliban ... they said" as well as "police ... they said"
        latest = [k for k in last if k in ("speaking group", "speaking org")]
        return last[latest[-1]] if latest else last.get("org")
    return last.get("speaking org") or last.get("org")  # "we have confirmed": the body that speaks


def _owner(n: "Token") -> str | None:
    """Whose statement a report noun is: 'the army's', 'from the ministry', 'by X', or a name before
    it ('the Department of Defense statistics')."""
    for c in children(n, "poss"):  # "the army's": its words without the article and the "'s"
        return " ".join(t.text for t in c.subtree if t.dep_ not in ("case", "det")) or None
    for p in children(n, "prep"):
        if lemma(p) in ("from", "by"):
            for o in children(p, "pobj"):
                return _name_of(o)
    for o in (o for v in children(n, "acl") for a in children(v, "agent") for o in children(a, "pobj")):
        return _name_of(o)  # "a statement issued by the ministry"
    if n.dep_ == "dobj":  # "the ministry released a report": who issued it
        issuer = [s for s in children(n.head, "nsubj") if s.pos_ in ("NOUN", "PROPN")]
        if issuer:
            return _name_of(issuer[0])
    ent = next((e for e in n.doc.ents if e.label_ in ("ORG", "PERSON") and e.end <= n.i
                and any(t.head == n and t.dep_ in ("compound", "nmod") for t in e)), None)
    return re.sub(r"^[Tt]he ", "", ent.text) if ent is not None else None


def _statement_of(path: list["Token"]) -> str | None:
    """The owner of a statement whose 'that' clause holds the figure ('confirmation from an official
    that a strike killed two'), also where the parser hangs the clause on the sentence's verb."""
    for a in path:
        mark = next((m for m in children(a, "mark") if m.lower_ == "that"), None)
        if mark is None:
            continue
        if a.dep_ in ("acl", "ccomp") and lemma(a.head) in L.REPORT_NOUNS:
            return _owner(a.head)
        # misattached: the clause begins right after a report noun's phrase
        n = a.doc[mark.i - 1] if mark.i > 0 else None
        while n is not None and lemma(n) not in L.REPORT_NOUNS and n.head != n and n.head.i < mark.i:
            n = n.head
        if n is not None and lemma(n) in L.REPORT_NOUNS and max(t.i for t in n.subtree) == mark.i - 1:
            return _owner(n)
        return None
    return None


def _role_words(e: "Span") -> list["Token"]:
    """What a named person or organisation is called besides its name: 'Eyewitness Rahmatullah',
    'Cook, the Pentagon spokesman', 'a spokesman for ISAF, Bryan Purtell', 'X, a monitoring group'."""
    r = e.root
    words = [c for c in r.children if c.dep_ == "compound" and c.i < r.i and (
        c.i < e.start or c.pos_ == "NOUN" or c.lower_ in L.TITLE_WORDS)]  # not "Karim" of "Karim Ahmadi"
    words += [c for c in r.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
    if r.dep_ == "appos" and r.head.pos_ == "NOUN":
        words.append(r.head)
    return words


def _named_before(s: "Token", last: dict[str, str]) -> tuple[str, str] | None:
    """'The witness said' for a witness named earlier ('Eyewitness Rahmatullah told reporters'): the
    last one named with that word, as (kind, name). Only a definite singular noun with no name of
    its own ('a witness' is another one)."""
    if s.pos_ != "NOUN" or s.tag_ != "NN" or s.ent_type_ or not any(c.lower_ == "the" for c in children(s, "det")):
        return None
    if any(c.dep_ in ("appos", "poss", "compound") and c.pos_ == "PROPN" for c in s.children):
        return None
    word = lemma(s)
    for key in reversed(list(last)):  # "called person eyewitness": the latest first
        if key.startswith("called "):
            _, kind, role = key.split(" ", 2)
            if role == word or len(word) >= 5 and role.endswith(word):
                return kind, last[key]
    return None


def _phrase_before(verb: "Token") -> str | None:
    """The named entity that ends right before a subjectless reporting verb."""
    doc = verb.doc
    ent = next((e for e in doc.ents if e.end == verb.i and e.label_ in ("PERSON", "ORG", "GPE", "NORP")), None)
    if ent is None:
        return None
    return re.sub(r"^(?:[Tt]he) ", "", ent.text)


def remember_speakers(sent: "Span", last: dict[str, str]) -> None:
    """The names a later 'he said', 'it said', 'they said', 'the witness said' or 'the statement said'
    may stand for: the last person and organisation named (not the one told, 'told VOA'), the last
    speaker of each kind, named or not ('police said': a group; a pronoun that reports more often
    continues a speaker than names the person last mentioned, often a victim), the last named with
    each title or description ('called person witness'), and who issued each kind of statement."""
    named_subjects: set[int] = set()
    for e in sent.ents:
        kind = "person" if e.label_ == "PERSON" else "org" if e.label_ == "ORG" else None
        if kind is None or _addressee(e.root):
            continue
        _put(last, kind, re.sub(r"^[Tt]he ", "", e.text))
        words = _role_words(e)
        name = [t for t in e if t not in words and t.dep_ != "det"]  # "Karim Ahmadi" of "Eyewitness Karim Ahmadi"
        for word in {lemma(w) for w in words} if name else ():
            last.pop(f"called {kind} {word}", None)  # re-inserted: the latest is found first
            last[f"called {kind} {word}"] = e.doc[name[0].i:e.end].text
        # "Purtell said", "A spokesman for ISAF, Bryan Purtell, said": in the reporting verb's subject
        t = e.root
        while t.dep_ in ("appos", "pobj", "prep", "compound", "conj") and t.head != t:
            t = t.head
        if t.dep_ == "nsubj" and _speaks(t.head) or \
                any(lemma(t) == "accord" for t in sent[max(0, e.start - 3):e.start]):
            _put(last, f"speaking {kind}", re.sub(r"^[Tt]he ", "", e.text))
            if kind == "person":
                named_subjects.add(t.i)
    for t in sent:  # "The witness said ...", "Police said ...": who speaks now, named or not
        if t.dep_ != "nsubj" or not _speaks(t.head) \
                or t.pos_ not in ("NOUN", "PROPN") or t.i in named_subjects:  # "a spokesman, Ali Noor, said"
            continue
        named = _named_before(t, last)
        if named:
            _put(last, f"speaking {named[0]}", named[1])
        elif t.ent_type_ not in ("PERSON", "ORG") and not _place(t) and not _dateline_word(t, sent):
            _put(last, f"speaking {_speaker_kind(t)}", _subject_name(t, last) or t.text)
    for t in sent:  # "The army issued a statement": whose statement a later "the statement" is
        if lemma(t) not in L.REPORT_NOUNS or children(t, "poss"):
            continue
        issuer = _owner(t) if t.dep_ == "dobj" else None
        if t.dep_ == "pobj" and lemma(t.head) == "in" and lemma(t.head.head) in L.REPORT_VERBS:
            subj = children(t.head.head, "nsubj")  # "the ministry said in a statement"
            issuer = _subject_name(subj[0], last) if subj else None
        if issuer:
            _put(last, f"issued {lemma(t)}", issuer)


def _speaks(verb: "Token") -> bool:
    """A verb of saying, or one that gives a statement or a toll ('issued a statement', 'gave a
    higher toll'): its subject is a speaker."""
    return lemma(verb) in L.REPORT_VERBS | L.SPEECH_VERBS or verb.pos_ == "VERB" and any(
        lemma(o) in L.REPORT_NOUNS | L.TOLL_NOUNS for o in children(verb, "dobj"))


def _put(last: dict[str, str], key: str, name: str) -> None:
    # moved to the end: which of two kinds spoke last is read from the order ("they" in _pronoun_speaker)
    last.pop(key, None)
    last[key] = name


def _speaker_kind(t: "Token") -> str:
    """What pronoun would continue an unnamed speaker: 'he' a person ('a police officer'), 'they' a
    group ('police', 'residents'), 'it' an organisation ('the ministry', 'the army')."""
    if t.tag_ in ("NNS", "NNPS") or t.morph.get("Number") == ["Plur"]:
        return "group"
    return "person" if person_noun(t) else "org"


def _addressee(t: "Token") -> bool:
    """The one told, not a speaker: 'told VOA', 'said to Reuters'."""
    while t.dep_ == "compound" and t.head != t:
        t = t.head
    if t.dep_ in ("dobj", "dative") and lemma(t.head) in L.REPORT_VERBS:
        return True
    return t.dep_ == "pobj" and lemma(t.head) == "to" and lemma(t.head.head) in L.REPORT_VERBS


def _place(t: "Token") -> bool:
    # a proper noun the tagger calls a nationality, where a place stands, is a place misread ("in Aleppo")
    return t.ent_type_ in ("GPE", "LOC", "FAC") or t.ent_type_ == "NORP" and t.tag_ == "NNP"


def location_of(pred: "Token", sent: "Span") -> str | None:
    """A named place the clause puts the event in ('in Aleppo', 'near the border town of X')."""
    for scope in (list(pred.subtree), list(sent)):
        for t in scope:
            if t.dep_ != "pobj" or t.head.lemma_ not in ("in", "near", "at", "outside", "on", "across", "around"):
                continue
            place = t
            if not t.ent_type_ and t.head.lemma_ in ("in", "near", "at", "outside"):
                # "in Syria's second city of Aleppo", "near the border town of Elbe": the named place
                place = next((o for p in t.children if p.dep_ == "prep" and p.lemma_ == "of"
                              for o in p.children if o.dep_ == "pobj"), t)
                named = place is not t and lemma(t) in L.PLACE_NOUNS and place.pos_ == "PROPN"
            else:
                named = False
            if _place(place) or named:
                ent = next((e for e in sent.ents if e.start <= place.i < e.end), None)
                if ent is not None:
                    return ent.text
            if not t.ent_type_ and lemma(t) in L.PLACE_NOUNS:
                # "in Somalia's central Hiran region", "in Kandahar province": the name and its noun
                name = next((c for c in t.children if c.dep_ == "compound" and _place(c)), None)
                if name is not None:
                    return sent.doc[name.i:t.i + 1].text
    return None


def perpetrator_of(pred: "Token", victim: "Token") -> str | None:
    """Who did it, as the clause says: the subject of an active 'kill'/'wound' ('Gunmen killed 12'),
    the agent of a passive one ('killed by a roadside bomb'), the subject of 'left N dead'."""
    v = pred
    while v.dep_ in ("conj", "oprd", "acomp", "xcomp", "amod") and v.head != v and v.pos_ != "NOUN":
        if children(v, "nsubj", "nsubjpass", "agent"):
            break
        v = v.head  # "... and wounded 30", "left 5 dead": the verb whose subject did it
    if v.pos_ not in ("VERB", "AUX"):
        return None
    doers = [o for a in children(v, "agent") for o in children(a, "pobj")] if passive(v) else \
        [s for s in children(v, "nsubj") if s is not victim and lemma(v) not in L.DIE_VERBS]
    # a person or a group, not the means ("a roadside bomb", "the attack", "an airstrike")
    doers = [d for d in doers if d.pos_ in ("NOUN", "PROPN") and d not in victim.subtree and (
        d.ent_type_ in ("PERSON", "ORG", "NORP") or person_noun(d) or lemma(d).endswith(("er", "or"))
        or lemma(d) in L.FORCE_WORDS or lemma(d) in L.ARMED_GROUP_WORDS or d.lower_ in L.ARMED_GROUP_WORDS)]
    if not doers:
        return None
    name = _name_of(doers[0])
    return name if len(name) <= 80 else None
