"""The stages import one way and without cycles: the contracts in pyproject.toml
([tool.importlinter]), checked by import-linter's `lint-imports`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_imports_keep_the_contracts(tmp_path):
    exe = Path(sys.executable).parent / "lint-imports"
    lint = str(exe) if exe.exists() else shutil.which("lint-imports")
    assert lint, "lint-imports not found: install the test extra (pip install -e '.[test]')"
    # this tree's package, not another checkout's editable install; no cache left in the checkout
    p = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    assert "broken" in p.stdout and " 0 broken" in p.stdout
