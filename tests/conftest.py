"""Shared test set-up: cassette replay against a fixed base URL, with secrets filtered out.

Cassettes are recorded from the real embedded llama.cpp server by scripts/record-cassettes, one per
test at pytest-recording's default place (tests/cassettes/<module>/<test>.yaml); tests replay them
with no network. Requests match on method, path and body (not host or port: the
recording server listened on a random free port).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "2016-08-16-afp-russia-jets-iran-hamedan.txt"
SHORT_ARTICLE = SEEDS / "09-syria-senior-is-leader-killed-2018.txt"
# Where the recording server listens (set by the record script); replay uses a placeholder address.
BASE_URL = os.environ.get("SUMMARIZER_TEST_BASE_URL", "http://127.0.0.1:9/v1")
MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
SECRET_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project"]


@pytest.fixture(scope="module")
def vcr_config():
    return {
        "filter_headers": SECRET_HEADERS,
        "match_on": ["method", "path", "body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": True,  # the same request (e.g. CLI, then library) gets the same answer
    }


@pytest.fixture
def backend_settings() -> dict:
    """Settings that point at the recorded backend, without asking it /models."""
    return {"base_url": BASE_URL, "model": MODEL, "profile": "llama-cpp-python", "attempts": 1}
