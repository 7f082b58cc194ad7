"""Scoring against labels, and the labeled development set itself."""

from __future__ import annotations

import pytest

from summarizer.errors import InputError
from summarizer.scoring import Label, load_labels, score, totals
from summarizer.models.brief import Actor, Base, Brief, Casualty, Evidence, Meta

from .conftest import ROOT

EV = [Evidence(quote="air raids killed 19 civilians", start=0, end=29, match="exact")]


def brief(**items) -> Brief:
    return Brief(headline="h", summary="s", meta=Meta(model="m", backend="b", profile="p", prompt_version="v"), **items)


def test_score_counts_matches_and_extras():
    label = Label(id="x", path="x.txt", casualties=[{"killed": 19, "primary": True}, {"killed": 3, "primary": False}],
                  actors=["Syrian Observatory for Human Rights", "Russia"], bases=["Hamedan"])
    b = brief(
        casualties=[Casualty(killed=19, qualifier="exact", victims="civilians", evidence=EV),
                    Casualty(killed=1_300_000, qualifier="exact", victims="civilians", evidence=EV)],
        actors=[Actor(name="the Syrian Observatory for Human Rights", kind="organization", role="monitor", evidence=EV)],
        bases=[Base(name="Hamedan base", evidence=EV)])
    s = score(b, label, "multi")
    assert (s.primary_matched, s.primary_gold, s.all_matched, s.all_gold) == (1, 1, 1, 2)
    assert s.extra_figures == 1  # 1,300,000 matches no gold figure
    assert (s.actors_found, s.actors_gold, s.bases_found) == (1, 2, 1)
    t = totals([s])
    assert t["killed_wounded_exact_primary"] == 1.0 and t["actor_recall"] == 0.5 and t["grounded_share"] == 1.0


def test_bad_label_line_is_reported_with_its_number(tmp_path):
    f = tmp_path / "labels.jsonl"
    f.write_text('{"id": "a", "path": "a.txt"}\n{"id": 3\n')
    with pytest.raises(InputError, match=r"labels.jsonl:2: not a valid label"):
        load_labels(f)


def test_development_set_is_complete():
    labels = load_labels(ROOT / "devset" / "labels.jsonl")
    assert len(labels) >= 20
    assert len({label.id for label, _ in labels}) == len(labels)
    for label, path in labels:
        assert path.is_file(), path
        text = path.read_text(encoding="utf-8")
        for name in label.actors + label.bases:  # gold names are the article's own words
            assert name.lower() in text.lower(), (label.id, name)
