"""Re-apply the non-actor filter (summarizer/figures/nonactors.py) to stored briefs' actors.

    python -m benchmarks.actor_filter benchmarks/out/prev/evalset-dev-multi.jsonl   # dev briefs
    python -m benchmarks.actor_filter --day runs/seedday.json                         # a daily JSON

For dev briefs: named-actor recall (evalset.Tally.actors) before and after, and every actor dropped,
with the reason, so one can see they are places and noise. Dev only: test is read once, elsewhere.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.evalset import EVALSET, ROOT, Tally, articles
from summarizer.figures.nonactors import Article, not_actors
from summarizer.text.grounding import sentence_spans


def _dropped(text: str, names: list[str]) -> dict[str, str]:
    return not_actors(Article.of(text, sentence_spans(text)), names)


def score_briefs(path: Path) -> None:
    gold = {r["id"]: r for r in articles()}
    before, after, n_stored, n_dropped = Tally(), Tally(), 0, 0
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        row = gold[rec["id"]]
        if row["split"] != "dev":
            raise SystemExit(f"{rec['id']} is a test article: dev only")
        names = [a["name"] for a in (rec.get("brief") or {}).get("actors", [])]
        drop = _dropped((EVALSET / row["file"]).read_text(encoding="utf-8"), names)
        before.actors(names, row["actors"])
        after.actors([n for n in names if n not in drop], row["actors"])
        for g in row["actors"]:  # a labelled actor found before and not after: what the filter cost
            one, two = Tally(), Tally()
            one.actors(names, [g])
            two.actors([n for n in names if n not in drop], [g])
            if one.c["actors_found"] > two.c["actors_found"]:
                print(f"{rec['id']}: LOST labelled actor {g['name']!r}")
        n_stored += len(names)
        n_dropped += len(drop)
        for name, why in drop.items():
            print(f"{rec['id']}: drop {name!r}: {why}")
    b, a = before.report(), after.report()
    print(f"actors stored {n_stored}, dropped {n_dropped}")
    print(f"named-actor recall before {b['named-actor recall']:.3f} ({b['actors']}), "
          f"after {a['named-actor recall']:.3f} ({a['actors']})")


def score_day(path: Path) -> None:
    day = json.loads(path.read_text(encoding="utf-8"))
    kept = total = 0
    for art in day["articles"]:
        text = (ROOT / art["origin"]).read_text(encoding="utf-8")
        # each spelling the day merged (its articles' own names); a name not in this article is kept
        names = list(dict.fromkeys(v for a in day["actors"] if art["id"] in a["articles"]
                                   for v in a["variants"]))
        drop = _dropped(text, names)
        kept, total = kept + len(names) - len(drop), total + len(names)
        for name, why in drop.items():
            print(f"article {art['id']}: drop {name!r}: {why}")
    print(f"actor names by article kept {kept} of {total}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--day", action="store_true", help="the path is a daily brief's JSON")
    args = ap.parse_args()
    (score_day if args.day else score_briefs)(args.path)


if __name__ == "__main__":
    main()
