"""Read one article from a file or stdin, with clear errors for what is not an article."""

from __future__ import annotations

import sys
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError

MAX_BYTES = 20 * 2**20


def decode(data: bytes, name: str) -> str:
    """Text of `data`: UTF-8 (BOM allowed), else the encoding charset-normalizer finds; never binary."""
    if not data.strip():
        raise InputError(f"{name}: empty article (no text)")
    head = data[:8192]
    if b"\0" in head or sum(b < 9 or 13 < b < 32 for b in head) > len(head) * 0.05:
        raise InputError(f"{name}: binary file, not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        matches = from_bytes(data)
        best = matches.best()
        if best is None or best.encoding is None:
            raise InputError(
                f"{name}: not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start}) "
                "and no other text encoding fits") from None
        # Short Western text fits several code pages equally; prefer Windows-1252 when it fits.
        western = any("cp1252" in m.could_be_from_charset for m in matches)
        encoding = "cp1252" if western else best.encoding
        text = data.decode(encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: empty article (whitespace only)")
    return text


def read_article(path: str) -> tuple[str, str]:
    """(text, source) of a file path, or of stdin for "-"."""
    if path == "-":
        return decode(sys.stdin.buffer.read(MAX_BYTES + 1), "stdin"), "stdin"
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory (give one article file, or use `summarizer daily`)")
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; not an article")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, path), str(path)
