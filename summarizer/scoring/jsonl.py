"""Labels files: JSON Lines, one pydantic model per line, read with a clear error for a bad line."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

M = TypeVar("M", bound=BaseModel)


def read_labels(path: Path, model: type[M], what: str) -> list[tuple[int, M]]:
    """Each non-blank line of `path` as `model`, with its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append((n, model.model_validate_json(line)))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(map(str, first.get("loc", ())))
            raise InputError(f"{path}:{n}: not a valid {what} ({where + ': ' if where else ''}{first['msg']})") from None
    return out
