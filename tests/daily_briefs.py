"""Briefs built by hand as inputs for the daily tests (they stand for verified briefs of three
articles of one day; they are test inputs, not model output)."""

from __future__ import annotations

from summarizer.daily.results import ArticleResult
from summarizer.text.read import Article
from summarizer.models.brief import (
    Actor, Asset, Base, Brief, Casualty, Evidence, Meta, OpenQuestion, Usage,
)

TEXTS = {
    1: ("MOSCOW — Russia said Tuesday its Tu-22M3 bombers flew out of Hamedan airbase in Iran to strike "
        "jihadists in Syria. The Kremlin said the strikes hit Islamic State depots. The Syrian Observatory "
        "for Human Rights said air raids on Aleppo killed 19 civilians. Who flew the Aleppo raids is unclear."),
    2: ("TEHRAN — Iran confirmed that Russian Tu-22M3 bombers used the Hamedan air base. Moscow's defence "
        "ministry said ISIL positions were hit. State media said 25 civilians were killed in Aleppo, Syria, "
        "and three children were among the dead. It is not known who carried out the Aleppo raids."),
    3: ("WASHINGTON — The U.S. said it was told of the Russian flights in advance. In Kabul, a bomb killed "
        "4 police officers near Camp Arifjan, officials said. <script>document.title='pwned'</script> "
        "Washington declined further comment."),
}


def ev(aid: int, quote: str) -> Evidence:
    text = TEXTS[aid]
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")


def meta(source: str, calls: int = 3) -> Meta:
    return Meta(model="test-model", backend="http://127.0.0.1:9/v1", profile="llama.cpp/multi",
                prompt_version="1-test", usage=Usage(calls=calls, prompt_tokens=100 * calls,
                                                     completion_tokens=10 * calls), source=source)


def brief_1() -> Brief:
    return Brief(
        headline="Russian bombers fly from Iran's Hamedan airbase to strike Syria",
        summary="Russia said its Tu-22M3 bombers flew from Hamedan airbase in Iran. The Syrian Observatory "
                "said air raids on Aleppo killed 19 civilians.",
        actors=[Actor(name="Russia", kind="state", role="carried out strikes", evidence=[ev(1, "Russia said Tuesday")]),
                Actor(name="the Kremlin", kind="state", role="spoke about the strikes",
                      evidence=[ev(1, "The Kremlin said the strikes hit Islamic State depots.")]),
                Actor(name="Islamic State", kind="armed group", role="targeted",
                      evidence=[ev(1, "The Kremlin said the strikes hit Islamic State depots.")]),
                Actor(name="Syrian Observatory for Human Rights", kind="organization", role="reports the toll",
                      evidence=[ev(1, "The Syrian Observatory for Human Rights said air raids on Aleppo killed 19 civilians.")])],
        assets=[Asset(name="Tu-22M3 bombers", type="aircraft", operator="Russia",
                      evidence=[ev(1, "its Tu-22M3 bombers flew out of Hamedan airbase")])],
        bases=[Base(name="Hamedan airbase", location="Iran", operator="Russia",
                    evidence=[ev(1, "its Tu-22M3 bombers flew out of Hamedan airbase")])],
        casualties=[Casualty(killed=19, qualifier="exact", victims="civilians", location="Aleppo",
                             reported_by="Syrian Observatory for Human Rights",
                             evidence=[ev(1, "air raids on Aleppo killed 19 civilians")])],
        open_questions=[OpenQuestion(question="Who carried out the Aleppo raids?", why="not stated",
                                     evidence=[ev(1, "Who flew the Aleppo raids is unclear.")])],
        meta=meta("article-1.txt"),
    )


def brief_2() -> Brief:
    return Brief(
        headline="Iran confirms Russian bombers used Hamedan air base",
        summary="Iran confirmed Russian Tu-22M3 bombers used the Hamedan air base. State media said 25 "
                "civilians were killed in Aleppo.",
        actors=[Actor(name="Iran", kind="state", role="host", evidence=[ev(2, "Iran confirmed")]),
                Actor(name="Moscow", kind="state", role="carried out strikes",
                      evidence=[ev(2, "Moscow's defence ministry said ISIL positions were hit.")]),
                Actor(name="ISIL", kind="armed group", role="targeted",
                      evidence=[ev(2, "Moscow's defence ministry said ISIL positions were hit.")]),
                Actor(name="State media", kind="organization", role="reports the toll",
                      evidence=[ev(2, "State media said 25 civilians were killed in Aleppo, Syria")])],
        assets=[Asset(name="Tu-22M3 bombers", type="aircraft", operator="Russian air force",
                      evidence=[ev(2, "Russian Tu-22M3 bombers used the Hamedan air base")])],
        bases=[Base(name="Hamedan air base", location="Iran", operator=None,
                    evidence=[ev(2, "Russian Tu-22M3 bombers used the Hamedan air base")])],
        casualties=[Casualty(killed=25, qualifier="exact", victims="civilians", location="Aleppo, Syria",
                             reported_by="State media",
                             evidence=[ev(2, "State media said 25 civilians were killed in Aleppo, Syria")]),
                    Casualty(killed=3, qualifier="exact", victims="civilians", location="Aleppo",
                             reported_by="State media", part_of_larger_figure=True,
                             evidence=[ev(2, "three children were among the dead")])],
        open_questions=[OpenQuestion(question="Who carried out the Aleppo raids?", why="unconfirmed",
                                     evidence=[ev(2, "It is not known who carried out the Aleppo raids.")])],
        meta=meta("article-2.txt"),
    )


def brief_3() -> Brief:
    return Brief(
        headline="U.S. says it was told of Russian flights; bomb kills 4 police in Kabul",
        summary="The U.S. said it was told of the Russian flights in advance. A bomb killed 4 police officers "
                "in Kabul.",
        actors=[Actor(name="U.S.", kind="state", role="was informed", evidence=[ev(3, "The U.S. said")]),
                Actor(name="Washington", kind="state", role="declined comment",
                      evidence=[ev(3, "Washington declined further comment.")])],
        bases=[Base(name="Camp Arifjan", location="Kabul", evidence=[ev(3, "near Camp Arifjan")])],
        casualties=[Casualty(killed=4, qualifier="exact", victims="combatants", location="Kabul",
                             evidence=[ev(3, "a bomb killed 4 police officers")])],
        casualty_conflicts=[],
        meta=meta("article-3.txt"),
    )


def results(failed: bool = True) -> list[ArticleResult]:
    """The three articles as `summarize_many` results, plus one failed article (id 4)."""
    out = [ArticleResult(i, Article(text=TEXTS[i + 1], origin=f"article-{i + 1}.txt"), brief=b())
           for i, b in enumerate((brief_1, brief_2, brief_3))]
    if failed:
        out.append(ArticleResult(3, Article(text="A fourth article.", origin="article-4.txt"),
                                 error="backend at http://127.0.0.1:9/v1 answered HTTP 400"))
    return out
