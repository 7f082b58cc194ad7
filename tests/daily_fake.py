"""An OpenAI-compatible server on loopback for batch tests: it answers every chat request with JSON
that is valid for the schema the request asks for, filled from the article in the prompt.

It is a real HTTP server (the client, retries and concurrency are the real ones); it counts
requests per article, measures how many articles are in flight at once, and can fail chosen
articles or stall after a number of answers (to interrupt a run halfway).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from summarizer.llm.extract import unmarked
from summarizer.text.grounding import headline_of

from .fakeserver import chat_completion, schema_of

ARTICLE = re.compile(r"<<<\n(.*?)\n>>>", re.S)
FIGURE_CHECK = re.compile(r'numbers in sentences of a news article headlined "(.*?)"\. For each')
NARRATIVE_ITEM = re.compile(r"^\[(\d+)\] (.+)$", re.M)
PROPER = re.compile(r"\b[A-Z][a-z]{3,}(?: [A-Z][a-z]+)*\b")
HEADER = re.compile(r"^(source|published|url|date|title):", re.I)


def article_of(body: dict[str, Any]) -> str | None:
    """The article text a per-article request carries, without the figure marks the passes add to
    it (None for the narrative request)."""
    content = body["messages"][-1]["content"]
    if "BRIEFS OF THE DAY" in content:
        return None
    m = ARTICLE.search(content)
    return unmarked(m.group(1)) if m else None


class Filler:
    """Values for a schema's fields, taken from the article so that verification can find them."""

    def __init__(self, article: str):
        body = [line for line in article.splitlines() if line.strip() and not HEADER.match(line.strip())]
        self.first_line = body[0].strip() if body else "Untitled"
        text = " ".join(body)
        self.sentence = (re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0] if text else "No text.").strip()
        self.names = list(dict.fromkeys(PROPER.findall(text))) or ["Nobody"]
        self.used = 0

    def string(self, name: str | None) -> str:
        if name == "name":
            value = self.names[self.used % len(self.names)]
            self.used += 1
            return value
        return {"quote": self.sentence, "headline": self.first_line, "summary": self.sentence,
                "question": "Who is responsible?", "why": "Not stated in the article.",
                "role": "named in the article"}.get(name or "", "named")


def fill(schema: dict[str, Any], defs: dict[str, Any], f: Filler, name: str | None = None) -> Any:
    if "$ref" in schema:
        return fill(defs[schema["$ref"].split("/")[-1]], defs, f, name)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        if len(options) < len(schema["anyOf"]):
            return None  # optional: leave it out, as a cautious model would
        return fill(options[0], defs, f, name)
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:  # the answer the schema itself gives as typical
        return schema["examples"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: fill(v, defs, f, k) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        n = schema.get("minItems", 0) or (1 if name in ("actors", "open_questions") else 0)
        return [fill(schema.get("items", {}), defs, f, name) for _ in range(min(n, schema.get("maxItems", n)))]
    if kind == "string":
        return f.string(name)[: schema.get("maxLength", 10**6)]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return None


def narrative_answer(body: dict[str, Any]) -> dict[str, Any]:
    """One sentence per brief shown (up to three), each citing that brief."""
    items = NARRATIVE_ITEM.findall(body["messages"][-1]["content"])[:3]
    return {"sentences": [{"text": headline.split(" (")[0].rstrip(".") + ".", "sources": [int(n)]}
                          for n, headline in items]}


def headline_asked(body: dict[str, Any]) -> str | None:
    """The headline a figure-check request names (it quotes sentences, not the article)."""
    m = FIGURE_CHECK.search(body["messages"][-1]["content"])
    return m.group(1) if m else None


def answer(body: dict[str, Any]) -> dict[str, Any]:
    article = article_of(body)
    if article is None and headline_asked(body) is not None:
        schema = schema_of(body) or {}  # the figure check: its schema's own example answers it
        return fill(schema, schema.get("$defs", {}), Filler(headline_asked(body)))
    if article is None:
        return narrative_answer(body)
    schema = schema_of(body) or {}
    return fill(schema, schema.get("$defs", {}), Filler(article))


def key(article: str | None, headline: str | None = None) -> str:
    """Requests are counted per article, by its headline: the figure check names only that."""
    if headline is None and article is None:
        return "narrative"
    return hashlib.sha256((headline or headline_of(article) or article).encode()).hexdigest()[:12]


class SchemaFake:
    """`with SchemaFake() as fake:` serves at `fake.base_url`."""

    def __init__(self, delay: float = 0.0, stall_after: int | None = None,
                 fail: Callable[[str], bool] | None = None,
                 respond: Callable[[dict[str, Any]], dict[str, Any]] = answer):
        self.delay, self.stall_after, self.fail, self.respond = delay, stall_after, fail, respond
        self.requests: list[dict[str, Any]] = []
        self.per_article: Counter[str] = Counter()
        self.answered = 0
        self.in_flight: Counter[str] = Counter()
        self.max_articles_in_flight = 0
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.arrived = threading.Condition(self.lock)  # notified on every request
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._send(200, {"object": "list", "data": [{"id": "fake-model", "owned_by": "vllm"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                article = article_of(body)
                k = key(article, None if article is not None else headline_asked(body))
                with fake.lock:
                    fake.requests.append(body)
                    fake.per_article[k] += 1
                    fake.in_flight[k] += 1
                    fake.max_articles_in_flight = max(fake.max_articles_in_flight, len(+fake.in_flight))
                    stall = fake.stall_after is not None and fake.answered >= fake.stall_after
                    fake.arrived.notify_all()
                try:
                    if stall:  # hold the request until the test ends, like a wedged backend
                        fake.release.wait()
                        self.close_connection = True
                        return
                    time.sleep(fake.delay)
                    if article is not None and fake.fail is not None and fake.fail(article):
                        self._send(400, {"error": {"message": "scripted failure", "type": "invalid_request_error"}})
                        return
                    content = json.dumps(fake.respond(body))
                    self._send(200, chat_completion(content, body.get("model", "fake-model"),
                                                    len(json.dumps(body["messages"])) // 4, len(content) // 4))
                    with fake.lock:
                        fake.answered += 1
                finally:
                    with fake.lock:
                        fake.in_flight[k] -= 1

            def _send(self, status: int, obj: Any) -> None:
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def calls_for(self, article: str) -> int:
        return self.per_article[key(article)]

    def __enter__(self) -> "SchemaFake":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
