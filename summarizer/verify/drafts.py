"""Turn the model's drafts into verified brief items; whatever fails a check goes to `rejected`.

Checks, all done by the program:
- every item is grounded: its quote (or, for actors, assets and bases, its name) is found in the
  article, and the evidence stored is the article's own text at computed offsets (items.py);
- an actor acts somewhere in the article: a town named only where something happened, a headline
  fragment or a scripture is dropped (items.py, by the parse in figures/nonactors.py);
- every killed/wounded figure is written in its evidence and bound there to deaths or injuries;
  running totals ("since 2011") are background figures, not incident casualties (casualties.py);
- conflicting reports of one incident are flagged, with the most conservative figure as headline
  (conflicts.py);
- numbers in the headline and summary must be verified figures or stated in the article (prose.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ValidationError

from ..text.grounding import Grounder, headline_span, stated_headline
from ..figures.actors import named_actors
from ..figures.candidates import Candidate
from ..models.brief import NAMED_SECTIONS
from .casualties import checked_figure, dedupe_casualties, drafted_casualty
from .conflicts import drop_answered_questions, find_conflicts
from .items import (drop_injected, drop_non_actors, ground_named, ground_quoted, join_repeated_actors,
                    program_bases)
from .verified import Verified


def verify_drafts(text: str, drafts: dict[str, list[BaseModel]], grounder: Grounder | None = None,
                  figures: Sequence[tuple[Candidate, BaseModel | None]] = (),
                  pattern_bases: bool = False) -> Verified:
    """Verify every drafted item of every section against the article text.

    `figures` are casualty figures the program found, with the model's labels; `drafts` may also
    hold casualties the model proposed itself (single mode), which are checked figure by figure.
    `pattern_bases` adds the bases the program finds by pattern to the model's.
    """
    g = grounder or Grounder(text)
    out = Verified()
    for section in NAMED_SECTIONS:
        ground_named(section, drafts.get(section, []), g, out)
    if pattern_bases:
        ground_named("bases", program_bases(g), g, out)
        ground_named("actors", named_actors(g.text, g.sentence_spans), g, out)
    drop_non_actors(g, out)
    join_repeated_actors(out, g.text)
    for candidate, label in figures:
        try:
            checked_figure(candidate, label, g, out)
        except ValidationError as exc:  # a check on model output never fails the brief
            out.reject("casualties", {"figure": candidate.label(), "quote": g.text[candidate.start:candidate.end]},
                       f"not a valid item: {exc.errors()[0]['msg']}")
    for d in drafts.get("casualties", []):
        drafted_casualty(d, g, out)
    for d in drafts.get("background_figures", []):
        ground_quoted("background_figures", d, g, out)
    for d in drafts.get("open_questions", []):
        ground_quoted("open_questions", d, g, out)
    drop_injected(g, out)
    # only a title line is a headline here: a first sentence repeated later is a report like any other
    dedupe_casualties(out, headline_span(g.text) if stated_headline(g.text) else None)
    out.conflicts = find_conflicts(out.items["casualties"])
    drop_answered_questions(out, out.items["casualties"], out.conflicts)
    return out
