"""Deterministic checks of grounding, figure verification and chunking (no model involved)."""

from __future__ import annotations

import pytest

from summarizer.extract import chunks
from summarizer.grounding import Grounder, sentence_spans
from summarizer.numbers import figure_check, find_numbers, is_cumulative
from summarizer.schema import DRAFTS
from summarizer.verify import check_prose, find_conflicts, verify_drafts
from summarizer.schema import Casualty, Evidence, OpenQuestion

TEXT = (
    "KABUL \u2014 Gunmen killed at least 12 people and wounded dozens in a market attack on Sunday, "
    "police said. A local official put the toll at \u201cfifteen dead\u201d. The gunmen also abducted "
    "30 traders. The war has killed more than 290,000 people since 2011. The city has 1,3-million people."
)


def draft(section: str, **fields):
    return DRAFTS[section](**fields)


def test_quotes_are_located_exactly_folded_and_fuzzily():
    g = Grounder(TEXT)
    exact = g.locate("Gunmen killed at least 12 people")
    assert exact.match == "exact" and TEXT[exact.start:exact.end] == "Gunmen killed at least 12 people"
    folded = g.locate('put the toll at "FIFTEEN dead"')
    assert folded.match == "normalized"
    # edge quote marks are trimmed from the model's quote; inner ones are matched after folding
    assert TEXT[folded.start:folded.end] == "put the toll at \u201cfifteen dead"
    fuzzy = g.locate("The war has killed more than 290000 people since 2011")
    assert fuzzy.match == "fuzzy" and TEXT[fuzzy.start:fuzzy.end].startswith("The war has killed")
    assert g.locate("Rebels shot down a helicopter over the city") is None


@pytest.mark.parametrize("text,value,want,ok", [
    ("Gunmen killed at least 12 people", 12, "death", True),
    ("the toll at fifteen dead", 15, "death", True),
    ("The gunmen also abducted 30 traders", 30, "death", False),
    ("police made 700 arrests", 700, "death", False),
    ("seized 3 boats and killed two crew", 3, "death", False),
    ("two presumed fatalities, six injuries", 6, "injury", True),
    ("two presumed fatalities, six injuries", 6, "death", False),
    ("concerns for the1,3-million people in Aleppo", 1_300_000, "death", False),
    ("Seven U.S. and four Afghans were killed", 7, "death", True),
])
def test_figures_must_be_stated_as_deaths_or_injuries(text, value, want, ok):
    mention, reason = figure_check(value, text, want)
    assert (mention is not None) is ok, reason


def test_qualifiers_and_vague_amounts_are_read_from_the_text():
    got = {(m.value, m.qualifier, m.kind) for m in find_numbers("killing at least 12 people and wounding dozens")}
    assert got == {(12, "at least", "death"), (None, "at least", "injury")}
    assert is_cumulative("has killed more than 290,000 people since it erupted in March 2011")
    assert not is_cumulative("air raids on Tuesday killed 19 civilians")


def test_verification_rejects_invented_and_misattributed_figures():
    drafts = {
        "casualties": [
            draft("casualties", quote="Gunmen killed at least 12 people and wounded dozens", killed=12,
                  wounded=24, qualifier="exact", victims="civilians", location="market", reported_by="police"),
            draft("casualties", quote="The gunmen also abducted 30 traders", killed=30, qualifier="exact",
                  victims="civilians"),
            draft("casualties", quote="The city has 1,3-million people", killed=1_300_000, qualifier="exact",
                  victims="civilians"),
            draft("casualties", quote="The war has killed more than 290,000 people since 2011",
                  killed=290_000, qualifier="more than", victims="mixed"),
            draft("casualties", quote="Rebels shot down a helicopter, killing 9", killed=9, qualifier="exact",
                  victims="combatants"),
        ],
        "actors": [draft("actors", name="police", kind="official", role="gave the toll"),
                   draft("actors", name="Ministry of Truth", kind="state", role="invented")],
    }
    out = verify_drafts(TEXT, drafts)
    kept = out.items["casualties"]
    assert [(c.killed, c.wounded, c.qualifier) for c in kept] == [(12, None, "at least")]
    assert kept[0].evidence[0].grounded
    reasons = " / ".join(r.reason for r in out.rejected)
    assert "wounded figure rejected: 24 is not stated" in reasons
    assert "30 is stated as abduction" in reasons
    assert "1300000 is stated as no event" in reasons
    assert "quote not found" in reasons
    assert "name not found" in reasons
    assert [b.figure for b in out.items["background_figures"]] == ["more than 290,000"]
    assert [a.name for a in out.items["actors"]] == ["police"]


def test_every_kept_item_points_at_its_own_words():
    drafts = {"actors": [draft("actors", name="Gunmen", kind="armed group", role="attacked")],
              "open_questions": [draft("open_questions", quote="A local official put the toll at",
                                       question="12 or 15 dead?", why="figures differ")]}
    out = verify_drafts(TEXT, drafts)
    for section in ("actors", "open_questions"):
        for item in out.items[section]:
            ev = item.evidence[0]
            assert TEXT[ev.start:ev.end] == ev.quote


def test_conflicting_reports_are_flagged_with_the_conservative_figure():
    ev = [Evidence(quote="x", start=0, end=1)]
    a = Casualty(killed=60, qualifier="exact", victims="combatants", location="El Adde", reported_by="al-Shabab", evidence=ev)
    b = Casualty(killed=40, qualifier="at least", victims="combatants", location="El Adde", reported_by="deputy governor", evidence=ev)
    (conflict,) = find_conflicts([a, b])
    assert conflict.headline_killed == 40 and conflict.reports == [0, 1]
    assert find_conflicts([a]) == []


def test_prose_with_unverified_numbers_is_dropped():
    out = verify_drafts(TEXT, {})
    kept = [Casualty(killed=12, qualifier="at least", victims="civilians", evidence=[])]
    headline, summary = check_prose(
        "Gunmen kill 12 in market attack",
        "Gunmen killed 12 people, police said. The attack killed 1,300,000 people. They took 30 traders.",
        TEXT, kept, out)
    assert headline == "Gunmen kill 12 in market attack"
    assert summary == "Gunmen killed 12 people, police said. They took 30 traders."
    assert [r.section for r in out.rejected] == ["summary"]


def test_long_articles_are_chunked_with_overlap_and_nothing_dropped():
    paras = [f"Paragraph {i} " + "word " * 40 for i in range(20)]
    text = "\n".join(paras)
    pieces = chunks(text, 1000)
    assert len(pieces) > 1 and all(len(p) <= 1000 for p in pieces)
    for p in paras:
        assert any(p in piece for piece in pieces)
    assert pieces[0].splitlines()[-1] == pieces[1].splitlines()[0]  # one paragraph of overlap
    assert chunks("short", 1000) == ["short"]


@pytest.mark.parametrize("sentence,role", [
    ("The strike killed 42 people, including 24 patients and 14 staff, MSF said.", ["incident", "part", "part"]),
    ("The raids killed 19 civilians, including three children among the dead.", ["incident", "part"]),
    ("The war has killed more than 290,000 people since it erupted in March 2011.", ["total"]),
    ("Militants shot and killed nine donkeys carrying goods.", ["not people"]),
    ("Earlier this year, militants killed 9 people in the same town.", ["incident"]),
])
def test_figure_roles_are_read_from_the_words_around_them(sentence, role):
    from summarizer.numbers import casualty_candidates, figure_role
    g = Grounder(sentence)
    assert [figure_role(sentence, c) for c in casualty_candidates(sentence, g.sentence_spans)] == role


def test_figures_pair_deaths_with_injuries_and_coordinated_counts():
    from summarizer.numbers import casualty_candidates
    text = ("The Pentagon said 13 U.S. service members were killed and 18 were wounded. "
            "In March a crash killed 12 soldiers on board and at least four people on the ground. "
            "The blast on Jan. 8 hit the base.")
    g = Grounder(text)
    got = [(c.killed and c.killed.value, c.wounded and c.wounded.value) for c in casualty_candidates(text, g.sentence_spans)]
    assert got == [(13, 18), (12, None), (4, None)]


def test_dateline_is_read_from_the_opening():
    from summarizer.dateline import find_dateline
    assert find_dateline("date 2016-08-16 MOSCOW \u2014 Russia said Tuesday...").model_dump() == {
        "date": "2016-08-16", "place": "MOSCOW"}
    assert find_dateline("KABUL, Aug. 27, 2021 \u2014 A suicide bomber struck...").model_dump() == {
        "date": "2021-08-27", "place": "KABUL"}
    assert find_dateline("By CJTF - Operation Inherent Resolve News Release") is None
    assert find_dateline("Gunmen attacked a market.") is None


def test_bases_found_by_pattern_skip_headlines_and_country_references():
    from summarizer.verify import program_bases
    text = ("Al-Shabab Attacks African Union Base\n\nJets flew from the Hamedan base in Iran. "
            "The use of the Iran base helps Moscow. Troops at Camp Arifjan and Fort Stewart deployed; "
            "a Syrian air base and Shayrat air base were hit.")
    assert [b.name for b in program_bases(Grounder(text))] == [
        "Hamedan base", "Camp Arifjan", "Fort Stewart", "Shayrat air base"]


def test_settings_come_from_the_usual_environment_variables(monkeypatch):
    from summarizer.settings import Settings
    monkeypatch.setenv("OPENAI_BASE_URL", "http://gpu:8000/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key")
    monkeypatch.setenv("SUMMARIZER_MODEL", "qwen2.5-7b")
    s = Settings()
    assert (s.base_url, s.key(), s.model) == ("http://gpu:8000/v1", "sk-env-key", "qwen2.5-7b")
    assert "sk-env-key" not in repr(s)
    assert Settings(base_url="http://other/v1").base_url == "http://other/v1"  # flags win


@pytest.mark.parametrize("sentence,figure,who", [
    ("Al-Shabab says 60 Kenyan troops were killed, but Deputy Gedo Governor Mohamed Hussein Isaak told VOA "
     "that at least 40 Kenyan soldiers were killed", "60", "Al-Shabab"),
    ("Al-Shabab says 60 Kenyan troops were killed, but Deputy Gedo Governor Mohamed Hussein Isaak told VOA "
     "that at least 40 Kenyan soldiers were killed", "40", "Deputy Gedo Governor Mohamed Hussein Isaak"),
    ("The Syrian Observatory for Human Rights said air raids killed 19 civilians.", "19",
     "The Syrian Observatory for Human Rights"),
    ("Gunmen killed 12 people in Dogo market, police said.", "12", "police"),
    ("In September, 17 militants were killed during six precision strikes.", "17", None),
])
def test_the_source_of_a_figure_is_read_from_its_sentence(sentence, figure, who):
    from summarizer.verify import reported_by
    assert reported_by(sentence, sentence.index(figure)) == who


def test_figure_attributes_that_are_not_the_articles_words_are_dropped():
    from summarizer.numbers import casualty_candidates
    from summarizer.schema import FigureLabel
    text = "Air raids on Tuesday killed 19 civilians in Aleppo, the Syrian Observatory for Human Rights said."
    g = Grounder(text)
    (c,) = casualty_candidates(text, g.sentence_spans)
    copied = FigureLabel(victims="civilians", location="Dogo market", perpetrator="gunmen", reported_by="police")
    out = verify_drafts(text, {}, g, figures=[(c, copied)])
    (kept,) = out.items["casualties"]
    assert (kept.killed, kept.location, kept.perpetrator) == (19, None, None)
    assert kept.reported_by == "the Syrian Observatory for Human Rights"


def test_a_figure_takes_place_and_perpetrator_from_its_part_in_the_next_sentence():
    from summarizer.numbers import casualty_candidates
    from summarizer.schema import FigureLabel
    text = ("The monitor said air raids on two districts of the city killed 19 civilians. Its head said the "
            "strikes on Bab and Sakhur, which left three children among the dead, were carried out by "
            "either Russian or regime aircraft and had also wounded dozens of people. Separately, 4 soldiers "
            "died in a crash.")
    g = Grounder(text)
    whole, part, other = casualty_candidates(text, g.sentence_spans)
    labels = [FigureLabel(victims="civilians", location=None, perpetrator=None, reported_by=None),
              FigureLabel(victims="civilians", location="Bab and Sakhur",
                          perpetrator="either Russian or regime aircraft and had also wounded dozens of people.",
                          reported_by=None),
              FigureLabel(victims="combatants", location=None, perpetrator=None, reported_by=None)]
    out = verify_drafts(text, {}, g, figures=list(zip([whole, part, other], labels)))
    by_killed = {c.killed: c for c in out.items["casualties"]}
    assert by_killed[3].part_of_larger_figure
    # the label ran on into the rest of the sentence: cut to the phrase that names the actor
    assert by_killed[3].perpetrator == "either Russian or regime aircraft"
    assert (by_killed[19].location, by_killed[19].perpetrator) == ("Bab and Sakhur", "either Russian or regime aircraft")
    assert (by_killed[4].location, by_killed[4].perpetrator) == (None, None)  # another incident takes nothing


def test_vague_running_totals_read_as_written_and_answered_questions_are_not_open():
    from summarizer.numbers import casualty_candidates
    from summarizer.schema import FigureLabel
    text = ("Since January scores of civilians have been killed, reports said. Air raids on Tuesday "
            "killed 19 civilians, the monitor said. It is unclear who flew the jets.")
    g = Grounder(text)
    figures = [(c, FigureLabel(victims="civilians", location=None, perpetrator=None, reported_by=None))
               for c in casualty_candidates(text, g.sentence_spans)]
    questions = [draft("open_questions", question="How many civilians were killed?", why="not stated",
                       quote="Air raids on Tuesday killed 19 civilians"),
                 draft("open_questions", question="Who flew the jets?", why="not stated",
                       quote="It is unclear who flew the jets.")]
    out = verify_drafts(text, {"open_questions": questions}, g, figures=figures)
    assert [b.figure for b in out.items["background_figures"]] == ["scores"]
    assert [c.killed for c in out.items["casualties"]] == [19]
    assert [q.question for q in out.items["open_questions"]] == ["Who flew the jets?"]
    assert any(r.section == "open_questions" and "19 killed" in r.reason for r in out.rejected)


def test_named_sources_are_actors_and_unnamed_ones_are_not():
    from summarizer.verify import program_sources
    text = ("Officials said the convoy was hit. A witness in Dogo said the blast was loud. Army spokesman "
            "Col. Ade Bello told reporters that 5 soldiers died. Bello said more troops were sent. Local health "
            "officials said clinics were full. The Red Cross said on Monday it had sent aid. Regional officials said "
            "the road was closed. Ministry of Defence officials said the inquiry had begun. Afghan officials said "
            "the border was shut. Doctors said the wards were full.")
    found = {d.name: d.kind for d in program_sources(Grounder(text))}
    assert found == {"Army spokesman Col. Ade Bello": "official", "Red Cross": "organization",
                     "Ministry of Defence": "organization"}


@pytest.mark.parametrize("sentence,expected", [
    ("SANA said nine civilians, including four children, were killed in nearby villages.",
     [(9, None, "incident"), (4, None, "part")]),
    ("Twelve people, among them three children, were wounded.", [(None, 12, "incident"), (None, 3, "part")]),
    ("The army sent 300 troops, including 20 medics, to the border.", []),
    ("Four of the 12 aid workers, including two doctors, were killed.", [(2, None, "part")]),
])
def test_a_figure_whose_parenthesis_names_a_part_is_a_casualty_figure_itself(sentence, expected):
    from summarizer.numbers import casualty_candidates, figure_role
    cands = casualty_candidates(sentence, Grounder(sentence).sentence_spans)
    assert [(c.killed and c.killed.value, c.wounded and c.wounded.value, figure_role(sentence, c))
            for c in cands] == expected


def test_figures_sharing_only_a_country_are_not_rival_reports():
    def cas(killed, by, start, victims="unknown", location="Afghanistan"):
        quote = "x" * 10
        return Casualty(killed=killed, qualifier="exact", victims=victims, location=location, reported_by=by,
                        evidence=[Evidence(quote=quote, start=start, end=start + 10, match="exact")])
    # a crash's 7 and the 3 of another sentence, both "in Afghanistan": no conflict, victims known or not
    assert find_conflicts([cas(7, "NATO", 0), cas(3, "the coalition", 100)]) == []
    assert find_conflicts([cas(7, "NATO", 0, "civilians"), cas(3, "the coalition", 100, "civilians")]) == []
    # a city is specific, even one whose name ends like a demonym
    assert len(find_conflicts([cas(12, "police", 0, "civilians", "Ghazni"),
                               cas(30, "the Taliban", 100, "civilians", "Ghazni")])) == 1
    # the same specific place and the same victims, from two sources: a conflict, lowest first
    (c,) = find_conflicts([cas(7, "NATO", 0, "civilians", "Dogo market"),
                           cas(5, "police", 100, "civilians", "Dogo market")])
    assert c.headline_killed == 5 and c.reports == [0, 1]


def test_an_open_question_about_other_victims_or_other_matters_stays_open():
    from summarizer.verify import Verified, drop_answered_questions
    toll = Casualty(killed=19, qualifier="exact", victims="civilians",
                    evidence=[Evidence(quote="killed 19 civilians", start=0, end=19, match="exact")])
    out = Verified()
    out.items["open_questions"] = [OpenQuestion(question=q, why="not stated") for q in (
        "How many soldiers were killed?", "How many troops remain before the deadline?",
        "How many civilians died?")]
    drop_answered_questions(out, [toll], [])
    assert [q.question for q in out.items["open_questions"]] == [
        "How many soldiers were killed?", "How many troops remain before the deadline?"]


def test_a_part_gives_nothing_to_a_figure_of_another_incident():
    from summarizer.numbers import casualty_candidates
    from summarizer.schema import FigureLabel
    text = ("Twelve soldiers were killed on Monday, the army said. A Taliban car bomb in Kunduz killed dozens, "
            "including seven children.")
    g = Grounder(text)
    cands = casualty_candidates(text, g.sentence_spans)
    labels = [FigureLabel(victims="civilians", location="Kunduz" if "dozens" in g.text[c.start:c.end] or
                          "seven" in g.text[c.start:c.end] else None, perpetrator=None, reported_by=None)
              for c in cands]
    out = verify_drafts(text, {}, g, figures=list(zip(cands, labels)))
    twelve = next(c for c in out.items["casualties"] if c.killed == 12)
    assert twelve.location is None


@pytest.mark.parametrize("text, sentences", [
    ("U.S. forces hit 3 sites near Kabul, Afghan officials said. \"We will respond,\" Gen. John Smith said "
     "on Jan. 5. He left.",
     ["U.S. forces hit 3 sites near Kabul, Afghan officials said.",
      "\"We will respond,\" Gen. John Smith said on Jan. 5.", "He left."]),
    # a line break ends a sentence whatever its kind; offsets count characters, not bytes
    ("Frappe sur l’hôpital\r\nKUNDUZ — Médecins Sans Frontières said 42 died. “It was horrific.”\rEnd",
     ["Frappe sur l’hôpital", "KUNDUZ — Médecins Sans Frontières said 42 died.", "“It was horrific.”", "End"]),
    ("  \n\nOne line, no full stop\n\n", ["One line, no full stop"]),
    ("", []),
])
def test_sentences_and_their_offsets(text, sentences):
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == sentences
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))  # in order, not overlapping


@pytest.mark.parametrize("after, victims", [
    (" civilians in Aleppo", "civilians"),
    (" children among the dead", "civilians"),
    (" Afghan children and two women", "civilians"),
    (" of fighters", "combatants"),
    (" Kenyan soldiers were killed", "combatants"),
    (" U.S. troops", "combatants"),
    (" people, including five children", None),  # the whole counts people: not read from its part
    (" and wounded 5", None),
    (" fighter jets", None),
    ("", None),
])
def test_who_a_figure_counts_is_read_from_the_noun_after_it(after, victims):
    from summarizer.verify import victims_named
    assert victims_named(after) == victims


def test_a_figure_the_model_left_unknown_takes_its_victims_from_the_article():
    from summarizer.numbers import casualty_candidates
    from summarizer.schema import FigureLabel
    text = ("Air raids killed 19 people in Aleppo, the Observatory said. "
            "Its head said the strikes, which left three children among the dead, were carried out by jets.")
    g = Grounder(text)
    whole, part = casualty_candidates(text, g.sentence_spans)
    out = verify_drafts(text, {}, g, figures=[(whole, FigureLabel(victims="unknown")),
                                              (part, FigureLabel(victims="unknown"))])
    assert [(c.killed, c.victims) for c in out.items["casualties"]] == [(19, "unknown"), (3, "civilians")]
    # what the model said stands when it said something
    out = verify_drafts(text, {}, g, figures=[(part, FigureLabel(victims="mixed"))])
    assert out.items["casualties"][0].victims == "mixed"
