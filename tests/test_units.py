"""Deterministic checks of grounding, figure verification and chunking (no model involved)."""

from __future__ import annotations

import pytest

from summarizer.llm.extract import chunks
from summarizer.text.grounding import Grounder, sentence_spans
from summarizer.figures.candidates import Candidate, candidates, read_figures
from summarizer.models.brief import DRAFTS
from summarizer.verify.conflicts import find_conflicts
from summarizer.verify.drafts import verify_drafts
from summarizer.verify.prose import check_prose
from summarizer.models.brief import Casualty, Evidence, OpenQuestion

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
    assert "killed figure rejected: 30 is not stated as people killed or wounded" in reasons
    assert "killed figure rejected: 1300000 is not stated as people killed or wounded" in reasons
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


def test_dateline_is_read_from_the_opening():
    from summarizer.text.dateline import find_dateline
    assert find_dateline("date 2016-08-16 MOSCOW \u2014 Russia said Tuesday...").model_dump() == {
        "date": "2016-08-16", "place": "MOSCOW"}
    assert find_dateline("KABUL, Aug. 27, 2021 \u2014 A suicide bomber struck...").model_dump() == {
        "date": "2021-08-27", "place": "KABUL"}
    assert find_dateline("By CJTF - Operation Inherent Resolve News Release") is None
    assert find_dateline("Gunmen attacked a market.") is None


def test_bases_found_by_pattern_skip_headlines_and_country_references():
    from summarizer.verify.items import program_bases
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


def found(text: str, g: Grounder) -> list[Candidate]:
    return candidates(read_figures(text, g.sentence_spans))


def label(happened="killed"):
    from summarizer.models.brief import FigureLabel
    return FigureLabel(happened=happened)


def test_who_reports_where_who_did_it_and_the_victims_come_from_the_parse():
    text = "Gunmen killed 19 civilians in Aleppo on Tuesday, the Syrian Observatory for Human Rights said."
    g = Grounder(text)
    (c,) = found(text, g)
    out = verify_drafts(text, {}, g, figures=[(c, [label()])])
    (kept,) = out.items["casualties"]
    assert (kept.killed, kept.location, kept.perpetrator, kept.victims) == (19, "Aleppo", "Gunmen", "civilians")
    assert kept.reported_by == "Syrian Observatory for Human Rights"


def test_a_figure_the_model_reads_as_no_casualty_is_rejected_and_another_harm_is_shown_beside_it():
    text = "Gunmen killed 12 people and wounded 30 in the market, police said."
    g = Grounder(text)
    (c,) = found(text, g)
    assert (c.killed.value, c.wounded.value) == (12, 30)
    out = verify_drafts(text, {}, g, figures=[(c, [label("killed"), label("kidnapped")])])
    assert out.items["casualties"] == []
    (r,) = out.rejected
    assert r.item["parser"] == "wounded" and r.item["model"] == "no casualty ('kidnapped')"
    out = verify_drafts(text, {}, g, figures=[(c, [label("dead"), label("injured")])])
    assert [(k.killed, k.wounded, k.reported_by, k.model_reading) for k in out.items["casualties"]] == [
        (12, 30, "police", None)]
    # killed for wounded: the figure stands on the parse, and the model's reading is shown beside it
    out = verify_drafts(text, {}, g, figures=[(c, [label("killed"), label("killed")])])
    assert [(k.killed, k.wounded, k.model_reading) for k in out.items["casualties"]] == [(12, 30, "30: killed ('killed')")]


def test_vague_running_totals_read_as_written_and_answered_questions_are_not_open():
    text = ("Since January scores of civilians have been killed, reports said. Air raids on Tuesday "
            "killed 19 civilians, the monitor said. It is unclear who flew the jets.")
    g = Grounder(text)
    figures = [(c, None if c.role == "total" else [label()]) for c in found(text, g)]
    questions = [draft("open_questions", question="How many civilians were killed?", why="not stated",
                       quote="Air raids on Tuesday killed 19 civilians"),
                 draft("open_questions", question="Who flew the jets?", why="not stated",
                       quote="It is unclear who flew the jets.")]
    out = verify_drafts(text, {"open_questions": questions}, g, figures=figures)
    assert [b.figure for b in out.items["background_figures"]] == ["scores"]
    assert [c.killed for c in out.items["casualties"]] == [19]
    assert [q.question for q in out.items["open_questions"]] == ["Who flew the jets?"]
    assert any(r.section == "open_questions" and "19 killed" in r.reason for r in out.rejected)


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
    from summarizer.verify.conflicts import drop_answered_questions
    from summarizer.verify.verified import Verified
    toll = Casualty(killed=19, qualifier="exact", victims="civilians",
                    evidence=[Evidence(quote="killed 19 civilians", start=0, end=19, match="exact")])
    out = Verified()
    out.items["open_questions"] = [OpenQuestion(question=q, why="not stated") for q in (
        "How many soldiers were killed?", "How many troops remain before the deadline?",
        "How many civilians died?")]
    drop_answered_questions(out, [toll], [])
    assert [q.question for q in out.items["open_questions"]] == [
        "How many soldiers were killed?", "How many troops remain before the deadline?"]


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


def test_victims_come_from_the_noun_the_figure_counts():
    text = ("Air raids killed 19 people in Aleppo, the Observatory said. "
            "Its head said the strikes, which left three children among the dead, were carried out by jets. "
            "Gunmen killed four soldiers and two farmers in Hama.")
    g = Grounder(text)
    cands = found(text, g)
    out = verify_drafts(text, {}, g, figures=[(c, [label()]) for c in cands])
    assert [(c.killed, c.victims, c.part_of_larger_figure) for c in out.items["casualties"]] == [
        (19, "unknown", False), (3, "civilians", True), (4, "combatants", False), (2, "civilians", False)]


def test_the_figure_check_follows_the_article_marks_each_figure_and_answers_go_to_the_figure_by_its_mark():
    import asyncio

    from summarizer.llm.extract import Drafts, _label_figures
    from summarizer.models.brief import Usage

    text = ("Market attack\n\nThe town was calm on Monday. Gunmen killed 12 people and wounded 30 in the "
            "market, police said. " + "Shops reopened later. " * 40)
    g = Grounder(text)
    seen = []

    class Backend:
        async def extract(self, model, messages, max_tokens):
            seen.append(messages)
            # the answer is keyed by mark, as the grammar writes it
            return model.model_validate_json('{"#1": "killed", "#2": "kidnapped"}'), Usage(calls=1), 0.1

    drafts = Drafts()
    asyncio.run(_label_figures(Backend(), found(text, g), text, text, drafts))
    (prompt,) = [m["content"] for m in seen[0] if m["role"] == "user"]
    article, task = prompt.split("TASK: FIGURES")
    assert "Market attack" in article and "[" not in article  # the article, as the other passes see it
    # each figure marked in a few of its own words
    assert "killed 12[#1] people" in task and "wounded 30[#2] in" in task
    assert "Shops reopened" not in task and "calm on Monday" not in task
    ((c, labels),) = drafts.figures
    assert [lab.happened for lab in labels] == ["killed", "kidnapped"]
    out = verify_drafts(text, {}, g, figures=drafts.figures)
    assert out.items["casualties"] == [] and out.rejected[0].item["model"] == "no casualty ('kidnapped')"


@pytest.mark.parametrize("answer, kept", [
    ("NATO service members and four", True),  # it copied who was counted, not what happened: no answer
    ("contractors that", True),
    ("killed", True),
    ("kidnapped", False),  # a happening that is no casualty: the figure goes to rejected
])
def test_an_answer_that_copies_who_was_counted_is_no_answer(answer, kept):
    from summarizer.figures.candidates import reading_of
    from summarizer.models.brief import FigureLabel

    text = "Blast in Kabul\n\nThe attack killed two NATO service members and four contractors, officials said."
    g = Grounder(text)
    (c,) = [c for c in found(text, g) if c.killed and c.killed.value == 2]
    out = verify_drafts(text, {}, g, figures=[(c, [FigureLabel(happened=answer)])])
    assert [x.killed for x in out.items["casualties"]] == ([2] if kept else [])
    assert (reading_of(answer) == "unanswered") == (answer[0].isupper() or answer.endswith("that"))


@pytest.mark.parametrize("answer, counted, reading", [
    ("another", "another peacekeeper", "unanswered"),  # the figure's own words: who was counted
    ("Tarek Haddad", "Tarek Haddad", "unanswered"),
    ("dozens", "dozens", "unanswered"),
    ("Omar Sayed Khalil", "Khalil", "unanswered"),  # a person's name says who, not what happened
    ("other Iraqis", "10", "unanswered"),  # a nationality
    ("evacuated", "13", "no casualty"),
    ("Kidnapped", "30", "no casualty"),
    ("killed", "another peacekeeper", "killed"),
    ("", "12", "unanswered"),
    ("crewman", "one", "unanswered"),  # an agent noun names who was counted
    # the words of who was counted, the last cut short by the answer's bound
    ("Resolute Support Mission soli", "one Resolute Support Mission solider and Afghan civilians", "unanswered"),
    ("deployed", "Two hundred troops ", "no casualty"),
])
def test_an_answer_that_names_who_was_counted_leaves_the_parse_standing(answer, counted, reading):
    from summarizer.figures.candidates import reading_of

    assert reading_of(answer, counted) == reading


def test_a_name_is_located_in_the_article_not_in_its_source_url():
    text = "source: https://news.example/al-shabab-attacks-base\npublished: 2016-01-15\n\nAl-Shabab attacked a base."
    ev = Grounder(text).locate_name("Al-Shabab")
    assert ev.quote == "Al-Shabab attacked a base." and ev.start == text.index("Al-Shabab attacked")


def test_a_headline_toll_the_body_repeats_is_asked_once_and_takes_the_body_answer():
    import asyncio

    from summarizer.llm.extract import Drafts, _label_figures
    from summarizer.models.brief import Usage

    text = "Bomb kills 12 in market\n\nA bomb killed 12 people in the market on Monday, police said."
    g = Grounder(text)
    asked = []

    class Backend:
        async def extract(self, model, messages, max_tokens):
            asked.append(messages[-1]["content"].split("TASK: FIGURES")[1])
            return model.model_validate_json('{"#1": "killed"}'), Usage(calls=1), 0.1

    drafts = Drafts()
    asyncio.run(_label_figures(Backend(), found(text, g), text, text, drafts))
    assert len(asked) == 1 and asked[0].count("12[#") == 1 and "A bomb killed 12[#1]" in asked[0]
    assert len(drafts.figures) == 2  # headline and body: each has the body's answer
    assert all([lab.happened for lab in labels] == ["killed"] for _, labels in drafts.figures)


def test_the_one_date_a_sentence_gives_by_month_and_day_is_read_in_the_articles_year():
    from summarizer.text.dateline import date_in
    assert date_in("The two engineers were killed May 2 in the ambush.", 2013) == "2013-05-02"
    assert date_in("The convoy was hit on 14 Sept. near the pass.", 2019) == "2019-09-14"
    assert date_in("The raid on Jan. 9, 2016 killed four.", 2019) == "2016-01-09"  # its own year
    assert date_in("A bomb killed 3 Marines near the base.", 2013) is None  # no month
    assert date_in("Raids on March 2 and March 9 killed 12.", 2013) is None  # two dates: not one day


def test_people_killed_one_by_one_in_one_sentence_are_reports_of_their_own_and_a_repeat_is_one():
    text = ("Gunmen kill 9 at checkpoint\n\nGunmen killed nine people at a checkpoint on Monday, police said. "
            "Among those killed were a police commander and a district judge.")
    g = Grounder(text)
    rows = verify_drafts(text, {}, g, figures=[(c, None) for c in found(text, g)]).items["casualties"]
    assert [(r.killed, r.part_of_larger_figure) for r in rows] == [(9, False), (1, True), (1, True)]
    # the headline's 9 and the body's are one report, with the evidence of both
    assert len(rows[0].evidence) == 2 and len(rows[1].evidence) == len(rows[2].evidence) == 1


def test_a_place_named_by_its_name_and_kind_is_the_reports_place():
    text = "Meanwhile, a roadside bomb killed seven people in Somalia's central Hiran region on Monday, officials said."
    (c,) = found(text, Grounder(text))
    assert c.location == "Hiran region"


def test_a_toll_of_another_attack_is_not_a_repeat_of_the_one_told():
    text = ("An airstrike on Thursday killed a senior commander of the group. "
            "Another suspected airstrike on Friday killed a commander known as Qorilow.")
    g = Grounder(text)
    rows = verify_drafts(text, {}, g, figures=[(c, None) for c in found(text, g)]).items["casualties"]
    assert [(r.killed, len(r.evidence)) for r in rows] == [(1, 1), (1, 1)]


def test_a_headline_giving_one_harm_of_the_bodys_toll_is_that_report():
    text = "Two Killed in Bomb Blast\n\nA bomb blast killed two people and wounded at least 13 others, police said."
    g = Grounder(text)
    (row,) = verify_drafts(text, {}, g, figures=[(c, None) for c in found(text, g)]).items["casualties"]
    assert (row.killed, row.wounded, row.qualifier, row.reported_by) == (2, 13, "exact", "police")
    assert [e.quote for e in row.evidence] == [
        "A bomb blast killed two people and wounded at least 13 others, police said.", "Two Killed in Bomb Blast"]


def test_a_first_sentence_is_no_headline_two_sources_of_one_toll_stay_two_reports():
    text = ("The death toll from Friday's blasts has climbed to 52, according to hospital records.\n\n"
            "Doctors at the five hospitals put the death toll at 52 and say 106 are wounded.")
    g = Grounder(text)
    rows = verify_drafts(text, {}, g, figures=[(c, None) for c in found(text, g)]).items["casualties"]
    assert [(r.killed, r.wounded, r.reported_by) for r in rows] == [
        (52, None, "hospital records"), (52, 106, "Doctors")]


def test_who_a_figure_counts_runs_to_its_verb_or_the_next_punctuation():
    from summarizer.figures.candidates import counted_phrase
    from summarizer.figures.mentions import find_numbers

    text = "It killed one Resolute Support Mission soldier and Afghan civilians. Two hundred troops were deployed."
    (one,) = [m for m in find_numbers(text) if m.text == "one"]
    (two,) = [m for m in find_numbers(text) if m.text == "Two hundred"]
    assert counted_phrase(text, one) == "one Resolute Support Mission soldier and Afghan civilians"
    assert counted_phrase(text, two).strip() == "Two hundred troops"
