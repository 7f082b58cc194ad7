"""`summarizer brief` (one article) and `summarizer schema` (the JSON Schema files)."""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import Summarizer
from ..errors import shown
from ..models.brief import Brief
from ..models.export import export_schemas
from ..render import FORMATS
from ..text.read import read_article
from .shared import ApiKey, BaseUrl, ModelOpt, ModeOpt, ProfileOpt, TimeoutOpt, make_settings, say, write_output


class Format(str, Enum):
    markdown = "markdown"
    json = "json"


def brief(
    file: Annotated[str, typer.Argument(help="Article file, or - for stdin.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.markdown,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    base_url: BaseUrl = None, model: ModelOpt = None, api_key: ApiKey = None,
    profile: ProfileOpt = None, mode: ModeOpt = None,
    timeout: TimeoutOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Summarize one article into a brief."""
    text, source = read_article(file)
    settings = make_settings(base_url=base_url, model=model, api_key=api_key, profile=profile,
                             mode=mode, timeout=timeout)
    if not quiet:
        say(f"summarizing {source} ({len(text)} characters)")

    async def go() -> Brief:
        async with Summarizer(settings, progress=None if quiet else say) as s:
            return await s.asummarize(text, source=source)

    # asyncio.run turns Ctrl-C into a cancellation of the whole call, which unwinds cleanly
    result = asyncio.run(go())
    write_output(FORMATS[format.value](result), output)


def schema(
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the JSON Schema files.")] = Path("schemas"),
    check: Annotated[bool, typer.Option("--check", help="Fail if the files are out of date; write nothing.")] = False,
) -> None:
    """Write the JSON Schema files of the brief models (for report tools in other languages)."""
    stale = []
    for name, doc in export_schemas().items():
        path = directory / name
        text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        write_output(text, path)
        say(f"wrote {shown(path)}")
    if stale:
        say(f"error: out of date: {', '.join(stale)}; run `summarizer schema`")
        raise typer.Exit(1)
