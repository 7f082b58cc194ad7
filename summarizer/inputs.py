"""Read one article from a file or stdin, with clear errors for what is not an article.

Nothing is read past the size limit (a device, a FIFO or stdin may never end); text is UTF-8,
UTF-16/32 with a byte-order mark, or the encoding charset-normalizer finds; a saved web page is
reduced to its article text (webpage.py), as `daily` does.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from .errors import InputError
from .output import shown
from .webpage import is_page, page_text

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
