"""Benchmarks of the summarizer library (run them with `benchmarks/run`; results in RESULTS.md)."""
