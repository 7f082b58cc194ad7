"""Inputs of a daily run (files, directories, globs, JSON Lines, saved HTML) and the SQLite store."""

from __future__ import annotations

import json
import sqlite3

import pytest

from summarizer.text.read import collect
from summarizer.errors import InputError
from summarizer.daily.store import Store, sha256

from .conftest import SEEDS
from .daily_briefs import brief_1

PAGE = """<!DOCTYPE html><html><head><title>Russian jets use Iranian base - Example News</title>
<meta property="og:url" content="https://news.example/russia-iran">
<meta name="date" content="2016-08-16"></head>
<body><nav>Home | World | Sport | Weather</nav>
<article><h1>Russian jets use Iranian base</h1>
<p>MOSCOW - Russia said Tuesday its fighter jets flew out of an Iranian airbase for the first time to
bomb jihadist groups in Syria, as fighting raged for control of the ravaged city of Aleppo.</p>
<p>The Syrian Observatory for Human Rights said air raids on two rebel-held districts of Aleppo killed
19 civilians.<script>document.title = "pwned"</script></p></article>
<footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def test_directory_glob_and_files_give_articles_in_order_with_metadata(tmp_path):
    (tmp_path / "b.txt").write_text("source: https://example.org/b\npublished: 2016-08-16\n\nArticle B text.\n")
    (tmp_path / "a.txt").write_text("Article A text.\n")
    (tmp_path / "page.html").write_text(PAGE)
    (tmp_path / "README.md").write_text("# not an article\n")
    (tmp_path / ".hidden.txt").write_text("hidden\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    found = collect([str(tmp_path)])
    assert [a.origin.rsplit("/", 1)[-1] for a in found] == ["a.txt", "b.txt", "empty.txt", "page.html"]
    a, b, empty, page = found
    assert a.text == "Article A text.\n" and a.error is None and a.source.endswith("a.txt")
    assert b.url == "https://example.org/b" and b.published == "2016-08-16" and b.source == b.url
    assert b.text.startswith("source: https://example.org/b")  # the text is briefed as it is
    assert empty.error and "empty article" in empty.error  # reported, not fatal
    assert page.url == "https://news.example/russia-iran" and page.published == "2016-08-16"
    # trafilatura keeps the article and drops the menu, the footer and the script
    assert page.text.startswith("Russian jets use Iranian base\nMOSCOW - Russia said Tuesday")
    assert "Aleppo killed 19 civilians." in page.text
    assert "Weather" not in page.text and "pwned" not in page.text and "Copyright" not in page.text
    assert collect([str(tmp_path / "*.txt")])[0].origin.endswith("a.txt")
    missing = collect([str(tmp_path / "nope.txt"), str(tmp_path / "*.xml")])
    assert [m.error.rsplit(": ", 1)[-1] for m in missing] == ["no such file", "no files match"]


def test_seeds_directory_holds_thirteen_articles():
    found = collect([str(SEEDS)])
    assert len(found) == 13 and all(a.error is None for a in found)
    assert found[0].url.startswith("https://www.voanews.com/") and found[0].published == "2012-08-16"


def test_json_lines_with_text_path_html_and_bad_lines(tmp_path):
    (tmp_path / "saved.html").write_text(PAGE)
    lines = [
        {"text": "Inline article.", "url": "https://x.example/1", "source": "AFP", "published": "2016-08-16"},
        {"path": "saved.html", "source": "Example News"},
        {"html": PAGE},
        {"url": "https://x.example/4"},
        "not json {",
        {"path": "missing.txt"},
    ]
    (tmp_path / "day.jsonl").write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n")
    found = collect([str(tmp_path / "day.jsonl")])
    assert len(found) == 6
    inline, by_path, by_html, no_text, bad, missing = found
    assert (inline.text, inline.url, inline.outlet, inline.published) == (
        "Inline article.", "https://x.example/1", "AFP", "2016-08-16")
    assert inline.origin.endswith("day.jsonl:1")
    assert by_path.outlet == "Example News" and "Syrian Observatory" in by_path.text
    assert by_html.text == by_path.text and by_html.error is None
    assert 'no "text", "html" or "path" field' in no_text.error
    assert "not valid JSON" in bad.error and bad.origin.endswith("day.jsonl:5")
    assert "missing.txt: no such file" in missing.error


def test_store_keys_by_text_brief_version_and_model_and_commits_each_result(tmp_path):
    path = tmp_path / "s.sqlite3"
    text, brief = "Some article.", brief_1()
    with Store(path) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.save(text, "1-a", "m", None, error="backend down", source="a.txt")
        assert store.get(sha256(text), "1-a", "m").status == "failed"
        store.save(text, "1-a", "m", brief, source="a.txt")
        # committed at once: another connection sees it while this one is still open
        other = sqlite3.connect(path)
        assert other.execute("SELECT status, attempts FROM briefs").fetchall() == [("done", 2)]
        other.close()
        record = store.get(sha256(text), "1-a", "m")
        assert record.status == "done" and record.brief == brief
        assert store.get(sha256(text), "1-b", "m") is None  # new prompts: redo
        assert store.get(sha256(text), "1-a", "other-model") is None  # new model: redo
        assert store.text(sha256(text)) == text
        store.save_narrative("k", '{"sentences": []}')
        assert store.narrative("k") == '{"sentences": []}' and store.narrative("j") is None
        assert store.counts() == {"done": 1}


@pytest.mark.parametrize("marked", [True, False])
def test_a_store_written_before_the_column_was_renamed_is_read_and_renamed(tmp_path, marked):
    path = tmp_path / "old.sqlite3"
    text, brief = "Some article.", brief_1()
    with Store(path) as store:
        store.save(text, "1-a", "m", brief, source="a.txt")
    with sqlite3.connect(path) as db:  # as older versions wrote it
        db.execute("ALTER TABLE briefs RENAME COLUMN brief_version TO prompt_version")
        db.execute("ALTER TABLE claims RENAME COLUMN brief_version TO prompt_version")
        if not marked:
            db.execute("PRAGMA application_id = 0")
    db.close()
    with Store(path) as store:
        assert store.get(sha256(text), "1-a", "m").brief == brief
    with sqlite3.connect(path) as db:
        assert "brief_version" in [row[1] for row in db.execute("PRAGMA table_info(briefs)")]
    db.close()


def test_a_file_that_is_not_a_store_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="cannot open the store .*bad.sqlite3"):
        Store(bad)


def test_html_page_with_no_article_body_is_reported_not_fatal(tmp_path):
    (tmp_path / "menu.html").write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a>"
                                        "<a href='/news'>News</a></nav></body></html>")
    (tmp_path / "ok.txt").write_text("Gunmen killed 12 people in Dogo market, police said.")
    found = collect([str(tmp_path)])
    by_name = {a.origin.rsplit("/", 1)[-1]: a for a in found}
    assert "no article text found in the HTML page" in by_name["menu.html"].error
    assert by_name["ok.txt"].error is None and by_name["ok.txt"].text.startswith("Gunmen")
