"""What stored briefs are keyed by besides the text: the brief version, the mode and chunk size that
shape a brief, and the model id."""

from __future__ import annotations

from .. import pipeline
from ..api import Summarizer
from ..llm import local_model


def model_id(s: Summarizer) -> str:
    """The model id briefs are keyed by, found without starting the embedded server."""
    if s.settings.base_url:
        return s.backend().model
    return local_model.spec_for(s.settings.embedded_model).name


def store_key(s: Summarizer) -> tuple[str, str]:
    """What this summarizer's briefs are stored under besides the text: (brief version with the
    mode and chunk size that shape a brief, model id). A single-mode run never serves multi briefs."""
    return f"{pipeline.brief_version()}+{s.mode}+{s.settings.chunk_chars}", model_id(s)
