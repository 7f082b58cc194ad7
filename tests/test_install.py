"""A wheel of this tree, installed (not editable) away from the source, makes a brief.

An editable install reads files from the checkout, so it cannot show what a wheel leaves out: a
wheel once shipped without the prompt templates, and `summarizer brief` failed after
`pip install .`. Here the wheel is built from a copy of the tree, installed with no dependencies
into a fresh virtual environment that borrows this one's libraries (but not its editable
summarizer), and `summarizer brief` is run from there against a fake OpenAI-compatible server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT, SHORT_ARTICLE
from .daily_fake import SchemaFake


def run(*cmd: str | Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a virtual environment with a wheel of this tree installed in it."""
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # what a wheel is built from; a copy, so no build files land in the checkout
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "summarizer", src / "summarizer", ignore=shutil.ignore_patterns("__pycache__"))
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", src)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("summarizer-*.whl")

    venv = tmp / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    # This environment's libraries as a plain path: its own .pth files (the editable install of
    # summarizer among them) are not read from a path added this way.
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def test_a_wheel_install_makes_a_brief(installed, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k != "PYTHONPATH" and not k.startswith("OPENAI_")
           and (not k.startswith("SUMMARIZER_") or k == "SUMMARIZER_CACHE_DIR")}  # the parser's cache
    where = run(installed / "python", "-c", "import summarizer; print(summarizer.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where  # the wheel, not the checkout
    with SchemaFake() as fake:
        p = run(installed / "summarizer", "brief", SHORT_ARTICLE, "-q", "-f", "json",
                "--base-url", fake.base_url, "--model", "fake-model", cwd=tmp_path, env=env)
    assert p.returncode == 0, p.stderr
    assert '"headline"' in p.stdout and fake.requests
