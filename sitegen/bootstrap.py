"""Set up the project's virtual environment on first run (standard library only).

``python build.py`` works on a machine with nothing but Python: it creates
.venv, installs the dependencies named in pyproject.toml, and runs again
inside it. A changed pyproject.toml is installed again on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "sitegen-installed.json"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def requirements(extras: tuple[str, ...]) -> list[str]:
    """Return the dependencies of pyproject.toml, with those of *extras*."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = list(project["dependencies"])
    for extra in extras:
        found += project.get("optional-dependencies", {}).get(extra, [])
    return found


def ensure_environment(extras: tuple[str, ...] = (), reexec: bool = True) -> None:
    """Create or update .venv as needed; then, if *reexec*, run this program inside it."""
    if os.environ.get("SITEGEN_NO_BOOTSTRAP"):
        return
    wanted = requirements(extras)
    fingerprint = hashlib.sha256("\n".join(sorted(wanted)).encode()).hexdigest()
    installed = _read_stamp()
    if fingerprint not in installed:
        if not venv_python().exists():
            print("First run: creating the project's Python environment in .venv/ ...", flush=True)
            venv.create(VENV, with_pip=True)
        print("Installing the dependencies from pyproject.toml (once) ...", flush=True)
        subprocess.run(
            [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *wanted],
            check=True,
        )
        STAMP.write_text(json.dumps(sorted({*installed, fingerprint})), encoding="utf-8")
    if reexec and Path(sys.prefix).resolve() != VENV.resolve():
        python = str(venv_python())
        os.execv(python, [python, *sys.argv])


def _read_stamp() -> set[str]:
    try:
        return set(json.loads(STAMP.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


if __name__ == "__main__":
    # `python -m sitegen.bootstrap test` prepares .venv with the test tools.
    ensure_environment(tuple(sys.argv[1:]), reexec=False)
