"""Render briefs for people. Sections and columns come from the pydantic models' fields; text from
the article or the model is escaped for Markdown (mdescape.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .mdescape import md_code, md_line
from .models.brief import ITEM_MODELS, Brief, Evidence


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _cell(value: Any) -> str:
    return "—" if value is None else md_line(value).replace("|", "\\|")


def _evidence(evs: list[Evidence]) -> str:
    out = []
    for ev in evs:
        where = f" [{ev.start}–{ev.end}]" if ev.grounded else " (not found in the article)"
        out.append(f"“{_cell(ev.quote)}”{where}")
    return "<br>".join(out) or "—"


def _table(items: list[BaseModel], model: type[BaseModel]) -> list[str]:
    cols = [n for n in model.model_fields if n != "evidence"]
    lines = ["| " + " | ".join(_title(c) for c in cols) + " | Evidence |",
             "|" + "---|" * (len(cols) + 1)]
    for item in items:
        cells = [_cell(getattr(item, c)) for c in cols]
        lines.append("| " + " | ".join(cells) + f" | {_evidence(getattr(item, 'evidence', []))} |")
    return lines


def brief_markdown(brief: Brief) -> str:
    """The brief as Markdown: headline, summary, one table per section, conflicts, rejections, meta."""
    # Everything from the article or the model goes through md_*: it must show, never render.
    lines = [f"# {md_line(brief.headline)}", ""]
    if brief.dateline and (brief.dateline.date or brief.dateline.place):
        lines += [f"*{md_line(' — '.join(x for x in (brief.dateline.place, brief.dateline.date) if x))}*", ""]
    lines += [md_line(brief.summary) if brief.summary else "_(no summary passed verification)_", ""]
    for conflict in brief.casualty_conflicts:
        lines += [f"> **Conflicting tolls{' in ' + md_line(conflict.location) if conflict.location else ''}:** "
                  f"{md_line(conflict.note)}. Most conservative: {conflict.headline_killed} killed.", ""]
    for section, model in ITEM_MODELS.items():
        items = getattr(brief, section)
        if items:
            lines += [f"## {_title(section)}", "", *_table(items, model), ""]
    if brief.rejected:
        lines += ["## Rejected by verification", "",
                  "Proposed by the model but not verified against the article; not part of the brief.", ""]
        for r in brief.rejected:
            lines.append(f"- **{md_line(_title(r.section))}**: {md_line(r.reason)} — {md_code(_short_item(r.item))}")
        lines.append("")
    m = brief.meta
    lines += ["---", "",
              f"Source: {md_line(m.source or '—')} · model {md_code(m.model)} ({md_line(m.profile)}) · "
              f"prompts {md_line(m.prompt_version)} · "
              f"{m.usage.calls} calls, {m.usage.prompt_tokens} prompt + {m.usage.completion_tokens} "
              f"completion tokens · {m.timings.get('total', 0):.1f} s", ""]
    return "\n".join(lines)


def _short_item(item: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v!r}" for k, v in item.items() if v not in (None, "", []))
    return text if len(text) <= 200 else text[:199] + "…"


def brief_json(brief: Brief) -> str:
    return brief.model_dump_json(indent=2) + "\n"


FORMATS = {"markdown": brief_markdown, "json": brief_json}
