"""Merging a day's briefs (no model): actors, bases, assets, tolls, questions, narrative checks,
and the Markdown and HTML renderings."""

from __future__ import annotations

import json

from summarizer import build_daily_brief
from summarizer.daily.aggregate import actor_key, merge_actors, merge_casualties
from summarizer.models.daily import DailyBrief, NarrativeAnswer, NarrativeDraft
from summarizer.daily.narrative import check_narrative, narrative_messages
from summarizer.daily.render import daily_html, daily_markdown
from summarizer.models.brief import Actor, Brief, Casualty, CasualtyConflict, Evidence

from .conftest import ROOT
from .daily_briefs import TEXTS, brief_1, brief_2, brief_3, meta, results


def day() -> DailyBrief:
    return build_daily_brief(results(), date="2016-08-16")


def test_same_actor_under_capital_metonym_and_spelling_variants_is_merged():
    d = day()
    by_name = {a.name: a for a in d.actors}
    russia = by_name["Russia"]
    assert set(russia.variants) == {"Russia", "the Kremlin", "Moscow"}
    assert russia.articles == [1, 2]
    assert {e.article for e in russia.evidence} == {1, 2}
    assert set(by_name["Islamic State"].variants) == {"Islamic State", "ISIL"}
    assert set(by_name["United States"].variants) == {"U.S.", "Washington"}
    assert by_name["Iran"].variants == ["Iran"]  # "Iran" is not merged into anything else
    # actors two articles name come first
    assert [a.name for a in d.actors[:2]] == ["Russia", "Islamic State"]


def test_fuzzy_matching_merges_spellings_but_not_short_or_different_names():
    def brief(*names: str) -> Brief:
        return Brief(headline="h", summary="s", meta=meta("x"),
                     actors=[Actor(name=n, kind="organization", role="r") for n in names])

    merged = merge_actors({1: brief("Russian Defence Ministry", "al-Shabab militants", "UK"),
                           2: brief("Russian Defense Ministry", "Al Shabab", "US", "Syrian Observatory")})
    names = {a.name: a.variants for a in merged}
    assert set(names["Russian Defence Ministry"]) == {"Russian Defence Ministry", "Russian Defense Ministry"}
    assert set(names["al-Shabab militants"]) == {"al-Shabab militants", "Al Shabab"}
    assert "United Kingdom" in names and "United States" in names  # "UK" and "US" stay apart
    assert "Syrian Observatory" in names
    assert actor_key("the Kremlin") == actor_key("Moscow") == actor_key("Russia")
    assert actor_key("Russian forces") != actor_key("Russia")


def test_bases_and_assets_are_deduplicated_with_their_variants():
    d = day()
    assert [b.name for b in d.bases].count("Hamedan airbase") + [b.name for b in d.bases].count("Hamedan air base") == 1
    hamedan = next(b for b in d.bases if "Hamedan" in b.name)
    assert set(hamedan.variants) == {"Hamedan airbase", "Hamedan air base"} and hamedan.articles == [1, 2]
    assert hamedan.locations == ["Iran"] and hamedan.operators == ["Russia"]
    assert any(b.name == "Camp Arifjan" for b in d.bases)
    bombers = [a for a in d.assets if a.name == "Tu-22M3 bombers"]
    assert len(bombers) == 1 and bombers[0].articles == [1, 2]
    assert set(bombers[0].operators) == {"Russia", "Russian air force"}


def test_tolls_roll_up_per_place_with_every_figure_and_the_lowest_as_headline():
    d = day()
    aleppo = next(i for i in d.casualties if i.location == "Aleppo")
    figures = sorted((r.article, r.killed, r.reported_by) for r in aleppo.reports)
    assert figures == [(1, 19, "Syrian Observatory for Human Rights"), (2, 3, "State media"), (2, 25, "State media")]
    assert aleppo.conflict and aleppo.headline_killed == 19  # the part-of-toll "3 children" is not a rival figure
    assert "Syrian Observatory for Human Rights [1]: 19 killed" in aleppo.note and "State media [2]: 25 killed" in aleppo.note
    kabul = next(i for i in d.casualties if i.location == "Kabul")
    assert not kabul.conflict and kabul.headline_killed == 4 and kabul.articles == [3]
    # evidence keeps its article and offsets into that article's text
    for incident in d.casualties:
        for r in incident.reports:
            for e in r.evidence:
                assert TEXTS[e.article][e.start:e.end] == e.quote


def test_reports_without_a_place_or_with_different_perpetrators_stay_apart_unless_the_article_links_them():
    text = "Gunmen killed 5 people. Police said 7 people were killed."
    def c(killed, by, quote, location=None, perpetrator=None):
        s = text.index(quote)
        return Casualty(killed=killed, qualifier="exact", victims="unknown", reported_by=by, location=location,
                        perpetrator=perpetrator, evidence=[Evidence(quote=quote, start=s, end=s + len(quote))])
    linked = Brief(headline="h", summary="s", meta=meta("x"),
                   casualties=[c(5, None, "Gunmen killed 5 people"), c(7, "Police", "7 people were killed")],
                   casualty_conflicts=[CasualtyConflict(location=None, reports=[0, 1], headline_killed=5, note="n")])
    unplaced = Brief(headline="h", summary="s", meta=meta("y"), casualties=[c(9, None, "Gunmen killed 5 people")])
    elsewhere = Brief(headline="h", summary="s", meta=meta("z"), casualties=[
        c(2, None, "Gunmen killed 5 people", location="Mosul", perpetrator="Islamic State"),
        c(6, None, "7 people were killed", location="Mosul", perpetrator="coalition aircraft")])
    incidents = merge_casualties({1: linked, 2: unplaced, 3: elsewhere})
    assert [sorted(r.killed for r in i.reports) for i in incidents] == [[5, 7], [9], [2], [6]]
    assert incidents[0].conflict and incidents[0].headline_killed == 5
    assert not any(i.conflict for i in incidents[1:])


def test_open_questions_are_deduplicated_across_articles():
    d = day()
    assert len(d.open_questions) == 1
    q = d.open_questions[0]
    assert q.articles == [1, 2] and q.variants == []
    assert {e.article for e in q.evidence} == {1, 2}


def test_articles_are_numbered_in_input_order_and_failures_are_kept():
    d = day()
    assert [(a.id, a.status) for a in d.articles] == [(1, "ok"), (2, "ok"), (3, "ok"), (4, "failed")]
    assert d.articles[3].error.startswith("backend at") and d.articles[3].headline is None
    assert (d.stats.articles, d.stats.done, d.stats.cached, d.stats.failed) == (4, 3, 0, 1)
    assert d.stats.usage.calls == 9 and d.meta.model == "test-model"
    # plain briefs work too (for report tools)
    plain = build_daily_brief([brief_1(), brief_2()])
    assert [a.origin for a in plain.articles] == ["article-1.txt", "article-2.txt"]
    assert DailyBrief.model_validate_json(plain.model_dump_json()) == plain


def test_narrative_sentences_must_cite_known_articles_and_verified_figures():
    d = day()
    # more sentences than the grammar allows the model, to check them all at once
    answer = NarrativeAnswer.model_construct(sentences=[NarrativeDraft.model_validate(s) for s in [
        {"text": "Russian bombers flew from Iran's Hamedan airbase.", "sources": [1, 2]},
        {"text": "Sources disagree on the Aleppo toll: 19 or 25 civilians were killed [1] [2].", "sources": []},
        {"text": "Russia denied everything.", "sources": []},
        {"text": "A bomb killed 4 police officers in Kabul.", "sources": [7]},
        {"text": "The fourth article failed.", "sources": [4]},
        {"text": "In all 44 civilians were killed in Aleppo.", "sources": [1, 2]},
        {"text": "Russia flew 12 bombers from Iran.", "sources": [1]},
    ]])
    kept, rejected = check_narrative(answer, d)
    assert [(k.text, k.cites) for k in kept] == [
        ("Russian bombers flew from Iran's Hamedan airbase.", [1, 2]),
        ("Sources disagree on the Aleppo toll: 19 or 25 civilians were killed.", [1, 2]),
    ]
    reasons = {r.text: r.reason for r in rejected}
    assert reasons["Russia denied everything."] == "cites no article"
    assert reasons["A bomb killed 4 police officers in Kabul."] == "cites unknown article(s) 7"
    assert reasons["The fourth article failed."] == "cites unknown article(s) 4"  # failed: no brief to cite
    assert "44 is not a verified casualty figure" in reasons["In all 44 civilians were killed in Aleppo."]
    assert "12 is not stated" in reasons["Russia flew 12 bombers from Iran."]


def test_narrative_prompt_shows_numbered_briefs_and_the_checked_tolls():
    user = narrative_messages(day())[1]["content"]
    assert "[1] Russian bombers fly from Iran's Hamedan airbase to strike Syria" in user
    assert "[4]" not in user.split(">>>")[0]  # the failed article is not offered for citation
    assert "Aleppo (civilians): 19 killed, according to Syrian Observatory for Human Rights [1]" in user
    assert "figures differ; lowest: 19 killed" in user


def test_markdown_shows_citations_conflicts_and_failures():
    d = day()
    kept, rejected = check_narrative(NarrativeAnswer.model_validate({"sentences": [
        {"text": "Russian bombers flew from Hamedan.", "sources": [1, 2]},
        {"text": "Unsourced claim.", "sources": []}]}), d)
    md = daily_markdown(d.model_copy(update={"narrative": kept, "rejected": rejected}))
    assert md.startswith("# Daily brief — 2016-08-16")
    assert "- Russian bombers flew from Hamedan. [1][2]" in md
    assert "19 killed ⚠ figures differ" in md
    assert "| Russia | the Kremlin, Moscow | state | carried out strikes \\[1\\], spoke about the strikes \\[1\\], carried out strikes \\[2\\] | [1][2] |" in md
    assert "4. **failed** — article-4.txt: backend at" in md
    assert "- Unsourced claim.  — cites no article" in md


def test_html_escapes_article_text_and_links_items_to_highlighted_quotes():
    d = day()
    page = daily_html(d, TEXTS)
    assert "<script" not in page  # the article's script is text, not markup
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    start = TEXTS[1].index("air raids on Aleppo killed 19 civilians")
    # the quote sits inside a longer highlighted sentence (the Observatory actor's evidence)
    sentence = TEXTS[1].index("The Syrian Observatory")
    assert f'<mark id="q1-{sentence}">The Syrian Observatory' in page
    assert f'href="#q1-{sentence}"' in page and start > sentence
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\'' in page


def test_daily_schema_file_is_exported():
    doc = json.loads((ROOT / "schemas" / "daily_brief.schema.json").read_text())
    assert doc["title"] == "DailyBrief"
    assert {"narrative", "casualties", "actors", "articles", "rejected"} <= set(doc["properties"])


def test_one_articles_unlinked_figures_at_one_place_are_separate_incidents():
    """An article on a crash that also recalls older crashes "in Afghanistan" reports several
    incidents, not rival figures for one: no conflict, no lowest-figure headline across them."""
    b = brief_3()
    again = b.casualties[0].model_copy(update={"killed": 12, "part_of_larger_figure": False})
    b.casualties.append(again)  # same place and victims; the article did not link the two
    incidents = [i for i in merge_casualties({3: b}) if i.location == "Kabul"]
    assert sorted(i.headline_killed for i in incidents) == [4, 12]
    assert not any(i.conflict for i in incidents)
    # the same figures from two different articles are one incident, with the conflict flagged
    other = brief_3()
    other.casualties[0] = again
    merged = [i for i in merge_casualties({3: brief_3(), 4: other}) if i.location == "Kabul"]
    assert len(merged) == 1 and merged[0].conflict and merged[0].headline_killed == 4


def test_a_sentence_naming_places_no_cited_brief_names_is_moved_to_the_briefs_that_do_or_dropped():
    d = day()
    answer = NarrativeAnswer.model_construct(sentences=[NarrativeDraft.model_validate(s) for s in [
        {"text": "A bomb killed 4 police officers in Kabul.", "sources": [1]},  # Kabul is article 3's
        {"text": "Russian bombers flew from Hamedan airbase.", "sources": [1]},
        {"text": "Fighting spread to Mosul.", "sources": [1]},  # no brief names Mosul
    ]])
    kept, rejected = check_narrative(answer, d)
    assert [(k.text, k.cites) for k in kept] == [("A bomb killed 4 police officers in Kabul.", [3]),
                                                ("Russian bombers flew from Hamedan airbase.", [1])]
    assert kept[0].note == "cited [1], where Kabul is not; it is in [3]" and kept[1].note is None
    assert [(r.text, r.reason) for r in rejected] == [
        ("Fighting spread to Mosul.", "names Mosul, which the cited articles do not")]


def test_merged_actors_keep_each_articles_role_with_the_article():
    d = day()
    russia = next(a for a in d.actors if a.name == "Russia")
    assert {(r.article, r.role) for r in russia.roles} >= {(1, "carried out strikes")}
    assert all(r.article in russia.articles for r in russia.roles)
    md = daily_markdown(d)
    assert "carried out strikes \\[1\\]" in md


def test_a_toll_the_headline_repeats_from_the_body_is_one_report():
    from summarizer.text.grounding import Grounder
    from summarizer.verify.drafts import verify_drafts
    from summarizer.figures.candidates import candidates, read_figures

    text = ("U.S. Strike Kills Five in Somalia\n\nA U.S. airstrike killed five al-Shabab militants near "
            "Jilib on Friday, U.S. Africa Command said.")
    g = Grounder(text)
    out = verify_drafts(text, {}, g, figures=[(c, None) for c in candidates(read_figures(text, g.sentence_spans))])
    (c,) = out.items["casualties"]
    assert (c.killed, c.victims, c.reported_by, len(c.evidence)) == (5, "combatants", "U.S. Africa Command", 2)
    # credited differently ("AFRICOM:" in the headline): still one report, credited as the body does
    text = ("AFRICOM: US Strike in Somalia Kills 5 Militants\n\nThe U.S. military says an airstrike in "
            "central Somalia has killed five al-Shabab militants.")
    g = Grounder(text)
    out = verify_drafts(text, {}, g, figures=[(c, None) for c in candidates(read_figures(text, g.sentence_spans))])
    (c,) = out.items["casualties"]
    assert (c.killed, c.reported_by, c.evidence[0].quote[:12]) == (5, "U.S. military", "The U.S. mil")


def test_tolls_at_one_place_merge_across_articles_only_when_their_dates_agree():
    from summarizer.models.brief import Dateline

    def dated(b: Brief, date: str | None) -> Brief:
        return b.model_copy(update={"dateline": Dateline(date=date) if date else None})

    same = merge_casualties({1: dated(brief_1(), "2016-08-16"), 2: dated(brief_2(), "2016-08-16")})
    assert [i.articles for i in same if i.location == "Aleppo"] == [[1, 2]]
    unknown = merge_casualties({1: dated(brief_1(), "2016-08-16"), 2: dated(brief_2(), None)})
    assert [i.articles for i in unknown if i.location == "Aleppo"] == [[1, 2]]
    apart = merge_casualties({1: dated(brief_1(), "2016-08-16"), 2: dated(brief_2(), "2016-08-19")})
    assert sorted(i.articles for i in apart if "Aleppo" in (i.location or "")) == [[1], [2]]


def test_tolls_that_share_only_a_country_stay_apart_across_articles():
    def somalia(b: Brief) -> Brief:
        casualties = [c.model_copy(update={"location": "Somalia"}) for c in b.casualties]
        return b.model_copy(update={"casualties": casualties})

    incidents = merge_casualties({1: somalia(brief_1()), 3: somalia(brief_3())})
    assert all(len(i.articles) == 1 for i in incidents)


def test_a_title_case_headline_gives_no_named_actors():
    from summarizer.figures.actors import named_actors
    from summarizer.text.grounding import sentence_spans

    text = "US Airstrike in Somalia Kills 5 Militants\n\nU.S. Africa Command said the strike killed five militants."
    names = [a.name for a in named_actors(text, sentence_spans(text))]
    assert "U.S. Africa Command" in names and not any("Kills" in n or "Airstrike" in n for n in names)


def _actors(*names_roles_quotes: tuple[str, str, str], kind: str = "organization") -> Brief:
    return Brief(headline="h", summary="s", meta=meta("x"), actors=[
        Actor(name=n, kind=kind, role=r, evidence=[Evidence(quote=q, start=0, end=len(q))] if q else [])
        for n, r, q in names_roles_quotes])


def test_outlets_are_no_actors_documents_name_their_authors_and_initialisms_join_their_names():
    named = "named in the article"
    one = _actors(("Reuters", named, ""), ("Kabul News", named, ""), ("ECOWAS Communique", named, ""),
                  ("U.N.", named, ""), ("Arab League", "condemned the raid", ""))
    two = _actors(("United Nations", "sent envoys", ""), ("ECOWAS", "met in Abuja", ""), ("A.L", named, ""))
    merged = {a.name: a for a in merge_actors({1: one, 2: two})}
    assert set(merged) == {"United Nations", "ECOWAS", "Arab League"}
    assert merged["United Nations"].articles == [1, 2] and merged["United Nations"].variants == ["United Nations", "U.N."]
    assert merged["ECOWAS"].articles == [1, 2]
    people = {a.name for a in merge_actors({1: _actors(("Ali Noor", named, ""), ("AN", named, ""), kind="official")})}
    assert people == {"Ali Noor", "AN"}  # a person's initials are no one's name


def test_a_role_is_dropped_where_the_actor_is_only_named_after_its_verb():
    quote = "Drones have killed six Nasr Front fighters near Marib, the coalition said."
    b = _actors(("Nasr Front", "killed fighters", quote), ("coalition", "killed fighters", "The coalition killed six fighters."),
                ("Hill Brigade", "killed by drones", "Drones killed the Hill Brigade commander."), kind="armed group")
    roles = {a.name: [r.role for r in a.roles] for a in merge_actors({1: b})}
    assert roles["Nasr Front"] == ["named in the article"]  # what was done to it, not what it did
    assert roles["coalition"] == ["killed fighters"] and roles["Hill Brigade"] == ["killed by drones"]
