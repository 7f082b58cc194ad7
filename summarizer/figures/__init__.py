"""Casualty figures and actors read from the article by the program: numbers, the word lists, the
spaCy parse, and the figures bound to deaths and injuries."""
