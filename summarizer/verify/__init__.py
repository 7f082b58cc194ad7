"""Checks of what the model drafted against the article and the parse: grounding, figures, conflicts,
prose."""
