"""Checks of what the model drafted against the article and the parse: grounding (items.py),
figures (casualties.py), conflicts (conflicts.py), prose (prose.py); drafts.py runs them all."""
