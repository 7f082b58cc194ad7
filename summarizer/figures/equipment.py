"""Which entity sections an article can fill: assets only where it names military equipment or a
unit, bases only where it names a base. Asked for a list, a small model fills it whatever the text
says, so a section the article gives no word for is not asked (and costs no generated tokens)."""

from __future__ import annotations

import re

from . import lexicon as L
from .parser import parse_all

# "F-16", "Su-34", "MQ-9", "Tu-22M3": a model designation names equipment whatever its lemma
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,3}-\d")


def entity_sections(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """"actors", then "assets" and "bases" where the article has a word for them."""
    tokens = [t for doc in parse_all([text[a:b] for a, b in spans]) for t in doc]
    lemmas = {t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN")}
    out = ["actors"]
    if lemmas & L.ASSET_NOUNS or any(_DESIGNATION.match(t.text) for t in tokens):
        out.append("assets")
    if lemmas & L.BASE_NOUNS:
        out.append("bases")
    return out
