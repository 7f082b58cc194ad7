"""The day's casualty rows: one per incident, each with a number, a place that is a place, and victims
as the text calls them (hand-built briefs, no model)."""

from __future__ import annotations

from summarizer.daily.aggregate import merge_casualties
from summarizer.models.brief import Brief, Casualty, CasualtyConflict, Evidence

from summarizer.llm.extract import program_figures
from summarizer.text.grounding import Grounder
from summarizer.verify.drafts import verify_drafts

from .daily_briefs import meta


def ev(quote: str) -> list[Evidence]:
    return [Evidence(quote=quote, start=0, end=len(quote), match="exact")]


def brief(*casualties: Casualty, conflicts: list[CasualtyConflict] | None = None) -> Brief:
    return Brief(headline="h", summary="s", meta=meta("x"), casualties=list(casualties),
                 casualty_conflicts=conflicts or [])


def toll(killed: int | None, quote: str, **kw) -> Casualty:
    fields = {"qualifier": "exact", "victims": "combatants", **kw}
    return Casualty(killed=killed, evidence=ev(quote), **fields)


def test_a_report_with_no_number_makes_no_row():
    b = brief(toll(None, "Militants attacked the base, reportedly killing dozens of troops.", qualifier="at least",
                   location="Somalia"),
              toll(60, "The group says 60 troops were killed", reported_by="the group"),
              toll(40, "at least 40 soldiers were killed", qualifier="at least", reported_by="the governor"),
              toll(None, "Dozens of peacekeeping troops were killed in those attacks.", qualifier="at least"),
              conflicts=[CasualtyConflict(location=None, reports=[1, 2], headline_killed=40, note="n")])
    (row,) = merge_casualties({1: b})
    assert (row.headline_killed, row.conflict, len(row.reports)) == (40, True, 2)
    assert merge_casualties({1: brief(toll(None, "Civilians were killed in the attack."))}) == []


def test_an_incident_whose_reports_name_civilians_and_combatants_is_mixed():
    b = brief(toll(4, "A suicide bomber killed at least four people", victims="unknown", qualifier="at least"),
              toll(3, "three Afghan civilians had died", victims="civilians", part_of_larger_figure=True),
              toll(1, "one soldier was among the dead", victims="combatants", part_of_larger_figure=True),
              conflicts=[CasualtyConflict(location=None, reports=[0, 1, 2], headline_killed=4, note="n")])
    (row,) = merge_casualties({1: b})
    assert (row.victims, row.headline_killed) == ("mixed", 4)
    civilians = brief(toll(19, "raids killed 19 civilians", victims="civilians"),
                      toll(3, "three children among the dead", victims="civilians", part_of_larger_figure=True),
                      conflicts=[CasualtyConflict(location=None, reports=[0, 1], headline_killed=19, note="n")])
    assert [r.victims for r in merge_casualties({1: civilians})] == ["civilians"]


def test_a_toll_recalled_in_the_next_days_story_at_the_same_place_is_one_incident():
    from summarizer.models.brief import Dateline

    def dated(day: str, *casualties: Casualty, **kw) -> Brief:
        return brief(*casualties, **kw).model_copy(update={"dateline": Dateline(date=day)})

    first = dated("2017-08-02", toll(2, "Two U.S. soldiers were killed and four were wounded", wounded=4,
                                     location="Kandahar", reported_by="officials"),
                  toll(15, "It says 15 soldiers were killed", location="Kandahar", reported_by="the Taliban"),
                  conflicts=[CasualtyConflict(location="Kandahar", reports=[0, 1], headline_killed=2, note="n")])
    recalled = toll(2, "an attack in Kandahar that killed at least two American soldiers", qualifier="at least",
                    location="Kandahar")
    (row,) = merge_casualties({1: first, 2: dated("2017-08-03", recalled)})
    assert (row.articles, row.headline_killed, row.headline_wounded) == ([1, 2], 2, 4)
    other = recalled.model_copy(update={"killed": 6})  # the next day, another toll: another attack
    assert len(merge_casualties({1: first, 2: dated("2017-08-03", other)})) == 2
    later = dated("2017-08-04", recalled)  # two days on: not merged on the toll alone
    assert len(merge_casualties({1: first, 2: later})) == 2


def test_a_part_of_a_toll_with_no_place_joins_the_toll_it_is_part_of():
    b = brief(toll(19, "air raids on Aleppo killed 19 civilians", victims="civilians", location="Aleppo"),
              toll(3, "which left three children among the dead", victims="civilians", part_of_larger_figure=True),
              toll(5, "A bomb killed 5 soldiers", location="Kabul"))
    rows = merge_casualties({1: b})
    assert [(r.location, r.headline_killed, len(r.reports)) for r in rows] == [("Aleppo", 19, 2), ("Kabul", 5, 1)]
    alone = brief(toll(3, "three children were among the dead", victims="civilians", part_of_larger_figure=True))
    assert [r.headline_killed for r in merge_casualties({1: alone})] == [3]  # nothing before it to be part of


def test_a_narrative_figure_of_another_article_moves_the_citation_there():
    from summarizer import build_daily_brief
    from summarizer.daily.narrative import check_narrative
    from summarizer.models.daily import NarrativeAnswer, NarrativeDraft

    from .daily_briefs import results

    d = build_daily_brief(results(), date="2016-08-16")
    answer = NarrativeAnswer.model_construct(sentences=[NarrativeDraft.model_validate(s) for s in [
        {"text": "25 civilians were killed in Aleppo.", "sources": [1]},  # article 2's figure
        {"text": "In all 44 civilians were killed in Aleppo.", "sources": [1]},  # nobody's
    ]])
    kept, rejected = check_narrative(answer, d)
    assert [(k.text, k.cites, k.note) for k in kept] == [
        ("25 civilians were killed in Aleppo.", [2], "cited [1], where a figure of it is not; it is in [2]")]
    assert [r.text for r in rejected] == ["In all 44 civilians were killed in Aleppo."]


def parsed(text: str) -> Brief:
    """The brief the program's own figures make of `text` (the model agreeing with every one)."""
    g = Grounder(text)
    out = verify_drafts(text, {}, g, figures=[(c, None) for c in program_figures(g)])
    return brief(*out.items["casualties"])


def test_running_totals_and_victims_come_from_the_brief_not_a_second_reading():
    day = {1: parsed("A car bomb killed three soldiers near Tikrit on Sunday. The ministry says more than 900 "
                     "civilians have died in the province in the past eight months."),
           2: parsed("More than 12 people were killed, the deadliest attack this year."),  # a rank, not a period
           3: parsed("Two guards died, and 40 others have died in the city this year.")}
    assert sorted(r.headline_killed for r in merge_casualties(day)) == [2, 3, 12]

    def victims(text: str) -> str:
        (row,) = merge_casualties({1: parsed(text)})
        return row.victims

    assert victims("Six people, both villagers and policemen, died when the shell hit.") == "mixed"
    assert victims("The mortar wounded 9 people, all of them soldiers, the army said.") == "combatants"
    assert victims("Gunmen killed six people at a checkpoint manned by troops.") == "unknown"  # not the victims


def test_one_articles_chain_of_sentences_makes_one_incident_with_its_repeats_harms_and_parts():
    b = brief(toll(5, "Bomb Kills 5 in Iraq", victims="unknown", location="Iraq"),
              toll(5, "A car bomb killed at least five people in Baquba on Friday, police said.", victims="unknown",
                   qualifier="at least", location="Baquba", reported_by="police"),
              toll(2, "Two policemen were among those who died in the blast.", part_of_larger_figure=True),
              toll(None, "Twenty people were wounded, a hospital official said.", wounded=20, victims="unknown",
                   reported_by="a hospital official"),
              toll(3, "Three traders had died in the attack, shop owners said.", victims="civilians",
                   reported_by="shop owners"),
              toll(None, "Four soldiers and one medic were hurt by the explosion and flown to Balad.", wounded=4,
                   location="Balad"),
              toll(None, "Four soldiers and one medic were hurt by the explosion and flown to Balad.", wounded=1,
                   victims="unknown", location="Balad"))
    (row,) = merge_casualties({1: b})
    assert (row.location, row.headline_killed, row.headline_wounded, row.victims) == ("Baquba", 5, 20, "mixed")
    assert not row.conflict and [r.part_of_larger_figure for r in row.reports] == [False] * 2 + [True] + [False] + [True] * 3


def test_a_figure_that_opens_or_recalls_another_incident_stays_apart_from_the_chain():
    b = brief(toll(4, "A rocket killed four soldiers in Hama on Monday.", location="Hama"),
              toll(None, "Meanwhile, a roadside bomb wounded seven people near Homs.", wounded=7, victims="unknown"),
              toll(2, "The raid followed an ambush in Idlib that killed two soldiers.", location="Idlib"),
              toll(None, "A dozen were wounded in the ambush.", wounded=12))
    rows = merge_casualties({1: b})
    assert [(r.location, r.headline_killed, r.headline_wounded) for r in rows] == [
        ("Hama", 4, None), (None, None, 7), ("Idlib", 2, 12)]


def test_a_numberless_lead_places_the_figures_that_follow_it():
    b = brief(toll(None, "Rebels overran an army post in Daraa province, killing dozens of soldiers.",
                   qualifier="at least", location="Daraa province"),
              toll(30, "The rebels say 30 soldiers were killed in the fighting.", reported_by="the rebels"),
              toll(3, "Meanwhile, an explosion killed 3 people at a market.", victims="unknown"))
    rows = merge_casualties({1: b})
    assert [(r.location, r.headline_killed) for r in rows] == [("Daraa province", 30), (None, 3)]


def test_also_and_a_day_opens_another_incident():
    b = brief(toll(30, "A car bomb killed 30 people outside the court.", victims="unknown"),
              toll(None, "More than 50 people were wounded in the blast.", wounded=50, victims="unknown"),
              toll(3, "Also Tuesday, officials said an air raid killed three police officers in the north."))
    rows = merge_casualties({1: b})
    assert [(r.headline_killed, r.headline_wounded, r.victims) for r in rows] == [
        (30, 50, "unknown"), (3, None, "combatants")]


def test_a_toll_no_article_places_given_alike_by_two_articles_is_one_incident():
    one = brief(toll(100, "More than 100 rebels were killed in the strike.", qualifier="more than"))
    two = brief(toll(100, "An air strike on a camp killed more than 100 rebels, a spokesman said.",
                     qualifier="more than", reported_by="a spokesman"))
    (row,) = merge_casualties({1: one, 2: two})
    assert (row.articles, row.headline_killed) == ([1, 2], 100)
    unknown = {n: b.model_copy(update={"casualties": [c.model_copy(update={"victims": "unknown"})
                                                      for c in b.casualties]}) for n, b in ((1, one), (2, two))}
    assert len(merge_casualties(unknown)) == 2  # "100 people" twice may be two attacks
    single = brief(toll(1, "A rebel commander was killed in a raid."))
    assert len(merge_casualties({1: single, 2: single.model_copy()})) == 2  # each death a person


def test_a_toll_dated_in_its_sentence_joins_that_days_incident_and_its_retold_harm():
    from summarizer.models.brief import Dateline

    def dated(day: str, *casualties: Casualty) -> Brief:
        return brief(*casualties).model_copy(update={"dateline": Dateline(date=day)})

    first = dated("2013-05-02", toll(2, "A bomb killed two engineers and wounded three others in Ghor province.",
                                     wounded=3, location="Ghor province", victims="civilians"))
    later = dated("2013-05-08", toll(2, "Two engineers were killed May 2 in an attack in Ghor province.",
                                     location="Ghor province", victims="civilians"),
                  toll(None, "Three others were wounded.", wounded=3, victims="unknown"))
    (row,) = merge_casualties({1: first, 2: later})
    assert (row.articles, row.headline_killed, row.headline_wounded) == ([1, 2], 2, 3)
    undated = later.model_copy(update={"casualties": [
        toll(2, "Two engineers were killed in an attack in Ghor province.", location="Ghor province",
             victims="civilians"), *later.casualties[1:]]})
    assert len(merge_casualties({1: first, 2: undated})) == 2  # six days apart, nothing says it is that attack


def test_people_an_article_calls_the_ones_already_told_are_its_incident():
    text = ("A suicide bomber attacked a convoy in Kelmi district on Thursday, killing one soldier. "
            "In addition, five members of the convoy sustained injuries. "
            "We hope for a quick recovery of the six who were wounded.")
    (row,) = merge_casualties({1: parsed(text)})
    assert (row.headline_killed, row.headline_wounded) == (1, 5)
    # an incident introduced, with its own count, stays apart
    text2 = text.replace("We hope for a quick recovery of the six who were wounded.",
                         "A roadside bomb wounded six people in another town.")
    assert len(merge_casualties({1: parsed(text2)})) == 2
