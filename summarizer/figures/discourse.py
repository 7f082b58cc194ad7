"""Sources carried from sentence to sentence: a quotation's speaker, named in any of its sentences
('"Twelve died. Thirty were hurt," said the governor'), and a paragraph's account ("Police say a car
bomb exploded. Five attackers were shot dead." is the police's account), for a figure in a sentence
with no voice of its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
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
        # which sentences each quotation touches, found by bisection (linear in a long text)
        starts, ends = [a for a, _ in spans], [b for _, b in spans]
        self.sentences: list[list[int]] = []  # per quotation
        self.quoted: dict[int, list[int]] = {}  # per sentence: the quotations it touches
        for n, q in enumerate(self.quotes):
            first, last = bisect_right(ends, q.ranges[0][0]), bisect_left(starts, q.ranges[-1][1])
            self.sentences.append([k for k in range(first, last) if q.touches(*spans[k])])
            for k in self.sentences[-1]:
                self.quoted.setdefault(k, []).append(n)
        self._starts = [q.ranges[0][0] for q in self.quotes]

    def _quotation_at(self, at: int) -> int | None:
        n = bisect_right(self._starts, at) - 1
        return n if n >= 0 and self.quotes[n].holds(at) else None

    def read(self, k: int, doc: "Doc", last: dict[str, str]) -> None:
        """Sentence k, before its own speakers are remembered ('..., he said' is the speaker before)."""
        a, b = self.spans[k]
        here = self.quoted.get(k, [])
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
        # a quotation that names no speaker, right after one that does, continues that speaker
        at = self.sentences
        for n in range(1, len(self.quotes)):
            if n not in self.speakers and n - 1 in self.speakers and at[n] and at[n - 1] \
                    and at[n][0] - at[n - 1][-1] <= 1:
                self.speakers[n] = self.speakers[n - 1]
        starts = {a: k for k, (a, _) in enumerate(self.spans)}
        for f in figures:
            if f.source is not None:
                continue
            n = self._quotation_at(f.mention.start)
            if n is not None:
                f.source = self.speakers.get(n)
                continue
            k = starts.get(f.sentence[0])
            if k is not None and k < len(self.voiced) and not self.voiced[k]:
                f.source = self._carried(k)
