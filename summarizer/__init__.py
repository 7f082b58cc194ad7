"""summarizer: schema-validated briefs of conflict and security news articles."""

__version__ = "0.1.0"  # first: modules below read it while this package is still importing

from .aggregate import build_daily_brief
from .api import Summarizer, asummarize, summarize
from .batch import ArticleResult, summarize_many
from .collect import Article
from .daily_schema import DailyBrief
from .errors import BackendError, InputError, ModelError, SummarizerError
from .narrative import add_narrative
from .schema import Brief

__all__ = ["Brief", "Summarizer", "summarize", "asummarize",
           "SummarizerError", "InputError", "ModelError", "BackendError",
           "Article", "ArticleResult", "DailyBrief", "summarize_many", "build_daily_brief", "add_narrative"]
