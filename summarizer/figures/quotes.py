"""Quotations in an article: where each one runs, over sentences and paragraphs, so that a figure
quoted in a sentence that does not name its speaker takes the speaker the quotation names elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_OPEN, _CLOSE, _STRAIGHT = "\u201c", "\u201d", '"'


@dataclass
class Quotation:
    ranges: list[tuple[int, int]] = field(default_factory=list)  # inside the marks, one per paragraph

    def holds(self, at: int) -> bool:
        return any(a <= at < b for a, b in self.ranges)

    def touches(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.ranges)


def quotations(text: str) -> list[Quotation]:
    """Every quotation of `text`, in order. Curly marks say which way they face; a straight mark
    opens where no quotation is open and closes one that is. A quotation still open at the end of a
    paragraph runs on when the next paragraph opens with a quotation mark (how a quotation of
    several paragraphs is written); otherwise it ends with its paragraph."""
    out: list[Quotation] = []
    cur: Quotation | None = None
    start = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c in (_OPEN, _STRAIGHT) and cur is None:
            cur, start = Quotation(), i + 1
        elif c in (_CLOSE, _STRAIGHT) and cur is not None:
            cur.ranges.append((start, i))
            out.append(cur)
            cur = None
        elif c == "\n" and cur is not None:
            cur.ranges.append((start, i))
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if j < len(text) and text[j] in (_OPEN, _STRAIGHT):  # the same quotation, reopened
                start, i = j + 1, j + 1
                continue
            out.append(cur)
            cur = None
        i += 1
    if cur is not None:
        cur.ranges.append((start, len(text)))
        out.append(cur)
    return [q for q in out if any(b > a for a, b in q.ranges)]
