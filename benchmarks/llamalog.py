"""Read llama.cpp's own timings out of a server log: what the model itself spent per request.

llama-cpp-python's server (and llama.cpp's C++ server) print, per completion request:

    Llama.generate: 173 prefix-match hit, remaining 85 prompt tokens to eval   (only on a cache hit)
    llama_perf_context_print: prompt eval time =    8446.64 ms /    85 tokens (...)
    llama_perf_context_print:        eval time =    1758.80 ms /    19 runs   (...)
    llama_perf_context_print:       total time =   11122.32 ms /   104 tokens

The prompt-eval token count is what the model actually processed; the prefix-match line says how
many prompt tokens were reused from the previous request. The parsing is prefix-agnostic (older
builds print `llama_print_timings:`, the C++ server prints the bare lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_NUM = r"([0-9]+(?:\.[0-9]+)?)"
PREFIX = re.compile(r"Llama\.generate:\s*(\d+)\s+prefix-match hit,\s*remaining\s+(\d+)\s+prompt tokens? to eval")
PROMPT_EVAL = re.compile(r"prompt eval time\s*=\s*" + _NUM + r"\s*ms\s*/\s*(\d+)\s+tokens?")
EVAL = re.compile(r"(?<!prompt )(?<![A-Za-z_])eval time\s*=\s*" + _NUM + r"\s*ms\s*/\s*(\d+)\s+(?:runs?|tokens?)")
TOTAL = re.compile(r"total time\s*=\s*" + _NUM + r"\s*ms(?:\s*/\s*(\d+)\s+tokens?)?")


@dataclass
class Request:
    """One completion request as llama.cpp accounted for it."""

    prompt_ms: float = 0.0
    processed: int = 0  # prompt tokens actually evaluated
    reused: int = 0  # prompt tokens taken from the cache (prefix match)
    eval_ms: float = 0.0
    runs: int = 0  # generated tokens
    total_ms: float | None = None

    @property
    def sent(self) -> int:
        """The prompt's length: reused + processed."""
        return self.reused + self.processed

    @property
    def model_ms(self) -> float:
        return self.prompt_ms + self.eval_ms


def parse(text: str) -> list[Request]:
    """Every request in `text`, in order. A prefix-match line belongs to the timings that follow it."""
    out: list[Request] = []
    pending_reuse: int | None = None
    current: Request | None = None
    for line in text.splitlines():
        m = PREFIX.search(line)
        if m:
            pending_reuse = int(m.group(1))
            current = None
            continue
        m = PROMPT_EVAL.search(line)
        if m:
            current = Request(prompt_ms=float(m.group(1)), processed=int(m.group(2)), reused=pending_reuse or 0)
            pending_reuse = None
            out.append(current)
            continue
        m = EVAL.search(line)
        if m:
            if current is None or current.runs or current.eval_ms:
                # eval timings with no prompt-eval line before them (a build that skips it)
                current = Request(reused=pending_reuse or 0)
                pending_reuse = None
                out.append(current)
            current.eval_ms, current.runs = float(m.group(1)), int(m.group(2))
            continue
        m = TOTAL.search(line)
        if m and current is not None and current.total_ms is None:
            current.total_ms = float(m.group(1))
    return out


@dataclass
class Summary:
    requests: int
    sent: int  # prompt tokens sent (reused + processed)
    processed: int  # prompt tokens evaluated
    generated: int
    prompt_ms: float
    eval_ms: float
    total_ms: float  # llama.cpp's own "total time" (includes sampling/grammar); 0 if never printed
    suspect_prompt_ms: int  # requests whose prompt eval time is implausibly small (see below)

    @property
    def model_s(self) -> float:
        """The model's floor as the brief defines it: prompt eval + eval, in seconds."""
        return (self.prompt_ms + self.eval_ms) / 1000

    @property
    def total_s(self) -> float:
        return self.total_ms / 1000


def summarize(requests: list[Request]) -> Summary:
    # Some llama-cpp-python builds report ~0 ms for a multi-token prompt eval (the time is then
    # counted only in "total time"); such a floor is too low, so we count those requests.
    suspect = sum(1 for r in requests if r.processed >= 8 and r.prompt_ms < 0.01 * r.processed)
    return Summary(
        requests=len(requests),
        sent=sum(r.sent for r in requests),
        processed=sum(r.processed for r in requests),
        generated=sum(r.runs for r in requests),
        prompt_ms=sum(r.prompt_ms for r in requests),
        eval_ms=sum(r.eval_ms for r in requests),
        total_ms=sum(r.total_ms or 0.0 for r in requests),
        suspect_prompt_ms=suspect,
    )


class LogSlice:
    """The lines a log file gains between `start()` and `read()` (the file may not exist yet)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.offset = 0

    def start(self) -> "LogSlice":
        self.offset = self.path.stat().st_size if self.path.exists() else 0
        return self

    def read(self) -> str:
        if not self.path.exists():
            return ""
        with self.path.open("rb") as f:
            size = f.seek(0, 2)
            f.seek(self.offset if self.offset <= size else 0)  # truncated meanwhile: read it all
            return f.read().decode("utf-8", "replace")
