"""Who reports a figure when the attribution is not in the figure's own clause: a pronoun that
continues an earlier speaker, a quotation that runs over several sentences, a place that is never a
source. All sentences are invented."""

from __future__ import annotations

import pytest

from summarizer.figures.candidates import read_figures
from summarizer.text.grounding import sentence_spans


def sources(text: str) -> list[tuple[int, str | None]]:
    return [(f.mention.value, f.source) for f in read_figures(text, sentence_spans(text)).figures]


@pytest.mark.parametrize("text,expected", [
    # "they" continues the last plural speaker, also one the tagger names no entity
    ("Police said the gunmen stormed the market at dawn. They said 12 people died.", [(12, "Police")]),
    ("Local officials said the convoy was hit near the bridge. They told reporters that eight soldiers were "
     "killed.", [(8, "Local officials")]),
    # the one told is not a speaker
    ("Rebels told VOA that the army shelled the village. They said nine children were among the dead.",
     [(9, "Rebels")]),
    # "it" continues the last organisation that spoke, "he" the last person, named or not
    ("The ministry said the roads were closed. It said 14 people were killed.", [(14, "ministry")]),
    ("A police officer at the scene said the blast shattered windows. He said four people died.",
     [(4, "police officer")]),
    ("A spokesman for the Interior Ministry said the border was closed. He said 14 people were killed.",
     [(14, "spokesman for the Interior Ministry")]),
    # the latest speaker of the pronoun's kind, not an earlier one
    ("Witnesses said the blast was huge. The army said its troops sealed the area. It said 30 militants "
     "were killed.", [(30, "army")]),
    ("The army said its troops sealed the area. Residents said the shelling went on all night. They said "
     "six children died.", [(6, "Residents")]),
])
def test_a_pronoun_that_reports_continues_the_last_speaker_of_its_kind(text, expected):
    assert sources(text) == expected
