"""Turn the model's drafts into verified brief items; whatever fails a check goes to `rejected`.

Checks, all done by the program:
- every item is grounded: its quote (or, for actors, assets and bases, its name) is found in the
  article, and the evidence stored is the article's own text at computed offsets;
- every killed/wounded figure is written in its evidence and bound there to deaths or injuries;
- running totals ("since 2011") are background figures, not incident casualties;
- conflicting reports of one incident are flagged, with the most conservative figure as headline;
- numbers in the headline and summary must be verified figures or stated in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from pydantic import BaseModel

from .grounding import Grounder, fold, sentence_spans
from .injection import overlaps
from .numbers import (
    Candidate, Mention, figure_check, figure_role, find_numbers, is_cumulative, unverified_figure, vague_mention,
)
from .schema import (
    DRAFTS, ITEM_MODELS, NAMED_SECTIONS, BackgroundFigure, Casualty, CasualtyConflict, Dateline, Evidence,
    Rejected,
)



@dataclass
class Verified:
    items: dict[str, list[Any]] = field(default_factory=lambda: {s: [] for s in ITEM_MODELS})
    rejected: list[Rejected] = field(default_factory=list)
    conflicts: list[CasualtyConflict] = field(default_factory=list)

    def reject(self, section: str, item: BaseModel | dict, reason: str) -> None:
        data = item.model_dump(mode="json") if isinstance(item, BaseModel) else dict(item)
        self.rejected.append(Rejected(section=section, item=data, reason=reason))


def verify_drafts(text: str, drafts: dict[str, list[BaseModel]], grounder: Grounder | None = None,
                  figures: Sequence[tuple[Candidate, BaseModel | None]] = (),
                  pattern_bases: bool = False) -> Verified:
    """Verify every drafted item of every section against the article text.

    `figures` are casualty figures the program found, with the model's labels; `drafts` may also
    hold casualties the model proposed itself (single mode), which are checked figure by figure.
    `pattern_bases` adds the bases the program finds by pattern to the model's.
    """
    g = grounder or Grounder(text)
    out = Verified()
    for section in NAMED_SECTIONS:
        _named(section, drafts.get(section, []), g, out)
    if pattern_bases:
        _named("bases", program_bases(g), g, out)
        _named("actors", program_sources(g), g, out)
    for candidate, label in figures:
        _labelled_figure(candidate, label, g, out)
    _share_incident_details(g, out)
    for d in drafts.get("casualties", []):
        _casualty(d, g, out)
    for d in drafts.get("background_figures", []):
        _quoted("background_figures", d, g, out)
    for d in drafts.get("open_questions", []):
        _quoted("open_questions", d, g, out)
    _drop_injected(g, out)
    _dedupe_casualties(out)
    out.conflicts = find_conflicts(out.items["casualties"])
    drop_answered_questions(out, out.items["casualties"], out.conflicts)
    return out


_HOW_MANY = re.compile(r"\bhow many\b.*\b(?:(killed|died|dead|deaths?|fatalities)|(wounded|injured|hurt|"
                       r"injuries))\b", re.I)
_ASKED_VICTIMS = {"civilians": re.compile(r"\b(civilians?|children|women|residents|villagers|patients)\b", re.I),
                  "combatants": re.compile(r"\b(soldiers?|troops|militants?|fighters?|insurgents?|police"
                                           r"(?:men)?|personnel|service members)\b", re.I)}


def drop_answered_questions(out: Verified, casualties: Sequence[Casualty],
                            conflicts: Sequence[CasualtyConflict]) -> None:
    """An open question the brief itself answers is not open: "How many were killed?" beside a
    verified death toll goes to `rejected`, unless sources disagree on that toll (then it is open)."""
    if conflicts:
        return
    kept = []
    for q in out.items["open_questions"]:
        m = _HOW_MANY.search(q.question)
        kind = None if m is None else "killed" if m.group(1) else "wounded"
        asked = next((v for v, rx in _ASKED_VICTIMS.items() if rx.search(q.question)), None)
        known = [c for c in casualties if kind and getattr(c, kind) is not None and not c.part_of_larger_figure
                 and asked in (None, c.victims)]
        if known:
            out.reject("open_questions", q, f"the brief answers it: {getattr(known[0], kind)} {kind} (verified)")
        else:
            kept.append(q)
    out.items["open_questions"] = kept


def _drop_injected(g: Grounder, out: Verified) -> None:
    """No item may rest on a sentence that addresses the model (see injection.py)."""
    bad = g.injected_spans
    if not bad:
        return
    for section, items in out.items.items():
        kept = []
        for item in items:
            if all(overlaps(e.start, e.end, bad) for e in item.evidence):
                out.reject(section, item, "its evidence is text addressed to the model (possible prompt injection)")
            else:
                item.evidence = [e for e in item.evidence if not overlaps(e.start, e.end, bad)]
                kept.append(item)
        out.items[section] = kept


def _key(s: str | None) -> str:
    return re.sub(r"^(the|a|an) ", "", fold(s or ""))


ORGANIZATION = re.compile(r"\b(observatory|commission|watch|council|ministry|organi[sz]ation|committee|agency|"
                          r"office|department|nations|red cross|red crescent|amnesty|m\u00e9decins|doctors)\b", re.I)
GENERIC_WORDS = re.compile(r"\b(air ?base|base|airfield|air field|air station|camp|facility)\b", re.I)


def _named(section: str, drafts: list[BaseModel], g: Grounder, out: Verified) -> None:
    model = ITEM_MODELS[section]
    seen: set[str] = {_core(i.name) for i in out.items[section]}
    for d in drafts:
        data = d.model_dump()
        name = (data.get("name") or "").strip()
        parts = [name]
        if section == "actors" and " and " in name:
            # "Islamic State and Jabhat Fatah al-Sham" is two actors, when both are named so
            split = [p.strip(" ,") for p in re.split(r"\band\b", name) if p.strip(" ,")]
            if all(g.locate_name(p) is not None for p in split):
                parts = split
        if section == "assets" and GENERIC_WORDS.search(name):
            out.reject(section, data, "a base or facility, not an asset")
            continue
        if section == "assets" and ORGANIZATION.search(name):
            # a small model files "Human Rights Watch" under assets: it is an actor
            _named("actors", [DRAFTS["actors"](name=name, kind="organization", role="named in the article")], g, out)
            continue
        if section == "bases" and _is_country_word(name.split()[0]) and len(name.split()) == 1:
            out.reject(section, data, "a country, not a base")
            continue
        for part in parts:
            key = _core(part)
            if not key or any(key == k or fuzz.ratio(key, k) >= 90 or (section != "actors" and (
                    f" {k} " in f" {key} " or f" {key} " in f" {k} ")) for k in seen):
                continue  # "Hamedan base in western Iran" after "Hamedan base": the same base
            ev = g.locate_name(part)
            if ev is None and section in ("bases", "assets") and _core(part) != _key(part):
                ev = g.locate_name(GENERIC_WORDS.sub("", part).strip())  # "Hamedan airbase" -> "Hamedan"
            if ev is None:
                out.reject(section, {**data, "name": part}, "name not found in the article")
                continue
            seen.add(key)
            out.items[section].append(model(**{**data, "name": part}, evidence=[ev]))


def _core(name: str) -> str:
    return _key(GENERIC_WORDS.sub("", name)) or _key(name)


BASE_PATTERN = re.compile(
    r"\b(?:(?:Camp|Fort|Naval Station|Naval Air Station|Joint Base) [A-Z][\w'-]+"
    r"|(?:[A-Z][\w'-]+ ){1,3}(?:[Aa]ir ?[Bb]ase|[Aa]irbase|[Aa]irfield|[Bb]ase)\b)")
_NOT_NAMES = {"the", "a", "an", "its", "their", "this", "that", "military", "new", "main", "iranian",
              "russian", "american", "u.s.", "us", "our", "his", "her", "one"}


def program_bases(g: Grounder) -> list[BaseModel]:
    """Bases named in the text by pattern ("X air base", "Camp X", "Fort X"): found without the model."""
    found = []
    for m in BASE_PATTERN.finditer(g.text):
        line = g.text[g.text.rfind("\n", 0, m.start()) + 1: (g.text.find("\n", m.end()) + 1 or len(g.text) + 1) - 1]
        words = m.group().split()
        while words and words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if len(words) < 2 or _is_title(line) or _is_country_word(words[0]):
            continue
        found.append(DRAFTS["bases"](name=" ".join(words)))
    return found


_ROLE_WORDS = re.compile(r"(?:\s+(?:officials?|spokes(?:man|woman|person)|sources?|statement|military|"
                         r"on \w+day))+$", re.I)
_TITLE = re.compile(r"\b(?:spokes(?:man|woman|person)|governor|secretary|minister|commander|president|head|"
                    r"chief|director|official|Col|Cmdr|Gen|Lt|Maj|Capt|Adm|Sgt)\b\.?", re.I)
_NOT_SOURCES = {"another", "government", "some", "many", "local", "senior", "military", "the", "a", "it", "he",
                "she", "they", "we", "i", "this", "that", "officials", "official", "regional", "provincial",
                "federal", "security", "health", "police", "witnesses", "witness", "residents", "sources",
                "analysts", "experts", "reports", "western", "independent", "diplomats", "authorities"}


# Words that open "X said" without naming anyone: plural nouns and nationalities
_PLAIN_WORDS = set("""doctors medics rescuers villagers relatives survivors activists witnesses residents
    officials parents families neighbours neighbors soldiers troops police policemen lawmakers investigators
    prosecutors analysts observers sources journalists reporters protesters demonstrators students workers
    afghan american british french german italian spanish kenyan thai iraqi syrian iranian israeli saudi
    turkish russian ukrainian chinese pakistani indian nigerian somali yemeni libyan egyptian lebanese
    palestinian sudanese ethiopian malian""".split())


def program_sources(g: Grounder) -> list[BaseModel]:
    """Who the article quotes ("X said", "X told"), found without the model: named sources are
    actors an analyst weighs claims by. Unnamed ones ("officials said") and places ("a witness in
    Aleppo said") are left out."""
    found: dict[str, BaseModel] = {}
    for a, b in g.sentence_spans:
        sentence = " ".join(g.text[a:b].split())
        for m in _SOURCE.finditer(sentence):
            before = sentence[: m.start()].split()
            if before and before[-1].lower() in ("of", "in", "at", "from", "near", "to", "on", "for", "by"):
                continue
            name = _ROLE_WORDS.sub("", m.group(1)).strip(" ,()")
            name = re.sub(r"^(?:[Tt]he|[Aa]n?) ", "", name) if len(name.split()) > 1 else name
            words = name.split()
            if len(words) == 1 and words[0].lower() in _PLAIN_WORDS:
                continue  # "Doctors said", "Afghan officials said"
            capitals = [w for w in words if w[0].isupper() and w.lower() not in _NOT_SOURCES]
            if not capitals or (len(capitals) == 1 and (len(words) > 1 or _is_country_word(words[0])
                                                       and words[0].lower() not in _COUNTRIES)):
                continue  # "officials", "Afghan health officials", "Russian official": nobody named
            kind = ("organization" if ORGANIZATION.search(name) else "official" if _TITLE.search(name)
                    else "other")
            found.setdefault(name, DRAFTS["actors"](name=name, kind=kind, role="quoted source"))
    # "Robertson" after "Pentagon spokesman U.S. Navy Cmdr. Sean Robertson": the same person
    names = list(found)
    return [d for n, d in found.items()
            if not any(o != n and f" {n} " in f" {o} " for o in names)]


def _is_title(line: str) -> bool:
    """A headline in title case ("Al-Shabab Attacks African Union Base"), where capitals say nothing."""
    words = [w for w in line.split() if w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.7


_COUNTRIES = {"iran", "iraq", "syria", "russia", "israel", "turkey", "yemen", "somalia", "afghanistan",
              "ukraine", "china", "america", "kenya", "libya", "u.s", "us", "nato", "saudi"}


def _is_country_word(word: str) -> bool:
    """'Iran base', 'Syrian air base': a reference to some base of a country, not a base's name."""
    w = word.lower().strip(".")
    return w in _COUNTRIES or w.endswith(("ian", "ese", "ish", "ean")) or (w.endswith("i") and len(w) > 4)


def _quoted(section: str, d: BaseModel, g: Grounder, out: Verified) -> None:
    data = d.model_dump()
    ev = g.locate(data.pop("quote", "") or "")
    if ev is None:
        out.reject(section, d, "quote not found in the article")
        return
    if any(ev.start == e.evidence[0].start for e in out.items[section]):
        return  # same quote already used: a duplicate from an overlapping chunk
    out.items[section].append(ITEM_MODELS[section](**data, evidence=[ev]))


def _labelled_figure(c: Candidate, label: BaseModel | None, g: Grounder, out: Verified) -> None:
    """A program-found figure, with the model's attribution (victims, place, perpetrator, source)."""
    ev = Evidence(quote=g.text[c.start:c.end], start=c.start, end=c.end, match="exact")
    lab = label.model_dump() if label is not None else {"victims": "unknown"}
    counts = figure_role(g.text, c)
    if counts == "not people":
        out.reject("casualties", {"figure": c.label(), "quote": ev.quote}, "the figure counts animals, not people")
        return
    if counts == "total":
        for m, what in ((c.killed, "killed"), (c.wounded, "wounded")):
            if m is not None:
                out.items["background_figures"].append(
                    BackgroundFigure(figure=_as_stated(m), about=f"people {what} (running total)", evidence=[ev]))
        return
    for key in ("location", "perpetrator", "reported_by"):
        if lab.get(key):
            lab[key] = _one_phrase(lab[key])
        if lab.get(key) and not _in_article(lab[key], g):
            lab[key] = None  # not the article's words (e.g. copied from a prompt's example)
    first = c.killed or c.wounded
    assert first is not None
    lab["reported_by"] = reported_by(g.text[c.start:c.end], first.start - c.start) or lab.get("reported_by")
    if lab.get("victims", "unknown") == "unknown":
        lab["victims"] = victims_named(g.text[first.end:c.end]) or "unknown"
    out.items["casualties"].append(Casualty(
        killed=c.killed.value if c.killed else None,
        wounded=c.wounded.value if c.wounded else None,
        qualifier=first.qualifier if first.qualifier in ("exact", "at least", "more than", "about") else "unknown",
        part_of_larger_figure=counts == "part",
        evidence=[ev], **lab))


# The noun a figure counts, right after it: "three children", "dozens of fighters", "12 Afghan
# soldiers" (one capitalised word, a nationality or a force, may come between).
_COUNTED = re.compile(r"\s+(?:of\s+)?(?:[A-Z][\w.'-]*\s+)?([a-z]+)\b")
_CIVILIAN_NOUNS = frozenset(
    "civilian civilians child children woman women girls boys infants babies residents villagers patients "
    "students pupils worshippers passengers pilgrims shoppers bystanders refugees journalists doctors nurses "
    "families".split())
_COMBATANT_NOUNS = frozenset(
    "soldier soldiers troops fighters militants insurgents rebels jihadists gunmen combatants servicemen "
    "marines paratroopers militiamen commandos".split())


def victims_named(after: str) -> str | None:
    """Who a figure counts when the article names them right after it ("19 civilians",
    "three children among the dead": civilians; "40 Kenyan soldiers": combatants), else None."""
    m = _COUNTED.match(after)
    noun = m.group(1) if m else ""
    return "civilians" if noun in _CIVILIAN_NOUNS else "combatants" if noun in _COMBATANT_NOUNS else None


# Where a label runs on into the rest of the sentence: "regime aircraft and had also wounded dozens"
_CLAUSE = re.compile(r"(?:,\s*|\s+)(?:and |but )?(?:which|who|had|has|have|was|were|is|are|also|killing|"
                     r"wounding|leaving|after|before|while|when)\b.*$", re.S)


def _as_stated(m: Mention) -> str:
    """A figure as a reader would write it: "more than 290,000", but "scores", not "at least scores"
    (a vague amount's qualifier is implied by its word, not written in the article)."""
    if m.value is None or m.qualifier in ("exact", "unknown"):
        return m.text
    return f"{m.qualifier} {m.text}"


def _one_phrase(value: str) -> str | None:
    """A label cut to its first phrase: what names a place or an actor, not the clause after it."""
    cut = _CLAUSE.sub("", value.strip()).strip(" ,.;:")
    return cut or None


def _sentence_of(g: Grounder, offset: int) -> int:
    return next((i for i, (a, b) in enumerate(g.sentence_spans) if a <= offset < b), -1)


def _share_incident_details(g: Grounder, out: Verified) -> None:
    """A part of a larger figure ("three children among the dead") belongs to the same incident as
    the figure before it, in its own or the previous sentence; when that figure's sentence names
    no place or perpetrator and the part's does, the figure takes them from the part."""
    casualties = out.items["casualties"]
    for part in (c for c in casualties if c.part_of_larger_figure and c.evidence[0].start is not None):
        at = _sentence_of(g, part.evidence[0].start)  # type: ignore[arg-type]
        before = [c for c in casualties if not c.part_of_larger_figure and c.evidence[0].start is not None
                  and c.evidence[0].start <= part.evidence[0].start  # type: ignore[operator]
                  and at - 1 <= _sentence_of(g, c.evidence[0].start) <= at]  # type: ignore[arg-type]
        if not before:
            continue
        whole = max(before, key=lambda c: c.evidence[0].start)  # type: ignore[arg-type, return-value]
        if (whole.killed is None) != (part.killed is None):
            continue  # the nearest figure is of another kind (or vague): not this part's whole
        for key in ("location", "perpetrator"):
            if getattr(whole, key) is None and getattr(part, key):
                setattr(whole, key, getattr(part, key))


_SAYS = r"(?:said|says|told|reported|reports|announced|claimed|claims|confirmed|stated|estimated)"
_NAME_WORD = (r"(?:[A-Z][\w.'()-]*|of|for|on|and|al|de|the|deputy|regional|provincial|local|health|defen[sc]e|"
              r"multinational|crew|officials?|ministry|governor|spokes(?:man|woman|person)|military|army|police)")
_SOURCE = re.compile(rf"(?<![\w-])((?:[Tt]he |[Aa] )?[A-Z][\w.'()-]*(?: {_NAME_WORD}){{0,9}}) {_SAYS}\b")
_SOURCE_LAST = re.compile(rf",\s+((?:the |a )?[\w .'-]{{2,60}}?)\s+{_SAYS}\.?\W*$")
_ACCORDING = re.compile(r"according to ((?:the )?[A-Z][\w .'-]{2,60}?)(?:[,.]|$)")


def reported_by(sentence: str, upto: int | None = None) -> str | None:
    """Who a sentence attributes a figure to: the last "X said/says/told" before the figure,
    else "..., X said." at the end, else "according to X"."""
    before = " ".join(sentence[:upto].split()) if upto is not None else ""
    found = list(_SOURCE.finditer(before))
    if found:
        return found[-1].group(1).strip(" ,()")
    whole = " ".join(sentence.split())
    for rx in (_SOURCE_LAST, _ACCORDING, _SOURCE):
        m = rx.search(whole)
        if m:
            return m.group(1).strip(" ,")
    return None


def _in_article(value: str, g: Grounder) -> bool:
    v = fold(value).strip(" .,")
    return bool(v) and (v in g.folded.folded or fuzz.partial_ratio(v, g.folded.folded) >= 90)


def _casualty(d: BaseModel, g: Grounder, out: Verified) -> None:
    data = d.model_dump()
    ev = g.locate(data.pop("quote", "") or "")
    if ev is None:
        out.reject("casualties", d, "quote not found in the article")
        return
    qualifiers: list[str] = []
    moved = False  # a running total moved to background figures
    for name, want in (("killed", "death"), ("wounded", "injury")):
        value = data.get(name)
        if value is None:
            continue
        mention, reason = figure_check(value, ev.quote, want)
        if mention is None:
            # The figure may sit just outside a short quote: then the sentence becomes the evidence.
            sentence = g.sentence_evidence(ev)
            mention, _ = figure_check(value, sentence.quote, want)
            if mention is not None:
                ev = sentence
        if mention is None:
            out.reject("casualties", {**data, "quote": ev.quote}, f"{name} figure rejected: {reason}")
            data[name] = None
            continue
        qualifiers.append(mention.qualifier)
        assert ev.start is not None
        near = g.text[max(0, ev.start + mention.start - 60): ev.start + mention.end + 60]
        if is_cumulative(near):
            out.items["background_figures"].append(BackgroundFigure(
                figure=_as_stated(mention),
                about=f"people {'killed' if want == 'death' else 'wounded'} (running total)",
                evidence=[ev]))
            data[name] = None
            moved = True
    if moved and data["killed"] is None and data["wounded"] is None:
        return
    if data["killed"] is None and data["wounded"] is None:
        vague = vague_mention(ev.quote, "death") or vague_mention(ev.quote, "injury")
        if vague is None and not _mentions_harm(ev.quote):
            out.reject("casualties", {**d.model_dump()}, "no death or injury is stated in the quote")
            return
        data["qualifier"] = vague.qualifier if vague else "unknown"
    else:
        data["qualifier"] = qualifiers[0] if qualifiers else data["qualifier"]
    out.items["casualties"].append(Casualty(**data, evidence=[ev]))


def _mentions_harm(text: str) -> bool:
    return any(m.kind in ("death", "injury") for m in find_numbers(text)) or bool(
        re.search(r"\b(kill|dead|death|died|wound|injur|fatalit|casualt)", text, re.I))


def _dedupe_casualties(out: Verified) -> None:
    """One report per figure and source: a repeat (same figures, victims and source, or one source
    unnamed) is merged into the first, keeping every piece of evidence."""
    kept: list[Casualty] = []
    for c in out.items["casualties"]:
        twin = next((k for k in kept if _same_report(k, c)), None)
        if twin is None:
            kept.append(c)
            continue
        twin.reported_by = twin.reported_by or c.reported_by
        twin.location = twin.location or c.location
        twin.evidence += [e for e in c.evidence if not any(_overlap(e, t) for t in twin.evidence)]
    out.items["casualties"] = kept


def _same_report(a: Casualty, b: Casualty) -> bool:
    if (a.killed, a.wounded) != (b.killed, b.wounded) or a.killed is None and a.wounded is None:
        return False
    if _overlap(a.evidence[0], b.evidence[0]):
        return True
    ra, rb = _key(a.reported_by), _key(b.reported_by)
    return a.victims == b.victims and (ra == rb or not ra or not rb)


def _overlap(a: Evidence, b: Evidence) -> bool:
    return a.start is not None and b.start is not None and a.start < (b.end or 0) and b.start < (a.end or 0)


def _disagree(a: Casualty, b: Casualty) -> bool:
    """Two sources' different killed figures for what looks like the same incident."""
    if a.part_of_larger_figure or b.part_of_larger_figure or a.killed is None or b.killed is None:
        return False
    if a.killed == b.killed or _key(a.reported_by) == _key(b.reported_by):
        return False
    if "unknown" not in (a.victims, b.victims) and a.victims != b.victims:
        return False
    same_sentence = _overlap(a.evidence[0], b.evidence[0]) if a.evidence and b.evidence else False
    if same_sentence:
        return True
    # Apart, a shared place is evidence of one incident only when it is more than a country and
    # the victims are known and the same: "7 Americans" and "3 Afghan soldiers" killed "in
    # Afghanistan" are parts of one toll, and an older crash there is another incident.
    la, lb = _key(a.location), _key(b.location)
    specific = bool(la and lb) and not any(k in _COUNTRIES for k in (la, lb))
    return specific and (la in lb or lb in la) and a.victims == b.victims != "unknown"


def find_conflicts(casualties: list[Casualty]) -> list[CasualtyConflict]:
    """Groups of reports whose sources disagree on one incident's death toll.

    The headline figure is the most conservative (lowest) of them, as conflict datasets do.
    """
    groups: list[list[int]] = []
    for i, c in enumerate(casualties):
        for group in groups:
            if any(_disagree(casualties[j], c) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    conflicts = []
    for idx in (g for g in groups if len(g) > 1):
        low = min(casualties[i].killed for i in idx if casualties[i].killed is not None)
        note = "; ".join(f"{casualties[i].reported_by or 'the article'}: "
                         f"{'' if casualties[i].qualifier in ('exact', 'unknown') else casualties[i].qualifier + ' '}"
                         f"{casualties[i].killed} killed" for i in idx)
        conflicts.append(CasualtyConflict(location=casualties[idx[0]].location, reports=idx,
                                          headline_killed=low, note=note))
    return conflicts


def sentences(text: str) -> list[str]:
    return [text[a:b].strip() for a, b in sentence_spans(text) if text[a:b].strip()]


def check_prose(headline: str, summary: str, text: str, casualties: list[Casualty],
                out: Verified) -> tuple[str | None, str]:
    """Drop headline/summary sentences that carry a number not verified or not in the article."""
    verified = {v for c in casualties for v in (c.killed, c.wounded) if v is not None}
    in_article = {m.value for m in find_numbers(text) if m.value is not None}

    def ok(sentence: str) -> str | None:
        return unverified_figure(sentence, verified, in_article)

    kept = []
    for s in sentences(summary):
        reason = ok(s)
        if reason:
            out.reject("summary", {"sentence": s}, reason)
        else:
            kept.append(s)
    reason = ok(headline)
    if reason:
        out.reject("headline", {"headline": headline}, reason)
        return None, " ".join(kept)
    return headline, " ".join(kept)


def check_dateline(dateline: Dateline | None, text: str) -> Dateline | None:
    """Keep the date only if its year is in the article, and the place only if it is named there."""
    if dateline is None:
        return None
    date = dateline.date if dateline.date and dateline.date[:4] in text else None
    place = dateline.place if dateline.place and fold(dateline.place) in fold(text) else None
    return Dateline(date=date, place=place) if date or place else None


def ground_only(text: str, drafts: dict[str, list[BaseModel]], grounder: Grounder | None = None) -> Verified:
    """The unverified reading, for comparison (the naive baseline): every proposed item is kept as
    the model wrote it, with evidence located where it can be and marked ungrounded where not."""
    g = grounder or Grounder(text)
    out = Verified()
    for section, model in ITEM_MODELS.items():
        for d in drafts.get(section, []):
            data = d.model_dump()
            quote = data.pop("quote", None) or data.get("name") or ""
            ev = (g.locate_name(quote) if section in NAMED_SECTIONS else g.locate(quote)) or Evidence(quote=quote)
            out.items[section].append(model.model_validate({**data, "evidence": [ev]}))
    return out
