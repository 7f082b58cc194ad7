"""The article in a saved web page: its text and metadata, with markup, scripts, styles, menus and
boilerplate dropped (trafilatura). `brief` and `daily` read pages the same way, through `is_page`
and `page_text`, so no markup (`<img onerror=alert(1)>`) and none of its digits reach the model.
"""

from __future__ import annotations

from ..errors import InputError

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MIN_ARTICLE_WORDS = 8


def is_page(text: str, suffix: str = "") -> bool:
    """Whether `text` is to be read as a web page: by its file suffix, or by how it begins."""
    if suffix.lower() in HTML_SUFFIXES:
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<html" in head and "<body" in text[:5000].lower())


def page_text(page: str, origin: str) -> tuple[str, dict[str, str | None]]:
    """The article text of a saved HTML page, and its metadata (url, title, published, outlet)."""
    import trafilatura  # imported here: it takes a while, and plain-text runs never need it

    body = trafilatura.extract(page, include_comments=False, include_tables=False)
    # A page of menus yields a few words ("Home News"): that is not an article either.
    if not body or len(body.split()) < MIN_ARTICLE_WORDS:
        raise InputError(f"{origin}: no article text found in the HTML page")
    meta = trafilatura.extract_metadata(page)
    title = (meta.title or "").strip() if meta else ""
    if title and not body.lstrip().startswith(title):
        body = f"{title}\n\n{body}"  # the headline carries who and where; keep it with the text
    return body.strip() + "\n", {"url": meta.url if meta else None, "title": title or None,
                                 "published": meta.date if meta else None,
                                 "outlet": meta.sitename if meta else None}
