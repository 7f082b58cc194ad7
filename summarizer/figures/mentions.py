"""Numbers as an article writes them: digits, number words, "two dozen", "a hundred", vague amounts
("dozens"), with the qualifier before them ("at least") and dates marked.

What a number counts is read from the parse (slots.py), not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

VAGUE = {
    "several": "at least", "dozens": "at least", "scores": "at least", "hundreds": "at least",
    "thousands": "at least", "many": "unknown", "numerous": "unknown", "some": "unknown",
    "a number of": "unknown", "a large number of": "unknown", "a handful of": "unknown",
}
QUALIFIERS = [
    ("at least", ("at least", "a minimum of", "no fewer than", "no less than")),
    ("more than", ("more than", "over", "upwards of", "in excess of", "above")),
    ("about", ("about", "around", "approximately", "nearly", "almost", "some", "roughly",
               "an estimated", "estimated", "up to", "close to", "as many as", "roughly")),
]
_WORD_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion"
).split()
_TOKEN = re.compile(r"\d+(?:[,.]\d+)*(?:-?(?:hundred|thousand|million|billion))?|[A-Za-z][A-Za-z'\-]*|[,;]")
_DOZEN = re.compile(r"\b(?:(half) a|(a|one|two|three|four|five))[\s-]dozen\b", re.I)
_A_HUNDRED = re.compile(r"\b[Aa] (hundred|thousand)\b")


@dataclass
class Mention:
    value: int | None  # None for vague amounts ("dozens")
    start: int
    end: int
    text: str
    qualifier: str
    kind: str | None = None  # "date" for years and days of months, else None


@dataclass
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _digits_value(tok: str) -> int | None:
    t = tok.lower().rstrip(".,")
    mult = 1
    for word, m in (("hundred", 100), ("thousand", 1000), ("million", 10**6), ("billion", 10**9)):
        if t.endswith(word):
            t, mult = t[: -len(word)].rstrip("-"), m
    if mult > 1:
        t = t.replace(",", ".")  # "1,3-million" is a European decimal
        try:
            return round(float(t) * mult)
        except ValueError:
            return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    return None


def find_numbers(text: str) -> list[Mention]:
    """Every figure in `text`: digits, number words, dozens, and vague amounts, with qualifiers."""
    toks = _tokens(text)
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        value: int | None = None
        j = i + 1
        if t.text[0].isdigit():
            value = _digits_value(t.text)
            if value is not None and j < len(toks) and toks[j].low in ("million", "billion"):
                value *= 10**6 if toks[j].low == "million" else 10**9
                j += 1
        elif t.low.split("-")[0] in _WORD_NUMBERS and t.low not in ("hundred", "thousand", "million"):
            while j < len(toks) and (toks[j].low.split("-")[0] in _WORD_NUMBERS or toks[j].low == "and"):
                j += 1
            while toks[j - 1].low == "and":
                j -= 1
            words = text[t.start:toks[j - 1].end]
            try:
                value = text2num(words.replace("-", " ").lower(), "en")
            except ValueError:
                value = None
        if value is not None:
            out.append(Mention(value, t.start, toks[j - 1].end, text[t.start:toks[j - 1].end],
                               _qualifier_before(text, t.start)))
            i = j
            continue
        i += 1
    for m in _DOZEN.finditer(text):
        n = 0.5 if m.group(1) else (1 if m.group(2).lower() in ("a", "one") else
                                    text2num(m.group(2).lower(), "en"))
        out = [o for o in out if not (m.start() <= o.start < m.end())]
        out.append(Mention(int(n * 12), m.start(), m.end(), m.group(), _qualifier_before(text, m.start())))
    for m in _A_HUNDRED.finditer(text):
        out.append(Mention(100 if m.group(1) == "hundred" else 1000, m.start(), m.end(), m.group(),
                           _qualifier_before(text, m.start())))
    for phrase, qual in VAGUE.items():
        for m in re.finditer(rf"\b{phrase}\b(?= (?:of )?[a-z]|[,;.]|$)", text, re.I):
            if not any(o.start <= m.start() < o.end for o in out):
                out.append(Mention(None, m.start(), m.end(), m.group(), qual))
    out.sort(key=lambda m: m.start)
    for m in out:
        if _is_date(text, m):
            m.kind = "date"
    return out


_MONTHS = "january february march april may june july august september october november december"


def _is_date(text: str, m: Mention) -> bool:
    """Years ("in 2011") and days of months ("Jan. 8", "November 17 and 19", "8 March")."""
    before = text[max(0, m.start - 24):m.start].lower()
    prev = re.findall(r"[a-z]+", before)
    months = _MONTHS.split()
    is_month = lambda w: any(mo.startswith(w) and len(w) >= 3 for mo in months)  # noqa: E731
    if m.value and 1900 <= m.value <= 2100 and re.fullmatch(r"\d{4}", m.text):
        return not prev or is_month(prev[-1]) or prev[-1] in ("in", "since", "of", "by", "until", "from", "to")
    if m.value and 1 <= m.value <= 31 and m.text.isdigit():
        # the month directly before ("Jan. 8", "November 17 and 19") or after ("8 March")
        direct = re.search(r"([a-z]+)\.?\s+(?:\d{1,2}\s+and\s+)?$", before)
        after = re.match(r"\s+([a-z]+)", text[m.end:m.end + 12].lower())
        return bool(direct and is_month(direct.group(1))) or bool(after and is_month(after.group(1)))
    return False


def _qualifier_before(text: str, start: int) -> str:
    before = " " + re.sub(r"\s+", " ", text[max(0, start - 25):start].lower())
    for qual, phrases in QUALIFIERS:
        if any(before.endswith(f" {p} ") for p in phrases):
            return qual
    return "exact"
