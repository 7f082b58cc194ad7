"""The article's own dateline (place and date), read from its opening by pattern, not by the model."""

from __future__ import annotations

import re
from datetime import datetime

from ..models.brief import Dateline

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATES = [
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), None),
    (re.compile(rf"\b({_MONTH} \d{{1,2}}, (?:19|20)\d\d)\b"), ("%B %d, %Y", "%b %d, %Y")),
    (re.compile(rf"\b(\d{{1,2}} {_MONTH} (?:19|20)\d\d)\b"), ("%d %B %Y", "%d %b %Y")),
]
# "MOSCOW —", "KABUL, Aug. 27, 2021 —", "TAMPA, Fla., Oct. 9, 2014 -", "PENTAGON — "
_PLACE = re.compile(r"(?m)^\s*(?:date \S+ )?([A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,3})(?:,[^\n—–]{0,40})? ?(?:—|–|--| - )")


def _parse(text: str, formats: tuple[str, ...] | None, m: re.Match) -> str | None:
    if formats is None:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return _strptime(m.group(1), formats)


def _strptime(raw: str, formats: tuple[str, ...]) -> str | None:
    """The date `raw` writes in one of `formats` ("Sept. 30, 2004"), as YYYY-MM-DD."""
    raw = raw.replace(".", "").replace("Sept ", "Sep ")
    for fmt in formats:
        try:
            return datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def dateline_place(sentence: str) -> tuple[int, int] | None:
    """Where a sentence opens with a dateline's place ("TAMPA, Fla. -- The command said"), if it does."""
    m = _PLACE.match(sentence)
    return m.span(1) if m else None


def find_dateline(text: str, head_chars: int = 700) -> Dateline | None:
    """Place and date stated in the article's opening, if any (date as YYYY-MM-DD)."""
    head = text[:head_chars]
    date = None
    found = sorted(((m.start(), formats, m) for rx, formats in _DATES for m in rx.finditer(head)),
                   key=lambda t: t[0])
    for _, formats, m in found:
        date = _parse(head, formats, m)
        if date:
            break
    place_m = _PLACE.search(head)
    place = place_m.group(1).strip() if place_m and len(place_m.group(1)) >= 3 else None
    return Dateline(date=date, place=place) if date or place else None


# a month's whole name or abbreviation, never the start of a word ("3 Marines" is no date)
_MONTH_WORD = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
               r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?")
_DAY_OF_MONTH = [
    (re.compile(rf"\b({_MONTH_WORD} \d{{1,2}})\b(?!,? (?:19|20)\d\d)"), ("%B %d %Y", "%b %d %Y")),
    (re.compile(rf"\b(\d{{1,2}} {_MONTH_WORD})(?! (?:19|20)\d\d)"), ("%d %B %Y", "%d %b %Y")),
]


def date_in(sentence: str, year: int) -> str | None:
    """The one date a sentence gives by month and day ("killed April 6"), in `year` (its article's);
    None where it gives none or several."""
    found = {d for rx, formats in _DAY_OF_MONTH for m in rx.finditer(sentence)
             if (d := _strptime(f"{m.group(1)} {year}", formats))}
    found |= {d for rx, formats in _DATES for m in rx.finditer(sentence) if (d := _parse(sentence, formats, m))}
    return found.pop() if len(found) == 1 else None
