"""The fix recommended in RESULTS.md ("Findings"), prototyped by monkeypatching in this process only.

    python -m benchmarks.prototype_fix [--articles 60]

Measures the library's CPU and wall time per model call against the instant fake server (as in
section 2 of `benchmarks/run`), once per step, each step on top of the previous ones:

0. the library as it is;
1. cache the JSON schema per response model in `Backend._shape_kwargs`, and `figure_labels(n)`;
2. `Backend.extract` without instructor: `raw.chat.completions.create` + `model_validate_json`;
3. the same through `raw.post("/chat/completions", cast_to=ChatCompletion)`, skipping the openai
   client's typed request transform.

The prototype leaves out instructor's validation re-asks (the fake always answers valid JSON), so
it is a measurement of the cost, not a drop-in implementation. Nothing in summarizer/ is changed.
With --batch (the default), the batch of section 3 (200 articles, 100 ms delay, concurrency 16)
also runs before any step and after the last one, against the issue's goal (≤ 1.2x the ideal).
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from typing import Any

import math

from benchmarks.bench import FAKE, GOAL_CONCURRENCY, GOAL_RATIO, FastServer, Table, batch_child, cpu_s, synthetic


def measure(n: int) -> tuple[float, float, int]:
    from summarizer import Summarizer

    with FastServer() as srv:
        s = Summarizer(base_url=srv.base_url, **FAKE)
        for i in range(5):
            s.summarize(synthetic(3000 + i), mode="multi")
        r0, c0, t0 = srv.stats()["requests"], cpu_s(), time.perf_counter()
        for i in range(n):
            s.summarize(synthetic(i), mode="multi")
        wall, cpu, calls = time.perf_counter() - t0, cpu_s() - c0, srv.stats()["requests"] - r0
        s.close()
    return wall / calls * 1e6, cpu / calls * 1e6, calls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--no-batch", dest="batch", action="store_false", help="skip the concurrency-16 batches")
    args = ap.parse_args(argv)
    batches = Table(f"Batch of 200 articles, 100 ms delay, concurrency {GOAL_CONCURRENCY} (in this process)",
                    ["library", "wall s", "ideal s", "wall / ideal", "client CPU s", "goal"])

    def batch(label: str) -> None:
        if not args.batch:
            return
        with FastServer(delay=0.1) as srv:
            r = batch_child({"base_url": srv.base_url, "concurrency": GOAL_CONCURRENCY, "articles": 200,
                             "delay": 0.1})
        ideal = math.ceil(200 / GOAL_CONCURRENCY) * r["rounds"] * 0.1
        batches.add(label, r["wall_s"], ideal, f"{r['wall_s'] / ideal:.2f}x", r["cpu_s"],
                    "met" if r["wall_s"] / ideal <= GOAL_RATIO else "missed")
        print(f"batch, {label}: {r['wall_s']:.2f} s", file=sys.stderr, flush=True)

    batch("as it is")

    from openai.types.chat import ChatCompletion
    from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

    from summarizer import backend as B
    from summarizer import extract as X
    from summarizer import schema as S
    from summarizer.schema import Usage

    schema_of = functools.cache(lambda model: model.model_json_schema())

    def response_format(self: Any, model: Any) -> dict[str, Any]:
        if self.profile.shape == "json_object_schema":
            return {"type": "json_object", "schema": schema_of(model)}
        return {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": schema_of(model)}}

    def step1() -> None:
        B.Backend._shape_kwargs = lambda self, model: (  # type: ignore[method-assign]
            {"extra_body": {"response_format": response_format(self, model)}}
            if self.profile.shape == "json_object_schema" else {})
        X.figure_labels = functools.cache(S.figure_labels)

    def direct(via_post: bool) -> Any:
        async def extract(self: Any, response_model: Any, messages: Any, max_tokens: int = 1024) -> Any:
            start = time.perf_counter()
            body = {"model": self.model, "messages": messages, "temperature": self.temperature,
                    "max_tokens": max_tokens, "response_format": response_format(self, response_model)}
            retrying = AsyncRetrying(stop=stop_after_attempt(self.policy.attempts), wait=self.policy.wait,
                                     retry=retry_if_exception(B.is_transient), sleep=self.policy.sleep,
                                     reraise=True)
            async for attempt in retrying:
                with attempt:
                    if via_post:
                        completion = await self.raw.post("/chat/completions", cast_to=ChatCompletion, body=body)
                    else:
                        rf = body.pop("response_format")
                        completion = await self.raw.chat.completions.create(**body, extra_body={"response_format": rf})
            obj = response_model.model_validate_json(completion.choices[0].message.content)
            u = completion.usage
            usage = Usage(calls=1, prompt_tokens=u.prompt_tokens if u else 0,
                          completion_tokens=u.completion_tokens if u else 0)
            return obj, usage, time.perf_counter() - start
        return extract

    steps = [
        ("0. as it is", lambda: None),
        ("1. + cached schema and figure_labels(n)", step1),
        ("2. + no instructor (chat.completions.create)", lambda: setattr(B.Backend, "extract", direct(False))),
        ("3. + raw.post (no openai typed transform)", lambda: setattr(B.Backend, "extract", direct(True))),
    ]
    t = Table("Recommended fix, prototyped in-process (instant fake server)",
              ["step", "wall µs per call", "client CPU µs per call", "CPU vs step 0", "model calls"])
    base = None
    for label, apply in steps:
        apply()
        wall, cpu, calls = measure(args.articles)
        base = base or cpu
        t.add(label, wall, cpu, f"{cpu / base:.2f}x", calls)
        print(f"{label}: {cpu:,.0f} µs CPU per call", file=sys.stderr, flush=True)
    batch("with steps 1-3")
    t.show()
    if args.batch:
        batches.show()
    return 0


if __name__ == "__main__":
    sys.exit(main())
