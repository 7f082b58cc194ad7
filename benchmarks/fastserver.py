"""A fast OpenAI-compatible fake backend for benchmarks, run in its own process.

`python -m benchmarks.fastserver [--delay S] [--keep-bodies N]` listens on a free loopback port and
prints `READY <port>` on stdout. It is an asyncio HTTP/1.1 server with keep-alive, so requests are
served concurrently and a delay does not hold a thread. Being another process, it does not compete
with the client for the client's GIL.

- POST /v1/chat/completions: after `--delay` seconds, the minimal valid instance of the JSON schema
  the request asks for (`tests.fakeserver.minimal_instance`, the same answer `FakeOpenAI` gives),
  built once per distinct schema and then served from a cache.
- GET /v1/models: one model, owned by "me" (llama-cpp-python's answer).
- GET /stats: {"requests", "in_flight", "peak_in_flight", "cpu_s"} (cpu_s: this process's CPU time).
- POST /stats/reset: zero the peak of requests in flight.
- GET /bodies: the last `--keep-bodies` request bodies (JSON list), so a raw client can replay
  exactly what the library sent.
- `--llama-log PATH`: append llama.cpp-style timing lines for every completion (prefix-match hit,
  prompt eval, eval, total; ~4 characters a token), so the embedded section's log handling can be
  tested end to end without a model.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fakeserver import chat_completion, minimal_instance, schema_of  # noqa: E402

REASONS = {200: b"OK", 404: b"Not Found", 400: b"Bad Request"}


class Fake:
    def __init__(self, delay: float = 0.0, keep_bodies: int = 0, llama_log: str | None = None):
        self.delay = delay
        self.llama_log = llama_log
        self.last_prompt = ""
        self.requests = 0
        self.in_flight = 0
        self.peak = 0
        self.bodies: collections.deque[bytes] = collections.deque(maxlen=max(1, keep_bodies))
        self.keep = keep_bodies > 0
        self.answers: dict[str, bytes] = {}

    def answer(self, request: dict[str, Any]) -> bytes:
        schema = schema_of(request)
        key = json.dumps(schema, sort_keys=True) if schema else ""
        cached = self.answers.get(key)
        if cached is None:
            content = json.dumps(minimal_instance(schema)) if schema else "ok"
            cached = json.dumps(chat_completion(content, "fake")).encode()
            self.answers[key] = cached
        return cached

    async def route(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if method == "POST" and path.endswith("/chat/completions"):
            self.requests += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            try:
                if self.delay:
                    await asyncio.sleep(self.delay)
                if self.keep:
                    self.bodies.append(body)
                request = json.loads(body or b"{}")
                answer = self.answer(request)
                if self.llama_log:
                    self.log_timings(request, answer)
                return 200, answer
            finally:
                self.in_flight -= 1
        if method == "GET" and path.endswith("/models"):
            return 200, json.dumps({"object": "list", "data": [{"id": "fake", "owned_by": "me"}]}).encode()
        if method == "GET" and path == "/stats":
            return 200, json.dumps({"requests": self.requests, "in_flight": self.in_flight,
                                    "peak_in_flight": self.peak, "cpu_s": time.process_time()}).encode()
        if method == "POST" and path == "/stats/reset":
            self.peak = self.in_flight
            return 200, b"{}"
        if method == "GET" and path == "/bodies":
            return 200, b"[" + b",".join(self.bodies if self.keep else []) + b"]"
        return 404, b'{"error": {"message": "not found"}}'

    def log_timings(self, request: dict[str, Any], answer: bytes) -> None:
        prompt = "".join(str(m.get("content", "")) for m in request.get("messages", []))
        common = 0
        for a, b in zip(prompt, self.last_prompt):
            if a != b:
                break
            common += 1
        self.last_prompt = prompt
        sent, reused = max(1, len(prompt) // 4), min(common // 4, max(0, len(prompt) // 4 - 1))
        runs = max(1, len(answer) // 8)
        lines = []
        if reused:
            lines.append(f"Llama.generate: {reused} prefix-match hit, remaining {sent - reused} prompt tokens to eval")
        p_ms, e_ms = (sent - reused) * 2.0, runs * 10.0
        lines += [f"llama_perf_context_print:        load time =       1.00 ms",
                  f"llama_perf_context_print: prompt eval time = {p_ms:10.2f} ms / {sent - reused:5d} tokens "
                  f"(    2.00 ms per token,   500.00 tokens per second)",
                  f"llama_perf_context_print:        eval time = {e_ms:10.2f} ms / {runs:5d} runs   "
                  f"(   10.00 ms per token,   100.00 tokens per second)",
                  f"llama_perf_context_print:       total time = {p_ms + e_ms + 5:10.2f} ms / {sent - reused + runs:5d} tokens",
                  'INFO:     127.0.0.1:40000 - "POST /v1/chat/completions HTTP/1.1" 200 OK']
        with open(self.llama_log, "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target = lines[0].split(" ", 2)[:2]
                headers = {}
                for line in lines[1:]:
                    name, sep, value = line.partition(":")
                    if sep:
                        headers[name.strip().lower()] = value.strip()
                if headers.get("transfer-encoding", "").lower() == "chunked":
                    body = await read_chunked(reader)
                else:
                    length = int(headers.get("content-length") or 0)
                    body = await reader.readexactly(length) if length else b""
                status, payload = await self.route(method, target.split("?", 1)[0], body)
                writer.write(b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
                             % (status, REASONS.get(status, b"X"), len(payload)) + payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()


async def read_chunked(reader: asyncio.StreamReader) -> bytes:
    out = bytearray()
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return bytes(out)
        out += await reader.readexactly(size)
        await reader.readexactly(2)


async def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--delay", type=float, default=0.0, help="seconds before each completion is answered")
    ap.add_argument("--keep-bodies", type=int, default=0, help="request bodies kept for GET /bodies")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--llama-log", help="append llama.cpp-style timing lines here (testing)")
    args = ap.parse_args(argv)
    fake = Fake(args.delay, args.keep_bodies, args.llama_log)
    server = await asyncio.start_server(fake.connection, "127.0.0.1", args.port, backlog=1024,
                                        limit=2**24)
    print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
