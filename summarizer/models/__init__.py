"""Pydantic models of what the program reads and writes: a brief, its drafts, a daily brief. No logic."""
