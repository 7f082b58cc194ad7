"""The headline, summary and dateline the model wrote, checked against the article and the verified figures."""

from __future__ import annotations

from ..text.grounding import fold, sentence_spans
from ..figures.candidates import unverified_figure
from ..figures.mentions import find_numbers
from ..models.brief import Brief, Casualty, Dateline
from .verified import Verified


def sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in sentence_spans(text) if text[a:b].strip()]


SUMMARY_MAX = Brief.model_fields["summary"].metadata[0].max_length


HEADLINE_MAX = Brief.model_fields["headline"].metadata[0].max_length


def check_prose(headline: str | None, summary: str, text: str, casualties: list[Casualty],
                out: Verified) -> tuple[str | None, str]:
    """Drop headline/summary sentences that carry a number not verified or not in the article
    (headline None: none was written)."""
    verified = {v for c in casualties for v in (c.killed, c.wounded) if v is not None}
    in_article = {m.value for m in find_numbers(text) if m.value is not None}

    def ok(sentence: str) -> str | None:
        return unverified_figure(sentence, verified, in_article)

    kept: list[str] = []
    said = sentences(summary)
    if len(said) > 1 and not said[-1].rstrip("\"'”’)").endswith((".", "!", "?")):
        # cut at the pass's length limit (extract.SUMMARY_CHARS) mid-sentence: the finished ones stand
        out.reject("summary", {"sentence": said.pop()}, "an unfinished sentence, cut at the length limit")
    for s in said:
        reason = ok(s)
        if reason:
            out.reject("summary", {"sentence": s}, reason)
        elif len(" ".join([*kept, s])) > SUMMARY_MAX:
            # sentences re-joined with spaces can outgrow the field ("a.b.c" -> "a. b. c"): never
            # fail a brief over it; what does not fit is kept in `rejected`
            out.reject("summary", {"sentence": s}, f"the summary would exceed {SUMMARY_MAX} characters")
        else:
            kept.append(s)
    if headline is None:
        return None, " ".join(kept)
    reason = ok(headline)
    if not reason and len(headline) > HEADLINE_MAX:
        reason = f"longer than {HEADLINE_MAX} characters"
    if reason:
        out.reject("headline", {"headline": headline}, reason)
        return None, " ".join(kept)
    return headline, " ".join(kept)


def check_dateline(dateline: Dateline | None, text: str) -> Dateline | None:
    """Keep the date only if its year is in the article, and the place only if it is named there."""
    if dateline is None:
        return None
    date = dateline.date if dateline.date and dateline.date[:4] in text else None
    place = dateline.place if dateline.place and fold(dateline.place) in fold(text) else None
    return Dateline(date=date, place=place) if date or place else None
