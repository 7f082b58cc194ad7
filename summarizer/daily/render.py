"""Render a daily brief: Markdown, JSON, and one self-contained HTML page.

On the HTML page every item links to its quote, highlighted in the article's text, so a reader can
check each claim where it was made. Everything from articles and the model is escaped (Jinja2
autoescape) and the page allows no scripts at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import jinja2

from ..figures.toll import toll_text
from .aggregate import figure_text
from ..models.daily import CitedEvidence, DailyBrief, Incident, TollReport
from ..mdescape import md_cell, md_code, md_line


class _Written(str):
    """Markdown the renderer wrote itself (citations such as [1]): put into cells as it is."""


def _cites(ids: Iterable[int]) -> str:
    return _Written("".join(f"[{i}]" for i in ids))


def _cell(value: object) -> str:
    return value if isinstance(value, _Written) else md_cell(value)


def headline_figure(i: Incident) -> str:
    return toll_text(i.headline_killed, i.headline_wounded) or "—"


def _report_line(r: TollReport) -> str:
    quote = f" “{md_cell(r.evidence[0].quote)}”" if r.evidence else ""
    extra = " (part of a larger toll)" if r.part_of_larger_figure else ""
    return _Written(f"{md_cell(r.reported_by or 'the article')}: {md_cell(figure_text(r))}{extra} "
                    f"[{r.article}]{quote}")


def daily_markdown(d: DailyBrief) -> str:
    s = d.stats
    ok = s.articles - s.failed
    # Everything from articles or the model goes through md_*: it must show, never render.
    lines = [f"# Daily brief{' — ' + md_line(d.date) if d.date else ''}", "",
             f"{s.articles} articles: {ok} briefed ({s.done} new, {s.cached} from the store), {s.failed} failed.", ""]
    lines += ["## Key developments", ""]
    if d.narrative:
        lines += [f"- {md_line(n.text)} {_cites(n.cites)}" + (f" _({md_line(n.note)})_" if n.note else "")
                  for n in d.narrative]
    else:
        lines.append(f"_(no narrative{': ' + md_line(d.meta.narrative_error) if d.meta.narrative_error else ''})_")
    lines.append("")
    if d.casualties:
        lines += ["## Casualties", "", "| Place | Victims | Headline figure | Reports |", "|---|---|---|---|"]
        for i in d.casualties:
            head = headline_figure(i) + (" ⚠ figures differ (lowest shown)" if i.conflict else "")
            reports = "<br>".join(_cell(_report_line(r)) for r in i.reports)
            lines.append(f"| {_cell(i.location)} | {_cell(i.victims)} | {head} | {reports} |")
        lines.append("")
    tables = [
        ("Actors", ["Actor", "Also called", "Kind", "Role [article]", "Articles"], d.actors,
         lambda a: [a.name, [v for v in a.variants if v != a.name], a.kind,
                    [f"{r.role} [{r.article}]" for r in a.roles], _cites(a.articles)]),
        ("Bases", ["Base", "Also called", "Location", "Operator", "Articles"], d.bases,
         lambda b: [b.name, [v for v in b.variants if v != b.name], b.locations, b.operators, _cites(b.articles)]),
        ("Assets", ["Asset", "Also called", "Type", "Operator", "Articles"], d.assets,
         lambda a: [a.name, [v for v in a.variants if v != a.name], a.type, a.operators, _cites(a.articles)]),
    ]
    for title, cols, items, row in tables:
        if items:
            lines += [f"## {title}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            lines += ["| " + " | ".join(_cell(v) for v in row(item)) + " |" for item in items]
            lines.append("")
    if d.open_questions:
        lines += ["## Open questions", ""]
        lines += [f"- {md_line(q.question)} ({md_line(q.why)}) {_cites(q.articles)}" for q in d.open_questions]
        lines.append("")
    lines += ["## Articles", ""]
    for a in d.articles:
        where = md_line(" · ".join(x for x in (a.outlet, a.url or a.origin, a.published) if x))
        if a.status == "ok":
            lines += [f"{a.id}. **{_cell(a.headline)}** — {where}", f"   {md_line(a.summary or '')}".rstrip()]
        else:
            lines.append(f"{a.id}. **failed** — {where}: {md_line(a.error or '')}")
    lines.append("")
    if d.rejected:
        lines += ["## Rejected by verification", "",
                  "Narrative sentences the model wrote that the program could not check; not part of the brief.", ""]
        lines += [f"- {md_line(r.text)} {_cites(r.cites)} — {md_line(r.reason)}" for r in d.rejected]
        lines.append("")
    u = s.usage
    lines += ["---", "", f"Model {md_code(d.meta.model or '—')} · prompts {md_line(d.meta.prompt_version)} · this run: "
              f"{u.calls} calls, {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens", ""]
    return "\n".join(lines)


def daily_json(d: DailyBrief) -> str:
    return d.model_dump_json(indent=2) + "\n"


# ---- HTML ------------------------------------------------------------------------------------

@dataclass
class Segment:
    text: str
    anchor: str | None = None  # id of a highlighted quote; None for plain text


class Highlights:
    """Every quote of the brief, located in its article's text and merged where quotes overlap."""

    def __init__(self, d: DailyBrief, texts: dict[int, str]):
        self.texts = texts
        spans: dict[int, list[tuple[int, int]]] = {}
        for ev in _all_evidence(d):
            text = texts.get(ev.article)
            if text is not None and ev.grounded and text[ev.start:ev.end] == ev.quote:
                spans.setdefault(ev.article, []).append((ev.start, ev.end))
        self.merged: dict[int, list[tuple[int, int]]] = {}
        for aid, found in spans.items():
            out: list[list[int]] = []
            for start, end in sorted(found):
                if out and start <= out[-1][1]:
                    out[-1][1] = max(out[-1][1], end)
                else:
                    out.append([start, end])
            self.merged[aid] = [(a, b) for a, b in out]

    def anchor(self, ev: CitedEvidence) -> str | None:
        for start, end in self.merged.get(ev.article, []):
            if ev.start is not None and start <= ev.start and (ev.end or 0) <= end:
                return f"q{ev.article}-{start}"
        return None

    def segments(self, aid: int) -> list[Segment]:
        text = self.texts.get(aid)
        if text is None:
            return []
        out, pos = [], 0
        for start, end in self.merged.get(aid, []):
            out += [Segment(text[pos:start]), Segment(text[start:end], f"q{aid}-{start}")]
            pos = end
        out.append(Segment(text[pos:]))
        return [s for s in out if s.text]


def _all_evidence(d: DailyBrief) -> list[CitedEvidence]:
    items = [*d.actors, *d.bases, *d.assets, *d.open_questions, *(r for i in d.casualties for r in i.reports)]
    return [ev for item in items for ev in item.evidence]


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("summarizer.daily", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["cites"] = _cites
    env.globals.update(figure=figure_text, headline_figure=headline_figure)
    return env


def _safe_url(url: str | None) -> str | None:
    """Only web links become links: a `javascript:` URL from an input must not be clickable."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def daily_html(d: DailyBrief, texts: dict[int, str] | None = None) -> str:
    """One self-contained page. `texts` maps article ids to article texts (from the store); without
    them, quotes are listed but cannot be shown in place."""
    h = Highlights(d, texts or {})
    return _env().get_template("daily.html.j2").render(
        d=d, h=h, safe_url=_safe_url, anchor=h.anchor, segments=h.segments,
        ok=d.stats.articles - d.stats.failed) + "\n"


FORMATS = {"markdown": daily_markdown, "json": daily_json}
