"""A real OpenAI-compatible HTTP server on loopback whose answers a test scripts, fault by fault.

Used to prove retry and error behaviour over real sockets (no patched client). "ok" answers
replay a response body recorded from the real embedded model (taken from a cassette).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Fault:
    kind: str  # ok, status, hang, drop, invalid_json, bad_schema, length, empty_choices
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def recorded_response(cassette: Path, index: int = 0) -> dict[str, Any]:
    """The JSON body of interaction `index` of a recorded cassette."""
    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    return json.loads(data["interactions"][index]["response"]["body"]["string"])


class FakeOpenAI:
    def __init__(self, script: list[Fault], ok_body: dict[str, Any]):
        self.script = list(script)
        self.ok_body = ok_body
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # /v1/models
                self._json(200, {"object": "list", "data": [{"id": "fake", "owned_by": "me"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"body": body, "headers": dict(self.headers)})
                fake.times.append(time.monotonic())
                step = fake.script.pop(0) if fake.script else Fault("ok")
                fake.respond(self, step)

            def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
                self._raw(status, json.dumps(obj).encode(), headers)

            def _raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        self.handler = Handler
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def respond(self, h: Any, step: Fault) -> None:
        body = json.loads(json.dumps(self.ok_body))
        if step.kind == "ok":
            h._json(200, body)
        elif step.kind == "status":
            h._json(step.status, {"error": {"message": f"scripted {step.status}", "type": "fault"}}, step.headers)
        elif step.kind == "hang":
            time.sleep(step.seconds)
            h._json(200, body)
        elif step.kind == "drop":
            h.connection.shutdown(socket.SHUT_RDWR)
            h.close_connection = True
        elif step.kind == "invalid_json":
            body["choices"][0]["message"]["content"] = '{"headline": "cut'
            h._json(200, body)
        elif step.kind == "bad_schema":
            body["choices"][0]["message"]["content"] = json.dumps({"unexpected": True, "headline": 7})
            h._json(200, body)
        elif step.kind == "length":
            body["choices"][0]["finish_reason"] = "length"
            h._json(200, body)
        elif step.kind == "empty_choices":
            body["choices"] = []
            h._json(200, body)
        elif step.kind == "not_json":
            h._raw(200, b"<html>gateway says hi</html>")
        else:
            raise ValueError(step.kind)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
