"""Named items (actors, assets, bases) and quoted items located in the article; bases found by pattern;
actors that are places or noise, and items resting on text addressed to the model, dropped; the
unverified reading of the naive baseline.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from pydantic import BaseModel

from ..text.grounding import Grounder, is_title, name_key
from ..text.injection import overlaps
from ..figures import lexicon as L
from ..figures.nonactors import Article, not_actors
from ..models.brief import DRAFTS, ITEM_MODELS, NAMED_SECTIONS, Evidence
from .verified import Verified


ORGANIZATION = re.compile(r"\b(observatory|commission|watch|council|ministry|organi[sz]ation|committee|agency|"
                          r"office|department|nations|red cross|red crescent|amnesty|m\u00e9decins|doctors)\b", re.I)


GENERIC_WORDS = re.compile(r"\b(air ?base|base|airfield|air field|air station|camp|facility)\b", re.I)


def ground_named(section: str, drafts: list[BaseModel], g: Grounder, out: Verified) -> None:
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
            ground_named("actors", [DRAFTS["actors"](name=name, kind="organization", role=L.NAMED_ONLY)], g, out)
            continue
        if section == "assets" and name_key(name) in {name_key(a.name) for a in out.items["actors"]}:
            # asked for assets, a small model lists the article's officials and authorities again
            out.reject(section, data, "an actor, not an asset")
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
            if ev is None and section in ("bases", "assets") and _core(part) != name_key(part):
                ev = g.locate_name(GENERIC_WORDS.sub("", part).strip())  # "Hamedan airbase" -> "Hamedan"
            if ev is None:
                out.reject(section, {**data, "name": part}, "name not found in the article")
                continue
            seen.add(key)
            out.items[section].append(model(**{**data, "name": part}, evidence=[ev]))


def drop_non_actors(g: Grounder, out: Verified) -> None:
    """Actors, the model's or the parse's, that the parse shows are none here: a place named only
    as a place, a title-case headline fragment, a scripture, a work or an event (nonactors.py)."""
    actors = out.items["actors"]
    if not actors:
        return
    why = not_actors(Article.of(g.text, g.sentence_spans), [a.name for a in actors])
    for a in actors:
        if a.name in why:
            out.reject("actors", a, why[a.name])
    out.items["actors"] = [a for a in actors if a.name not in why]


_PERSON_KINDS = ("official", "other")


def join_repeated_actors(out: Verified, text: str = "") -> None:
    """One actor under its fullest name: "Assad" after (or before) "Bashar al-Assad", "Africa Command"
    and "U.S. Africa Command", "African Union Mission" and "African Union Mission in Somalia" are one
    actor, in the first one's place, with the first role that says more than "named in the article";
    so are the names the text gives one group ("Jabhat Fatah al-Sham (formerly Jabhat al-Nusra)"),
    under the first. The shorter name goes to `rejected`."""
    kept: list[BaseModel] = []
    groups = _former_names(text)

    def group(a: BaseModel) -> int | None:
        return next((n for n, (_, keys) in enumerate(groups) if name_key(a.name) in keys), None)

    for a in out.items["actors"]:
        n = group(a)
        i = next((i for i, k in enumerate(kept) if _names_one(k, a) or _names_one(a, k)
                  or n is not None and n == group(k)), None)
        if i is None:
            kept.append(a)
            continue
        first = kept[i]
        full, short = (a, first) if len(name_key(a.name)) > len(name_key(first.name)) else (first, a)
        name, evidence = full.name, full.evidence
        if n is not None and len(name_key(groups[n][0])) > len(name_key(name)):
            name = groups[n][0]  # "Fatah al-Sham" and "Jabhat al-Nusra": as the article names it first
        kept[i] = first.model_copy(update={
            "name": name, "evidence": evidence,
            "kind": first.kind if first.kind != "other" else a.kind,
            "role": first.role if first.role != L.NAMED_ONLY else a.role})
        out.reject("actors", short, f"the same actor as {name}")
    out.items["actors"] = kept


_FORMER = re.compile(r"((?:[A-Z][\w'’.-]*|al-[\w'’-]+)(?: (?:[A-Z][\w'’.-]*|al-[\w'’-]+)){0,5}) \("
                     r"(?:formerly|previously|also known as|also called|known as) ([^()\n]{2,60})\)")


def _former_names(text: str) -> list[tuple[str, set[str]]]:
    """Names the text gives one group: "Jabhat Fatah al-Sham (formerly Jabhat al-Nusra)" -> the first,
    with the keys of itself, its last words ("Fatah al-Sham") and the other name."""
    out = []
    for m in _FORMER.finditer(text):
        first, words = m.group(1), name_key(m.group(1)).split()
        keys = {" ".join(words[i:]) for i in range(len(words) - 1)} | {name_key(m.group(2))}
        out.append((first, keys))
    return out


def _names_one(short: BaseModel, long: BaseModel) -> bool:
    """Whether `short` is a shorter name of the actor `long` names: a person's last name (both named as
    people), the end of a longer name ("Defense Forces"; one word is not enough: "Taliban" is not the
    "Pakistani Taliban"), or the name before "in"/"of" ("African Union Mission in Somalia"). A name's
    part in brackets ("(formerly Jabhat al-Nusra)") is a name of its own."""
    s = name_key(short.name).split()
    if not s:
        return False
    for part in re.split(r"[()]", long.name):
        words = [w for w in name_key(part).split() if w not in L.FORMER_WORDS]
        if words == s:
            return True  # its name in brackets
        if len(words) < len(s):
            continue
        if len(s) == 1 and words[-1] == s[0] and short.kind in _PERSON_KINDS and long.kind in _PERSON_KINDS:
            return True
        if len(s) >= 2 and (words[-len(s):] == s or words[:len(s)] == s and words[len(s)] in L.NAME_TAIL_PREPS):
            return True
    return False


def _core(name: str) -> str:
    return name_key(GENERIC_WORDS.sub("", name)) or name_key(name)


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
        if len(words) < 2 or is_title(line) or _is_country_word(words[0]):
            continue
        found.append(DRAFTS["bases"](name=" ".join(words)))
    return found


def _is_country_word(word: str) -> bool:
    """'Iran base', 'Syrian air base': a reference to some base of a country, not a base's name."""
    w = word.lower().strip(".")
    return name_key(w) in L.STATES or w.endswith(("ian", "ese", "ish", "ean")) or (w.endswith("i") and len(w) > 4)


def ground_quoted(section: str, d: BaseModel, g: Grounder, out: Verified) -> None:
    data = d.model_dump()
    ev = g.locate(data.pop("quote", "") or "")
    if ev is None:
        out.reject(section, d, "quote not found in the article")
        return
    if any(ev.start == e.evidence[0].start for e in out.items[section]):
        return  # same quote already used: a duplicate from an overlapping chunk
    out.items[section].append(ITEM_MODELS[section](**data, evidence=[ev]))


def drop_injected(g: Grounder, out: Verified) -> None:
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
