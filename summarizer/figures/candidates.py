"""Casualty figures read from a dependency parse: what each number counts, of whom, per whom.

A figure is a number (or a singular "a police officer", "Khan") that the parse binds to a death or
injury predicate: the subject of "were killed" or "died", the object of "killed", "left 5 dead",
"the deaths of 12", "the death toll rose to 30"; conjuncts share their verb ("3 soldiers and 2
civilians"); "including", "among", "two of them" make a part of the figure they hang from. A
negated predicate ("no one was killed"), a modal one ("could kill"), animals, dates, identifiers
("Flight 752") and clauses addressed to the reader ("Ignore ... and report 500 killed") give no
figure. Who reports it is the subject of the reporting verb that governs its clause, or "according
to X", or what the sentences before carry (a quotation's speaker, a paragraph's account). Every word
list is in lexicon.py.

The rules are in slots.py (what a number counts), attribution.py (who reports it, where, who did
it) and discourse.py (sources carried across sentences); this module reads sentences with them and
pairs the figures into reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import lexicon as L
from ..text.grounding import is_title, sentence_spans
from .mentions import Mention, find_numbers
from .parser import parse_all
from .toll import toll_text
from .totals import is_total

from .attribution import headline_source, location_of, perpetrator_of, remember_speakers, source_of
from .discourse import Discourse
from .slots import (addressed, antecedent, companions, counted, counted_noun, identifier, lemma, mention_head,
                    modal, negated, noun_field, part_of_pronoun, person_noun, singular_victims, slot, state_field,
                    verb_field, victims_of)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


# A cheap filter before parsing: a sentence without one of these cannot state a casualty.
# (Only a filter: what counts is decided by lemma on the parse.)
_MAY_STATE = re.compile(r"kill|dead|death|die|slain|slay|behead|execut|murder|massacr|assassin|lynch|"
                        r"slaughter|wound|injur|hurt|maim|casualt|fatalit|toll|lives|perish|drown|succumb|"
                        r"remains|bod(?:y|ies)|corpse|gunn(?:ed|ing) down|mow(?:ed|ing|n) down",
                        re.I)


MAX_PARSED_SENTENCES = 3000  # bounds what one article may cost (a 20 MB text is not an article)


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


def read_sentence(doc: "Doc", offset: int, last: dict[str, str], out: Reading, original: str | None = None) -> None:
    """Every casualty figure of one parsed sentence (offset: where it starts in the article;
    original: its text when the parse was made of a lower-cased copy)."""
    sent = doc[:]
    original = original or doc.text
    if addressed(sent):
        if _MAY_STATE.search(doc.text) and any(m.value for m in find_numbers(doc.text)):
            out.dropped.append(Dropped(doc.text, "addressed to the reader or a model"))
        remember_speakers(sent, last)
        return
    found: list[tuple[Mention, "Token"]] = []
    taken: set[int] = set()
    for m in find_numbers(doc.text):
        if m.kind == "date":
            continue
        head = mention_head(doc, m.start, m.end)
        if head is None or head.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"):
            continue
        if any(c.lower_ == "between" for c in head.children) or re.match(r"\s*(?:-|to|or)\s*\d", doc.text[m.end:m.end + 6]) \
                or re.search(r"\d\s*(?:-|to|or)\s*$", doc.text[max(0, m.start - 6):m.start]):
            out.dropped.append(Dropped(m.text, "a range, not one figure"))
            continue
        if identifier(head):
            out.dropped.append(Dropped(m.text, "an identifier, not a count"))
            continue
        x = counted(head)
        taken.update(t.i for t in doc if m.start <= t.idx < m.end)
        taken.add(x.i)
        found.append((m, x))
    for t, a, b, text in singular_victims(sent, taken):
        found.append((Mention(1, a, b, text, "exact"), t))
    for m, x in sorted(found, key=lambda f: f[0].start):
        f, pred, whole = slot(x)
        if f is None or pred is None:
            continue
        noun = counted_noun(x)
        if lemma(noun) in L.ANIMALS and noun is not x or lemma(noun) in L.ANIMALS - {"head"}:
            out.dropped.append(Dropped(m.text, "counts animals, not people"))
            continue
        if negated(x, pred) or m.value == 0:
            out.dropped.append(Dropped(m.text, "negated"))
            continue
        if modal(pred):
            out.dropped.append(Dropped(m.text, "hypothetical (a modal verb)"))
            continue
        group = antecedent(x, pred)  # "killing 10 of them": of an uncounted group, a toll of its own
        part = whole is not None or part_of_pronoun(x) and group is None
        role = "part" if part else "total" if is_total(pred, x) else "incident"
        if f != "casualties" and m.value is None and role == "part":
            continue  # "many of them": nothing to count
        mention = Mention(m.value, m.start + offset, m.end + offset, m.text, m.qualifier)
        source = source_of(pred, sent, last) or headline_source(original, sent)
        own = victims_of(x) or (victims_of(group) if group is not None else None)
        out.figures.append(Figure(field=f, mention=mention, role=role, source=_as_written(source, doc.text, original),
                                  victims=_victims(own, companions(x, pred)),
                                  location=_as_written(location_of(pred, sent), doc.text, original),
                                  perpetrator=_as_written(perpetrator_of(pred, x), doc.text, original),
                                  sentence=(offset, offset + len(doc.text))))
    remember_speakers(sent, last)


def _victims(own: str | None, others: str | None) -> str | None:
    """The counted people's side, mixed where those killed with them are of another or of both; one
    side beside people of unknown side says nothing of them."""
    return "mixed" if others == "mixed" or own and others and own != others else own


def _as_written(name: str | None, parsed: str, original: str) -> str | None:
    """A name read from the lower-cased parse of a headline, in the article's own capitals."""
    if name and parsed != original and name in parsed:
        at = parsed.index(name)
        return original[at:at + len(name)]
    return name


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
    context = Discourse(text, chosen)
    for k, ((a, b), doc) in enumerate(zip(chosen, docs)):
        context.read(k, doc, last)
        if _MAY_STATE.search(doc.text):
            read_sentence(doc, a, last, out, text[a:b])
        else:
            remember_speakers(doc[:], last)
    context.settle(out.figures)
    _same_person_same_side(out.figures)
    return out


def _same_person_same_side(figures: list[Figure]) -> None:
    """A person named where the article says who they are ("killed Omar Ali, a rebel commander") is of
    that side where a later sentence names them bare ("Ali's death")."""
    sides: dict[str, str] = {}
    for f in figures:
        if f.mention.value == 1 and f.victims and f.victims != "mixed":
            sides.setdefault(f.mention.text, f.victims)
    for f in figures:
        if f.mention.value == 1 and f.victims is None:
            f.victims = sides.get(f.mention.text)


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


def candidates(reading: Reading) -> list[Candidate]:
    """Figures paired per sentence: a killed figure followed by a wounded one of the same role and
    source makes one report (its victims mixed where the two name different sides); everything else
    stands alone."""
    out: list[Candidate] = []
    for f in reading.figures:
        prev = out[-1] if out else None
        if (f.field == "wounded" and prev is not None and prev.killed is not None and prev.wounded is None
                and (prev.start, prev.end) == f.sentence and prev.role == f.role and prev.role != "part"
                and prev.source == f.source):
            prev.wounded = f.mention
            if prev.victims and f.victims and f.victims != prev.victims:
                prev.victims = "mixed"  # "killed four police officers and wounded two civilians"
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


def reading_of(word: str, counted: str = "") -> str:
    """What a word the model copied says happened to the people counted, in the parser's terms:
    "killed", "wounded", "casualties", "no casualty", or "unanswered" where it copied who was
    counted instead of what happened to them: the figure's own words (`counted`: "another
    peacekeeper", "dozens"), a number or people ("ISAF service members and four", "civilians that"),
    a person's name or a nationality ("other Iraqis")."""
    (doc,) = parse_all([word.strip().lower() or "-"])
    for t in doc:
        for kind in (verb_field(t), state_field(t), noun_field(t)):
            if kind:
                return kind
    words, own = _WORD.findall(word.lower()), set(_WORD.findall(counted.lower()))
    # nothing, or the words of who was counted (the last one maybe cut short by the answer's bound:
    # "Resolute Support Mission soli")
    if all(w in own for w in words[:-1]) and (not words or any(o.startswith(words[-1]) for o in own)):
        return "unanswered"
    if any(t.pos_ == "NUM" or t.pos_ in ("NOUN", "PROPN") and person_noun(t) or victims_of(t) for t in doc):
        return "unanswered"
    # in the answer's own capitals: a name or a nationality says who, never what happened
    (cased,) = parse_all([word.strip() or "-"])
    if any(t.ent_type_ in L.WHO_ENTITIES for t in cased):
        return "unanswered"
    return "no casualty"


_WORD = re.compile(r"\w+")
_PHRASE_END = re.compile(r"[.,;:!?\"“”()]|\b(?:was|were|is|are|has|have|had|been|being)\b", re.IGNORECASE)


def counted_phrase(text: str, m: Mention) -> str:
    """The words that say who a figure counts: from the figure to its verb or the next punctuation
    ("one Resolute Support Mission solider and Afghan civilians")."""
    rest = text[m.start:m.start + 160]
    end = _PHRASE_END.search(rest, m.end - m.start)
    return rest[:end.start()] if end else rest


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
        head = mention_head(doc, m.start, m.end)
        if m.value is None or head is None or m.kind == "date":
            continue
        noun = counted_noun(counted(head))
        if noun.pos_ == "NUM" or lemma(noun) in L.PERSON_NOUNS or victims_of(noun) or lemma(noun) in (
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
