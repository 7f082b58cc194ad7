"""Articles that are not plain files of plain text: FIFOs and endless streams, UTF-16/32 text,
and saved web pages, for `brief` and `daily` alike."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from summarizer.text.read import collect
from summarizer.text.read import MAX_BYTES, decode, read_article

from .conftest import ROOT
from .fakeserver import FakeOpenAI

LIMIT_LINE = f"longer than {MAX_BYTES // 2**20} MiB"
TEXT = "Gunmen killed 12 people in Dogo market on Monday, police in Kano said. Residents fled the town.\n"


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "summarizer.cli", *args], cwd=ROOT, capture_output=True,
                          timeout=300, env=env(), **kw)


def one_line(p: subprocess.CompletedProcess) -> str:
    err = p.stderr.decode()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


class Feeder:
    """Writes `total` bytes of article-like text into a FIFO from a thread, until the reader stops."""

    def __init__(self, fifo: Path, total: int):
        self.fifo, self.total = fifo, total
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def _feed(self) -> None:
        chunk = (TEXT * 700).encode()[: 2**16]
        try:
            with open(self.fifo, "wb") as f:
                sent = 0
                while sent < self.total:
                    f.write(chunk)
                    sent += len(chunk)
        except BrokenPipeError:  # the reader read what it wanted and left
            pass

    def close(self) -> None:
        if self.thread.is_alive():  # the reader never opened the FIFO: let the writer's open return
            fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        self.thread.join(timeout=60)


# ---- 5: no more than the limit is read, from anything ---------------------------------------

def test_a_fifo_longer_than_the_limit_is_refused_by_brief_and_daily(tmp_path):
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    for args in (["brief", str(fifo)], ["daily", str(fifo), "--store", str(tmp_path / "s.sqlite3"), "-q"]):
        feeder = Feeder(fifo, MAX_BYTES + 2**20)
        try:
            p = cli(*args)
        finally:
            feeder.close()
        lines = [line for line in p.stderr.decode().splitlines() if line.strip()]
        assert p.returncode in (1, 2) and "Traceback" not in p.stderr.decode()
        assert any(f"{fifo}: {LIMIT_LINE}; not an article" in line for line in lines), lines


def test_an_endless_stdin_is_cut_at_the_limit_and_refused():
    source = subprocess.Popen(["yes", TEXT.strip()], stdout=subprocess.PIPE)
    try:
        p = cli("brief", "-", stdin=source.stdout)
    finally:
        source.stdout.close()
        source.kill()
        source.wait()
    assert p.returncode == 2
    assert one_line(p) == f"summarizer: error: stdin: {LIMIT_LINE}; not an article"


# ---- 10: text with a byte-order mark ---------------------------------------------------------

@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                                       (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf16_and_utf32_text_with_a_bom_is_read(tmp_path, bom, codec):
    text = "Frappes à Alep : « 19 civils tués », selon l’OSDH.\r\nDeuxième ligne.\n"
    data = bom + text.encode(codec)
    assert decode(data, "x") == text.replace("\r\n", "\n")
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    assert read_article(str(path))[0] == collect([str(path)])[0].text == text.replace("\r\n", "\n")


def test_a_bom_before_bytes_that_do_not_decode_is_one_clear_error():
    from summarizer.errors import InputError

    with pytest.raises(InputError, match="not valid UTF-16"):
        decode(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8", "x")  # a lone surrogate
    with pytest.raises(InputError, match="empty article"):
        decode(codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "x")


# ---- 11: saved web pages ---------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Gunmen attack Dogo market</title>
<script>var killed = 99; document.title = "9 dead";</script>
<style>.x { width: 300px }</style></head>
<body><nav>Home | News | 24 hours</nav>
<article><h1>Gunmen attack Dogo market</h1>
<p>Gunmen killed 12 people in Dogo market on Monday, police in Kano said.</p>
<p><img src=x onerror=alert(1)> Residents said the attackers fled on motorcycles before soldiers arrived.</p>
</article><footer>© 2016 Example News, 3 Main Street</footer></body></html>
"""


def article_sent(server: FakeOpenAI) -> str:
    """The article as the model was shown it (between the prompt's <<< >>> marks)."""
    contents = [m["content"] for r in server.requests for m in r["body"]["messages"]]
    found = [c.split("<<<\n", 1)[1].split("\n>>>", 1)[0] for c in contents if "<<<\n" in c]
    assert found, contents
    return found[0]


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_brief_reads_a_saved_page_as_daily_does(tmp_path, how):
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    args = ["brief", str(page) if how == "file" else "-", "-q", "--format", "json", "--model", "m", "--profile", "openai"]
    with FakeOpenAI([]) as server:
        p = cli(*args, "--base-url", server.base_url, input=PAGE.encode() if how == "stdin" else None)
        assert p.returncode == 0, p.stderr.decode()
        sent = article_sent(server)
    assert sent.strip() == collect([str(page)])[0].text.strip()  # one way to read a page
    assert "Gunmen killed 12 people in Dogo market" in sent
    for markup in ("<", "script", "alert(1)", "onerror", "99", "300px", "24 hours"):
        assert markup not in sent
    brief = json.loads(p.stdout)
    figures = {c[k] for c in brief["casualties"] for k in ("killed", "wounded") if c[k] is not None}
    assert not figures & {1, 9, 99, 24, 300}


def test_a_page_with_no_article_is_one_line_for_brief(tmp_path):
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav>Home News Sport</nav><script>alert(1)</script></body></html>")
    p = cli("brief", str(page), "--base-url", "http://127.0.0.1:9/v1", "--model", "m")
    assert p.returncode == 2
    assert one_line(p) == f"summarizer: error: {page}: no article text found in the HTML page"
