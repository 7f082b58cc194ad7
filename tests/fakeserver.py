"""A real OpenAI-compatible HTTP server on loopback whose answers a test scripts, fault by fault.

Used to prove retry and error behaviour over real sockets (no patched client). "ok" answers
replay a response body recorded from the real embedded model (taken from a cassette).
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

import yaml


@dataclass
class Fault:
    kind: str  # ok, status, gzip_status, echo, hang, drop, invalid_json, bad_schema, length, empty_choices, not_json
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def minimal_instance(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """The smallest JSON value valid under `schema` (as pydantic writes schemas): what a fake
    backend answers when a test needs any schema-valid answer, not a model's."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return minimal_instance(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        options = schema["anyOf"]
        return None if {"type": "null"} in options else minimal_instance(options[0], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:  # the answer the schema itself gives as typical
        return schema["examples"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: minimal_instance(props[k], defs) for k in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return "fake text"[: schema.get("maxLength", 9)]
    if kind == "integer":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return None


def schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    fmt = body.get("response_format") or {}
    return fmt.get("schema") or (fmt.get("json_schema") or {}).get("schema")


def chat_completion(content: str, model: str, prompt_tokens: int = 10, completion_tokens: int = 5) -> dict[str, Any]:
    """An OpenAI chat.completion body carrying `content`."""
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


def recorded_response(cassette: Path, index: int = 0) -> dict[str, Any]:
    """The JSON body of interaction `index` of a recorded cassette."""
    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    return json.loads(data["interactions"][index]["response"]["body"]["string"])


class FakeOpenAI:
    def __init__(self, script: list[Fault], ok_body: dict[str, Any] | None = None,
                 rule: Callable[[dict[str, Any]], Fault | None] | None = None):
        """ok_body None: every "ok" answer is the minimal instance of the requested schema. `rule`,
        when given, picks the answer to a request from its body (None: the script decides)."""
        self.script = list(script)
        self.ok_body = ok_body
        self.rule = rule
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (a timeout test): nothing to report

            def do_GET(self) -> None:  # /v1/models
                self._json(200, {"object": "list", "data": [{"id": "fake", "owned_by": "me"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append({"body": body, "headers": dict(self.headers)})
                fake.times.append(time.monotonic())
                step = fake.rule(body) if fake.rule is not None else None
                step = step or (fake.script.pop(0) if fake.script else Fault("ok"))
                fake.respond(self, step, body)

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

    def respond(self, h: Any, step: Fault, request: dict[str, Any]) -> None:
        body = json.loads(json.dumps(self.ok_body)) if self.ok_body else self.synthetic(request)
        if step.kind == "ok":
            h._json(200, body)
        elif step.kind == "status":
            h._json(step.status, {"error": {"message": f"scripted {step.status}", "type": "fault"}}, step.headers)
        elif step.kind == "gzip_status":  # an error body compressed on the wire, as CDNs send them
            data = gzip.compress(json.dumps({"error": {"message": f"scripted {step.status}", "type": "fault"}}).encode())
            h._raw(step.status, data, {"Content-Encoding": "gzip", **step.headers})
        elif step.kind == "echo":  # some proxies quote the whole request in an error
            seen = f"{h.command} {h.path} " + " ".join(f"{k}: {v}" for k, v in h.headers.items())
            h._json(step.status, {"error": {"message": f"bad request: {seen}", "type": "fault"}})
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

    @staticmethod
    def synthetic(request: dict[str, Any]) -> dict[str, Any]:
        schema = schema_of(request)
        return chat_completion(json.dumps(minimal_instance(schema)) if schema else "ok", request.get("model", "fake"))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":  # a stand-alone server process: python -m tests.fakeserver PORT
    import sys

    server = FakeOpenAI([])
    server.server.server_close()
    server.server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), server.handler)
    server.server.serve_forever()
