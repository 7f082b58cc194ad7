"""Merge one day's briefs into a `DailyBrief`, by program: the model does no counting or merging.

- Actors: the same actor under different names ("Russia", "Moscow", "the Kremlin") is merged by a
  small alias table of capitals and government metonyms, initialisms ("U.N") and fuzzy matching; the
  variants are kept. News outlets are left out, documents name their authors, and a role the article
  does not give the actor is dropped (actors.py).
- Bases and assets: de-duplicated by name, ignoring "air base"-style words and small spelling
  differences ("Al Asad" / "Al Assad").
- Casualties: reports with a number are rolled up per incident: within an article by its chain of
  sentences (chain.py), across articles by place and date; every source's figure is shown, and
  disagreeing figures are flagged with the most conservative (lowest) as the headline, as
  `verify.find_conflicts` does within one article. Running totals make no row (totals.py); victims
  the brief left unknown are read from the figure's own words where they say (victims.py).
- Open questions: near-duplicates merged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from rapidfuzz import fuzz

from ..llm import prompts
from . import actors, chain
from .results import ArticleResult
from ..text.read import Article
from ..models.daily import (
    ActorRole, ArticleRef, CitedEvidence, DailyBrief, DailyMeta, DailyStats, Incident, MergedActor, MergedAsset,
    MergedBase, MergedQuestion, TollReport,
)
from ..figures.toll import toll_text
from ..figures import lexicon as L
from ..text.dateline import date_in
from ..text.grounding import name_key
from ..models.brief import Brief, Casualty, Evidence, Usage
from ..verify.items import GENERIC_WORDS

# Trailing words that do not make a different actor: "Islamic State group", "al-Shabab militants".
_ACTOR_TAILS = {"group", "organization", "organisation", "movement", "militia", "militants", "fighters"}
FUZZY_NAME = 90
FUZZY_QUESTION = 88


def _actor_words(name: str) -> str:
    words = name_key(name).split()
    while len(words) > 1 and words[-1] in _ACTOR_TAILS:
        words.pop()
    return " ".join(words)


def alias(name: str) -> str | None:
    """The state (or group) a name stands for, by the alias table: "the Kremlin" -> "Russia"."""
    return L.STATE_ALIASES.get(_actor_words(name))


def actor_key(name: str) -> str:
    known = alias(name)
    return name_key(known) if known else _actor_words(name)


def place_key(name: str | None) -> str:
    """A base or place without its generic words or its country: "Hamedan airbase", "Hamedan air
    base" -> "hamedan"; "Aleppo city, Syria" -> "aleppo"."""
    if not name:
        return ""
    head = name.split(",")[0]
    words = (name_key(GENERIC_WORDS.sub(" ", head)) or name_key(head)).split()
    while len(words) > 1 and words[-1] in L.PLACE_NOUNS:
        words.pop()
    return " ".join(words)


def similar(a: str, b: str, threshold: int = FUZZY_NAME) -> bool:
    """Same key, or a small spelling difference; short keys ("us", "uk") must match exactly."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5:
        return False
    return fuzz.ratio(a, b) >= threshold or fuzz.token_sort_ratio(a, b) >= threshold


# ---- named items -----------------------------------------------------------------------------

@dataclass
class _Group:
    keys: set[str]
    members: list[tuple[int, Any]] = field(default_factory=list)  # (article id, item)

    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for _, item in self.members:
            seen.setdefault(" ".join(item.name.split()), None)
        return list(seen)

    def most(self, attr: str) -> Any:
        return Counter(getattr(item, attr) for _, item in self.members).most_common(1)[0][0]

    def distinct(self, attr: str) -> list[str]:
        seen: dict[str, str] = {}
        for _, item in self.members:
            value = getattr(item, attr)
            if value:
                seen.setdefault(name_key(value), value)
        return list(seen.values())

    def articles(self) -> list[int]:
        return sorted({aid for aid, _ in self.members})

    def evidence(self) -> list[CitedEvidence]:
        return _cite_all((aid, ev) for aid, item in self.members for ev in item.evidence)


def _cite_all(pairs: Iterable[tuple[int, Evidence]]) -> list[CitedEvidence]:
    out, seen = [], set()
    for aid, ev in pairs:
        key = (aid, ev.start, ev.end, ev.quote)
        if key not in seen:
            seen.add(key)
            out.append(CitedEvidence(**ev.model_dump(), article=aid))
    return out


def _group(entries: Iterable[tuple[int, Any]], key: Callable[[str], str]) -> list[_Group]:
    groups: list[_Group] = []
    for aid, item in entries:
        k = key(item.name)
        if not k:
            continue
        g = next((g for g in groups if k in g.keys), None) or next(
            (g for g in groups if any(similar(k, other) for other in g.keys)), None)
        if g is None:
            g = _Group(keys=set())
            groups.append(g)
        g.keys.add(k)
        g.members.append((aid, item))
    # Items most articles mention first; ties keep the order of first mention.
    return sorted(groups, key=lambda g: -len(g.articles()))


def _display(g: _Group, aliases: bool = False) -> str:
    """The alias table's name for an actor it knows, else the name the articles use most."""
    known = next((a for _, item in g.members if (a := alias(item.name))), None) if aliases else None
    if known:
        return known
    counts = Counter(" ".join(item.name.split()) for _, item in g.members)
    return counts.most_common(1)[0][0]


def merge_actors(briefs: dict[int, Brief]) -> list[MergedActor]:
    """The day's actors (outlets left out, documents named by their authors, roles that are another's
    dropped: actors.py), one per actor under all its names, initialisms included ("U.N")."""
    shown = ((aid, k) for aid, b in briefs.items() for a in b.actors if (k := actors.kept(a)) is not None)
    groups = _join_initialisms(_group(shown, actor_key))
    return [MergedActor(name=_display(g, aliases=True), variants=g.names(), kind=g.most("kind"),
                        roles=_roles(g), articles=g.articles(), evidence=g.evidence())
            for g in groups]


def _join_initialisms(groups: list[_Group]) -> list[_Group]:
    """Each group named by an initialism ("un") joined to the group whose name it abbreviates ("united
    nations"); a person's initials are no one's name."""
    out: list[_Group] = []
    for g in sorted(groups, key=lambda g: min(len(k.split()) for k in g.keys), reverse=True):
        whole = next((o for o in out if "official" not in (g.most("kind"), o.most("kind")) and any(
            actors.abbreviates(k, long) for k in g.keys for long in o.keys)), None)
        if whole is None:
            out.append(g)
        else:
            whole.keys |= g.keys
            whole.members += g.members
    return sorted(out, key=lambda g: (-len(g.articles()), groups.index(g)))


def _roles(g: _Group) -> list[ActorRole]:
    """Each article's roles for the actor, once each ("named in the article" only where there is no other)."""
    seen: dict[tuple[int, str], ActorRole] = {}
    for aid, item in g.members:
        if item.role and (aid, name_key(item.role)) not in seen:
            seen[(aid, name_key(item.role))] = ActorRole(article=aid, role=item.role)
    out = list(seen.values())
    return [r for r in out if r.role != L.NAMED_ONLY or
            not any(o.article == r.article and o.role != L.NAMED_ONLY for o in out)]


def merge_assets(briefs: dict[int, Brief]) -> list[MergedAsset]:
    groups = _group(((aid, a) for aid, b in briefs.items() for a in b.assets), name_key)
    return [MergedAsset(name=_display(g), variants=g.names(), type=g.most("type"),
                        operators=g.distinct("operator"), articles=g.articles(), evidence=g.evidence())
            for g in groups]


def merge_bases(briefs: dict[int, Brief]) -> list[MergedBase]:
    groups = _group(((aid, b) for aid, br in briefs.items() for b in br.bases), place_key)
    return [MergedBase(name=_display(g), variants=g.names(), locations=g.distinct("location"),
                       operators=g.distinct("operator"), articles=g.articles(), evidence=g.evidence())
            for g in groups]


def merge_questions(briefs: dict[int, Brief]) -> list[MergedQuestion]:
    groups: list[tuple[str, list[tuple[int, Any]]]] = []
    for aid, b in briefs.items():
        for q in b.open_questions:
            k = name_key(q.question)
            g = next((g for g in groups if similar(k, g[0], FUZZY_QUESTION)), None)
            if g is None:
                groups.append((k, [(aid, q)]))
            else:
                g[1].append((aid, q))
    out = []
    for _, members in groups:
        first = members[0][1]
        variants = list(dict.fromkeys(q.question for _, q in members[1:] if q.question != first.question))
        out.append(MergedQuestion(question=first.question, why=first.why, variants=variants,
                                  articles=sorted({aid for aid, _ in members}),
                                  evidence=_cite_all((aid, ev) for aid, q in members for ev in q.evidence)))
    return out


# ---- casualties ------------------------------------------------------------------------------

def _same_place(a: str | None, b: str | None) -> bool:
    """One place, and more than a country: two tolls "in Somalia" may be any two incidents there."""
    ka, kb = place_key(a), place_key(b)
    return bool(ka and kb) and similar(ka, kb) and not any(k in L.STATES for k in (ka, kb))


def _fits(c: Casualty, r: TollReport) -> bool:
    """Nothing tells the two reports apart: same victims (or unknown), same perpetrator (or unstated)."""
    victims = c.victims == r.victims or "unknown" in (c.victims, r.victims)
    by = not c.perpetrator or not r.perpetrator or similar(actor_key(c.perpetrator), actor_key(r.perpetrator))
    return victims and by


def _same_day(a: str | None, b: str | None) -> bool:
    """Two articles' dates agree: the same day, or one of them unknown."""
    return not a or not b or a == b


def _next_day(a: str | None, b: str | None) -> bool:
    """Two articles' dates a day apart: a story filed the day after may recall the same attack."""
    try:
        return abs((Date.fromisoformat(a or "") - Date.fromisoformat(b or "")).days) == 1
    except ValueError:
        return False


def _same_toll(c: Casualty, r: TollReport) -> bool:
    return (c.killed is not None and c.killed == r.killed) or (c.wounded is not None and c.wounded == r.wounded)


def _when(r: TollReport | Casualty, article_date: str | None) -> str | None:
    """The day a report is of: the one date its sentence gives ("killed April 6", in its article's
    year), else its article's date: a statement issued days later still tells the same attack."""
    year = (article_date or "")[:4]
    told = next((d for ev in r.evidence if year.isdigit() and (d := date_in(ev.quote, int(year)))), None)
    return told or article_date


def _dates_agree(c: Casualty, aid: int, group: list[TollReport], dates: dict[int, str | None]) -> bool:
    """Every report of the group is of the same day, or of the next and one of those gives the same
    toll: "killed two soldiers" in Wednesday's story and "killed at least two" in Thursday's, at one
    place, are one attack, not two."""
    mine = _when(c, dates[aid])
    days = [(r, _when(r, dates[r.article])) for r in group]  # each report's day, read once
    apart = [(r, day) for r, day in days if not _same_day(mine, day)]
    return all(_next_day(mine, day) for _, day in apart) and (
        not apart or any(_same_toll(c, r) for r, _ in apart))


def _retold(c: Casualty, aid: int, group: list[TollReport], dates: dict[int, str | None]) -> bool:
    """A report no article places that another article gives alike: the same toll of more than one
    person, as precise, of the same known side, by the same hand (or unstated), on a day that agrees.
    Two of the day's articles giving "more than 100 fighters were killed" tell one strike; one
    article's own figures, and single deaths (each a person), stay apart."""
    return not c.location and not c.part_of_larger_figure and c.victims != "unknown" and all(
        r.article != aid and not r.location and not r.part_of_larger_figure for r in group) and any(
        c.killed == r.killed and c.wounded == r.wounded and max(c.killed or 0, c.wounded or 0) > 1
        and c.qualifier == r.qualifier and c.victims == r.victims and _by_agrees(c, r) for r in group) and \
        _dates_agree(c, aid, group, dates)


def figure_text(r: TollReport | Casualty) -> str:
    """"at least 40 killed and 12 wounded"; a vague report ("dozens were killed") has no number."""
    return toll_text(r.killed, r.wounded, r.qualifier) or "a number not stated"


def merge_casualties(briefs: dict[int, Brief]) -> list[Incident]:
    """Reports grouped by incident and place across articles.

    Within an article, a figure joins the incident its article flagged it as conflicting with, or
    the one the article's chain of sentences is telling (chain.py): a repeat of one of its figures
    (headline and body), the harm it has no figure for ("more than a dozen were wounded" after "four
    killed"), or a part of its toll ("three civilians" of "four people"), unless the sentence opens
    another incident ("Meanwhile, ..."). Other figures of one article are different incidents.
    Across articles, two reports are one incident when they name the same place (fuzzily, more than
    a country), neither victims nor perpetrator differ, and their dates agree (a date the sentence
    gives, else the article's; or one is not known, or they are a day apart and give the same toll);
    reports no article places are one when they give the same toll of more than one person alike
    (_retold). A report with no number ("dozens were killed") makes no row; a running total is among its brief's background figures, never here. A
    numberless lead still places the figures that follow it ("attacked a base in Somalia, killing dozens ... 60 troops were killed in the
    clashes").
    """
    dates = {aid: b.dateline.date if b.dateline else None for aid, b in briefs.items()}
    groups: list[list[TollReport]] = []
    lead_places: dict[int, str] = {}  # id(group) -> the place its article's chain was at when it began
    placed: dict[tuple[int, int], list[TollReport]] = {}  # (article, casualty index) -> its group
    for aid, b in briefs.items():
        linked = {i: c for c in b.casualty_conflicts for i in c.reports}
        mine: list[list[TollReport]] = []  # this article's incidents, in order
        last: list[TollReport] | None = None  # the incident the article's previous figure joined
        lead: str | None = None  # where the article's chain is, numberless reports included
        for i, c in enumerate(b.casualties):
            fresh = chain.new_event(c)
            if fresh:
                last, lead = None, None
            lead = c.location or lead
            if c.killed is None and c.wounded is None:
                continue
            report = TollReport(article=aid, **c.model_dump(exclude={"evidence"}),
                                evidence=_cite_all((aid, ev) for ev in c.evidence))
            group, part = None, False
            if i in linked:  # the article says these reports are one incident
                group = next((placed[(aid, j)] for j in linked[i].reports if (aid, j) in placed), None)
            if group is None and c.part_of_larger_figure:
                # "three children among the dead": a part of a toll this article gave before it
                group = next((placed[(aid, j)] for j in range(i - 1, -1, -1) if (aid, j) in placed
                              and _part_of(c, b.casualties[j])), None)
            if group is None and not fresh:
                group, part = _in_chain(c, aid, mine, last)
            if group is None and c.location:
                # one article's figures that it did not link are different incidents, unless one is
                # a part of the other ("including three children"): "Afghanistan" on a crash, an
                # older crash and a bomb attack is not a conflict
                group = next((g for g in groups if any(_same_place(c.location, r.location) for r in g)
                              and _dates_agree(c, aid, g, dates)
                              and all(_fits(c, r) and (r.article != aid or c.part_of_larger_figure
                                                       or r.part_of_larger_figure) for r in g)), None)
            if group is None and not c.location:
                group = next((g for g in groups if _retold(c, aid, g, dates)), None)
            if group is None:
                group = []
                groups.append(group)
                if lead and not c.location and not chain.introduces_event(c):
                    lead_places[id(group)] = lead
            if part:
                report = report.model_copy(update={"part_of_larger_figure": True})
            group.append(report)
            placed[(aid, i)] = group
            if not any(g is group for g in mine):
                mine.append(group)
            last = group
    return [_incident(g, lead_places.get(id(g))) for g in groups]


def _places_clash(a: str | None, b: str | None) -> bool:
    """Two places that cannot be one: both named, neither a country, not the same place."""
    ka, kb = place_key(a), place_key(b)
    return bool(ka and kb) and not chain.is_country(ka) and not chain.is_country(kb) and not similar(ka, kb)


def _by_agrees(c: Casualty, r: TollReport) -> bool:
    return not c.perpetrator or not r.perpetrator or similar(actor_key(c.perpetrator), actor_key(r.perpetrator))


def _in_chain(c: Casualty, aid: int, mine: list[list[TollReport]],
              last: list[TollReport] | None) -> tuple[list[TollReport] | None, bool]:
    """The article's incident this figure belongs to by the article's chain, and whether as a part."""
    for g in reversed(mine):  # a figure repeated (headline and body): the incident that has it
        same = [r for r in g if r.article == aid and _same_toll(c, r) and _fits(c, r)]
        if same and not any(_places_clash(c.location, r.location) for r in g):
            return g, all(r.part_of_larger_figure for r in same)
    # the incident the previous figure told; a sentence pointing back ("wounded by the explosion")
    # past a recalled other incident may mean an earlier one of the article
    told = [last] if last is not None else []
    if chain.refers_back(c):
        told += [g for g in reversed(mine) if g is not last]
    for g in told:
        if not all(_by_agrees(c, r) for r in g):
            continue
        here = not c.location or chain.is_country(place_key(c.location)) or chain.refers_back(c) or any(
            _same_place(c.location, r.location) or name_key(c.location) == name_key(r.location) for r in g)
        if here and chain.complements(c, g):
            return g, False
        if here and any(r.article != aid and _same_toll(c, r) and _fits(c, r) for r in g):
            return g, False  # the incident's toll as another article gave it, retold
        if here and chain.part_of(c, aid, g):
            return g, True
        if here and g is last and chain.names_told_people(c) and not chain.introduces_event(c):
            return g, False  # "the six who were wounded" after "five ... sustained injuries": its own count
    return None, False


def _part_of(part: Casualty, whole: Casualty) -> bool:
    """Whether `part` can be a part of `whole`'s toll: a whole figure at least as large, of the same harm."""
    if whole.part_of_larger_figure:
        return False
    return any(p is not None and w is not None and w >= p
               for p, w in ((part.killed, whole.killed), (part.wounded, whole.wounded)))


def _victims(reports: list[TollReport]) -> str:
    """Who the reports say the victims were: "mixed" when they name both ("three civilians" and "one
    soldier among the dead", or rival claims), "unknown" when none says."""
    kinds = {r.victims for r in reports} - {"unknown"}
    return "mixed" if len(kinds) > 1 else next(iter(kinds), "unknown")


def _place(reports: list[TollReport], lead: str | None) -> str | None:
    """Where the incident happened: its own reports' most specific place (a town over a country),
    else the place its article's chain gave before it, else where a part of it was counted."""
    own = [p for p in (*(r.location for r in reports if not r.part_of_larger_figure), lead) if p]
    specific = [p for p in own if not chain.is_country(place_key(p))]
    return next(iter(specific or own), None) or next((r.location for r in reports if r.location), None)


def _incident(reports: list[TollReport], lead: str | None = None) -> Incident:
    credible = [r for r in reports if not r.part_of_larger_figure] or reports
    killed = sorted({r.killed for r in credible if r.killed is not None})
    wounded = sorted({r.wounded for r in credible if r.wounded is not None})
    conflict = len(killed) > 1 or len(wounded) > 1
    note = None
    if conflict:
        note = "; ".join(f"{r.reported_by or 'the article'} [{r.article}]: {figure_text(r)}" for r in credible)
    return Incident(location=_place(reports, lead), victims=_victims(reports),
                    headline_killed=killed[0] if killed else None,
                    headline_wounded=wounded[0] if wounded else None,
                    conflict=conflict, note=note, articles=sorted({r.article for r in reports}),
                    reports=reports)


# ---- the whole day ---------------------------------------------------------------------------

def _ref(n: int, r: ArticleResult) -> ArticleRef:
    a, b = r.article, r.brief
    dateline = b.dateline if b else None
    return ArticleRef(
        id=n, status="ok" if b else "failed", origin=a.origin, url=a.url, outlet=a.outlet,
        published=a.published or (dateline.date if dateline else None),
        sha256=a.sha256 if a.text else None,
        headline=b.headline if b else a.title, summary=b.summary if b else None, dateline=dateline,
        error=r.error.removeprefix(f"{a.origin}: ") if r.error else None)  # the origin is shown beside it


def build_daily_brief(results: Sequence[ArticleResult | Brief], date: str | None = None) -> DailyBrief:
    """The day's briefs merged (no model call). Accepts `summarize_many` results, or plain briefs.

    Articles are numbered from 1 in input order. The narrative is left empty: see narrative.py.
    """
    wrapped = [r if isinstance(r, ArticleResult) else
               ArticleResult(i, Article(origin=r.meta.source or f"brief {i + 1}"), brief=r)
               for i, r in enumerate(results)]
    wrapped.sort(key=lambda r: r.index)
    refs = [_ref(n, r) for n, r in enumerate(wrapped, 1)]
    briefs = {n: r.brief for n, r in enumerate(wrapped, 1) if r.brief is not None}
    usage = sum((r.brief.meta.usage for r in wrapped if r.brief is not None and not r.cached), Usage())
    stats = DailyStats(articles=len(wrapped), done=sum(r.ok and not r.cached for r in wrapped),
                       cached=sum(r.ok and r.cached for r in wrapped),
                       failed=sum(not r.ok for r in wrapped), usage=usage,
                       seconds=round(sum(r.seconds for r in wrapped), 3))
    models = Counter(b.meta.model for b in briefs.values())
    return DailyBrief(
        date=date, articles=refs, actors=merge_actors(briefs), assets=merge_assets(briefs),
        bases=merge_bases(briefs), casualties=merge_casualties(briefs),
        open_questions=merge_questions(briefs), stats=stats,
        meta=DailyMeta(model=models.most_common(1)[0][0] if models else None,
                       prompt_version=prompts.prompt_version()))
