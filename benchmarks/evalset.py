"""Score figures, sources and actors against the hand-labelled evaluation set (evalset/).

The set was collected and labelled by helpers who never read the program, and checked by a second
helper. Its split is fixed by a hash of each article's id (no look at the labels or the rules):
`dev` is for looking at failures, `test` is read once. Scores compare with the hand labels only.

    python -m benchmarks.evalset sentences --split dev          # the parser alone, no model
    python -m benchmarks.evalset parse --split dev              # the parser alone, whole articles
    python -m benchmarks.evalset articles --split test --mode multi --mode naive
    python -m benchmarks.evalset speed --split test     # the time table of that run (issue 14)

Articles are briefed with the embedded model (or --base-url); each brief is appended to
benchmarks/out/evalset-<split>-<mode>.jsonl as soon as it is made, so an interrupted run resumes.

Figures are scored two ways: per mention, casualty rows only (the labels list a toll once for each
sentence that states it, and a brief's row counts once for each quote of the article it is located
at that writes the figure: it merges the headline's and the body's statement of one toll and keeps
the evidence of both; until session 8 a row counted once, which is still reported beside it); and
per article, each (field, value) once, with the running totals a brief lists among its background
figures (the labels mark them role "total"; the brief keeps them apart from incident tolls on
purpose).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
EVALSET = ROOT / "evalset"
OUT = ROOT / "benchmarks" / "out"
FIELDS = ("killed", "wounded")


def split_of(key: str) -> str:
    """'test' or 'dev', from a hash of the article id (or of a sentence's source page)."""
    return "test" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "dev"


def articles() -> list[dict[str, Any]]:
    rows = []
    for part in sorted((EVALSET / "parts").glob("*-articles.jsonl")):
        rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["split"] = split_of(r["id"])
    return rows


def sentences() -> list[dict[str, Any]]:
    by_key = {}
    for a in articles():
        by_key[a["id"]] = a["split"]
        by_key[a["source"].split()[0]] = a["split"]
    rows = []
    for part in sorted((EVALSET / "parts").glob("*-sentences.jsonl")):
        rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        src = str(r.get("source") or r["id"]).split()[0]
        r["split"] = by_key.get(src) or split_of(src)
    return rows


def gold_pairs(figures: list[dict]) -> Counter:
    return Counter((f["field"], f["value"]) for f in figures if f["field"] in FIELDS and f.get("value") is not None)


def _same_name(p: str, g: str) -> bool:
    p, g = p.lower().strip(), g.lower().strip()
    return p in g or g in p or fuzz.token_set_ratio(p, g) >= 80


def _source_ok(pred: str | None, gold: str | None, actors: list[dict] = ()) -> bool:
    """The same name, or two names the article's labels give one actor ("UNAMID" and "the joint
    U.N.-African Union Mission in Darfur")."""
    if not gold:
        return not pred
    if not pred:
        return False
    if _same_name(pred, gold):
        return True
    return any(any(_same_name(gold, n) for n in names) and any(_same_name(pred, n) for n in names)
               for names in ([a["name"], *a.get("aliases", [])] for a in actors))


class Tally:
    def __init__(self) -> None:
        self.c: Counter = Counter()
        self.misses: list[tuple[str, int, str, list]] = []  # (field, value, gold source, predicted sources)

    def figures(self, pred: list[tuple[str, int, str | None]], gold_figs: list[dict], tags: list[str] = (),
                actors: list[dict] = ()) -> None:
        gold = gold_pairs(gold_figs)
        predc = Counter((f, v) for f, v, _ in pred)
        matched = gold & predc
        self.c["gold"] += sum(gold.values())
        self.c["pred"] += sum(predc.values())
        self.c["tp"] += sum(matched.values())
        for (f, v), n in (predc - gold).items():
            other = "wounded" if f == "killed" else "killed"
            if (other, v) in gold and (other, v) not in predc:
                self.c["swapped"] += n
        if not gold_figs and any(t in tags for t in ("negated", "non-casualty-number")):
            self.c["neg_sentences"] += 1
            self.c["from_negative"] += len(pred)
        singular = [(f["field"], 1) for f in gold_figs if f.get("value") == 1 and f["field"] in FIELDS]
        self.c["singular_gold"] += len(singular)
        self.c["singular_found"] += sum(min(n, predc[k]) for k, n in Counter(singular).items())
        # sources: of the gold figures that name one and that were found, how many carry it
        used: Counter = Counter()
        for g in gold_figs:
            if g["field"] not in FIELDS or g.get("value") is None or not g.get("reported_by"):
                continue
            key = (g["field"], g["value"])
            cands = [s for f, v, s in pred if (f, v) == key]
            if not cands or used[key] >= len(cands):
                continue
            self.c["src_gold"] += 1
            ok = any(_source_ok(s, g["reported_by"], actors) for s in cands)
            self.c["src_ok"] += ok
            if not ok:
                self.misses.append((*key, g["reported_by"], cands))
            used[key] += 1
        # and of those the text states on its own authority, how many the parse leaves unsourced
        # (a rule that spreads sources too far is caught here, not in "source right")
        for g in gold_figs:
            if g["field"] not in FIELDS or g.get("value") is None or g.get("reported_by"):
                continue
            cands = [s for f, v, s in pred if (f, v) == (g["field"], g["value"])]
            if cands:
                self.c["unsrc_gold"] += 1
                self.c["unsrc_ok"] += any(not s for s in cands)
                if all(cands):
                    self.misses.append((g["field"], g["value"], None, cands))

    def actors(self, names: list[str], gold: list[dict]) -> None:
        low = [n.lower() for n in names]
        for a in gold:
            self.c["actors_gold"] += 1
            alts = [a["name"], *a.get("aliases", [])]
            self.c["actors_found"] += any(
                alt.lower() in n or n in alt.lower() and len(n) > 3 or fuzz.ratio(alt.lower(), n) >= 85
                for alt in alts for n in low)

    def report(self) -> dict[str, Any]:
        c = self.c
        r = {
            "figure precision": c["tp"] / c["pred"] if c["pred"] else None,
            "figure recall": c["tp"] / c["gold"] if c["gold"] else None,
            "gold figures": c["gold"], "kept figures": c["pred"], "matched": c["tp"],
            "swapped fields": c["swapped"],
            "figures from negated/non-casualty sentences": c["from_negative"],
            "singular deaths/injuries found": f'{c["singular_found"]}/{c["singular_gold"]}',
            "source right": c["src_ok"] / c["src_gold"] if c["src_gold"] else None,
            "sourced figures": c["src_gold"],
            "no source where the text gives none": c["unsrc_ok"] / c["unsrc_gold"] if c["unsrc_gold"] else None,
            "unsourced figures": c["unsrc_gold"],
        }
        if c["actors_gold"]:
            r["named-actor recall"] = c["actors_found"] / c["actors_gold"]
            r["actors"] = f'{c["actors_found"]}/{c["actors_gold"]}'
        return r


def score_sentences(split: str, show: bool = False) -> dict[str, Any]:
    from summarizer.figures.candidates import read_figures
    from summarizer.text.grounding import sentence_spans

    t = Tally()
    rows = [r for r in sentences() if r["split"] == split]
    for r in rows:
        text = r["sentence"]
        figs = read_figures(text, sentence_spans(text)).figures
        pred = [(f.field, f.mention.value, f.source) for f in figs
                if f.field in FIELDS and f.mention.value is not None]
        before = t.c.copy()
        t.figures(pred, r["figures"], r.get("tags", []))
        matched = t.c["tp"] - before["tp"]
        if show and (t.misses or matched != len(pred) or matched != t.c["gold"] - before["gold"]):
            gold = [(g["field"], g.get("value"), g.get("reported_by")) for g in r["figures"] if g["field"] in FIELDS]
            print(f"{r['id']}: {text}\n  gold {gold}\n  parse {pred}", file=sys.stderr)
        t.misses.clear()
    return {"split": split, "sentences": len(rows), **t.report()}


def _parsed_brief(text: str) -> tuple[dict, list[tuple[str, int, str | None, str]]]:
    """The casualties and background figures a brief would hold if the model agreed with every
    figure the parse found: extract_facts's candidates, verified and merged as verify_drafts does;
    and every figure the parse found, with its source and sentence, before that merge."""
    from summarizer.llm.extract import program_figures
    from summarizer.text.grounding import Grounder
    from summarizer.verify.drafts import verify_drafts

    g = Grounder(text)
    found = [(c, None) for c in program_figures(g)]
    out = verify_drafts(text, {}, g, figures=found)
    mentions = [(f, m.value, c.source, text[c.start:c.end]) for c, _ in found
                for f, m in (("killed", c.killed), ("wounded", c.wounded)) if m is not None and m.value is not None]
    return {k: [i.model_dump(mode="json") for i in out.items[k]] for k in ("casualties", "background_figures")}, mentions


def _own_sentence(mentions: list[tuple[str, int, str | None, str]], gold_figs: list[dict], actors: list[dict],
                  c: Counter, misses: list) -> None:
    """Sources scored strictly: each labelled figure against the parse's figure of the same field and
    value in the same sentence (the Tally takes any figure of that value in the article)."""
    words = lambda s: " ".join(s.split())  # noqa: E731
    for g in gold_figs:
        if g["field"] not in FIELDS or g.get("value") is None or not g.get("reported_by"):
            continue
        here = [src for f, v, src, sent in mentions if (f, v) == (g["field"], g["value"])
                and (words(g["sentence"]) in words(sent) or words(sent) in words(g["sentence"]))]
        if here:
            ok = _source_ok(here[0], g["reported_by"], actors)
            c["gold"] += 1
            c["ok"] += ok
            if not ok:
                misses.append((g["field"], g["value"], g["reported_by"], here))


def score_parse(split: str, show: bool = False) -> dict[str, Any]:
    """Whole articles through the parse alone (no model): who reports a figure may be named in
    another sentence ("he said"), which the sentence bank cannot measure."""
    t, whole, each, own = Tally(), Tally(), Tally(), Counter()
    rows = [r for r in articles() if r["split"] == split]
    for r in rows:
        brief, mentions = _parsed_brief((EVALSET / r["file"]).read_text(encoding="utf-8"))
        t.figures(_brief_pairs(brief, each_quote=True), r["figures"], actors=r["actors"])
        whole.figures(*_distinct(_brief_pairs(brief, totals=True), r["figures"]), actors=r["actors"])
        each.figures([m[:3] for m in mentions], r["figures"], actors=r["actors"])
        strict: list = []
        _own_sentence(mentions, r["figures"], r["actors"], own, strict)
        for name, misses in (("brief", t.misses), ("distinct", whole.misses), ("mention", each.misses),
                             ("own sentence", strict)):
            for f, v, gold, pred in misses if show else ():
                print(f"{r['id']} ({name}): {f} {v}: gold {gold!r}, parse {pred}", file=sys.stderr)
            misses.clear()
    mention = {**each.report(), "source right in the labelled sentence":
               own["ok"] / own["gold"] if own["gold"] else None, "sourced figures in their sentence": own["gold"]}
    return {"split": split, "articles": len(rows), **t.report(),
            "distinct figures per article, running totals included": whole.report(),
            "every mention the parse found, before the brief's merge": mention}


_ABOUT_FIELD = ((re.compile(r"\b(?:kill|dead|die|death|fatalit)", re.I), "killed"),
                (re.compile(r"\b(?:wound|injur|hurt)", re.I), "wounded"))


def _background_pairs(brief: dict) -> list[tuple[str, int, str | None]]:
    """Running totals a brief lists among its background figures ('more than 10,000' / 'people
    killed (running total)'), read the same way for every mode: the field from the words of `about`,
    the value from `figure`."""
    from summarizer.figures.mentions import find_numbers

    out = []
    for b in brief.get("background_figures", []):
        field = next((f for rx, f in _ABOUT_FIELD if rx.search(b.get("about") or "")), None)
        values = [m.value for m in find_numbers(b.get("figure") or "") if m.value is not None and m.kind != "date"]
        if field and len(values) == 1:
            out.append((field, values[0], None))
    return out


def _brief_pairs(brief: dict, totals: bool = False, each_quote: bool = False) -> list[tuple[str, int, str | None]]:
    """(field, value, source) per casualty row; with `each_quote`, once per quote of the article the
    row is located at that writes the figure (a row merges the headline's and the body's statements
    of one toll and keeps the evidence of each, as the labels list each statement), at least once."""
    from summarizer.figures.mentions import find_numbers

    def times(value: int, c: dict) -> int:  # the located quotes that write this figure (a singular: each)
        if not each_quote:
            return 1
        return max(1, sum(e.get("start") is not None and (value == 1 or any(
            m.value == value for m in find_numbers(e.get("quote") or ""))) for e in c.get("evidence", [])))

    out = []
    for c in brief.get("casualties", []):
        for f in FIELDS:
            if c.get(f) is not None:
                out += [(f, c[f], c.get("reported_by"))] * times(c[f], c)
    return out + (_background_pairs(brief) if totals else [])


def _distinct(pred: list[tuple[str, int, str | None]], gold_figs: list[dict]) -> tuple[list, list[dict]]:
    """Each (field, value) once per article: a headline and the body stating one toll are one figure
    (the brief merges them, the labels list each mention); of a gold figure's mentions, one naming a
    source is kept."""
    seen, gold = set(), []
    for g in sorted(gold_figs, key=lambda g: not g.get("reported_by")):
        key = (g["field"], g.get("value"))
        if key not in seen:
            seen.add(key)
            gold.append(g)
    by_key: dict[tuple, tuple] = {}
    for f, v, src in pred:
        if (f, v) not in by_key or (src and not by_key[(f, v)][2]):
            by_key[(f, v)] = (f, v, src)
    return list(by_key.values()), gold


def _llamalog():
    """benchmarks.llamalog, also when this file runs as a script (the benchmarks folder is then not
    on the path)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import llamalog

    return llamalog


async def _brief_all(rows: list[dict], mode: str, out_path: Path, settings: dict) -> dict[str, dict]:
    from summarizer import Summarizer

    done: dict[str, dict] = {}
    if out_path.exists():
        for line in out_path.read_text().splitlines():
            rec = json.loads(line)
            done[rec["id"]] = rec
    todo = [r for r in rows if r["id"] not in done]
    if todo:
        from summarizer.llm.local_model import cache_dir

        llamalog = _llamalog()
        log = llamalog.LogSlice(cache_dir() / "llama-server.log")
        async with Summarizer(**settings) as s:
            s.backend()  # the embedded server starts here, not inside the first article's time
            for r in todo:
                text = (EVALSET / r["file"]).read_text(encoding="utf-8")
                log.start()
                t0 = time.perf_counter()
                try:
                    brief = (await s.asummarize(text, source=r["file"], mode=mode)).model_dump(mode="json")
                    rec = {"id": r["id"], "seconds": time.perf_counter() - t0, "brief": brief}
                except Exception as exc:  # one article's failure is scored as an empty brief
                    rec = {"id": r["id"], "seconds": time.perf_counter() - t0, "error": str(exc)[:300]}
                if not settings.get("base_url"):
                    # what the embedded model itself did for this article: the prompt tokens it
                    # evaluated (the rest came from its prefix cache) and generated
                    reqs = llamalog.parse(log.read())
                    used = llamalog.summarize(reqs)
                    rec["llama"] = {"requests": used.requests, "sent": used.sent, "processed": used.processed,
                                    "generated": used.generated,
                                    # per request: evaluated, generated, llama.cpp's total ms
                                    "each": [[q.processed, q.runs, q.total_ms] for q in reqs]}
                done[r["id"]] = rec
                with out_path.open("a") as f:
                    f.write(json.dumps(rec) + "\n")
                print(f"{mode} {r['id']}: {rec['seconds']:.1f} s", file=sys.stderr, flush=True)
    return done


def score_articles(split: str, mode: str, settings: dict, limit: int | None = None) -> dict[str, Any]:
    rows = [r for r in articles() if r["split"] == split][:limit]
    OUT.mkdir(parents=True, exist_ok=True)
    done = asyncio.run(_brief_all(rows, mode, OUT / f"evalset-{split}-{mode}.jsonl", settings))
    t, whole, per_row = Tally(), Tally(), Tally()
    seconds, prompt, completion, errors = [], [], [], 0
    for r in rows:
        rec = done[r["id"]]
        brief = rec.get("brief") or {}
        errors += "error" in rec
        t.figures(_brief_pairs(brief, each_quote=True), r["figures"], actors=r["actors"])
        per_row.figures(_brief_pairs(brief), r["figures"], actors=r["actors"])
        whole.figures(*_distinct(_brief_pairs(brief, totals=True), r["figures"]), actors=r["actors"])
        t.actors([a["name"] for a in brief.get("actors", [])], r["actors"])
        seconds.append(rec["seconds"])
        usage = (brief.get("meta") or {}).get("usage") or {}
        prompt.append(usage.get("prompt_tokens", 0))
        completion.append(usage.get("completion_tokens", 0))
    distinct = {k: v for k, v in whole.report().items() if k not in ("named-actor recall", "actors")}
    return {"split": split, "mode": mode, "articles": len(rows), "failed": errors, **t.report(),
            "distinct figures per article, running totals included": distinct,
            "each row once (a toll the headline and body state counted once; sessions 5-8)": {
                k: per_row.report()[k] for k in ("figure precision", "figure recall", "matched", "kept figures")},
            "median s/article": statistics.median(seconds) if seconds else None,
            "mean prompt tokens": statistics.mean(prompt) if prompt else None,
            "mean completion tokens": statistics.mean(completion) if completion else None}


def _article_tokens(texts: dict[str, str]) -> dict[str, int]:
    """Each article's own length in the embedded model's tokens (its tokenizer only, no weights run)."""
    from llama_cpp import Llama

    from summarizer.llm import local_model
    from summarizer.settings import Settings

    spec = local_model.spec_for(Settings().embedded_model)
    vocab = Llama(model_path=str(local_model.model_path(spec)), vocab_only=True, verbose=False)
    return {k: len(vocab.tokenize(t.encode("utf-8"), add_bos=False)) for k, t in texts.items()}


def _rates(log: Path, servers: int) -> tuple[float, float] | None:
    """Prompt and generation tokens per second, from llama.cpp's own timings of the last `servers`
    server runs in the log (the run being reported, when printed right after it: later runs append)."""
    llamalog = _llamalog()

    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    start = len(text)
    for _ in range(servers):  # back to the start of the first of the last `servers` runs
        start = text.rfind("Uvicorn running on", 0, start)
        if start < 0:
            return None
    s = llamalog.summarize(llamalog.parse(text[start:]))
    if not s.prompt_ms or not s.eval_ms:
        return None
    return s.processed / (s.prompt_ms / 1000), s.generated / (s.eval_ms / 1000)


def speed_table(split: str, log: Path) -> str:
    """Per article and in total, the pipeline beside the few-shot single call, from one run's outputs:
    wall time, calls, prompt tokens sent and evaluated (the rest reused from llama.cpp's prefix
    cache), completion tokens, the floor at the model's own rates for the tokens it evaluated and
    generated, and the article's own token count."""
    recs = {}
    for mode in ("multi", "naive"):
        path = OUT / f"evalset-{split}-{mode}.jsonl"
        recs[mode] = {rec["id"]: rec for rec in map(json.loads, path.read_text().splitlines())}
    rows = [r for r in articles() if r["split"] == split and r["id"] in recs["multi"] and r["id"] in recs["naive"]]
    own = _article_tokens({r["id"]: (EVALSET / r["file"]).read_text(encoding="utf-8") for r in rows})
    rates = _rates(log, servers=2)
    out = ["| article | tokens | mode | wall s | calls | prompt sent | prompt evaluated | completion | floor s "
           "| sent / article | evaluated / article |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    totals: dict[str, list] = {m: [] for m in ("multi", "naive")}
    for r in rows:
        for mode in ("multi", "naive"):
            rec = recs[mode][r["id"]]
            meta = (rec.get("brief") or {}).get("meta") or {}
            u = meta.get("usage") or {}
            seconds = (meta.get("timings") or {}).get("total", rec["seconds"])  # the brief's own clock
            p, c = u.get("prompt_tokens", 0), u.get("completion_tokens", 0)
            # evaluated: what llama.cpp processed, the rest of the prompt came from its prefix cache
            # (recorded per article by `articles` on the embedded server; else the prompt sent)
            e = (rec.get("llama") or {}).get("processed", p)
            floor = e / rates[0] + c / rates[1] if rates else None
            n = own[r["id"]]
            totals[mode].append((seconds, u.get("calls", 0), p, e, c, floor or 0.0, n))
            out.append(f"| {r['id'][:3]} | {n} | {mode} | {seconds:.1f} | {u.get('calls', 0)} | {p} | {e} | "
                       f"{c} | {'' if floor is None else f'{floor:.1f}'} | {p / n:.2f} | {e / n:.2f} |")
    med = {m: statistics.median(x[0] for x in totals[m]) for m in totals}
    for m in ("multi", "naive"):
        t = totals[m]
        cols = [statistics.median(x[i] for x in t) for i in range(7)]
        out.append(f"| median | {cols[6]:.0f} | {m} | {cols[0]:.1f} | {cols[1]:.0f} | {cols[2]:.0f} | {cols[3]:.0f} | "
                   f"{cols[4]:.0f} | {cols[5]:.1f} | {statistics.median(x[2] / x[6] for x in t):.2f} | "
                   f"{statistics.median(x[3] / x[6] for x in t):.2f} |")
    out.append(f"\nmedian wall time, pipeline / few-shot single call: {med['multi'] / med['naive']:.2f}x")
    if rates:
        out.append(f"model rates in this run (llama.cpp's own timings): prompt {rates[0]:.0f} tokens/s, "
                   f"generation {rates[1]:.1f} tokens/s")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("sentences", "parse", "articles", "list", "speed"))
    ap.add_argument("--split", choices=("dev", "test"), required=True)
    ap.add_argument("--mode", action="append", choices=("multi", "naive", "single"))
    ap.add_argument("--limit", type=int, help="only the first N articles of the split")
    ap.add_argument("--show", action="store_true",
                    help="sentences, parse: print each figure or source missed (dev only)")
    ap.add_argument("--base-url")
    ap.add_argument("--model")
    args = ap.parse_args()
    if args.what == "list":
        for r in articles():
            if r["split"] == args.split:
                print(r["id"])
        return
    if args.what == "speed":  # after `articles --mode multi --mode naive` in one run
        from summarizer.llm.local_model import cache_dir

        print(speed_table(args.split, cache_dir() / "llama-server.log"))
        return
    if args.what == "sentences":
        print(json.dumps(score_sentences(args.split, show=args.show and args.split == "dev"), indent=1))
        return
    if args.what == "parse":
        print(json.dumps(score_parse(args.split, show=args.show and args.split == "dev"), indent=1))
        return
    settings = {k: v for k, v in (("base_url", args.base_url), ("model", args.model)) if v}
    for mode in args.mode or ["multi", "naive"]:
        print(json.dumps(score_articles(args.split, mode, settings, args.limit), indent=1), flush=True)


if __name__ == "__main__":
    main()
