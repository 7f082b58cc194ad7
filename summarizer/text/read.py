"""Read articles: one from a file or stdin (`brief`), or a daily run's from files, directories,
globs and JSON Lines (`daily`).

Nothing is read past the size limit (a device, a FIFO or stdin may never end); text is UTF-8,
UTF-16/32 with a byte-order mark, or the encoding charset-normalizer finds; a saved web page is
reduced to its article text (webpage.py). In a daily run nothing is fatal: an input that cannot be
read becomes an `Article` carrying its error, so the run reports it alongside the others.
"""

from __future__ import annotations

import codecs
import functools
import glob
import hashlib
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from ..errors import InputError, shown
from .webpage import HTML_SUFFIXES, is_page, page_text

MAX_BYTES = 20 * 2**20
# UTF-32 first: its little-endian mark begins with UTF-16's
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _too_long(name: str) -> InputError:
    return InputError(f"{name}: longer than {MAX_BYTES // 2**20} MiB; not an article")


def read_limited(source: BinaryIO, name: str) -> bytes:
    """At most MAX_BYTES from `source`: one byte more is read only to know there is more."""
    data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _too_long(name)
    return data


def read_bytes(path: Path | str, name: str) -> bytes:
    """The bytes of a file, FIFO or device (at most the limit), or one clear InputError."""
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise InputError(f"{name}: is a directory")
            if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:
                raise _too_long(name)
            return read_limited(f, name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None


def decode(data: bytes, name: str) -> str:
    """Text of `data`: UTF-16/32 with a byte-order mark, UTF-8 (BOM allowed), else the encoding
    charset-normalizer finds; never binary."""
    text = _with_bom(data, name)
    if text is None:
        text = _without_bom(data, name)
    elif "\0" in text[:8192]:
        raise InputError(f"{name}: binary file, not an article")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: empty article (whitespace only)")
    return text


def _with_bom(data: bytes, name: str) -> str | None:
    """The text of UTF-16/32 data that starts with its byte-order mark; None for other data."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)  # the codec reads the mark for the byte order and drops it
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {codec.upper()} (bad bytes at offset {exc.start}) "
                                 "after its byte-order mark") from None
    return None


def _without_bom(data: bytes, name: str) -> str:
    if not data.strip():
        raise InputError(f"{name}: empty article (no text)")
    head = data[:8192]
    if b"\0" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) * 0.05:
        raise InputError(f"{name}: binary file, not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        matches = from_bytes(data)
        best = matches.best()
        if best is None or best.encoding is None:
            raise InputError(
                f"{name}: not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start}) "
                "and no other text encoding fits") from None
        # Short Western text fits several code pages equally; prefer Windows-1252 when it fits.
        western = any("cp1252" in m.could_be_from_charset for m in matches)
        return data.decode("cp1252" if western else best.encoding)


def read_article(path: str) -> tuple[str, str]:
    """(text, source) of a file path, or of stdin for "-"; a saved web page gives its article text."""
    if path == "-":
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise InputError("stdin: closed; give an article file")
        try:
            data = read_limited(sys.stdin.buffer, "stdin")
        except OSError as exc:
            raise InputError(f"stdin: cannot read ({exc.strerror or exc})") from None
        text = decode(data, "stdin")
        return (page_text(text, "stdin")[0] if is_page(text) else text), "stdin"
    p = Path(path)
    name = shown(path)
    if not p.exists():
        raise InputError(f"{name}: no such file")
    if p.is_dir():
        raise InputError(f"{name}: is a directory (give one article file, or use `summarizer daily`)")
    text = decode(read_bytes(p, name), name)
    return (page_text(text, name)[0] if is_page(text, p.suffix) else text), str(path)


def sha256(text: str) -> str:
    """An article's key in the store: the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- a daily run's articles ------------------------------------------------------------------------

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
