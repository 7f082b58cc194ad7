"""One article through the passes and the checks, assembled into a `Brief`."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import pkgutil
import time
from importlib import import_module

from .version import __version__
from .llm import extract, prompts
from .figures.toll import toll_text
from .llm.backend import Backend
from .text.dateline import find_dateline
from .text.grounding import Grounder, headline_of, headline_span, stated_headline
from .text.injection import overlaps
from .models.brief import Brief, Casualty, Meta, Rejected
from .verify.conflicts import drop_answered_questions
from .verify.drafts import verify_drafts
from .verify.items import ground_only
from .verify.prose import check_dateline, check_prose


MAX_FACTS = 3  # the main tolls: the overview needs no more, and every prompt token costs time
FALLBACK_HEADLINE = 120  # the article's first line, cut: its own headline, or when the model's fails
# What a brief depends on besides the article and the model: the stages that read, prompt for and
# check it (whole subpackages, so a module added to one counts without a list to keep), this
# module, and the libraries whose behaviour shapes it (answer parsing, sentences, fuzzy matching,
# number words). A change to any of them can change what a brief says.
BRIEF_PACKAGES = ("models", "text", "figures", "verify", "llm")
BRIEF_MODULES = ("pipeline", *BRIEF_PACKAGES, *sorted(f"{p}.{m.name}" for p in BRIEF_PACKAGES
                                                      for m in pkgutil.iter_modules(import_module(f"{__package__}.{p}").__path__)))
BRIEF_LIBRARIES = ("instructor", "pydantic", "sentencex", "rapidfuzz", "text2num", "spacy")


def _source(module: str) -> str:
    """The source of summarizer.<module>, line endings normalised; its version if it has none."""
    spec = importlib.util.find_spec(f"{__package__}.{module}")
    loader = getattr(spec, "loader", None)
    try:
        text = loader.get_source(spec.name) if loader is not None else None  # type: ignore[union-attr]
    except (ImportError, OSError):
        text = None
    return text.replace("\r\n", "\n") if text is not None else f"{module} {__version__}"


def _library(name: str) -> str:
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{name} ?"


@functools.cache
def brief_version() -> str:
    """What stored briefs are keyed by, besides text and model: the prompt version and a hash of the
    program and libraries that make and check a brief, so an upgrade redoes what older rules made."""
    h = hashlib.sha256()
    for part in [*(f"{m}\0{_source(m)}" for m in BRIEF_MODULES), *map(_library, BRIEF_LIBRARIES)]:
        h.update(part.encode() + b"\0")
    return f"{prompts.prompt_version()}+{h.hexdigest()[:10]}"


def fact_line(c: Casualty) -> str:
    """A verified casualty figure as the overview pass is shown it."""
    figure = toll_text(c.killed, c.wounded, c.qualifier) or "an unstated number killed or wounded"
    where = f" in {c.location}" if c.location else ""
    who = f" ({c.victims})" if c.victims != "unknown" else ""
    by = f", according to {c.reported_by}" if c.reported_by else ""
    return f"{figure}{who}{where}{by}"


async def brief_of(backend: Backend, text: str, source: str | None, mode: str, chunk_chars: int) -> Brief:
    """Run the passes for `mode` ("multi", "single" or "naive") and verify what comes back."""
    started = time.perf_counter()
    grounder = Grounder(text)
    # in multi mode an article's own headline is the brief's (the model writes one only where there
    # is none), unless it is text addressed to the model
    head = headline_span(text)
    own = None if mode != "multi" or (head and overlaps(*head, grounder.injected_spans)) else stated_headline(text)
    if mode == "multi":
        drafts = await extract.extract_facts(backend, text, chunk_chars, grounder)
        t = time.perf_counter()
        facts = verify_drafts(text, drafts.sections, grounder, figures=drafts.figures, pattern_bases=True)
        drafts.timings["verify"] = round(time.perf_counter() - t, 3)
        # The largest few are enough for a headline and summary; a long list only costs time.
        main = sorted((c for c in facts.items["casualties"] if not c.part_of_larger_figure),
                      key=lambda c: -(c.killed or 0) - (c.wounded or 0))[:MAX_FACTS]
        lines = [fact_line(c) for c in main]
        await extract.extract_overview(backend, text, chunk_chars, lines, drafts, headline=own is None)
        questions = verify_drafts(text, {"open_questions": drafts.sections.get("open_questions", [])}, grounder)
        drop_answered_questions(questions, facts.items["casualties"], facts.conflicts)
        facts.items["open_questions"] = questions.items["open_questions"]
        facts.rejected += questions.rejected
    elif mode in ("single", "naive"):
        drafts = await (extract.extract_single(backend, text) if mode == "single"
                        else extract.extract_naive(backend, text))
        facts = (verify_drafts(text, drafts.sections, grounder, pattern_bases=True) if mode == "single"
                 else ground_only(text, drafts.sections, grounder))
    else:
        raise ValueError(f"unknown mode {mode!r}")

    overview = drafts.overview
    assert overview is not None
    if mode == "naive":
        headline, summary = overview.headline, overview.summary
    else:
        headline, summary = check_prose(getattr(overview, "headline", None), overview.summary, text,
                                        facts.items["casualties"], facts)
        if own is not None:
            headline = own[:FALLBACK_HEADLINE]
    if headline is None:
        headline = (headline_of(text) or "(no headline)")[:FALLBACK_HEADLINE]
    drafts.timings["total"] = round(time.perf_counter() - started, 3)
    return Brief(
        headline=headline,
        summary=summary,
        dateline=find_dateline(text) or check_dateline(getattr(overview, "dateline", None), text),
        actors=facts.items["actors"],
        assets=facts.items["assets"],
        bases=facts.items["bases"],
        casualties=facts.items["casualties"],
        background_figures=facts.items["background_figures"],
        casualty_conflicts=facts.conflicts,
        open_questions=facts.items["open_questions"],
        rejected=[Rejected.model_validate(r) for r in facts.rejected],
        meta=Meta(
            model=backend.model,
            backend=backend.base_url,
            profile=f"{backend.profile.name}/{mode}",
            prompt_version=prompts.prompt_version(),
            usage=drafts.usage,
            timings=drafts.timings,
            source=source,
        ),
    )
