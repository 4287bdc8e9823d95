"""The code stays lint-clean, formatted and type-checked (ruff and mypy, as `make lint`)."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "sitegen", "tests", "build.py"],
        ["ruff", "format", "--check", "sitegen", "tests", "build.py"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_tool_is_clean(command):
    result = subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
