"""Benchmarks of the summarizer library; `benchmarks/run` is the way in (see README, "Benchmarks").

Sections (every number in one run; ratios are of numbers from the same run):
1. embedded model (--embedded): the seed article through the pipeline and the single-call baseline,
   against the model's own floor from llama.cpp's timings;
2. overhead of the library around a model call, against raw HTTP calls to an instant fake server;
3. batch scaling against a fake server that answers after a fixed delay, concurrency 1..64;
4. a rerun of the same batch from the store (no model calls expected);
5. prompt-prefix reuse on the embedded model (--embedded).

Fake backends are `benchmarks/fastserver.py` in a separate process (asyncio, keep-alive), so the
server neither shares the client's GIL nor limits concurrency; its own rate is measured and shown.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import http.client
import inspect
import json
import math
import os
import platform
import pstats
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import llamalog  # noqa: E402
from summarizer.llm.local_model import terminate  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SEED = ROOT / "seeds" / "2016-08-16-afp-russia-jets-iran-hamedan.txt"
DEVSET = ROOT / "devset" / "labels.jsonl"
OUT = ROOT / "benchmarks" / "out"  # briefs, progress and section results (not in git)
PREFIX_SEEDS = ["01-*.txt", "02-*.txt", "09-*.txt"]
FAKE = {"model": "fake", "profile": "llama-cpp-python"}
GOAL_CONCURRENCY, GOAL_RATIO = 16, 1.2


# ---- synthetic articles --------------------------------------------------------------------------
WHO = ["Gunmen", "Militants", "Bandits", "Attackers", "Insurgents"]
PLACES = ["Dogo", "Kanto", "Maru", "Bisa", "Tudun", "Gwoza", "Damboa", "Konduga", "Mafa", "Dikwa", "Monguno"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def synthetic(i: int) -> str:
    """A short article with one casualty sentence; distinct for every i < 3619 (moduli 47, 11, 7)."""
    killed = 3 + i % 47
    place, day, who = PLACES[i % 11], DAYS[i % 7], WHO[i % 5]
    return (f"{who} killed {killed} people in {place} market on {day}, police said. "
            f"Residents of {place} said the attackers fled on motorcycles before soldiers arrived.")


# ---- the fake server, in its own process --------------------------------------------------------
class FastServer:
    def __init__(self, delay: float = 0.0, keep_bodies: int = 0, llama_log: Path | None = None):
        self.args = [sys.executable, "-m", "benchmarks.fastserver", "--delay", str(delay),
                     "--keep-bodies", str(keep_bodies)] + (["--llama-log", str(llama_log)] if llama_log else [])
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def __enter__(self) -> "FastServer":
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen(self.args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("READY "):
            self.__exit__()
            raise RuntimeError(f"fake server did not start: {line!r}")
        self.port = int(line.split()[1])
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.proc is not None:
            terminate(self.proc)
            self.proc = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _call(self, method: str, path: str) -> Any:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def stats(self) -> dict[str, Any]:
        return self._call("GET", "/stats")

    def reset_peak(self) -> None:
        self._call("POST", "/stats/reset")

    def bodies(self) -> list[dict[str, Any]]:
        return self._call("GET", "/bodies")


def stats_at(base_url: str) -> dict[str, Any]:
    port = int(base_url.rsplit(":", 1)[1].split("/")[0])
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats", timeout=30) as resp:
        return json.loads(resp.read())


def reset_peak_at(base_url: str) -> None:
    port = int(base_url.rsplit(":", 1)[1].split("/")[0])
    req = urllib.request.Request(f"http://127.0.0.1:{port}/stats/reset", method="POST", data=b"")
    urllib.request.urlopen(req, timeout=30).close()


# ---- tables ----------------------------------------------------------------------------------------
@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: Any) -> None:
        self.rows.append([c if isinstance(c, str) else fmt(c) for c in cells])

    def markdown(self) -> str:
        out = [f"## {self.title}", ""]
        if self.rows:
            out += ["| " + " | ".join(self.headers) + " |", "|" + "|".join("---" for _ in self.headers) + "|"]
            out += ["| " + " | ".join(r) + " |" for r in self.rows]
            out.append("")
        out += [n + "\n" for n in self.notes]
        return "\n".join(out).rstrip() + "\n"

    def show(self) -> None:
        try:
            from rich.console import Console
            from rich.table import Table as RichTable
        except ImportError:  # pragma: no cover - rich is a dependency
            print(self.markdown())
            return
        t = RichTable(title=self.title, title_justify="left")
        for i, h in enumerate(self.headers):
            t.add_column(h, justify="left" if i == 0 else "right")
        for r in self.rows:
            t.add_row(*r)
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        if self.rows:
            console.print(t)
        else:
            console.print(f"[bold]{self.title}[/bold]")
        for n in self.notes:
            console.print(n, markup=False, highlight=False)
        console.print()


def fmt(x: Any, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        if x == 0:
            return "0"
        if abs(x) >= 100:
            return f"{x:,.0f}"
        return f"{x:.{digits}g}" if abs(x) < 1 else f"{x:.{max(1, digits - 1 - int(math.log10(abs(x))))}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


# ---- section 2: overhead of the library around a model call --------------------------------------
def raw_replay(port: int, bodies: list[dict[str, Any]]) -> float:
    """The same requests as plain HTTP calls: serialize, POST on one keep-alive connection, parse."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"content-type": "application/json", "authorization": "Bearer not-needed"}

    def one(body: dict[str, Any]) -> None:
        conn.request("POST", "/v1/chat/completions", body=json.dumps(body).encode(), headers=headers)
        answer = json.loads(conn.getresponse().read())
        json.loads(answer["choices"][0]["message"]["content"])

    for b in bodies[:20]:  # warm the connection
        one(b)
    start = time.perf_counter()
    for b in bodies:
        one(b)
    took = time.perf_counter() - start
    conn.close()
    return took


async def _hammer(port: int, payloads: list[bytes], connections: int, total: int) -> float:
    """Raw HTTP/1.1 over `connections` keep-alive sockets, `total` requests in all; seconds taken."""
    left = [total]

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = 0
        while left[0] > 0:
            left[0] -= 1
            body = payloads[i % len(payloads)]
            i += 1
            writer.write(b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                         b"content-length: %d\r\n\r\n" % len(body) + body)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    return time.perf_counter() - start


# Where the library's time goes: (label, path fragment, function name, calls are meaningful).
# cProfile counts every resumption of a coroutine as a call, so call counts are shown for plain
# functions only.
HOTSPOTS = [
    ("Summarizer.summarize (whole article, per model call)", "summarizer/api.py", "summarize", False),
    ("Backend.extract: one model call, all of it", "summarizer/llm/backend.py", "extract", False),
    ("  instructor create_with_completion", "instructor/", "create_with_completion", False),
    ("    instructor prepare_response_model", "instructor/", "prepare_response_model", True),
    ("    instructor prepare_request", "instructor/v2/providers/openai/handlers.py", "prepare_request", True),
    ("    instructor reject_async_validators (first use of a class only)", "instructor/",
     "reject_async_validators", True),
    ("    instructor parse_response", "instructor/v2/providers/openai/handlers.py", "parse_response", True),
    ("    Backend._send (HTTP through summarizer.llm.transport)", "summarizer/llm/backend.py", "_send", False),
    ("      transport.post: aiohttp request and answer", "summarizer/llm/transport.py", "post", False),
    ("    pydantic model_copy (instructor's usage bookkeeping; all callers)", "pydantic/main.py", "model_copy", True),
    ("  tenacity AsyncRetrying", "tenacity/", "__anext__", False),
    ("pydantic BaseModel.model_json_schema (all callers)", "pydantic/main.py", "model_json_schema", True),
    ("pydantic create_model (all callers)", "pydantic/main.py", "create_model", True),
    ("pydantic model_validate_json (the ChatCompletion and the answer; all callers)", "pydantic/main.py",
     "model_validate_json", True),
    ("prompts.messages (render templates)", "summarizer/llm/prompts.py", "messages", True),
    ("Grounder(text)", "summarizer/text/grounding.py", "__init__", True),
    ("figures.read_figures (the parse)", "summarizer/figures/candidates.py", "read_figures", True),
    ("verify.verify_drafts", "summarizer/verify/drafts.py", "verify_drafts", True),
    ("verify.check_prose", "summarizer/verify/prose.py", "check_prose", True),
]


def profile_breakdown(stats: pstats.Stats, requests: int, articles: int) -> tuple[list[dict], list[dict], float]:
    """Hotspots and top self-time functions, in microseconds per model request (under cProfile)."""
    raw = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    hot = []
    for label, path, name, show_calls in HOTSPOTS:
        cum, calls = 0.0, 0
        for (filename, _line, func), (cc, nc, tt, ct, callers) in raw.items():
            if func == name and path in filename.replace("\\", "/"):
                # Avoid double counting recursion: only primitive calls' cumulative time is in ct.
                cum += ct
                calls += cc
        hot.append({"label": label, "us_per_request": cum / requests * 1e6 if requests else 0.0,
                    "share": cum / total if total else 0.0,
                    "calls_per_request": calls / requests if (show_calls and requests) else None,
                    "us_per_call": cum / calls * 1e6 if (show_calls and calls) else None})
    top = sorted(raw.items(), key=lambda kv: -kv[1][2])[:15]
    selfs = [{"function": f"{short_path(fn)}:{line}({func})", "us_per_request": tt / requests * 1e6,
              "share": tt / total if total else 0.0}
             for (fn, line, func), (cc, nc, tt, ct, callers) in top]
    return hot, selfs, total


def short_path(filename: str) -> str:
    f = filename.replace("\\", "/")
    for marker in ("site-packages/", "/work/main/", str(ROOT) + "/"):
        if marker in f:
            return f.split(marker, 1)[1]
    return f.rsplit("/lib/", 1)[-1]


def section_overhead(n_articles: int, n_profile: int) -> dict[str, Any]:
    from summarizer import Summarizer

    out: dict[str, Any] = {}
    with FastServer(delay=0.0, keep_bodies=n_articles * 4 + 64) as srv:
        s = Summarizer(base_url=srv.base_url, **FAKE)
        for i in range(5):  # warm-up: client, connection, templates, model classes
            s.summarize(synthetic(3000 + i), mode="multi")
        texts = [synthetic(i) for i in range(n_articles)]
        r0 = srv.stats()
        start, c0 = time.perf_counter(), cpu_s()
        for t in texts:
            s.summarize(t, mode="multi")
        lib_s, lib_cpu = time.perf_counter() - start, cpu_s() - c0
        r1 = srv.stats()
        n = r1["requests"] - r0["requests"]
        bodies = srv.bodies()[-n:]
        assert len(bodies) == n, (len(bodies), n)
        r2, c0 = srv.stats(), cpu_s()
        raw_s = raw_replay(srv.port, bodies)
        r3, raw_cpu = srv.stats(), cpu_s() - c0
        raw_n = r3["requests"] - r2["requests"] - 20
        # The server's own capacity: many connections, raw sockets, no library.
        payloads = [json.dumps(b).encode() for b in bodies[:30]]
        hammer_total, conns = 4000, 32
        r4 = srv.stats()
        hammer_s = asyncio.run(_hammer(srv.port, payloads, conns, hammer_total))
        r5 = srv.stats()
        # Where the time goes, under cProfile counting CPU time (other processes on the machine then
        # do not show up as time spent in whatever function was running); slower than the loop above.
        prof = cProfile.Profile(time.process_time)
        p0 = srv.stats()
        prof.enable()
        for t in texts[:n_profile]:
            s.summarize(t, mode="multi")
        prof.disable()
        prof_requests = srv.stats()["requests"] - p0["requests"]
        s.close()
    hot, selfs, prof_total = profile_breakdown(pstats.Stats(prof), prof_requests, n_profile)
    out.update(
        articles=n_articles, requests=n, requests_per_article=n / n_articles,
        lib_s=lib_s, raw_s=raw_s, raw_requests=raw_n,
        lib_us_per_request=lib_s / n * 1e6, raw_us_per_request=raw_s / n * 1e6,
        lib_cpu_us_per_request=lib_cpu / n * 1e6, raw_cpu_us_per_request=raw_cpu / (n + 20) * 1e6,
        overhead_us_per_request=(lib_s - raw_s) / n * 1e6,
        lib_ms_per_article=lib_s / n_articles * 1e3,
        server_cpu_us_lib=(r1["cpu_s"] - r0["cpu_s"]) / n * 1e6,
        server_cpu_us_raw=(r3["cpu_s"] - r2["cpu_s"]) / max(1, r3["requests"] - r2["requests"]) * 1e6,
        hammer_rate=(r5["requests"] - r4["requests"]) / hammer_s, hammer_connections=conns,
        hammer_server_cpu_us=(r5["cpu_s"] - r4["cpu_s"]) / max(1, r5["requests"] - r4["requests"]) * 1e6,
        profile_articles=n_profile, profile_requests=prof_requests, profile_s=prof_total,
        hotspots=hot, self_time=selfs,
    )
    return out


# ---- sections 3 and 4: batches against a delayed server (each run in a fresh process) -------------
def batch_api() -> tuple[Any, str, bool]:
    """(summarize_many or None, where it came from, whether it takes a store)."""
    for module in ("summarizer", "summarizer.daily.batch", "summarizer.daily"):
        try:
            mod = __import__(module, fromlist=["summarize_many"])
            fn = getattr(mod, "summarize_many")
        except (ImportError, AttributeError):
            continue
        params = inspect.signature(fn).parameters
        if "concurrency" in params and "summarizer" in params:
            return fn, f"{module}.summarize_many", "store" in params
    return None, "asyncio.gather under a Semaphore (no summarize_many)", False


def store_class() -> Any:
    for module in ("summarizer.daily.store", "summarizer.daily"):
        try:
            return getattr(__import__(module, fromlist=["Store"]), "Store")
        except (ImportError, AttributeError):
            continue
    return None


async def run_batch(s: Any, texts: list[str], concurrency: int, store: Any = None) -> dict[str, int]:
    fn, _where, takes_store = batch_api()
    counts = {"ok": 0, "failed": 0, "cached": 0}
    if fn is not None:
        kwargs: dict[str, Any] = {"concurrency": concurrency, "summarizer": s}
        if store is not None and takes_store:
            kwargs["store"] = store
        results = fn(texts, **kwargs)
        if inspect.isawaitable(results):
            results = await results
        if hasattr(results, "__aiter__"):
            items = [r async for r in results]
        else:
            items = list(results)
        for r in items:
            ok = getattr(r, "ok", getattr(r, "brief", None) is not None)
            counts["ok" if ok else "failed"] += 1
            counts["cached"] += bool(getattr(r, "cached", False))
        return counts
    limit = asyncio.Semaphore(concurrency)

    async def one(t: str) -> None:
        async with limit:
            try:
                await s.asummarize(t)
                counts["ok"] += 1
            except Exception:  # noqa: BLE001 - counted, the batch goes on
                counts["failed"] += 1

    await asyncio.gather(*(one(t) for t in texts))
    return counts


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def batch_child(cfg: dict[str, Any]) -> dict[str, Any]:
    """One batch in this (fresh) process, so its peak RSS is its own."""
    from summarizer import Summarizer

    base_url, c, n, delay = cfg["base_url"], cfg["concurrency"], cfg["articles"], cfg["delay"]
    s = Summarizer(base_url=base_url, concurrency=c, **FAKE)
    loop = asyncio.new_event_loop()
    singles = []
    for i in range(3):  # warm-up; then one article alone, timed: its sequential rounds of model calls
        start, c0, r0 = time.perf_counter(), cpu_s(), stats_at(base_url)["requests"]
        loop.run_until_complete(s.asummarize(synthetic(3500 + i)))
        calls = stats_at(base_url)["requests"] - r0
        if i:
            singles.append((time.perf_counter() - start, cpu_s() - c0, calls))
    # Waiting time / delay, with the client's own CPU time taken out, rounded; the best of two.
    best = min(singles)
    rounds = min(best[2], max(1, round((best[0] - best[1]) / delay)))
    texts = [synthetic(i) for i in range(n)]
    out: dict[str, Any] = {"concurrency": c, "articles": n, "single_s": best[0], "single_cpu_s": best[1], "rounds": rounds,
                           "path": batch_api()[1], "rss_before_mb": rss_mb()}
    store = None
    if cfg.get("store"):
        store = store_class()(cfg["store"])
    reset_peak_at(base_url)
    r0, c0 = stats_at(base_url), cpu_s()
    start = time.perf_counter()
    counts = loop.run_until_complete(run_batch(s, texts, c, store))
    wall = time.perf_counter() - start
    r1 = stats_at(base_url)
    out.update(wall_s=wall, requests=r1["requests"] - r0["requests"], peak_in_flight=r1["peak_in_flight"],
               cpu_s=cpu_s() - c0, server_cpu_s=r1["cpu_s"] - r0["cpu_s"], peak_rss_mb=peak_rss_mb(), **counts)
    if store is not None and cfg.get("rerun"):
        r0 = stats_at(base_url)
        start = time.perf_counter()
        again = loop.run_until_complete(run_batch(s, texts, c, store))
        out["rerun"] = {"wall_s": time.perf_counter() - start,
                        "requests": stats_at(base_url)["requests"] - r0["requests"], **again}
        store.close() if hasattr(store, "close") else None
    loop.run_until_complete(s.aclose())
    loop.close()
    return out


def run_child(cfg: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench", "--child", json.dumps(cfg)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"batch child failed (rc {done.returncode}): {done.stderr.strip()[-2000:]}")


# ---- sections 1 and 5: the embedded model --------------------------------------------------------
class _LoggedCalls:
    """A Summarizer whose every `asummarize` is paired with the llama.cpp log lines it caused and
    whose brief is kept on disk, so section 1 gets the model's floor per article and the briefs
    stay readable after the run."""

    def __init__(self, s: Any, log_path: Path, briefs_dir: Path):
        self.s, self.log_path, self.briefs_dir = s, log_path, briefs_dir
        self.logs: dict[tuple[str, str], dict[str, Any]] = {}

    async def asummarize(self, text: str, *, source: str, mode: str) -> Any:
        from summarizer.errors import SummarizerError

        sl = llamalog.LogSlice(self.log_path).start()
        try:
            brief = await self.s.asummarize(text, source=source, mode=mode)
            out = self.briefs_dir / f"{Path(source).stem}.{mode}.json"
            out.write_text(brief.model_dump_json(indent=2), encoding="utf-8")
            return brief
        except SummarizerError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug on one article is that article's failure, not the run's
            raise SummarizerError(f"unexpected {type(exc).__name__}: {exc}") from exc
        finally:
            await asyncio.sleep(0.5)  # the server writes its timings before answering; leave its log a moment
            try:
                self.logs[(source, mode)] = _log_totals(sl)
            except OSError:
                self.logs[(source, mode)] = None


def section_embedded(limit: int | None = None) -> dict[str, Any]:
    """The development set (the seed article included) through the pipeline and the naive single
    call, article by article with the two modes alternating, then three short seeds in a row; on a
    llama.cpp server of our own whose log only this run writes to."""
    from summarizer import Summarizer
    from summarizer.llm import local_model
    from summarizer.scoring import load_labels, run_eval, totals
    from summarizer.settings import Settings

    st = Settings()
    spec = local_model.spec_for(st.embedded_model)
    if not local_model.is_installed(spec):
        return {"error": f"embedded model {spec.name} is not installed (run `summarizer model install`)"}
    labels = load_labels(DEVSET)[:limit]
    OUT.mkdir(parents=True, exist_ok=True)
    briefs_dir = OUT / "briefs"
    briefs_dir.mkdir(exist_ok=True)
    progress = OUT / "devset-progress.jsonl"
    progress.write_text("", encoding="utf-8")
    log_path = local_model.cache_dir() / "llama-server-bench.log"
    out: dict[str, Any] = {"model": spec.name, "log": str(log_path), "threads": st.threads or os.cpu_count(),
                           "labels": str(DEVSET.relative_to(ROOT)), "seed": SEED.name, "devset": {}, "prefix": []}
    server = local_model.LocalServer(spec, n_ctx=st.n_ctx, n_threads=st.threads, log_path=log_path)
    start = time.perf_counter()
    print(f"  embedded: starting {spec.name} (log: {log_path})…", file=sys.stderr, flush=True)
    with server:
        out["server_start_s"] = time.perf_counter() - start
        _warm(server.base_url, spec.name)
        s = Summarizer(base_url=server.base_url, model=spec.name, profile="llama-cpp-python")
        logged = _LoggedCalls(s, log_path, briefs_dir)
        loop = asyncio.new_event_loop()

        def done(sc: Any) -> None:
            with progress.open("a", encoding="utf-8") as f:
                f.write(sc.model_dump_json() + "\n")
            state = f"failed: {sc.error}" if not sc.ok else (
                f"{sc.seconds:.0f} s, figures {sc.primary_matched}/{sc.primary_gold}")
            print(f"  embedded: {sc.mode:5} {sc.id}: {state}", file=sys.stderr, flush=True)

        results = loop.run_until_complete(run_eval(logged, labels, ["multi", "naive"], on_score=done))
        paths = {label.id: str(path) for label, path in labels}
        for mode, scores in results.items():
            rows = []
            for sc in scores:
                row = sc.model_dump() | {"path": Path(paths[sc.id]).name}
                row["log"] = logged.logs.get((paths[sc.id], mode))
                rows.append(row)
            out["devset"][mode] = {"totals": totals(scores), "articles": rows}
        for pattern in PREFIX_SEEDS:
            path = sorted((ROOT / "seeds").glob(pattern))[0]
            out["prefix"].append(_embedded_one(loop, s, path.read_text(encoding="utf-8"), path.name,
                                               "multi", log_path))
        loop.run_until_complete(s.aclose())
        loop.close()
    return out


def _warm(base_url: str, model: str) -> None:
    """One tiny completion so neither measured path pays for the server's first request."""
    body = json.dumps({"model": model, "max_tokens": 1,
                       "messages": [{"role": "user", "content": "Say OK."}]}).encode()
    req = urllib.request.Request(f"{base_url}/chat/completions", data=body,
                                 headers={"content-type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=600).close()
    except OSError:
        pass


def _embedded_one(loop: asyncio.AbstractEventLoop, s: Any, text: str, name: str, mode: str,
                  log_path: Path) -> dict[str, Any]:
    print(f"  embedded: {name}, mode={mode}…", file=sys.stderr, flush=True)
    sl = llamalog.LogSlice(log_path).start()
    start = time.perf_counter()
    row: dict[str, Any] = {"article": name, "mode": mode}
    try:
        brief = loop.run_until_complete(s.asummarize(text, source=name, mode=mode))
    except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
        row.update(error=f"{type(exc).__name__}: {exc}", wall_s=time.perf_counter() - start)
        brief = None
    else:
        row["wall_s"] = time.perf_counter() - start
        u = brief.meta.usage
        row.update(calls=u.calls, prompt_tokens=u.prompt_tokens, completion_tokens=u.completion_tokens,
                   timings=dict(brief.meta.timings))
    time.sleep(0.5)  # the server writes its timings before answering; leave its log a moment
    row["log"] = _log_totals(sl)
    return row


def _log_totals(sl: llamalog.LogSlice) -> dict[str, Any]:
    """llama.cpp's own totals for the requests logged since `sl` started, as a JSON-ready dict."""
    summary = llamalog.summarize(llamalog.parse(sl.read()))
    return summary.__dict__ | {"model_s": summary.model_s, "total_s": summary.total_s}


# ---- report --------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem,
            "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}"}


def overhead_tables(o: dict[str, Any]) -> list[Table]:
    t = Table("2. Library overhead around a model call (instant fake server)",
              ["path", "seconds", "model calls", "µs per call", "client CPU µs per call", "ms per article",
               "ratio"])
    t.add("library: Summarizer.summarize(mode=multi)", o["lib_s"], o["requests"], o["lib_us_per_request"],
          o["lib_cpu_us_per_request"], o["lib_ms_per_article"], ratio(o["lib_s"], o["raw_s"]))
    t.add("raw HTTP: http.client, same request bodies", o["raw_s"], o["requests"], o["raw_us_per_request"],
          o["raw_cpu_us_per_request"], o["raw_s"] / o["articles"] * 1e3, "1.00x")
    t.add("overhead of the library (difference)", o["lib_s"] - o["raw_s"], o["requests"],
          o["overhead_us_per_request"], o["lib_cpu_us_per_request"] - o["raw_cpu_us_per_request"],
          (o["lib_s"] - o["raw_s"]) / o["articles"] * 1e3, "")
    t.notes = [
        f"{o['articles']} synthetic articles, one after another, {o['requests_per_article']:.1f} model calls each "
        "(figure labels, entities, overview); µs per call = seconds / HTTP requests the library made. "
        "Library time includes the program-side work around the calls (grounding, verification).",
        f"Fake server (benchmarks/fastserver.py, own process, asyncio): {o['hammer_rate']:,.0f} requests/s over "
        f"{o['hammer_connections']} raw keep-alive connections (a lower bound: the Python client is one core too); "
        f"its own CPU per request: {o['server_cpu_us_lib']:.0f} µs during the library loop, "
        f"{o['server_cpu_us_raw']:.0f} µs during the raw loop, {o['hammer_server_cpu_us']:.0f} µs under load. "
        "It is not the bottleneck.",
    ]
    p = Table(f"2b. Where the library's time goes (cProfile, {o['profile_articles']} articles, "
              f"{o['profile_requests']} model calls)",
              ["function", "µs per model call", "share", "calls per model call", "µs per call"])
    for h in o["hotspots"]:
        p.add(h["label"], h["us_per_request"], f"{h['share']:.0%}", h["calls_per_request"], h["us_per_call"])
    p.notes = ["Cumulative CPU time (the function and what it calls) per model call, under cProfile with a CPU-time "
               f"clock; profiling slows Python down: {o['profile_s'] / o['profile_requests'] * 1e6:,.0f} µs per "
               f"call profiled vs {o['lib_cpu_us_per_request']:,.0f} µs CPU unprofiled, so compare shares. Rows are "
               "nested (indented under their caller)."]
    q = Table("2c. Top self time (cProfile, same run)", ["function", "µs per model call", "share"])
    for s in o["self_time"]:
        q.add(s["function"], s["us_per_request"], f"{s['share']:.0%}")
    return [t, p, q]


def batch_table(rows: list[dict[str, Any]], delay: float) -> Table:
    t = Table(f"3. Batch scaling (fake server answering after {delay * 1000:.0f} ms)",
              ["concurrency", "articles", "model calls", "wall s", "runs: wall s", "ideal s", "wall / ideal",
               "peak in flight", "client CPU s", "CPU µs per call", "server CPU s", "peak RSS MiB"])
    for r in rows:
        ideal = math.ceil(r["articles"] / r["concurrency"]) * r["rounds"] * delay
        r["ideal_s"] = ideal
        runs = r.get("runs_wall_s", [r["wall_s"]])
        t.add(r["concurrency"], r["articles"], r["requests"], r["wall_s"], " / ".join(f"{w:.2f}" for w in runs),
              ideal, ratio(r["wall_s"], ideal),
              r["peak_in_flight"], r["cpu_s"], r["cpu_s"] / max(1, r["requests"]) * 1e6, r["server_cpu_s"],
              f"{r['peak_rss_mb']:.0f} (+{r['peak_rss_mb'] - r['rss_before_mb']:.0f})")
        if r.get("failed"):
            t.notes.append(f"concurrency {r['concurrency']}: {r['failed']} articles failed")
    if rows:
        r0 = rows[0]
        t.notes += [
            f"Batch runner: {r0['path']}; Summarizer(concurrency=c) as well, so an article's figure-label and "
            "entity passes run side by side when c ≥ 2.",
            "ideal = ceil(articles / concurrency) × rounds × delay, where rounds = model calls on one article's "
            "critical path, measured by timing one article alone in the same process, less its CPU time, / delay ("
            + ", ".join(f"c={r['concurrency']}: {r['single_s']:.3f} s wall, {r['single_cpu_s']:.3f} s CPU → {r['rounds']}"
                        for r in rows)
            + "). With 3 calls per article run one after another this is the issue's "
            "articles × calls per article / concurrency × delay.",
            f"Each level ran {len(r0.get('runs_wall_s', [0]))} times, each run in a fresh process; the row is the "
            "median run (all runs' wall times in 'runs'), since other tenants of a shared machine slow single "
            "runs down.",
            "Peak RSS: ru_maxrss of a fresh process per row (in brackets: growth over the RSS after warm-up). "
            "Client CPU: user+system seconds of that process during the batch; server CPU: the fake server's "
            "(another process), to show it is not the bottleneck.",
        ]
        goal = next((r for r in rows if r["concurrency"] == GOAL_CONCURRENCY), None)
        if goal:
            met = goal["wall_s"] / goal["ideal_s"] <= GOAL_RATIO
            t.notes.append(f"Goal (concurrency {GOAL_CONCURRENCY} within {GOAL_RATIO}x of ideal): "
                           f"{'met' if met else 'MISSED'} ({goal['wall_s'] / goal['ideal_s']:.2f}x).")
    return t


def store_table(res: dict[str, Any] | None, reason: str | None) -> Table:
    t = Table("4. Rerun of the same batch from the store", ["run", "articles", "wall s", "model calls", "from store"])
    if res is None:
        t.notes.append(f"skipped: {reason}")
        return t
    t.add(f"first run, store filling (concurrency {res['concurrency']})", res["articles"], res["wall_s"],
          res["requests"], res["cached"])
    rr = res["rerun"]
    t.add("rerun of the same articles", res["articles"], rr["wall_s"], rr["requests"], rr["cached"])
    t.notes.append(f"Rerun: {rr['requests']} model calls (expected none); "
                   f"{ratio(res['wall_s'], rr['wall_s'])} faster than the first run. Store: SQLite in a temp dir.")
    return t


def _agg(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per-article means of a mode's rows (wall time, tokens, calls, llama.cpp floor and total)."""
    n = len(rows) or 1
    logs = [r["log"] or {} for r in rows]
    return {"articles": len(rows),
            "wall_s": sum(r["seconds"] for r in rows) / n,
            "calls": sum(r["calls"] for r in rows) / n,
            "requests": sum(lg.get("requests", 0) for lg in logs) / n,
            "prompt_tokens": sum(r["prompt_tokens"] for r in rows) / n,
            "completion_tokens": sum(r["completion_tokens"] for r in rows) / n,
            "model_s": sum(lg.get("model_s", 0.0) for lg in logs) / n,
            "total_s": sum(lg.get("total_s", 0.0) for lg in logs) / n,
            "suspect": sum(lg.get("suspect_prompt_ms", 0) for lg in logs)}


def embedded_tables(e: dict[str, Any] | None) -> list[Table]:
    t1 = Table("1. Embedded model: pipeline vs single call, per article",
               ["scope", "mode", "wall s", "model calls", "prompt tokens", "completion tokens",
                "floor s (prompt eval + eval)", "wall / floor", "llama total s", "wall / llama total"])
    tq = Table("1b. Quality on the development set (same run, same briefs)",
               ["metric", "pipeline (multi)", "single call (naive)"])
    t5 = Table("5. Prompt-prefix reuse (embedded, 3 short seeds in a row, one Summarizer)",
               ["article", "wall s", "model calls", "prompt tokens sent", "sent (log)",
                "processed (log)", "reused"])
    if e is None:
        for t in (t1, tq, t5):
            t.notes.append("skipped: run `benchmarks/run --embedded` (starts the embedded model; minutes on a CPU)")
        return [t1, tq, t5]
    if "error" in e:
        for t in (t1, tq, t5):
            t.notes.append(f"failed: {e['error']}")
        return [t1, tq, t5]
    dev = e["devset"]
    ok = {mode: [r for r in dev[mode]["articles"] if r["ok"]] for mode in dev}
    # an article counts in both modes' means only if both modes briefed it, so the ratio is fair
    both = {r["id"] for r in ok["multi"]} & {r["id"] for r in ok["naive"]}
    for scope, pick in ((f"seed ({e['seed']})", lambda r: r["path"] == e["seed"]),
                        (f"dev set ({len(both)} articles, mean)", lambda r: True)):
        agg = {mode: _agg([r for r in ok[mode] if pick(r) and r["id"] in both]) for mode in ("multi", "naive")}
        for mode, label in (("multi", "pipeline"), ("naive", "single call")):
            a = agg[mode]
            if not a["articles"]:
                t1.add(scope, label, "-", "-", "-", "-", "-", "-", "-", "-")
                continue
            t1.add(scope, label, a["wall_s"], f"{a['calls']:.2f} ({a['requests']:.2f} in log)", a["prompt_tokens"],
                   a["completion_tokens"], a["model_s"], ratio(a["wall_s"], a["model_s"]), a["total_s"],
                   ratio(a["wall_s"], a["total_s"]))
        m, n = agg["multi"], agg["naive"]
        if m["articles"] and n["articles"]:
            t1.add(scope, "ratio pipeline / single call", ratio(m["wall_s"], n["wall_s"]), ratio(m["calls"], n["calls"]),
                   ratio(m["prompt_tokens"], n["prompt_tokens"]), ratio(m["completion_tokens"], n["completion_tokens"]),
                   ratio(m["model_s"], n["model_s"]), "", ratio(m["total_s"], n["total_s"]), "")
    failed = {mode: len(dev[mode]["articles"]) - len(ok[mode]) for mode in dev}
    if any(failed.values()):
        t1.notes.append("Failed articles (left out of both modes' means): " + ", ".join(
            f"{r['mode']} {r['id']}: {r['error']}" for mode in dev for r in dev[mode]["articles"] if not r["ok"]))
    suspect = sum(_agg(dev[mode]["articles"])["suspect"] for mode in dev)
    t1.notes += [
        f"Model {e['model']}, {e['threads']} threads, own llama.cpp server (started in {e['server_start_s']:.1f} s, "
        f"not counted) logging to {e['log']}; the timings are the log lines this run appended. Articles: "
        f"{e['labels']}, the two modes alternating article by article. Wall s is the brief's own clock "
        "(brief.meta.timings['total']: the model calls and the program's work). Tokens are brief.meta.usage; "
        "'in log' counts every request the model served (re-asks included).",
        "floor = llama.cpp's prompt eval + eval time; 'llama total' is its own total per request, which also "
        "counts sampling under the JSON grammar. Briefs: benchmarks/out/briefs/.",
    ]
    if suspect:
        t1.notes.append(f"Note: {suspect} requests logged a prompt eval time of ~0 ms for many tokens (a llama.cpp "
                        "accounting quirk), so the prompt-eval + eval floor is too low there; the llama total is "
                        "the safer floor.")
    tm, tn = dev["multi"]["totals"], dev["naive"]["totals"]
    for key in ("articles", "failed", "killed_wounded_exact_primary", "killed_wounded_recall_all", "extra_figures",
                "actor_recall", "base_recall", "grounded_share", "rejected_items"):
        tq.add(key.replace("_", " "), tm[key], tn[key])
    tq.notes.append("Scored by `summarizer.scoring` against the hand-written labels. "
                    "Per article: benchmarks/out/devset-progress.jsonl.")
    sent_u = proc = sent_l = 0
    for r in e["prefix"]:
        lg = r["log"]
        if "error" in r:
            t5.add(r["article"], r["wall_s"], "-", "-", lg["sent"], lg["processed"], "-")
            t5.notes.append(f"{r['article']} failed: {r['error']}")
            continue
        t5.add(r["article"], r["wall_s"], f"{r['calls']} ({lg['requests']} in log)", r["prompt_tokens"],
               lg["sent"], lg["processed"], f"{1 - lg['processed'] / lg['sent']:.0%}" if lg["sent"] else "-")
        sent_u, proc, sent_l = sent_u + r["prompt_tokens"], proc + lg["processed"], sent_l + lg["sent"]
    if sent_l:
        t5.add("all three", sum(r["wall_s"] for r in e["prefix"]), "", sent_u, sent_l, proc,
               f"{1 - proc / sent_l:.0%}")
    t5.notes.append("sent (log) = prefix-match hit + remaining tokens per request; processed = tokens llama.cpp "
                    "evaluated (prompt eval line). 'reused' = share of sent prompt tokens served from the cache.")
    return [t1, tq, t5]


def findings(o: dict[str, Any] | None, rows: list[dict[str, Any]], delay: float) -> str:
    """What the numbers above say, computed from them (no number here is typed in by hand)."""
    if o is None:
        return ""
    goal = next((r for r in rows if r["concurrency"] == GOAL_CONCURRENCY), None)
    prof_per_call = o["profile_s"] / o["profile_requests"] * 1e6
    scale = o["lib_cpu_us_per_request"] / prof_per_call  # cProfile CPU time → unprofiled CPU time

    def us(key: str) -> float:
        h = next((h for h in o["hotspots"] if h["label"].strip().startswith(key)), None)
        return h["us_per_request"] * scale if h else 0.0

    lines = ["## Findings", ""]
    if goal:
        g_ratio = goal["wall_s"] / goal["ideal_s"]
        cpu_per_call = goal["cpu_s"] / max(1, goal["requests"]) * 1e6
        lines.append(
            f"- Concurrency {GOAL_CONCURRENCY}: {goal['wall_s']:.2f} s against an ideal of {goal['ideal_s']:.2f} s "
            f"({g_ratio:.2f}x; goal ≤ {GOAL_RATIO}x: {'met' if g_ratio <= GOAL_RATIO else 'MISSED'}). "
            f"The client process spent {goal['cpu_s']:.2f} s of CPU on {goal['requests']} model calls "
            f"({cpu_per_call:,.0f} µs per call, program-side work included) on one event-loop thread; "
            "that CPU time is the floor of the batch's wall time however fast the backend is.")
        lines.append("- Every level: " + "; ".join(
            f"c={r['concurrency']}: {r['wall_s'] / r['ideal_s']:.2f}x ideal, client CPU {r['cpu_s']:.2f} s vs "
            f"ideal {r['ideal_s']:.2f} s ({'CPU-bound' if r['cpu_s'] > r['ideal_s'] else 'not CPU-bound'})"
            for r in rows) + ".")
        lines.append(f"- Peak requests in flight at the server: {goal['peak_in_flight']} at concurrency "
                     f"{GOAL_CONCURRENCY}. The batch's concurrency counts articles; an article's figure-label and "
                     "entity passes run side by side, so a backend sees up to twice that many requests.")
    http = us("transport.post")
    instr = us("instructor create_with_completion") - us("Backend._send")
    program = sum(us(k) for k in ("prompts.messages", "Grounder", "numbers.casualty_candidates",
                                  "verify.verify_drafts", "verify.check_prose"))
    lines += [
        f"- Sequentially (section 2), the library costs {o['lib_us_per_request']:,.0f} µs per model call "
        f"({o['lib_cpu_us_per_request']:,.0f} µs of CPU) against {o['raw_us_per_request']:,.0f} µs "
        f"({o['raw_cpu_us_per_request']:,.0f} µs CPU) for the same request as a raw HTTP call "
        f"({o['lib_s'] / o['raw_s']:.1f}x).",
        f"- Where the CPU goes per model call (table 2b, cProfile times scaled by {scale:.2f} to unprofiled CPU): "
        f"HTTP (aiohttp under `summarizer.llm.transport`, the ChatCompletion parsed) {http:,.0f} µs; instructor "
        f"around it (prepare, validate, usage bookkeeping, retry loop) {instr:,.0f} µs, of which deep copies "
        f"of the usage {us('pydantic model_copy'):,.0f} µs; the program's own work (prompt rendering, "
        f"grounding, figure finding, verification) {program:,.0f} µs; JSON-schema generation "
        f"{us('pydantic BaseModel.model_json_schema'):,.0f} µs and new model classes "
        f"{us('pydantic create_model'):,.0f} µs (both built once per answer model, then cached).",
        "- What was cut to get here (each measured by this benchmark before and after): instructor's per-call "
        "wrapper class and JSON schema (`backend._answer_class`, built once per answer model), its repeated "
        "async-validator walks (`backend._walk_each_class_once`), openai's typed re-walk of every request "
        "parameter and then its HTTP stack (`summarizer.llm.transport` posts the same JSON with aiohttp and raises "
        "openai's own exceptions: about 0.3 ms of CPU per request against openai's 2-2.7 ms), the "
        "per-article figure-label model (`schema.figure_labels`, cached), and pysbd's sentence segmentation "
        "(about 1 ms for a two-sentence text; sentencex, same boundaries on the dev set, 0.2 ms for a whole "
        "article). What is left is spread thin: instructor (its usage bookkeeping deep-copies the usage "
        "four times per call; handing it no usage sends it down a failing `import anthropic` twice per "
        "call instead, which costs as much), tenacity, the HTTP client, the program's own checks.",
    ]
    return "\n".join(lines) + "\n"


def write_results(path: Path, tables: list[Table], header: dict[str, Any], extra: str) -> None:
    m = header["machine"]
    text = [
        "# Benchmark results",
        "",
        f"- Date: {header['date']}",
        f"- Command: `{header['command']}`",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Python {m['python']}",
        f"- Load average at start / end: {header['load_start']} / {header['load_end']} "
        "(other processes on the machine share these cores)",
        f"- Commit: {header['commit']}",
        f"- Total run time: {header['total_s']:.1f} s",
        "",
        "Every ratio compares numbers measured in one run. A table from an earlier run says so in its notes.",
        "",
    ]
    for t in tables:
        text.append(t.markdown())
    text.append(extra)
    path.write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _commit() -> str:
    """The commit measured, "-dirty" if code differs from it (not this benchmark's own results file)."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip()
        changed = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--",
                                  ".", f":(exclude){RESULTS.relative_to(ROOT)}"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
        return (head + ("-dirty" if changed else "")) if head else "unknown"
    except (OSError, subprocess.SubprocessError, ValueError):
        return "unknown"


def _saved(name: str, header: dict[str, Any], fresh: Any, ran: bool, complete: bool = True) -> tuple[Any, str | None]:
    """This run's results of a section (saved for later runs), or the last saved ones and where
    they came from: the embedded sections take an hour on a CPU, so a quick run keeps showing them.
    A failed or partial run is saved beside the complete one, never over it."""
    path = OUT / f"{name}.json"
    if ran:
        OUT.mkdir(parents=True, exist_ok=True)
        target = path if complete else OUT / f"{name}-partial.json"
        target.write_text(json.dumps({"date": header["date"], "commit": header["commit"], "load_start":
                                      header["load_start"], "load_end": loadavg(), "data": fresh}), encoding="utf-8")
        return fresh, None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    return saved["data"], (f"From an earlier run ({saved['date']}, commit {saved['commit']}, load average "
                           f"{saved['load_start']} / {saved['load_end']}), not this one.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks/run", description="Benchmarks of the summarizer library.")
    ap.add_argument("--embedded", action="store_true",
                    help="also run sections 1 and 5 on the embedded model (slow: about an hour on a CPU)")
    ap.add_argument("--only-embedded", action="store_true",
                    help="run sections 1 and 5 only; RESULTS.md keeps the last saved sections 2-4")
    ap.add_argument("--devset-limit", type=int, help="only the first N dev-set articles (section 1)")
    ap.add_argument("--articles", type=int, default=200, help="articles per batch (section 3)")
    ap.add_argument("--delay", type=float, default=0.1, help="fake server delay per request, seconds (section 3)")
    ap.add_argument("--concurrency", default="1,4,16,64", help="comma-separated concurrency levels (section 3)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs per concurrency level, each in a fresh process; the median is shown (section 3)")
    ap.add_argument("--overhead-articles", type=int, default=60, help="articles timed in section 2")
    ap.add_argument("--profile-articles", type=int, default=20, help="articles profiled in section 2")
    ap.add_argument("--output", type=Path, default=RESULTS, help="where to write the results (Markdown)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print("RESULT " + json.dumps(batch_child(json.loads(args.child))), flush=True)
        return 0

    command = os.environ.get("BENCH_COMMAND") or "python -m benchmarks.bench " + shlex.join(argv or sys.argv[1:])
    header: dict[str, Any] = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                              "command": command, "machine": machine(), "load_start": loadavg(),
                              "commit": _commit()}
    started = time.perf_counter()
    embedded = args.embedded or args.only_embedded
    fake = not args.only_embedded

    emb = None
    if embedded:
        print("sections 1 and 5: embedded model (slow)…", file=sys.stderr, flush=True)
        try:
            emb = section_embedded(args.devset_limit)
        except Exception as exc:  # noqa: BLE001 - reported; the fake-server sections still run
            emb = {"error": f"{type(exc).__name__}: {exc}"}
    emb, emb_from = _saved("embedded", header, emb, embedded,
                           complete=emb is not None and "error" not in emb and args.devset_limit is None)
    emb_tables = embedded_tables(emb)

    o = rows = store_res = reason = None
    if fake:
        print("section 2: library overhead…", file=sys.stderr, flush=True)
        o = section_overhead(args.overhead_articles, args.profile_articles)
        levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
        rows = []
        with FastServer(delay=args.delay) as srv:
            for c in levels:
                print(f"section 3: {args.articles} articles at concurrency {c}…", file=sys.stderr, flush=True)
                runs = sorted((run_child({"base_url": srv.base_url, "concurrency": c, "articles": args.articles,
                                          "delay": args.delay}) for _ in range(max(1, args.repeats))),
                              key=lambda r: r["wall_s"])
                # the median run: other tenants of a shared machine slow some runs down, not the code
                rows.append({**runs[len(runs) // 2], "runs_wall_s": [r["wall_s"] for r in runs]})
            fn, _where, takes_store = batch_api()
            if fn is None or not takes_store:
                reason = "no store yet (summarize_many with a store= argument not found)"
            elif store_class() is None:
                reason = "no store yet"
            else:
                print("section 4: rerun from the store…", file=sys.stderr, flush=True)
                with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
                    store_res = run_child({"base_url": srv.base_url, "concurrency": GOAL_CONCURRENCY,
                                           "articles": args.articles, "delay": args.delay,
                                           "store": str(Path(tmp) / "store.sqlite3"), "rerun": True})
    fake_res, fake_from = _saved("fake", header, {"overhead": o, "rows": rows, "store": store_res,
                                                  "reason": reason, "delay": args.delay}, fake,
                                 complete=args.articles == 200 and args.delay == 0.1)
    tables = emb_tables[:2]
    extra = ""
    if fake_res is not None:
        o, rows, delay = fake_res["overhead"], fake_res["rows"], fake_res["delay"]
        fake_tables = [*overhead_tables(o), batch_table(rows, delay), store_table(fake_res["store"], fake_res["reason"])]
        if fake_from:
            for t in fake_tables:
                t.notes.append(fake_from)
        tables += fake_tables
        extra = findings(o, rows, delay)
    tables.append(emb_tables[2])
    if emb_from:
        for t in emb_tables:
            t.notes.append(emb_from)

    header["load_end"] = loadavg()
    header["total_s"] = time.perf_counter() - started
    for t in tables:
        t.show()
    if extra:
        print(extra)
    write_results(args.output, tables, header, extra)
    print(f"wrote {args.output} ({header['total_s']:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
