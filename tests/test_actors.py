"""Which named actors a brief keeps (verify/items.py, figures/nonactors.py): a place only where the text
makes it act; no headline fragments, scriptures, laws or events. Invented sentences; no model."""

from __future__ import annotations

import pytest

from summarizer.models.brief import DRAFTS
from summarizer.verify.drafts import verify_drafts

TEXT = (
    "Rebels Seize Hill Posts as Peacekeepers Withdraw\n\n"
    "Fighting raged on Tuesday in the town of Varsk in the Dorell region, near Kelmi, residents said. "
    "Russia said its jets struck rebel positions in the Varsk countryside. "
    "Iran's jets also took part, officials said. Moscow denied that civilians were hit. "
    "The Kenyan army said it had sent troops from Nairobi. "
    "Human Rights Watch accused both sides of breaking the Geneva Conventions. "
    "A Qur'an teacher was among the wounded, a medic at Tolvan hospital said. "
    "Rebels have besieged Brevik since May, and shelling hit homes in Brevik from Kelmi."
)


def kept(names: list[str], text: str = TEXT) -> list[str]:
    drafts = {"actors": [DRAFTS["actors"](name=n, kind="other", role="r") for n in names]}
    return [a.name for a in verify_drafts(text, drafts).items["actors"]]


def test_places_named_only_where_something_happened_are_not_actors():
    # "the town of Varsk", "the Varsk countryside", "the Dorell region", "near Kelmi", "in Brevik"
    # (and "besieged Brevik": an object, which does not make it act)
    assert kept(["Varsk", "Dorell", "Kelmi", "Brevik"]) == []


@pytest.mark.parametrize("name", ["Russia", "Iran", "Moscow", "Kenyan army", "Human Rights Watch"])
def test_states_and_groups_that_act_stay_actors(name):
    assert kept([name]) == [name]


def test_a_place_that_acts_anywhere_in_the_article_stays():
    text = "The strike hit a market in Kelmi. Kelmi denied the report on Wednesday."
    assert kept(["Kelmi"], text) == ["Kelmi"]


def test_the_source_of_a_statement_acts():
    text = "A statement from the Dorell Command said 12 fighters died near Varsk."
    assert kept(["Dorell Command"], text) == ["Dorell Command"]


def test_title_case_headline_fragments_with_a_verb_are_not_actors():
    assert kept(["Peacekeepers Withdraw", "Rebels Seize"]) == []


def test_scriptures_laws_and_events_are_not_actors():
    assert kept(["Qur'an", "Geneva Conventions"]) == []


def test_the_parse_own_entities_get_the_same_check():
    out = verify_drafts(TEXT, {}, pattern_bases=True)
    names = {a.name for a in out.items["actors"]}
    assert {"Russia", "Iran", "Moscow"} <= names
    assert not names & {"Varsk", "Dorell", "Kelmi", "Brevik", "Qur'an", "Tolvan"}
    reasons = {r.item["name"]: r.reason for r in out.rejected if r.section == "actors"}
    assert all("place" in reasons[n] for n in {"Varsk", "Dorell", "Kelmi", "Brevik"} & set(reasons))


@pytest.mark.parametrize("text,name,actor", [
    ("The mayor of Brevik told reporters that 12 people died.", "Brevik", False),
    ("Fighting raged in the provinces of Aleppo, Hama and Idlib.", "Idlib", False),
    ("The jets took off from Tolvan on Monday.", "Tolvan", False),
    ("A team from Tolvan boarded the ship.", "Tolvan", True),  # the team is Tolvan's
    ("The toll was 12, according to Varsk.", "Varsk", True),
    ("A researcher at Human Rights Watch said five people died.", "Human Rights Watch", True),
    ("The convoy was attacked by Tolvan near Varsk.", "Tolvan", True),
    ("2011 Afghanistan Boeing Chinook Shootdown\n\nA Chinook helicopter was shot down in Afghanistan.",
     "Boeing Chinook", True),  # a name read off a headline, but "Boeing" is no gerund
])
def test_what_one_mention_makes_of_a_name(text, name, actor):
    assert kept([name], text) == ([name] if actor else [])


def test_shorter_names_of_one_actor_are_one_actor_under_its_fullest_name():
    text = ("President Omar Kabeer al-Rashid flew to Varsk, where Rashid met the Tolvan Defense Forces. "
            "The Northern Union Mission in Dorell said the Defense Forces shelled the hills. "
            "The Northern Union condemned it, and the Northern Union Mission sent medics. "
            "Jabhat Ansar al-Din (formerly Jabhat al-Nur) and the Pakistani Taliban claimed attacks; "
            "the Taliban denied it. Ansar al-Din fighters and Jabhat al-Nur members fled.")
    drafts = {"actors": [DRAFTS["actors"](name=n, kind=k, role=r) for n, k, r in [
        ("Rashid", "other", "met the forces"), ("Omar Kabeer al-Rashid", "official", "named in the article"),
        ("Defense Forces", "military force", "shelled the hills"),
        ("Tolvan Defense Forces", "military force", "named in the article"),
        ("Northern Union", "organization", "condemned the shelling"),
        ("Northern Union Mission in Dorell", "organization", "reported the shelling"),
        ("Northern Union Mission", "organization", "sent medics"),
        ("Jabhat Ansar al-Din (formerly Jabhat al-Nur)", "armed group", "claimed attacks"),
        ("Ansar al-Din", "armed group", "fled"), ("Jabhat al-Nur", "armed group", "fled"),
        ("Pakistani Taliban", "armed group", "claimed attacks"), ("Taliban", "armed group", "denied it")]]}
    out = verify_drafts(text, drafts)
    assert [(a.name, a.kind, a.role) for a in out.items["actors"]] == [
        ("Omar Kabeer al-Rashid", "official", "met the forces"),  # the first's place and role
        ("Tolvan Defense Forces", "military force", "shelled the hills"),
        ("Northern Union", "organization", "condemned the shelling"),  # another actor than its mission
        ("Northern Union Mission in Dorell", "organization", "reported the shelling"),
        ("Jabhat Ansar al-Din (formerly Jabhat al-Nur)", "armed group", "claimed attacks"),
        ("Pakistani Taliban", "armed group", "claimed attacks"),
        ("Taliban", "armed group", "denied it")]  # one word names no one else's group
    assert {r.item["name"]: r.reason for r in out.rejected if r.section == "actors"} == {
        "Rashid": "the same actor as Omar Kabeer al-Rashid",
        "Defense Forces": "the same actor as Tolvan Defense Forces",
        "Northern Union Mission": "the same actor as Northern Union Mission in Dorell",
        "Ansar al-Din": "the same actor as Jabhat Ansar al-Din (formerly Jabhat al-Nur)",
        "Jabhat al-Nur": "the same actor as Jabhat Ansar al-Din (formerly Jabhat al-Nur)"}


def test_a_datelines_place_and_a_ministers_portfolio_are_not_actors():
    text = ("VARSK, Dorell -- Defense Minister Omar Ali said the army repelled the attack. "
            "The defense ministry said 12 rebels were killed.")
    assert kept(["VARSK", "Defense", "Omar Ali"], text) == ["Omar Ali"]


def test_forces_and_governments_named_by_whose_they_are_are_actors():
    text = ("Kenyan security forces repelled the attack on Tuesday, and coalition troops arrived later. "
            "The Kenyan government denied the report. Security forces sealed the area. "
            "Struggling forces withdrew.")
    names = {a.name: a.kind for a in verify_drafts(text, {}, pattern_bases=True).items["actors"]}
    assert names == {"Kenyan security forces": "military force", "coalition troops": "military force",
                     "Kenyan government": "state"}


def test_the_names_the_article_gives_one_group_are_one_actor():
    text = ("Jets struck targets of the Islamic State and Jabhat Fatah al-Sham (formerly Jabhat al-Nusra) "
            "near Varsk, the ministry said.")
    drafts = {"actors": [DRAFTS["actors"](name=n, kind="armed group", role="r")
                         for n in ("Islamic State", "Fatah al-Sham", "Jabhat al-Nusra")]}
    out = verify_drafts(text, drafts)
    assert [a.name for a in out.items["actors"]] == ["Islamic State", "Jabhat Fatah al-Sham"]
    assert [r.item["name"] for r in out.rejected if r.section == "actors"] == ["Fatah al-Sham"]
