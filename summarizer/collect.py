"""Gather the articles of a daily run from files, directories, globs and JSON Lines.

Plain text and saved HTML pages both work; article text is pulled out of HTML as `brief` does
(webpage.py).
Nothing here is fatal: an input that cannot be read becomes an `Article` carrying its error, so the
run reports it alongside the others.
"""

from __future__ import annotations

import functools
import glob
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .inputs import decode, read_bytes
from .store import sha256
from .webpage import HTML_SUFFIXES, is_page, page_text

# What a directory contributes: article files only (not READMEs or notes in Markdown).
ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_HEADER = re.compile(r"^(source|url|published|date|title):\s*(\S.*)$", re.I)


@dataclass
class Article:
    """One article to brief; `error` is set instead of `text` when it could not be read."""

    text: str = ""
    origin: str = "input"  # file path, or "file.jsonl:3"
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    title: str | None = None
    error: str | None = None

    @property
    def sha256(self) -> str:
        return sha256(self.text)

    @property
    def source(self) -> str:
        """What the brief's meta records as its source: the URL if known, else where it was read."""
        return self.url or self.origin


def collect(inputs: list[str], allow_paths_outside: bool = False) -> list[Article]:
    """Every article named by `inputs`, in order: files, directories (their article files, sorted),
    glob patterns, and JSON Lines files (one article per line).

    A JSON Lines `"path"` must lead into the JSON Lines file's own folder (symlinks followed), unless
    `allow_paths_outside`: a feed must not be able to read any file the user can.
    """
    out: list[Article] = []
    read = functools.partial(_from_file, allow_outside=allow_paths_outside)
    for arg in inputs:
        p = Path(arg)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f.relative_to(p))
                           and f.suffix.lower() in ARTICLE_SUFFIXES | JSONL_SUFFIXES)
            for f in files:
                out += read(f)
        elif p.exists():
            out += read(p)
        elif glob.has_magic(arg):
            matches = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if not matches:
                out.append(Article(origin=arg, error=f"{arg}: no files match"))
            for f in matches:
                out += read(f)
        else:
            out.append(Article(origin=arg, error=f"{arg}: no such file"))
    return out


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _from_file(path: Path, allow_outside: bool = False) -> list[Article]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return _from_jsonl(path, allow_outside)
    try:
        return [_article(_read(path), str(path), html=path.suffix.lower() in HTML_SUFFIXES)]
    except InputError as exc:
        return [Article(origin=str(path), error=str(exc))]


def _read(path: Path) -> str:
    return decode(read_bytes(path, str(path)), str(path))


def _article(text: str, origin: str, html: bool = False, **meta: Any) -> Article:
    """An Article from raw text or HTML, with metadata from the input, the page or the text's header."""
    if html or is_page(text):
        text, found = page_text(text, origin)
    else:
        found = _header(text)
    fields = {k: v for k, v in {**found, **meta}.items() if v}
    return Article(text=text, origin=origin, **fields)


def _header(text: str) -> dict[str, str | None]:
    """`source:` / `published:` lines at the top of a text file (as in seeds/)."""
    found: dict[str, str | None] = {}
    for line in text.lstrip().splitlines()[:5]:
        m = _HEADER.match(line.strip())
        if not m:
            continue
        key, value = m.group(1).lower(), m.group(2).strip()
        if value.lower() in ("unknown", "n/a", "none", "-"):
            continue
        if key in ("source", "url") and re.match(r"https?://", value):
            found["url"] = value
        elif key in ("published", "date"):
            found["published"] = value
        elif key == "title":
            found["title"] = value
    return found


def _from_jsonl(path: Path, allow_outside: bool = False) -> list[Article]:
    try:
        lines = _read(path).splitlines()
    except InputError as exc:
        return [Article(origin=str(path), error=str(exc))]
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        origin = f"{path}:{n}"
        try:
            out.append(_jsonl_article(line, origin, path.parent, allow_outside))
        except InputError as exc:
            out.append(Article(origin=origin, error=str(exc)))
    return out


def _jsonl_article(line: str, origin: str, base: Path, allow_outside: bool) -> Article:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise InputError(f"{origin}: not valid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise InputError(f"{origin}: expected a JSON object")
    meta = {"url": obj.get("url"), "outlet": obj.get("source"), "published": obj.get("published"),
            "title": obj.get("title")}
    meta = {k: str(v) for k, v in meta.items() if isinstance(v, (str, int, float)) and str(v).strip()}
    if isinstance(obj.get("text"), str):
        return _article(_clean(obj["text"], origin), origin, **meta)
    if isinstance(obj.get("html"), str):
        return _article(obj["html"], origin, html=True, **meta)
    if isinstance(obj.get("path"), str):
        p = Path(obj["path"])
        p = p if p.is_absolute() else base / p
        if not allow_outside and not _inside(p, base):
            raise InputError(f"{origin}: \"path\" {obj['path']!r} leads outside {base.resolve()}; refused "
                             "(--allow-paths-outside allows it)")
        if not p.is_file():
            raise InputError(f"{origin}: {obj['path']}: no such file")
        return _article(_read(p), origin, html=p.suffix.lower() in HTML_SUFFIXES, **meta)
    raise InputError(f"{origin}: no \"text\", \"html\" or \"path\" field")


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, every symlink and '..' resolved, is within `folder` (itself resolved)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder: not provably inside
        return False


def _clean(text: str, origin: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{origin}: empty article (no text)")
    return text
