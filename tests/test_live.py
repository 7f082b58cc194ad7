"""Live smoke test: the real embedded model (installed, verified and served by the project itself)
summarizes the seed article end to end. Slow (minutes on 2 CPU cores); deselect with -m "not live"."""

from __future__ import annotations

import pytest

from summarizer import Summarizer

from .conftest import SEED_ARTICLE
from .test_brief import assert_figures_stated, assert_grounded

pytestmark = pytest.mark.live


def test_embedded_model_briefs_the_seed_article():
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    messages: list[str] = []
    with Summarizer(progress=messages.append) as s:
        brief = s.summarize(text, source=str(SEED_ARTICLE))
        server = s.server
        assert server is not None and server.alive()
    assert not server.alive()  # stopped when the Summarizer closed
    assert any("starting the embedded llama.cpp server" in m for m in messages)
    # entities and overview, and one call checking the figures the parse found
    assert brief.meta.profile == "llama-cpp-python/multi" and brief.meta.usage.calls >= 3  # a call per 12 figures
    # the seed's main toll, confirmed by the model and attributed by the parse
    assert any(c.killed == 19 and c.victims == "civilians" and "Observatory" in (c.reported_by or "")
               for c in brief.casualties)
    # its officials, named by the parse's entities (the model's own list missed them)
    names = " | ".join(a.name for a in brief.actors)
    assert all(n in names for n in ("Assad", "Shoigu", "Bogdanov", "Shamkhani", "Dehghan", "Trudeau")), names
    assert brief.headline and brief.summary
    assert_grounded(brief, text)
    assert_figures_stated(brief)
    assert 1_300_000 not in {c.killed for c in brief.casualties}
