"""Locate the model's quotes in the article: exact, then folded (case, space, quote marks), then fuzzy.

The offsets are always computed here, never taken from the model, and the stored quote is the
article's own text at those offsets, so what the reader sees is verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import sentencex
from rapidfuzz import fuzz

from .injection import injected_spans
from ..models.brief import Evidence

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " ",
})
_STRIP = " \t\n\"'\u201c\u201d\u2018\u2019.,;:\u2026"
def is_title(line: str) -> bool:
    """A headline in title case ("Al-Shabab Attacks African Union Base"), where capitals say nothing."""
    words = [w for w in line.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.7


_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")  # a line with something on it
FUZZY_MIN_SCORE = 90.0
MIN_QUOTE_CHARS = 8


@dataclass
class FoldedText:
    """The article folded for matching, with a map from folded positions to original ones."""

    text: str
    folded: str
    index: list[int]  # index[i] = position in `text` of folded[i]

    @classmethod
    def of(cls, text: str) -> "FoldedText":
        out: list[str] = []
        index: list[int] = []
        prev_space = True
        for i, ch in enumerate(text):
            ch = ch.translate(_FOLD)
            if ch.isspace():
                if prev_space:
                    continue
                ch, prev_space = " ", True
            else:
                prev_space = False
            # casefold may lengthen a character ("ß" -> "ss"); every piece maps to the same origin.
            for piece in ch.casefold():
                out.append(piece)
                index.append(i)
        return cls(text, "".join(out), index)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of folded[start:end]."""
        return self.index[start], self.index[end - 1] + 1


def fold(s: str) -> str:
    return FoldedText.of(s).folded.strip()


_METADATA_LINE = re.compile(r"\s*(?:source|published):", re.I)


def is_metadata(line: str) -> bool:
    """A line naming the article's source or date ("source: https://..."), not its text."""
    return bool(_METADATA_LINE.match(line))


def headline_span(text: str) -> tuple[int, int] | None:
    """Where the article's first line of words is (its headline, when it has one); lines naming its
    source or date are passed over."""
    at = 0
    for line in text.splitlines(keepends=True):
        words = line.strip()
        if words and not _METADATA_LINE.match(line):
            start = at + line.index(words)
            return start, start + len(words)
        at += len(line)
    return None


def stated_headline(text: str) -> str | None:
    """The article's own headline: its first line of words when more text follows and the line
    reads as a title (3 to 25 words, not closed by a full stop or a comma, as a first sentence is)."""
    span = headline_span(text)
    if span is None or not text[span[1]:].strip():
        return None
    line = text[span[0]:span[1]]
    return line if 3 <= len(line.split()) <= 25 and not line.endswith((".", ",", ";", ":")) else None


def headline_of(text: str) -> str | None:
    """The article's headline (see headline_span), cut to 150 characters, for context."""
    span = headline_span(text)
    return text[span[0]:span[1]][:150] if span else None


def name_key(name: str | None) -> str:
    """A name as compared with others: case, quote marks, punctuation, articles and possessives
    folded away ("the U.S.'s" -> "us")."""
    k = fold(name or "")
    k = re.sub(r"'s\b", "", k)
    k = re.sub(r"[^\w\s]", lambda m: " " if m.group() in "-/" else "", k)
    k = " ".join(k.split())
    return re.sub(r"^(the|a|an) ", "", k)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, surrounding whitespace left out.

    A line break always ends a sentence (headlines, datelines and bylines stand on lines of their
    own); within a line, sentencex finds the boundaries (abbreviations like "U.S." and "Gen." and
    quoted speech handled), about fifty times faster than the pure-Python pysbd it replaced.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):  # \n, \r\n and a bare \r all end a line
        offset = line.start()
        for part in sentencex.get_sentence_boundaries("en", line.group()):
            a, b = offset + part["start_index"], offset + part["end_index"]
            while b > a and text[b - 1].isspace():
                b -= 1
            while a < b and text[a].isspace():
                a += 1
            if b > a:
                spans.append((a, b))
    return spans


class Grounder:
    """Grounds quotes against one article; build once per article."""

    def __init__(self, text: str):
        self.text = text
        self.folded = FoldedText.of(text)

    def locate(self, quote: str) -> Evidence | None:
        q = quote.strip(_STRIP)
        if len(q) < MIN_QUOTE_CHARS:
            return None
        pos = self.text.find(q)
        if pos >= 0:
            return Evidence(quote=q, start=pos, end=pos + len(q), match="exact")
        fq = fold(q).strip(_STRIP)
        pos = self.folded.folded.find(fq)
        if pos >= 0:
            return self._evidence(pos, pos + len(fq), "normalized")
        return self._fuzzy(fq)

    def _fuzzy(self, fq: str) -> Evidence | None:
        hay = self.folded.folded
        if len(fq) > len(hay):
            return None
        res = fuzz.partial_ratio_alignment(fq, hay, score_cutoff=FUZZY_MIN_SCORE)
        if res is None:
            return None
        start, end = _snap_to_words(hay, res.dest_start, res.dest_end)
        if end - start < 0.8 * len(fq):
            return None
        return self._evidence(start, end, "fuzzy")

    def _evidence(self, fstart: int, fend: int, how: str) -> Evidence:
        start, end = self.folded.span(fstart, fend)
        return Evidence(quote=self.text[start:end], start=start, end=end, match=how)

    def locate_name(self, name: str) -> Evidence | None:
        """Evidence for a named item: the sentence where the name first appears (whole words)."""
        q = name.strip(_STRIP)
        if len(q) < 2:
            return None
        # the first whole-word match outside the lines naming the article's source and date (a URL
        # holds names too: "source: .../al-shabab-attacks-african-union-base")
        m = next((m for m in re.finditer(r"(?<!\w)" + re.escape(fold(q)) + r"(?!\w)", self.folded.folded)
                  if not self._metadata(self.folded.span(m.start(), m.end())[0])), None)
        if m:
            start, end = self.folded.span(m.start(), m.end())
            how = "exact" if self.text[start:end] == q else "normalized"
        else:
            ev = self._fuzzy(fold(q)) if len(q) >= MIN_QUOTE_CHARS else None
            if ev is None:
                return None
            start, end, how = ev.start, ev.end, "fuzzy"
        return self.sentence_evidence(Evidence(quote=self.text[start:end], start=start, end=end, match=how))

    def _metadata(self, at: int) -> bool:
        line = self.text.rfind("\n", 0, at) + 1
        return bool(_METADATA_LINE.match(self.text, line))

    @cached_property
    def sentence_spans(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    @cached_property
    def injected_spans(self) -> list[tuple[int, int]]:
        """Sentences that address the model (injection.py), found once per article."""
        return injected_spans(self.text, self.sentence_spans)

    def sentence_evidence(self, ev: Evidence) -> Evidence:
        """The sentence(s) holding the evidence, as evidence: the context a figure is checked in."""
        assert ev.start is not None and ev.end is not None
        start, end = ev.start, ev.end
        for a, b in self.sentence_spans:
            if a <= ev.start < b:
                start = min(start, a)
            if a < ev.end <= b:
                end = max(end, b)
        return Evidence(quote=self.text[start:end], start=start, end=end, match=ev.match)


def _snap_to_words(s: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and s[start - 1].isalnum() and s[start].isalnum():
        start -= 1
    while end < len(s) and s[end - 1].isalnum() and s[end].isalnum():
        end += 1
    while start < end and s[start] == " ":
        start += 1
    while end > start and s[end - 1] == " ":
        end -= 1
    return start, end
