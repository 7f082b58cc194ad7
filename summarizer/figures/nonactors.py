"""Names that are no actors of an article, judged from the parse of every sentence naming them.

A place is an actor only where the text makes it act: the subject or agent of a verb or a possessor
("Russia said", "Iran's jets", "attacked by Moscow"), a source ("according to Kabul"). A name that
never acts and stands somewhere as a place ("in Idlib", "the town of Elbe", "the Galmudug region")
is not an actor, whatever the tagger called it. Nor is a fragment of a title-case headline
("Peacekeepers Killed"), nor a text, law or event ("Qur'an", "the Geneva Conventions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import lexicon as L
from .parser import parse_all
from .slots import lemma, person_noun
from ..text.dateline import dateline_place
from ..text.grounding import FoldedText, fold, is_metadata, is_title, name_key

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

ACT, PLACE, OTHER = "acts", "place", "other"
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "agent")
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_WORK_LABELS = ("WORK_OF_ART", "LAW", "EVENT")
# people who speak for what they belong to: "a spokesman for X said" is X speaking
_PEOPLE = L.PERSON_NOUNS | L.TITLE_WORDS | L.COMBATANT_NOUNS | L.SPEAKER_NOUNS


def _in_clause(tok: "Token") -> str:
    """ACT, PLACE or OTHER by the place of `tok` in its clause."""
    dep, head = tok.dep_, tok.head
    if dep == "poss":  # "Iran's jets"; "Somalia's central region" is a place
        return PLACE if lemma(head) in L.WHERE_NOUNS else ACT
    if dep in _SUBJECTS:
        return ACT
    if dep != "pobj":
        return OTHER
    prep, owner = lemma(head), head.head
    if prep == "by" or head.dep_ == "agent" or (prep == "to" and lemma(owner) == "accord") \
            or lemma(owner) in L.REPORT_NOUNS or (prep == "from" and owner.pos_ in ("NOUN", "PROPN")):
        return ACT  # "attacked by", "according to", "a statement from"; "a team from X" is X's team
    if prep in L.LOCATIVE_PREPS or (prep == "of" and lemma(owner) in L.WHERE_NOUNS):
        return PLACE
    return OTHER


def role(span: "Span") -> str:
    """What one mention of a name does in its sentence: ACT, PLACE or OTHER."""
    tok, via = span.root, False
    while tok.head is not tok:
        dep, head = tok.dep_, tok.head
        if dep in ("conj", "appos"):  # "Aleppo, Deir Ezzor and Idlib": as the first of the list
            if dep == "appos" and lemma(head) in L.WHERE_NOUNS:
                return PLACE
            tok = head
        elif dep == "compound" and head.pos_ in ("NOUN", "PROPN"):
            if lemma(head) in L.WHERE_NOUNS:
                return PLACE  # "the Galmudug region", "Gedo governor"
            tok, via = head, True  # "U.S. officials said": acts through its officials
        elif (dep == "pobj" and lemma(head) in ("of", "for", "from", "at", "in", "with")
              and lemma(head.head) not in L.WHERE_NOUNS  # "the mayor of Bulobarde": a place
              and (lemma(head.head) in _PEOPLE or person_noun(head.head))):
            tok, via = head.head, True  # "a spokesman for the ministry said"
        else:
            break
    found = _in_clause(tok)
    if via:  # a modifier of what acts acts with it; of a noun that is somewhere, it is not the place
        return ACT if found == ACT else OTHER
    root = span.root
    if root.pos_ == "NOUN" and not root.ent_type_ and lemma(root) not in L.WHERE_NOUNS:
        return OTHER if found == PLACE else found  # a kind of actor ("the African-led force"), no place
    if found == OTHER and root.ent_type_ in _PLACE_LABELS:
        return PLACE  # "Russia warned Turkey": named as a place and not acting
    return found


class Article:
    """The parsed sentences of an article, folded once for finding names in them."""

    def __init__(self, docs: list["Doc"]):
        docs = [d for d in docs if not is_metadata(d.text)]  # a URL holds names too
        self.body = [(d, FoldedText.of(d.text)) for d in docs if not is_title(d.text)]
        self.titles = [(d, FoldedText.of(d.text)) for d in docs if is_title(d.text)]
        # the article's common words (in lower case, with their lemmas: "failed", "fail") and the
        # words it capitalises inside a sentence (names)
        self.common = {w for d, _ in self.body for t in d if t.text[:1].islower()
                       for w in (t.lower_, t.lemma_.lower())}
        self.names = {t.text for d, _ in self.body for t in d[1:] if t.text[:1].isupper()}

    @classmethod
    def of(cls, text: str, spans: list[tuple[int, int]], limit: int = 400) -> "Article":
        return cls(parse_all([text[a:b] for a, b in spans[:limit]]))

    def mentions(self, name: str, titles: bool = False) -> list["Span"]:
        key = re.sub(r"^the ", "", fold(name))
        if len(key) < 2:
            return []
        rx = re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")
        out = []
        for doc, f in self.titles if titles else self.body:
            for m in rx.finditer(f.folded):
                span = doc.char_span(*f.span(m.start(), m.end()), alignment_mode="expand")
                if span is not None and len(span):
                    out.append(span)
        return out

    def sentence_case(self, doc: "Doc") -> str:
        """A title-case line as a sentence: capitals kept on the first word, acronyms and the names
        of the body, a word it writes in lower case excepted ("Thai PM says police fail ...")."""
        chars = list(doc.text)
        for t in doc[1:]:
            w = t.text
            if w[:1].isupper() and not w.isupper() and (w not in self.names or t.lower_ in self.common):
                chars[t.idx] = w[0].lower() if len(w[0].lower()) == 1 else w[0]
        return "".join(chars)

    def headline_fragment(self, name: str) -> bool:
        """A name read off a title-case headline only, holding a verb there ("Police Fail")."""
        for span in self.mentions(name, titles=True):
            cased = parse_all([self.sentence_case(span.doc)])[0]
            again = cased.char_span(span.start_char, span.end_char, alignment_mode="expand")
            # not a gerund: a name may end in -ing ("Boeing", "Beijing"); a headline's verb does not
            if again is not None and any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in again):
                return True
        return False

    def why_not_actor(self, name: str) -> str | None:
        """Why `name` is no actor here; None where it may be one (or the parse cannot tell)."""
        if name_key(name) in L.SCRIPTURES:
            return "a scripture, not an actor"
        found = self.mentions(name)
        if not found:
            return "a fragment of a title-case headline" if self.headline_fragment(name) else None
        if all(s.root.ent_type_ in _WORK_LABELS for s in found):
            return "a work, law or event, not an actor"
        if all(_portfolio(s) for s in found):
            return "a portfolio ('Defence' of 'Defence Minister', 'the defence ministry'), not an actor"
        if all(_in_dateline(s) for s in found):
            return "the dateline's place, not an actor"
        roles = [role(s) for s in found]
        if PLACE in roles and ACT not in roles:
            return "a place: named where something happened, never acting"
        return None


def _portfolio(span: "Span") -> bool:
    return len(span) == 1 and span.root.lower_ in L.PORTFOLIO_WORDS and span.root.dep_ == "compound" \
        and lemma(span.root.head) in L.TITLE_WORDS | L.OFFICE_NOUNS


def _in_dateline(span: "Span") -> bool:
    where = dateline_place(span.doc.text)
    return where is not None and where[0] <= span.start_char and span.end_char <= where[1]


def not_actors(article: Article, names: Iterable[str]) -> dict[str, str]:
    """The names of `names` that are no actors of the article, with the reason."""
    return {n: why for n in names if (why := article.why_not_actor(n))}
