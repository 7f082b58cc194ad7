"""summarizer: schema-validated briefs of conflict and security news articles."""

from .api import Summarizer, asummarize, summarize
from .errors import BackendError, InputError, ModelError, SummarizerError
from .schema import Brief

__all__ = ["Brief", "Summarizer", "summarize", "asummarize",
           "SummarizerError", "InputError", "ModelError", "BackendError"]
__version__ = "0.1.0"
