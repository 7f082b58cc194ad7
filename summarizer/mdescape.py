"""Text from articles and the model made inert for Markdown output (brief and daily).

Markdown viewers render raw HTML and follow links, so `<img src=x onerror=...>` or
`[x](javascript:...)` in an article or a model's answer would become an element or a link. Here
`<` and `>` become entities and brackets are escaped, so no element, link, image or link
definition can start inside such text; an `&` is escaped only where it would start an entity, and
backslashes are doubled so they cannot undo an escape. Everything else is left as written, to stay
readable in the raw file too.
"""

from __future__ import annotations

import re

_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ESCAPES = str.maketrans({"\\": "\\\\", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]"})


def md_text(value: object) -> str:
    """`value` as Markdown text that shows as written and cannot make markup or links."""
    return _ENTITY.sub("&amp;", str(value)).translate(_ESCAPES)


def md_line(value: object) -> str:
    """`md_text` on one line (line breaks would let the text start blocks of its own)."""
    return md_text(" ".join(str(value).split()))


def md_cell(value: object) -> str:
    """`md_line` fit for a table cell: `|` escaped, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return md_line(text).replace("|", "\\|")


def md_code(value: object) -> str:
    """`value` as an inline code span (shown verbatim, never as markup) that its own backticks
    cannot close: the fence is one backtick longer than any run inside."""
    text = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
