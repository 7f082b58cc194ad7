"""The benchmark's own machinery: llama.cpp log parsing, the fast fake server, and the embedded
section run end to end against that fake (no model), so `benchmarks/run --embedded` works first time."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from pathlib import Path

import pytest

from benchmarks import bench, llamalog
from summarizer import Summarizer
from summarizer.llm.extract import entities_answer

# Real lines from llama-cpp-python 0.3's server log (model loading and chat-template noise cut).
LLAMA_CPP_PYTHON_LOG = """\
llama_context: n_ctx = 8192
Using chat eos_token: <|im_end|>
INFO:     Uvicorn running on http://127.0.0.1:40557 (Press CTRL+C to quit)
INFO:     127.0.0.1:39642 - "GET /v1/models HTTP/1.1" 200 OK
llama_perf_context_print:        load time =       0.54 ms
llama_perf_context_print: prompt eval time =       0.05 ms /    50 tokens (    0.00 ms per token, 925925.93 tokens per second)
llama_perf_context_print:        eval time =    1690.56 ms /    19 runs   (   88.98 ms per token,    11.24 tokens per second)
llama_perf_context_print:       total time =    8041.39 ms /    69 tokens
llama_perf_context_print:    graphs reused =         18
INFO:     127.0.0.1:56214 - "POST /v1/chat/completions HTTP/1.1" 200 OK
Llama.generate: 49 prefix-match hit, remaining 1 prompt tokens to eval
llama_perf_context_print:        load time =       0.54 ms
llama_perf_context_print: prompt eval time =       0.00 ms /     1 tokens (    0.00 ms per token,      inf tokens per second)
llama_perf_context_print:        eval time =    1774.27 ms /    20 runs   (   88.71 ms per token,    11.27 tokens per second)
llama_perf_context_print:       total time =    2567.12 ms /    21 tokens
INFO:     127.0.0.1:47134 - "POST /v1/chat/completions HTTP/1.1" 200 OK
Llama.generate: 292 prefix-match hit, remaining 92 prompt tokens to eval
llama_perf_context_print:        load time =       0.54 ms
llama_perf_context_print: prompt eval time =    5757.64 ms /    92 tokens (   62.58 ms per token,    15.98 tokens per second)
llama_perf_context_print:        eval time =    6541.38 ms /    20 runs   (  327.07 ms per token,     3.06 tokens per second)
llama_perf_context_print:       total time =   13369.99 ms /   112 tokens
INFO:     127.0.0.1:42400 - "POST /v1/chat/completions HTTP/1.1" 200 OK
"""

# llama.cpp's C++ server prints the same figures without the prefix (the example).
CPP_SERVER_LOG = """\
prompt eval time = 38545.71 ms / 650 tokens ( 59.30 ms per token, 16.86 tokens per second)
       eval time = 1585.50 ms / 17 runs ( 93.26 ms per token, 10.72 tokens per second)
      total time = 40131.21 ms / 667 tokens
"""


def test_parses_llama_cpp_python_requests():
    reqs = llamalog.parse(LLAMA_CPP_PYTHON_LOG)
    assert [(r.reused, r.processed, r.sent) for r in reqs] == [(0, 50, 50), (49, 1, 50), (292, 92, 384)]
    assert [r.runs for r in reqs] == [19, 20, 20]
    assert reqs[2].prompt_ms == pytest.approx(5757.64) and reqs[2].eval_ms == pytest.approx(6541.38)
    assert [r.total_ms for r in reqs] == pytest.approx([8041.39, 2567.12, 13369.99])

    s = llamalog.summarize(reqs)
    assert (s.requests, s.sent, s.processed, s.generated) == (3, 484, 143, 59)
    assert s.model_s == pytest.approx((0.05 + 0.0 + 5757.64 + 1690.56 + 1774.27 + 6541.38) / 1000)
    assert s.total_s == pytest.approx((8041.39 + 2567.12 + 13369.99) / 1000)
    assert s.suspect_prompt_ms == 1  # 50 tokens "evaluated" in 0.05 ms


def test_parses_cpp_server_lines_and_ignores_noise():
    reqs = llamalog.parse("INFO: eval something\n" + CPP_SERVER_LOG + "llama_context: n_ctx = 8192\n")
    assert len(reqs) == 1
    r = reqs[0]
    assert (r.prompt_ms, r.processed, r.eval_ms, r.runs, r.total_ms) == (38545.71, 650, 1585.50, 17, 40131.21)
    assert r.model_ms == pytest.approx(40131.21)


def test_eval_line_without_prompt_line_is_its_own_request():
    text = "eval time = 10.00 ms / 3 runs\neval time = 20.00 ms / 4 runs\n"
    assert [(r.eval_ms, r.runs) for r in llamalog.parse(text)] == [(10.0, 3), (20.0, 4)]


def test_log_slice_reads_only_what_was_appended(tmp_path):
    path = tmp_path / "server.log"
    before = llamalog.LogSlice(path).start()  # file does not exist yet: everything counts
    path.write_text("old line\n")
    assert before.read() == "old line\n"
    sl = llamalog.LogSlice(path).start()
    with path.open("a") as f:
        f.write(CPP_SERVER_LOG)
    assert sl.read() == CPP_SERVER_LOG
    assert llamalog.LogSlice(tmp_path / "missing.log").start().read() == ""


def test_fast_server_answers_schema_valid_and_counts(tmp_path):
    log = tmp_path / "fake-llama.log"
    with bench.FastServer(keep_bodies=4, llama_log=log) as srv:
        EntitiesAnswer = entities_answer(("actors", "assets", "bases"))
        schema = EntitiesAnswer.model_json_schema()
        body = {"model": "fake", "messages": [{"role": "user", "content": "x" * 400}],
                "response_format": {"type": "json_object", "schema": schema}}
        for _ in range(2):
            req = urllib.request.Request(f"{srv.base_url}/chat/completions", data=json.dumps(body).encode(),
                                         headers={"content-type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                answer = json.loads(resp.read())
        EntitiesAnswer.model_validate_json(answer["choices"][0]["message"]["content"])
        stats = srv.stats()
        assert stats["requests"] == 2 and stats["peak_in_flight"] >= 1
        assert len(srv.bodies()) == 2
    reqs = llamalog.parse(log.read_text())
    assert len(reqs) == 2 and reqs[0].reused == 0 and reqs[1].reused > 0  # same prompt twice: a cache hit


def test_synthetic_articles_are_distinct():
    texts = [bench.synthetic(i) for i in range(400)]
    assert len(set(texts)) == 400 and all("killed" in t for t in texts)


def test_batch_fallback_without_summarize_many(monkeypatch):
    monkeypatch.setattr(bench, "batch_api", lambda: (None, "fallback", False))
    with bench.FastServer() as srv:
        s = Summarizer(base_url=srv.base_url, concurrency=2, **bench.FAKE)
        loop = asyncio.new_event_loop()
        try:
            counts = loop.run_until_complete(bench.run_batch(s, [bench.synthetic(i) for i in range(3)], 2))
            loop.run_until_complete(s.aclose())
        finally:
            loop.close()
        assert counts == {"ok": 3, "failed": 0, "cached": 0}
        assert srv.stats()["requests"] == 9


def test_embedded_section_end_to_end_on_a_fake_server(monkeypatch, tmp_path):
    """sections 1 and 5 with the llama.cpp server replaced by the fake writing llama-style timings."""
    from summarizer.llm import local_model

    class FakeLocalServer:
        def __init__(self, spec, port=None, n_ctx=8192, n_threads=None, log_path=None, **_):
            self.fake = bench.FastServer(llama_log=log_path)

        def __enter__(self):
            self.fake.__enter__()
            return self

        def __exit__(self, *exc):
            self.fake.__exit__()

        @property
        def base_url(self):
            return self.fake.base_url

    monkeypatch.setattr(local_model, "is_installed", lambda spec: True)
    monkeypatch.setattr(local_model, "LocalServer", FakeLocalServer)
    monkeypatch.setattr(local_model, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(bench, "OUT", tmp_path / "out")
    e = bench.section_embedded(limit=2)  # the seed article and one more
    assert "error" not in e, e
    for mode in ("multi", "naive"):
        rows = e["devset"][mode]["articles"]
        assert len(rows) == 2 and rows[0]["path"] == bench.SEED.name
        for row in rows:
            assert row["ok"], row
            assert row["calls"] >= 1 and row["log"]["requests"] == row["calls"]
            assert row["log"]["model_s"] > 0 and row["log"]["total_s"] > row["log"]["model_s"]
            assert (tmp_path / "out" / "briefs" / f"{Path(row['path']).stem}.{mode}.json").is_file()
        assert e["devset"][mode]["totals"]["articles"] == 2
    assert all(r["calls"] == 1 for r in e["devset"]["naive"]["articles"])
    assert all(r["calls"] >= 2 for r in e["devset"]["multi"]["articles"])
    assert len((tmp_path / "out" / "devset-progress.jsonl").read_text().splitlines()) == 4
    assert len(e["prefix"]) == 3
    # passes of one article share the system prompt and the article: later passes reuse the prefix
    assert all(0 < r["log"]["processed"] < r["log"]["sent"] for r in e["prefix"])
    t1, tq, t5 = bench.embedded_tables(e)
    assert len(t1.rows) == 6 and len(t5.rows) == 4 and len(tq.rows) == 9
    assert "seed (" in t1.markdown() and "dev set (2 articles" in t1.markdown()
    assert "pipeline / single call" in t1.markdown() and "all three" in t5.markdown()
