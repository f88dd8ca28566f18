"""The code checks the project holds itself to: ruff (lint and format) and mypy."""

from __future__ import annotations

import subprocess
import sys
from importlib.util import find_spec

import pytest

from conftest import REPO

PATHS = ["src", "tests", "benchmarks", "build.py"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)


@pytest.mark.skipif(find_spec("ruff") is None, reason="ruff is not installed (test extra)")
def test_ruff_lint() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(find_spec("ruff") is None, reason="ruff is not installed (test extra)")
def test_ruff_format() -> None:
    result = _run(sys.executable, "-m", "ruff", "format", "--check", *PATHS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (test extra)")
    result = _run(sys.executable, "-m", "mypy", "src/vanban")
    assert result.returncode == 0, result.stdout + result.stderr
