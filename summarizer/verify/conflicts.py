"""Reports of one incident's toll that disagree, and open questions the brief itself answers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.grounding import name_key
from ..figures import lexicon as L
from ..figures.slots import victims_named
from ..models.brief import Casualty, CasualtyConflict
from .casualties import overlap
from .verified import Verified


def _disagree(a: Casualty, b: Casualty) -> bool:
    """Two sources' different killed figures for what looks like the same incident."""
    if a.part_of_larger_figure or b.part_of_larger_figure or a.killed is None or b.killed is None:
        return False
    if a.killed == b.killed or name_key(a.reported_by) == name_key(b.reported_by):
        return False
    if "unknown" not in (a.victims, b.victims) and a.victims != b.victims:
        return False
    same_sentence = overlap(a.evidence[0], b.evidence[0]) if a.evidence and b.evidence else False
    if same_sentence:
        return True
    # Apart, a shared place is evidence of one incident only when it is more than a country and
    # the victims are known and the same: "7 Americans" and "3 Afghan soldiers" killed "in
    # Afghanistan" are parts of one toll, and an older crash there is another incident.
    la, lb = name_key(a.location), name_key(b.location)
    specific = bool(la and lb) and not any(k in L.STATES for k in (la, lb))
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


_HOW_MANY = re.compile(r"\bhow many\b.*\b(?:(killed|died|dead|deaths?|fatalities)|(wounded|injured|hurt|"
                       r"injuries))\b", re.I)


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
        asked = victims_named(q.question)
        known = [c for c in casualties if kind and getattr(c, kind) is not None and not c.part_of_larger_figure
                 and asked in (None, c.victims)]
        if known:
            out.reject("open_questions", q, f"the brief answers it: {getattr(known[0], kind)} {kind} (verified)")
        else:
            kept.append(q)
    out.items["open_questions"] = kept
