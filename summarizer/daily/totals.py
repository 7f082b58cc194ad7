"""Running totals the parse let through as incident tolls: "more than 1,600 deaths ... in the first six
months of 2017", "the 300 people the war has killed". A daily row is one incident, so these make none.

The parse already reads most running totals; this catches the period or war written after the figure
in the same sentence, which the row would otherwise present as one event.
"""

from __future__ import annotations

import re

from ..figures.mentions import find_numbers
from ..models.brief import Casualty

_UNIT = r"(?:days?|weeks?|months?|years?|decades?|half|quarter)"
_PERIOD = re.compile(
    rf"\b(?:in|during|over|for|within|across) the (?:first|past|last|previous) (?:[\w-]+ )?{_UNIT}\b"
    r"|\b(?:so far|to date|in total|cumulative|since (?:the (?:start|beginning)|January|February|March|April|"
    r"May|June|July|August|September|October|November|December|\d{4}))\b"
    r"|\b(?:so far |earlier )?(?:this|last) year\b"
    r"|\b(?:the|this) (?:[\w-]+ )?(?:war|conflict|insurgency|fighting) (?:has|had|have) (?:caused|claimed|killed)\b",
    re.IGNORECASE)
# "the deadliest attack this year", "the worst since 2014": a period that ranks the event, not a toll of it
_RANK = re.compile(r"\b(?:deadliest|worst|bloodiest|largest|biggest|first|most \w+)\b(?:\W+\w+){0,3}\W*$",
                   re.IGNORECASE)


NEAR = 120  # characters: a period further from the figure is about something else


def _total_in(quote: str, figures: set[int]) -> bool:
    """A period phrase after one of the figures, before any other number, not far from it."""
    numbers = [m for m in find_numbers(quote) if m.value is not None and m.kind != "date"]
    for p in _PERIOD.finditer(quote):
        before = [m for m in numbers if m.end <= p.start()]
        if before and before[-1].value in figures and p.start() - before[-1].end <= NEAR \
                and not _RANK.search(quote[:p.start()]):
            return True
    return False


def running_total(c: Casualty) -> bool:
    """The figure's sentence says it counts a period or a war, after the figure: a running total."""
    figures = {v for v in (c.killed, c.wounded) if v is not None}
    return bool(figures) and any(_total_in(ev.quote, figures) for ev in c.evidence if ev.quote)
