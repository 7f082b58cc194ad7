"""The model: prompt templates, extraction passes, the OpenAI-compatible backend and its HTTP, the
embedded llama.cpp server, and the probe that tells who serves an endpoint."""
