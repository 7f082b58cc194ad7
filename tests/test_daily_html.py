"""The daily HTML page in a real headless browser: quotes are highlighted in the article texts and
linked from their items, and markup inside articles or model output is shown, never run."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarizer import build_daily_brief
from summarizer.models.daily import NarrativeAnswer
from summarizer.daily.narrative import check_narrative
from summarizer.daily.render import daily_html

from .daily_briefs import TEXTS, results

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)")
HOSTILE_HEADLINE = 'Raid <img src=x onerror="document.title=\'pwned\'"> in Aleppo'


def chromium(page: Path, *extra: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        p = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    return p.stdout.decode()


class Dom(HTMLParser):
    """What the browser built: elements by tag, mark ids and texts, and in-page links."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.marks: dict[str, str] = {}
        self.links: list[str] = []
        self.title = ""
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "mark":
            self.marks[a["id"]] = ""
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self.links.append(a["href"][1:])
        self._open.append(a.get("id", "") if tag == "mark" else tag)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] in self.marks:
            self.marks[self._open[-1]] += data
        if self._open and self._open[-1] == "title":
            self.title += data


def test_browser_shows_highlighted_quotes_and_runs_no_injected_script(tmp_path):
    res = results()
    res[0].brief.headline = HOSTILE_HEADLINE  # model output is escaped like article text
    d = build_daily_brief(res, date="2016-08-16")
    kept, rejected = check_narrative(NarrativeAnswer.model_validate({"sentences": [
        {"text": "Russian bombers flew from Iran's Hamedan airbase.", "sources": [1, 2]},
        {"text": "The U.S. was told of the flights in advance.", "sources": [3]}]}), d)
    d = d.model_copy(update={"narrative": kept, "rejected": rejected})
    page = tmp_path / "daily.html"
    page.write_text(daily_html(d, TEXTS), encoding="utf-8")
    dom = Dom(chromium(page, "--dump-dom"))

    assert dom.title == "Daily brief — 2016-08-16"  # the injected scripts did not run
    assert "script" not in dom.tags and "img" not in dom.tags  # and are text, not elements
    assert "<script>document.title='pwned'</script>" in TEXTS[3]
    # every highlight is the article's own words at the stated offsets
    assert len(dom.marks) >= 8
    for anchor, text in dom.marks.items():
        aid, start = map(int, anchor[1:].split("-"))
        assert TEXTS[aid][start:start + len(text)] == text
    # every item's quote link lands on a highlight, and every highlight is linked
    quote_links = {link for link in dom.links if link.startswith("q")}
    assert quote_links == set(dom.marks)
    assert {f"article-{i}" for i in (1, 2, 3)} <= set(dom.links)  # citations link to the articles

    shot = tmp_path / "daily.png"
    chromium(page, f"--screenshot={shot}", "--window-size=1200,1600")
    assert shot.stat().st_size > 10_000


def test_the_browser_check_would_catch_a_script_that_runs(tmp_path):
    """Control: the same check sees a script run when one is left unescaped."""
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><html><head><title>safe</title></head><body>"
                    "<script>document.title='pwned'</script></body></html>")
    assert Dom(chromium(page, "--dump-dom")).title == "pwned"
