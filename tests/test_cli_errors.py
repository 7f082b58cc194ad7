"""Bad input and bad settings: one clear line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SHORT_ARTICLE


def cli(*args: str, stdin: bytes | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer.cli", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120, env=env)


def one_line_error(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode()
    assert p.returncode != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("setup,expect", [
    (lambda d: str(d / "missing.txt"), "no such file"),
    (lambda d: str(d), "is a directory"),
    (lambda d: _write(d / "empty.txt", b""), "empty article"),
    (lambda d: _write(d / "blank.txt", b"  \n\t \n"), "empty article"),
    (lambda d: _write(d / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "binary file"),
])
def test_bad_article_files(tmp_path, setup, expect):
    line = one_line_error(cli("brief", setup(tmp_path)))
    assert line.startswith("summarizer: error: ") and expect in line


def test_latin1_text_is_decoded_not_rejected(tmp_path):
    from summarizer.text.read import decode
    text = "Les frappes a\u00e9riennes ont tu\u00e9 dix-neuf civils \u00e0 Alep, selon l'OSDH. " * 3
    assert decode(text.encode("latin-1"), "x") == text


def test_unreachable_backend_is_one_line(tmp_path):
    line = one_line_error(cli("brief", str(SHORT_ARTICLE), "--base-url", "http://127.0.0.1:9/v1",
                              "--model", "m", "--profile", "openai", "--timeout", "2", "-q"))
    assert "cannot reach backend at http://127.0.0.1:9/v1" in line


def test_unknown_profile_is_one_line():
    line = one_line_error(cli("brief", str(SHORT_ARTICLE), "--base-url", "http://127.0.0.1:9/v1",
                              "--model", "m", "--profile", "nonsense", "-q"))
    assert "unknown profile 'nonsense'" in line


def test_schema_files_are_up_to_date():
    p = cli("schema", "--check")
    assert p.returncode == 0, p.stderr.decode()
    doc = json.loads((ROOT / "schemas" / "brief.schema.json").read_text())
    assert doc["title"] == "Brief" and "casualties" in doc["properties"]


def test_schema_check_fails_when_stale(tmp_path):
    (tmp_path / "brief.schema.json").write_text("{}\n")
    line = one_line_error(cli("schema", "--check", "--dir", str(tmp_path)))
    assert "out of date" in line


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_ctrl_c_during_brief_is_one_line(tmp_path):
    """Interrupted while the backend is answering: one line and exit 130, never a traceback from
    requests left running on a closed event loop."""
    import signal

    from .daily_fake import SchemaFake

    with SchemaFake(stall_after=0) as fake:
        proc = subprocess.Popen([sys.executable, "-m", "summarizer.cli", "brief", str(SHORT_ARTICLE), "-q",
                                 "--base-url", fake.base_url, "--model", "m", "--profile", "llama.cpp"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with fake.arrived:  # wait for the first request, then interrupt
            assert fake.arrived.wait_for(lambda: fake.requests or proc.poll() is not None, timeout=60)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and out == b""
    assert err.decode().splitlines() == ["summarizer: interrupted"]
