"""`summarizer eval` on labeled days: a daily brief scored against hand labels (an invented day; the
briefs are built by hand, or made by the fake backend on loopback: no model)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from summarizer import build_daily_brief
from summarizer.errors import InputError
from summarizer.models.daily import Incident, NarrativeSentence, TollReport
from summarizer.scoring.day_score import day_totals, place_ok, score_day
from summarizer.scoring.days import DayLabel, is_day_labels, load_days

from .conftest import ROOT
from .daily_briefs import TEXTS, results
from .daily_fake import SchemaFake

DAY = {
    "day": "X01", "split": "dev", "date": "2016-08-16",
    "articles": [
        {"n": 1, "file": "a1.txt", "places": ["Hamedan", "Iran", "Aleppo", "Syria"],
         "actors": [{"name": "Russia", "aliases": ["the Kremlin"]},
                    {"name": "Syrian Observatory for Human Rights", "aliases": ["the Observatory"]}]},
        {"n": 2, "file": "a2.txt", "places": ["Hamedan", "Aleppo", "Syria"],
         "actors": [{"name": "Iran"}, {"name": "Moscow", "aliases": ["Russia"]}]},
        {"n": 3, "file": "a3.txt", "places": ["Kabul", "Camp Arifjan"], "actors": [{"name": "U.S."}]},
    ],
    "incidents": [
        {"id": "X01-i1", "what": "air raids on Aleppo", "places": ["Aleppo"], "victims": "civilians",
         "reports": [{"article": 1, "killed": 19, "sentence": "air raids on Aleppo killed 19 civilians"},
                     {"article": 2, "killed": 25, "sentence": "State media said 25 civilians were killed in Aleppo"}],
         "headline_killed": 19},
        {"id": "X01-i2", "what": "bomb in Kabul", "places": ["Kabul"], "victims": "combatants",
         "reports": [{"article": 3, "killed": 4, "sentence": "In Kabul, a bomb killed 4 police officers"}],
         "headline_killed": 4},
        {"id": "X01-i3", "what": "a raid no brief reports", "places": ["Idlib"], "victims": "unknown",
         "reports": [{"article": 1, "killed": 7}], "headline_killed": 7},
    ],
    "vague": ["Who flew the Aleppo raids is unclear."],
}


def label() -> DayLabel:
    return DayLabel.model_validate(DAY)


def test_rows_are_mapped_to_incidents_with_duplicates_extras_and_misses():
    daily = build_daily_brief(results(failed=False), date="2016-08-16")
    kabul = next(i for i in daily.casualties if i.location == "Kabul")
    wrong = kabul.model_copy(update={"victims": "civilians"})  # the same incident twice, victims wrong
    clause = Incident(location="the town where fighting raged", victims="unknown", headline_killed=12,
                      headline_wounded=None, conflict=False, articles=[1],
                      reports=[TollReport(article=1, killed=12, qualifier="exact", victims="unknown")])
    daily = daily.model_copy(update={"casualties": [*daily.casualties, wrong, clause]})
    s = score_day(daily, label(), TEXTS)
    assert s.rows == 4 and s.places_ok == 3 and s.bad_places == ["the town where fighting raged: 12/- killed/wounded, unknown [1]"]
    assert (s.incidents, s.incidents_found) == (3, 2)
    assert s.missed == ["X01-i3: a raid no brief reports"]
    assert len(s.duplicates) == 1 and s.duplicates[0].startswith("X01-i2: Kabul")
    assert len(s.extra) == 1 and s.extra[0].startswith("the town")
    assert s.headline_right == 2  # Aleppo 19 (the lowest of 19 and 25), Kabul 4
    assert (s.victims_right, s.victims_rows) == (2, 3)
    t = day_totals([s])
    assert t["place_share"] == 0.75 and t["one_row_per_incident"] is False and t["victims_share"] == 0.667


def test_a_wrong_headline_and_a_number_from_a_vague_sentence_are_reported():
    daily = build_daily_brief(results(failed=False), date="2016-08-16")
    aleppo = next(i for i in daily.casualties if i.location == "Aleppo")
    bad = aleppo.model_copy(update={"headline_killed": 25})
    vague = Incident(location=None, victims="unknown", headline_killed=24, headline_wounded=None, conflict=False,
                     articles=[1], reports=[TollReport(article=1, killed=24, qualifier="about", victims="unknown",
                                                       evidence=[{"quote": "Who flew the Aleppo raids is unclear.",
                                                                  "start": 0, "end": 1, "article": 1}])])
    daily = daily.model_copy(update={"casualties": [bad, vague]})
    s = score_day(daily, label(), TEXTS)
    assert s.headline_wrong == ["X01-i1: 25 killed/None wounded, labeled 19/None"]
    assert len(s.numbered_vague) == 1 and len(s.extra) == 1


def test_citations_hold_only_when_cited_articles_are_labeled_with_the_names_and_figures():
    daily = build_daily_brief(results(failed=False), date="2016-08-16")
    sentences = [
        NarrativeSentence(text="Air raids on Aleppo killed 19 civilians, the Observatory said.", cites=[1]),
        NarrativeSentence(text="Russia's Tu-22M3 bombers flew from Hamedan.", cites=[2]),  # 22: in its text
        NarrativeSentence(text="The Kremlin said its bombers used Hamedan.", cites=[2]),  # an alias article 1 gives
        NarrativeSentence(text="State media said 25 civilians died in Aleppo.", cites=[1]),  # 25 is article 2's
        NarrativeSentence(text="A bomb killed 4 police officers in Kabul.", cites=[1]),  # Kabul, 4: article 3's
        NarrativeSentence(text="Strikes in Idlib killed 60 people.", cites=[2]),  # Idlib: article 1 reports it; 60: nowhere
    ]
    s = score_day(daily.model_copy(update={"narrative": sentences}), label(), TEXTS)
    assert (s.citations_held, s.sentences) == (3, 6)
    failures = "\n".join(s.citation_failures)
    assert "25 is a figure of article 2, not cited" in failures
    assert "names Kabul, labeled for no cited article" in failures and "4 is a figure of article 3" in failures
    assert "names Idlib" in failures and "60 is in no cited article" in failures


def test_a_place_is_null_or_labeled_with_each_part_of_a_comma_list_labeled():
    places = ["Aleppo", "Syria", "El Adde"]
    assert place_ok(None, places) and place_ok("aleppo", places) and place_ok("Aleppo, Syria", places)
    assert place_ok("the El-Adde", places)  # case, hyphen and a leading article are folded
    assert place_ok("Aleppo city", places) and place_ok("El Adde district", places)  # a generic place word too
    assert not place_ok("southern Aleppo", places) and not place_ok("near the border with Kenya", places)


def write_day(tmp_path, day: dict) -> None:
    for a in day["articles"]:
        (tmp_path / a["file"]).write_text(TEXTS[a["n"]] + "\n", encoding="utf-8")
    other = {"id": "x", "path": "a1.txt"}  # an article label is not a day
    (tmp_path / "labels.jsonl").write_text(json.dumps(day) + "\n" + json.dumps({**day, "day": "X02", "split": "test"}) + "\n")
    (tmp_path / "articles.jsonl").write_text(json.dumps(other) + "\n")


def test_day_labels_are_recognised_and_loaded_by_split_with_paths_found_above(tmp_path):
    write_day(tmp_path, DAY)
    assert is_day_labels(tmp_path / "labels.jsonl") and not is_day_labels(tmp_path / "articles.jsonl")
    sub = tmp_path / "set"
    sub.mkdir()
    (sub / "labels.jsonl").write_text((tmp_path / "labels.jsonl").read_text())
    days = load_days(sub / "labels.jsonl", split="dev")  # files are relative to a folder above the labels
    assert [d.day for d, _ in days] == ["X01"] and days[0][1][0] == tmp_path / "a1.txt"
    (tmp_path / "bad.jsonl").write_text(json.dumps({**DAY, "articles": [{**DAY["articles"][0], "n": 2}]}) + "\n")
    with pytest.raises(InputError, match="numbered 1 to 1"):
        load_days(tmp_path / "bad.jsonl")


def test_eval_scores_labeled_days_through_the_daily_pipeline_and_reuses_the_store(tmp_path):
    write_day(tmp_path, DAY)
    out, store = tmp_path / "scores.json", tmp_path / "store.sqlite"
    with SchemaFake() as fake:
        args = [sys.executable, "-m", "summarizer.cli", "eval", str(tmp_path / "labels.jsonl"), "--split", "dev",
                "--base-url", fake.base_url, "--model", "fake-model", "--profile", "llama.cpp",
                "--store", str(store), "--json", str(out)]
        first = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert first.returncode == 0, first.stderr
        calls = len(fake.requests)
        again = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert again.returncode == 0, again.stderr
        assert len(fake.requests) == calls  # briefs and narrative from the store
    scores = json.loads(out.read_text())
    assert scores["totals"]["days"] == 1 and scores["days"][0]["day"] == "X01"
    assert scores["days"][0]["articles"] == 3 and scores["days"][0]["from_store"] == 3
    assert "X01" in first.stdout and "total" in first.stdout
