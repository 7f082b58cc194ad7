"""Find figures in article text and tell what they count, so no unverified number reaches a reader.

A small model readily reports "15 abducted miners" as 15 killed or a city's population as a death
toll. Every casualty figure the model proposes is therefore looked up here in its own evidence: it
must be written there (digits or words) and be bound to a death or injury word more closely than to
any other kind of event.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from text_to_num import text2num

# Stems, matched at the start of a lower-cased token.
EVENT_STEMS: dict[str, tuple[str, ...]] = {
    "death": ("kill", "dead", "death", "died", "die", "dying", "fatalit", "slain", "massacr",
              "execut", "perish", "bodies", "corpse", "toll", "lives", "murder", "beheaded"),
    "injury": ("wound", "injur", "hurt", "hospitali", "maimed", "concussion"),
    "casualties": ("casualt",),
    "abduction": ("abduct", "kidnap", "hostage", "captive", "taken"),
    "arrest": ("arrest", "detain", "detention", "captur", "custody", "jailed", "prisoner"),
    "seizure": ("seiz", "confiscat", "impound", "destroy", "damag", "sank", "sunk", "downed", "shot down"),
    "displacement": ("displac", "fled", "flee", "refugee", "evacuat", "homeless"),
    "rescue": ("rescu", "freed", "release", "surviv", "escap"),
    "missing": ("missing", "unaccounted"),
    "population": ("population", "resident", "inhabitant", "live in", "living"),
    # a figure bound to one of these counts things, not people ("two districts", "5 strikes")
    "things": ("district", "building", "vehicle", "hospital", "clinic", "base", "aircraft", "jet",
               "plane", "helicopter", "ship", "boat", "vessel", "missile", "rocket", "bomb", "strike",
               "airstrike", "raid", "attack", "village", "town", "house", "home", "school", "target",
               "depot", "drone", "tank", "site", "camp", "round", "shell", "sortie", "mile", "kilomet",
               "hour", "day", "week", "month", "year", "percent", "dollar"),
}
CLAUSE_BREAKS = {"and", "but", "while", "whereas", "as", ",", ";", "-", "whom", "which", "who"}
MAX_DISTANCE = 10

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
CUMULATIVE = re.compile(
    r"\b(since (?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|november|december|the (?:start|beginning|war|conflict)|it (?:began|erupted|started))|"
    r"so far|to date|in total|in all|over the (?:past|last)|during the (?:war|conflict))\b",
    re.I,
)

_WORD_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion"
).split()
_TOKEN = re.compile(r"\d+(?:[,.]\d+)*(?:-?(?:million|billion))?|[A-Za-z][A-Za-z'\-]*|[,;]")
_DOZEN = re.compile(r"\b(?:(half) a|(a|one|two|three|four|five)) dozen\b", re.I)


@dataclass
class Mention:
    value: int | None  # None for vague amounts ("dozens")
    start: int
    end: int
    text: str
    qualifier: str
    kind: str | None = None  # nearest event kind, see EVENT_STEMS


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
    for word, m in (("million", 10**6), ("billion", 10**9)):
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
    for phrase, qual in VAGUE.items():
        for m in re.finditer(rf"\b{phrase}\b(?= (?:of )?[a-z]|[,;.]|$)", text, re.I):
            if not any(o.start <= m.start() < o.end for o in out):
                out.append(Mention(None, m.start(), m.end(), m.group(), qual))
    out.sort(key=lambda m: m.start)
    prev: Mention | None = None
    for m in out:
        m.kind = "date" if _is_date(text, m) else event_kind(text, m)
        # "killing 12 soldiers on board and at least four people on the ground": coordinated
        # figures share the event of the first
        if m.kind is None and prev is not None and prev.kind in ("death", "injury") and re.search(
                r"\b(and|as well as|plus)\b", text[prev.end:m.start]) and "." not in text[prev.end:m.start]:
            m.kind = prev.kind
        prev = m
    # "nine civilians, including four children, were killed": the whole figure shares the event
    # of the part named inside its parenthesis
    for m, nxt in zip(out[::-1][1:], out[::-1]):
        if (m.kind is None and nxt.kind in ("death", "injury") and _PARENTHESIS.fullmatch(text[m.end:nxt.start])
                and _CLOSE_THEN_EVENT.match(text, nxt.end)
                and not re.search(r"\bof(?: the| its| their)?\s*$", text[max(0, m.start - 12):m.start])):
            # ("Four of the 12 aid workers, including two doctors, were killed": 12 is not the toll)
            m.kind = nxt.kind
    return out


_PARENTHESIS = re.compile(r"[\w\s'-]{0,40}?\s*[,(\u2014-]\s*(?:including|among them|among whom|of whom|"
                          r"among those|most of them)\s+(?:\w+\s+){0,2}", re.I)
# ... "four children, were killed": the parenthesis closes and the event follows at once
_CLOSE_THEN_EVENT = re.compile(r"[\w\s'-]{0,30}?[,)\u2014]\s*(?:were|was|have been|had been|are|being)?\s*"
                               r"(?:\w+ly\s+)?(?:killed|died|dead|wounded|injured|hurt)\b", re.I)


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


# One alternation, a named group per kind, in EVENT_STEMS order (the first kind that matches wins).
_STEM_RX = re.compile("|".join(
    f"(?P<{kind.replace(' ', '_')}>" + "|".join(re.escape(st) for st in stems if " " not in st) + ")"
    for kind, stems in EVENT_STEMS.items()))


@functools.lru_cache(maxsize=4096)
def _stem_kind(word: str) -> str | None:
    m = _STEM_RX.match(word)
    return m.lastgroup.replace("_", " ") if m else None


def event_kind(text: str, mention: Mention) -> str | None:
    """The kind of event nearest to the figure in token distance, clause breaks counting extra."""
    toks = _tokens(text)
    idx = [k for k, t in enumerate(toks) if t.start >= mention.start and t.start < mention.end]
    if not idx:
        return None
    lo, hi = idx[0], idx[-1]
    # The noun a figure modifies is what it counts: "six precision strikes" counts strikes.
    for k in range(hi + 1, min(hi + 3, len(toks))):
        if _stem_kind(toks[k].low) in ("things", "abduction", "arrest", "displacement", "missing"):
            return _stem_kind(toks[k].low)
    best: tuple[float, str] | None = None
    for direction, rng in ((-1, range(lo - 1, -1, -1)), (1, range(hi + 1, len(toks)))):
        dist = 0.0
        for k in rng:
            word = toks[k].low
            dist += 3 if word in CLAUSE_BREAKS else 1
            if dist > MAX_DISTANCE:
                break
            kind = _stem_kind(word)
            if kind:
                # on a tie, a verb before the figure ("killing 12") binds tighter than one after
                score = dist + (0.5 if direction == 1 else 0)
                if best is None or score < best[0]:
                    best = (score, kind)
                break
    return best[1] if best else None


def is_cumulative(sentence: str) -> bool:
    """True when the sentence gives a running total ("since 2011", "so far this year")."""
    return bool(CUMULATIVE.search(sentence))


def figure_check(value: int, text: str, want: str) -> tuple[Mention | None, str | None]:
    """Find `value` stated as `want` ("death" or "injury") in `text`.

    Returns (mention, None) when it is, else (None, reason).
    """
    mentions = [m for m in find_numbers(text) if m.value == value]
    if not mentions:
        return None, f"{value} is not stated in the evidence"
    for m in mentions:
        if m.kind == want:
            return m, None
    kinds = ", ".join(sorted({m.kind or "no event" for m in mentions}))
    label = "deaths" if want == "death" else "injuries"
    return None, f"{value} is stated as {kinds}, not as {label}"


def vague_mention(text: str, want: str) -> Mention | None:
    """A vague amount ("dozens", "a large number of") bound to a death or injury word, if any."""
    for m in find_numbers(text):
        if m.value is None and m.kind == want:
            return m
    return None


@dataclass
class Candidate:
    """A casualty figure the program found: one sentence's death and/or injury mention."""

    start: int  # sentence offsets in the article
    end: int
    killed: Mention | None = None
    wounded: Mention | None = None

    def label(self) -> str:
        parts = []
        if self.killed:
            parts.append(f"{_plain(self.killed.text)} killed")
        if self.wounded:
            parts.append(f"{_plain(self.wounded.text)} wounded")
        return ", ".join(parts)


def _plain(figure: str) -> str:
    return re.sub(r"\s+of$", "", figure)


def casualty_candidates(text: str, spans: list[tuple[int, int]]) -> list[Candidate]:
    """Every death or injury figure in the article, paired per sentence ("2 killed, 6 wounded").

    A death figure followed in the same sentence by an injury figure (with no other death figure
    between) makes one candidate; every other figure stands alone.
    """
    out: list[Candidate] = []
    for a, b in spans:
        sentence = text[a:b]
        current: Candidate | None = None
        for m in find_numbers(sentence):
            if m.kind not in ("death", "injury"):
                continue
            m.start, m.end = m.start + a, m.end + a
            if m.kind == "death":
                current = Candidate(a, b, killed=m)
                out.append(current)
            elif current is not None and current.wounded is None:
                current.wounded = m
                current = None
            else:
                out.append(Candidate(a, b, wounded=m))
                current = None
    return out



ANIMALS = re.compile(r"^\W*(?:\w+\W+)?(donkeys?|camels?|cattle|cows?|sheep|goats?|horses?|dogs?|livestock|animals?)\b", re.I)
PART_BEFORE = re.compile(r"\b(including|among them|of them|of whom)\s+(?:at least |about |some )?$", re.I)
PART_AFTER = re.compile(r"^\W*(?:\w+\W+){0,3}(among|of) the (dead|killed|victims|wounded|injured)\b", re.I)


def figure_role(text: str, c: Candidate) -> str:
    """What a found figure counts, read from the words around it.

    "total": a running total; "part": part of another figure ("including five children",
    "three children among the dead"); "not people": "nine donkeys"; else "incident".
    """
    mentions = [m for m in (c.killed, c.wounded) if m is not None]
    first, last = mentions[0], mentions[-1]
    if ANIMALS.search(text[first.end:first.end + 30]):
        return "not people"
    if is_cumulative(text[max(c.start, first.start - 60): min(c.end, last.end + 60)]):
        return "total"
    if PART_BEFORE.search(text[max(c.start, first.start - 30):first.start]) or PART_AFTER.search(
            text[first.end:min(c.end, first.end + 50)]):
        return "part"
    # "killed 42 people, including 24 patients and 14 staff": every figure after "including"
    including = re.search(r"\bincluding\b", text[c.start:first.start])
    if including and any(m.value for m in find_numbers(text[c.start:c.start + including.start()])):
        return "part"
    return "incident"


def unverified_figure(sentence: str, verified: set[int], stated: set[int], where: str = "the article") -> str | None:
    """Why a sentence of prose may not be shown: a casualty number that is not a verified figure,
    or any other number not stated in the source. None when every number checks out."""
    for m in find_numbers(sentence):
        if m.value is None or m.kind == "date":
            continue
        if m.kind in ("death", "injury") and m.value not in verified:
            return f"{m.text} is not a verified casualty figure" + ("" if where == "the article" else f" of {where}")
        if m.value not in stated:
            return f"{m.text} is not stated in {where}"
    return None
