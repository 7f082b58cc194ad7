"""summarizer: schema-validated briefs of conflict and security news articles."""


from .daily.aggregate import build_daily_brief
from .api import Summarizer, asummarize, summarize
from .daily.batch import summarize_many
from .daily.results import ArticleResult
from .text.read import Article
from .models.daily import DailyBrief
from .version import __version__
from .errors import BackendError, InputError, ModelError, SummarizerError
from .daily.narrative import add_narrative
from .models.brief import Brief

__all__ = ["__version__", "Brief", "Summarizer", "summarize", "asummarize",
           "SummarizerError", "InputError", "ModelError", "BackendError",
           "Article", "ArticleResult", "DailyBrief", "summarize_many", "build_daily_brief", "add_narrative"]
