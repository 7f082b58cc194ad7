"""Sources carried from sentence to sentence: a quotation's speaker, named in any of its sentences
('"Twelve died. Thirty were hurt," said the governor'), and a paragraph's account ("Police say a car
bomb exploded. Five attackers were shot dead." is the police's account), for a figure in a sentence
with no voice of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .attribution import account_of, has_voice, opens_anew, quote_speaker
from .quotes import quotations

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Discourse:
    """What one article's sentences, read in order, carry to each other."""

    def __init__(self, text: str, spans: list[tuple[int, int]]):
        self.text, self.spans = text, spans
        self.quotes = quotations(text)
        self.speakers: dict[int, str] = {}  # quotation index: its speaker
        self.voiced: list[bool] = []  # per sentence: a voice of its own (a reporting verb, a quotation)
        self.account: list[str | None] = []  # per sentence: whose account it gives on to the next

    def read(self, k: int, doc: "Doc", last: dict[str, str]) -> None:
        """Sentence k, before its own speakers are remembered ('..., he said' is the speaker before)."""
        a, b = self.spans[k]
        here = [n for n, q in enumerate(self.quotes) if q.touches(a, b)]
        if here:
            who = quote_speaker(doc[:], lambda t: any(self.quotes[n].holds(a + t.idx) for n in here), last)
            for n in here if who else ():
                self.speakers.setdefault(n, who)
        voiced = bool(here) or has_voice(doc[:]) or opens_anew(doc[:])
        # a quotation is its speaker's own words: the narration after it is the article's again
        own = account_of(doc[:], last) if voiced and not here else None
        self.voiced.append(voiced)
        self.account.append(own if voiced else self._carried(k))

    def _carried(self, k: int) -> str | None:
        """The account the sentence before gives on, within one paragraph."""
        if k == 0 or "\n" in self.text[self.spans[k - 1][1]:self.spans[k][0]]:
            return None
        return self.account[k - 1]

    def settle(self, figures: list[Any]) -> None:
        """Give each figure with no source of its own the one its quotation or paragraph carries
        (figures: anything with .source, .mention.start and .sentence)."""
        def sentences_of(n: int) -> list[int]:
            return [k for k, (a, b) in enumerate(self.spans) if self.quotes[n].touches(a, b)]

        # a quotation that names no speaker, right after one that does, continues that speaker
        for n in range(1, len(self.quotes)):
            if n not in self.speakers and n - 1 in self.speakers and sentences_of(n) and sentences_of(n - 1) \
                    and sentences_of(n)[0] - sentences_of(n - 1)[-1] <= 1:
                self.speakers[n] = self.speakers[n - 1]
        starts = {a: k for k, (a, _) in enumerate(self.spans)}
        for f in figures:
            if f.source is not None:
                continue
            n = next((n for n, q in enumerate(self.quotes) if q.holds(f.mention.start)), None)
            if n is not None:
                f.source = self.speakers.get(n)
                continue
            k = starts.get(f.sentence[0])
            if k is not None and k < len(self.voiced) and not self.voiced[k]:
                f.source = self._carried(k)
