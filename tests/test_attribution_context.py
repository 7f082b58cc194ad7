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


@pytest.mark.parametrize("text,expected", [
    # the quotation closes in a later sentence that names its speaker
    ("\u201cTwelve people died in the explosion. Thirty more were wounded,\u201d said Ahmed Ali, the district "
     "governor.", [(12, "Ahmed Ali"), (30, "Ahmed Ali")]),
    # the quotation opens after its speaker
    ("The governor said: \u201cThe bomb went off at noon. Twelve people died.\u201d", [(12, "governor")]),
    # straight quotation marks, and a quotation that runs over into the next paragraph
    ('The governor said: "The bomb went off at noon.\n"Twelve people died and 20 were hurt."',
     [(12, "governor"), (20, "governor")]),
    # a quotation with no speaker of its own right after another continues its speaker
    ("\u201cTwelve people died,\u201d the governor said. \u201cAnother 20 were wounded in the blast.\u201d",
     [(12, "governor"), (20, "governor")]),
])
def test_a_quotation_over_several_sentences_has_one_speaker(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    # narration after a quotation: the article's own words
    ("\u201cThe gate was closed,\u201d the governor said. Twelve people died in the blast.", [(12, None)]),
    # a sentence that turns to another matter or another time
    ("The army said it killed 20 militants. Separately, a roadside bomb killed three civilians.",
     [(20, "army"), (3, None)]),
    ("Police said the attackers fled. In March, a similar attack killed 12 people.", [(12, None)]),
    # the article's own sum of what came before
    ("A first report said four guards were killed. This brings the toll to six guards killed.",
     [(4, "first report"), (6, None)]),
])
def test_a_figure_the_article_states_itself_has_no_source(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Twelve people were killed, Diyala province said in a statement.", [(12, None)]),
    ("A statement from Diyala province said 12 people were killed.", [(12, None)]),
    ("Officials in Diyala province said 12 people were killed.", [(12, "Officials")]),
    ("Diyala police said 12 people were killed.", [(12, "Diyala police")]),
    ("The governor of Diyala province said 12 people were killed.", [(12, "governor of Diyala province")]),
])
def test_a_place_is_never_a_source(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    # the parser hangs ", a spokesman for ... said" on the figure as an apposition: the speaker, not a victim
    ("The attack killed 12 people, a spokeswoman for the Zabul police chief said.",
     [(12, "spokeswoman for the Zabul police chief")]),
    ("The bombing killed 12 people, a spokesman for Governor Ali Wardak said.",
     [(12, "spokesman for Governor Ali Wardak")]),
])
def test_an_apposition_right_before_a_reporting_verb_is_its_speaker(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The governor was quoted as saying six people died.", [(6, "governor")]),
    # an owner's name keeps its possessive; a pronoun's is left out
    ("Six people were killed, the ministry's spokesman told reporters.", [(6, "ministry's spokesman")]),
    ("The army released a statement. Six soldiers were killed, its spokesman said.", [(6, "spokesman")]),
])
def test_the_speakers_words_are_read_whole(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The militant group issued a statement claiming it killed 20 soldiers.", [(20, "militant group")]),
    ("A statement issued by the ministry said 20 soldiers were killed.", [(20, "ministry")]),
    ("The ministry released a report saying 20 soldiers died.", [(20, "ministry")]),
])
def test_a_statement_is_its_issuers(text, expected):
    assert sources(text) == expected


def test_a_fight_that_claimed_a_life_reports_nothing():
    text = ("Army officials said the raid began at dawn. In a statement, army officials said the inquiry will "
            "ask whether the firefight that claimed the life of a sergeant also killed civilians.")
    assert sources(text) == [(1, "army officials")]


def test_a_person_named_in_apposition_anywhere_in_the_subject_is_the_speaker():
    # the parser hangs the name on the organisation ("the Red Crescent, Omar Farah Ali")
    assert sources("The director of the Red Crescent, Omar Farah Ali, said that two people had died.") == [
        (2, "Omar Farah Ali")]


@pytest.mark.parametrize("text,expected", [
    ("The group has claimed most of the recent attacks, including a bombing that killed 19 people.", [(19, None)]),
    ("The rebels claimed responsibility for the ambush, in which six guards were killed.", [(6, None)]),
])
def test_claiming_an_attack_is_not_reporting_its_toll(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Report: Gunmen Kill 12 Guards at Border Post", [(12, None)]),
    ("Afghan Officials: Air Strike Kills 11 Civilians", [(11, "Afghan Officials")]),
])
def test_a_headline_label_names_a_source_only_when_it_names_someone(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a report within a report: the outer speaker is the one who tells the reader
    ("Anna Berg, a spokeswoman for the agency, said that staff at the camp reported the deaths of six guards.",
     [(6, "Anna Berg")]),
    ("The ministry said hospitals reported that 30 people had died.", [(30, "ministry")]),
])
def test_the_outermost_speaker_reports_a_figure(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    # a paragraph that gives a source's account: its sentences with no voice of their own are that account
    ("Police said a car bomb exploded near the gate. Five attackers were shot dead as they tried to enter.",
     [(5, "Police")]),
    ("Twelve soldiers died in the ambush, army officials said. Four more were wounded when their truck hit a "
     "mine. Two of the wounded were flown to a hospital.", [(12, "army officials"), (4, "army officials"),
                                                             (2, "army officials")]),
    ("According to the governor, gunmen stormed the school at dawn. Three guards were killed.",
     [(3, "governor")]),
    # not into the next paragraph, nor past another voice
    ("Police said a car bomb exploded near the gate.\nFive attackers were shot dead.", [(5, None)]),
    ("Police said a car bomb exploded near the gate. Witnesses described panic in the street. Five people died.",
     [(5, None)]),
    ("The army said its troops were ambushed. The rebels denied the account. Nine soldiers died.",
     [(9, None)]),
])
def test_a_paragraph_gives_one_sources_account(text, expected):
    assert sources(text) == expected


def test_the_statement_said_takes_who_issued_it():
    text = "The army issued a statement on Tuesday. The statement said 12 militants were killed."
    assert sources(text) == [(12, "army")]


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014", "--"])
def test_a_dateline_is_not_part_of_the_speakers_name(dash):
    text = f"KANDAHAR {dash} Afghan officials say a roadside bomb has killed eight civilians."
    assert sources(text) == [(8, "Afghan officials")]


@pytest.mark.parametrize("text,expected", [
    # a second report in a clause of its own ("while ...") is not within the first
    ("The rebels said they killed 40 soldiers, while the army said 15 rebels died.",
     [(40, "rebels"), (15, "army")]),
    ("The ministry said in a statement that 15 people died. Dozens more were hurt, the statement said.",
     [(15, "ministry"), (None, "ministry")]),
    ("The Red Crescent said it was sending aid. It said 12 civilians died.", [(12, "Red Crescent")]),
])
def test_reports_side_by_side_keep_their_own_speakers(text, expected):
    assert sources(text) == expected


def test_it_continues_whoever_spoke_last_with_any_verb_of_saying():
    text = ("Amnesty International said security forces killed at least 30 protesters. The government denied the "
            "claim. It said 12 people died.")
    assert sources(text) == [(30, "Amnesty International"), (12, "government")]


def test_a_quotation_is_spoken_with_any_verb_of_saying():
    text = "\u201cTwelve people died. Thirty more were hurt,\u201d the governor explained."
    assert sources(text) == [(12, "governor"), (30, "governor")]


@pytest.mark.parametrize("text,expected", [
    ("The army issued a statement on Monday. It said 12 militants were killed.", [(12, "army")]),
    ("Police gave a higher toll. They said 15 people died.", [(15, "Police")]),
])
def test_who_gives_a_statement_or_a_toll_speaks(text, expected):
    assert sources(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The Taliban claimed responsibility, saying its fighters had killed 20 soldiers.", [(20, "Taliban")]),
    ("The ministry issued a statement on Monday, saying 12 soldiers were wounded.", [(12, "ministry")]),
    # a participle of harm reports nothing: the article itself gives the toll
    ("The explosion destroyed the building, killing 12 people.", [(12, None)]),
])
def test_a_participle_of_saying_speaks_for_its_clauses_subject(text, expected):
    assert sources(text) == expected
