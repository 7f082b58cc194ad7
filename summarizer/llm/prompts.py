"""Prompt templates (Jinja2 files in prompts/), their version, and field guidance from the models.

The version is a series number bumped on deliberate changes plus a hash of every template, so any
edit to a prompt changes the version recorded in `meta` and in cache keys.
"""

from __future__ import annotations

import hashlib
import os
import typing
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from ..models.brief import PASS_LIMITS, prompt_models

PROMPT_SERIES = "1"


def prompts_dir() -> Path:
    """The templates shipped in the package (summarizer/prompts/), or SUMMARIZER_PROMPTS_DIR."""
    env = os.environ.get("SUMMARIZER_PROMPTS_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parent.parent / "prompts")
    for c in candidates:
        if (c / "system.j2").is_file():
            return c
    raise FileNotFoundError("prompt templates not found; set SUMMARIZER_PROMPTS_DIR")


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(prompts_dir()),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text prompts; the article goes in as data between markers
        keep_trailing_newline=False,
    )
    env.globals["fields"] = field_guidance
    env.globals["limits"] = PASS_LIMITS
    return env


# The templates a single brief is made from: their hash keys stored briefs, so editing another
# template (the daily narrative) does not invalidate every brief already made.
BRIEF_TEMPLATES = ("system.j2", "article.j2", "pass_casualties.j2", "pass_entities.j2",
                   "pass_overview.j2", "single.j2")


@cache
def prompt_version(templates: tuple[str, ...] = BRIEF_TEMPLATES) -> str:
    h = hashlib.sha256()
    for path in sorted(prompts_dir() / t for t in templates):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{PROMPT_SERIES}-{h.hexdigest()[:10]}"


def render(template: str, **context: Any) -> str:
    return _env().get_template(template).render(**context).strip()


def _type_text(annotation: Any) -> str:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f'"{a}"' for a in args)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return " or ".join(_type_text(a) for a in rest) + " or null"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(annotation, "value")


@cache
def field_guidance(section: str) -> str:
    """One line per field of the section's draft model: name, type, description (from the model)."""
    model = prompt_models()[section]
    lines = []
    for name, info in model.model_fields.items():
        desc = info.description or ""
        # the name the answer's JSON uses
        lines.append(f"- {info.alias or name} ({_type_text(info.annotation)}): {desc}".rstrip(": "))
    return "\n".join(lines)


def messages(task_template: str, text: str, **context: Any) -> list[dict[str, str]]:
    """Chat messages for one pass.

    Order matters for speed: the static system prompt (every pass's instructions) first, then the
    article, then the pass's short task. llama.cpp reuses the longest common prefix of consecutive
    requests, so the instructions are read once per run, the article once per article, and each
    further pass reads only its task. (A small model follows a task named after the article far
    better than one only described before it: the task line names the instructions to follow.)
    """
    return _chat(render("article.j2", text=text) + "\n\n" + render(task_template, **context))


def _chat(user: str) -> list[dict[str, str]]:
    """The static system prompt, then `user`: every pass's messages."""
    return [{"role": "system", "content": render("system.j2")}, {"role": "user", "content": user}]
