"""`summarizer eval`: briefs scored against labeled articles (articles.py), and daily briefs against
labeled days (days.py, day_score.py, day_run.py). The hand labels are the truth, never the program's
own checks."""

from .articles import Label, Score, load_labels, report_json, run_eval, score, totals

__all__ = ["Label", "Score", "load_labels", "report_json", "run_eval", "score", "totals"]
