"""What briefing one article of a batch came to: the type the runner yields and the merge reads.

Apart from the runner so that the merge (aggregate.py) needs no model client to be imported."""

from __future__ import annotations

from dataclasses import dataclass

from ..models.brief import Brief
from ..text.read import Article


@dataclass
class ArticleResult:
    index: int  # position in the input
    article: Article
    brief: Brief | None = None
    error: str | None = None
    cached: bool = False  # from the store (or a duplicate of an article in this run)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.brief is not None
