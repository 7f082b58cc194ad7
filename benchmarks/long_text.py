"""What a long article costs the program (no model): seconds per 100 KB at 1, 10 and 100 casualty
figures per KB, as a ratio to a plain read of the same file, measured in one run.

    python -m benchmarks.long_text [--kb 100] [--sizes 100,400]

Figure analysis parses only sentences that may state a casualty and at most
figures.MAX_PARSED_SENTENCES of them, so its cost grows linearly with the text and has a bound.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from summarizer.figures import parser
from summarizer.figures.candidates import read_figures
from summarizer.text.grounding import Grounder

FILLER = "The convoy moved along the northern road toward the river crossing near the old market. "
FIGURE = "{n} died. "  # short enough that 100 of them fit in a KB


def article(kb: int, per_kb: int) -> str:
    """About `kb` KB of text holding `per_kb` casualty sentences per KB."""
    out, size, i = [], 0, 0
    while size < kb * 1024:
        block = [FIGURE.format(n=i + k + 10) for k in range(per_kb)]  # distinct: no parse reused
        block.append(FILLER * max(0, (1024 - sum(map(len, block))) // len(FILLER)))
        text = "".join(block)
        out.append(text)
        size += len(text)
        i += per_kb
    return "".join(out)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,400", help="text sizes in KB")
    args = ap.parse_args()
    parser.nlp()  # loaded once, outside the timings
    print("| KB | figures per KB | plain read s | figures s | ratio | s per 100 KB | figures found | parsed capped |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for kb in (int(x) for x in args.sizes.split(",")):
            for per_kb in (1, 10, 100):
                text = article(kb, per_kb)
                path = Path(tmp) / f"a{kb}-{per_kb}.txt"
                path.write_text(text, encoding="utf-8")
                plain = timed(lambda: path.read_bytes().decode("utf-8"))
                box: dict = {}
                cost = timed(lambda: box.update(r=read_figures(text, Grounder(text).sentence_spans)))
                capped = any("not read" in d.reason for d in box["r"].dropped)
                print(f"| {kb} | {per_kb} | {plain:.5f} | {cost:.2f} | {cost / plain:,.0f}x | "
                      f"{cost * 100 / kb:.2f} | {len(box['r'].figures)} | {'yes' if capped else 'no'} |", flush=True)


if __name__ == "__main__":
    main()
