"""Markdown output (brief and daily) in a Markdown renderer: markup and link syntax from articles
or the model show as text, never as elements or links, and ordinary text reads as written."""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

from summarizer import build_daily_brief
from summarizer.models.daily import NarrativeSentence, RejectedSentence
from summarizer.render import brief_markdown
from summarizer.daily.render import daily_markdown
from summarizer.models.brief import Rejected

from .daily_briefs import results

IMG = "<img src=x onerror=alert(1)>"
LINK = "[click here](javascript:alert(1))"
IMAGE = "![pixel](http://tracker.example/p.png)"
HOSTILE = [IMG, LINK, IMAGE, "<script>alert(2)</script>", "<javascript:alert(3)>", "\\[escaped](javascript:alert(4))",
           "[ref]: javascript:alert(5)", "&lt;b&gt;"]
# What our own Markdown may become: structure and emphasis, never links, images, scripts or frames.
ALLOWED = {"h1", "h2", "p", "em", "strong", "code", "table", "thead", "tbody", "tr", "th", "td", "br", "ul", "ol",
           "li", "hr", "blockquote"}


class Rendered(HTMLParser):
    """The HTML a careless CommonMark viewer makes of a Markdown text: raw HTML on, tables on, and
    every link scheme followed (markdown-it itself refuses javascript: links; not every viewer does)."""

    def __init__(self, markdown: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text = ""
        md = MarkdownIt("commonmark", {"html": True}).enable("table")
        md.validateLink = lambda url: True
        self.feed(md.render(markdown))

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)

    def handle_data(self, data):
        self.text += data


def assert_inert(markdown: str) -> Rendered:
    page = Rendered(markdown)
    assert page.tags <= ALLOWED, page.tags - ALLOWED
    return page


def test_brief_markdown_shows_markup_and_links_as_text():
    brief = results()[0].brief
    brief.headline = f"{IMG} Raid on Aleppo"
    brief.summary = " ".join(HOSTILE) + " AT&T said 3 < 5 and *nothing* else."
    brief.actors[0].name = f"<b>Russia</b> | {LINK}"
    brief.actors[0].evidence[0].quote = IMAGE
    brief.rejected = [Rejected(section="actors", reason=f"no evidence {IMG}",
                               item={"name": f"`</code>{IMG}`", "role": LINK})]
    brief.meta.model = f"model` {IMG} `"
    brief.meta.source = "javascript:alert(6)"
    page = assert_inert(brief_markdown(brief))
    for text in (f"{IMG} Raid on Aleppo", IMG, LINK, IMAGE, "<script>alert(2)</script>", "AT&T said 3 < 5",
                 "<b>Russia</b>", "&lt;b&gt;", "javascript:alert(6)"):
        assert text in page.text  # shown as written


def test_daily_markdown_shows_markup_and_links_as_text():
    res = results()
    res[0].brief.headline = f"{IMG} Raid on Aleppo"
    res[0].article.url = "javascript:alert(7)"
    res[0].article.outlet = "<script>alert(8)</script>"
    res[1].brief.open_questions[0].question = f"Who? {LINK}"
    res[3].error = f"backend answered HTTP 400: {IMG} {IMAGE}"
    d = build_daily_brief(res, date="2016-08-16")
    d = d.model_copy(update={
        "narrative": [NarrativeSentence(text=f"Bombers flew. {LINK} {IMG}", cites=[1])],
        "rejected": [RejectedSentence(text=f"{IMAGE} 99 died", cites=[2], reason=f"unverified {IMG}")]})
    markdown = daily_markdown(d)
    page = assert_inert(markdown)
    for text in (f"{IMG} Raid on Aleppo", "javascript:alert(7)", "<script>alert(8)</script>", f"Who? {LINK}",
                 f"Bombers flew. {LINK} {IMG}", f"{IMAGE} 99 died", "HTTP 400"):
        assert text in page.text
    assert ": 19 killed [1] “" in markdown and "| [1][2] |" in markdown  # our citations stay links-free text
    assert "Russia" in page.text and "Hamedan airbase" in page.text
