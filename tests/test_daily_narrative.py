"""The narrative pass against the real embedded model (a recorded cassette): the model writes the
day's key developments from the merged briefs, and the program keeps only sentences it can check."""

from __future__ import annotations

import asyncio
import json

import pytest

from summarizer import Summarizer, add_narrative, build_daily_brief
from summarizer.models.daily import NarrativeAnswer

from .daily_briefs import results


@pytest.mark.vcr
def test_real_model_narrative_cites_the_days_briefs_and_is_checked(vcr, backend_settings):
    daily = build_daily_brief(results(), date="2016-08-16")

    async def go():
        async with Summarizer(**backend_settings) as s:
            return await add_narrative(s, daily)

    out = asyncio.run(go())
    assert len(vcr.requests) == 1 and out.meta.narrative_error is None
    assert out.stats.usage.calls == daily.stats.usage.calls + 1  # one short call for the whole day
    request = json.loads(vcr.requests[0].body)
    assert request["max_tokens"] <= 500
    assert "[3] U.S. says it was told of Russian flights" in request["messages"][1]["content"]
    answer = NarrativeAnswer.model_validate_json(
        json.loads(vcr.responses[0]["body"]["string"])["choices"][0]["message"]["content"])
    assert len(out.narrative) + len(out.rejected) == len(answer.sentences) == 3
    # What the checks make of this recording: two sentences put "22" (of "Tu-22M3") beside "killing",
    # a toll no cited brief verified; the third gives article 3's own toll (4 killed). Re-recording
    # the cassette means writing down what the new answer should come to.
    assert [(s.cites, s.text) for s in out.narrative] == [([3], answer.sentences[2].text)]
    assert [r.cites for r in out.rejected] == [[1, 2], [2]]
    assert all(r.reason.startswith("22 is not a verified casualty figure") for r in out.rejected)
    for sentence in out.narrative:
        assert sentence.cites and set(sentence.cites) <= {1, 2, 3}  # article 4 failed: not citable
    assert all(r.reason for r in out.rejected)
