"""Set up the project's virtual environment on first run (standard library only).

``python build.py`` works on a machine with nothing but Python: it creates
.venv, installs the exact versions locked in requirements/ (hashes checked),
and runs again inside it. A changed lock file is installed again on the next
run. pyproject.toml keeps the version ranges; ``make lock`` writes the locks
from them (see the README, "Dependencies").
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / "sitegen-installed.json"
LOCKS = ROOT / "requirements"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def lock_file(extras: tuple[str, ...]) -> Path:
    """Return the lock file for the runtime dependencies plus those of *extras*."""
    return LOCKS / ("-".join(sorted(extras)) + ".txt" if extras else "run.txt")


def ensure_environment(extras: tuple[str, ...] = (), reexec: bool = True) -> None:
    """Create or update .venv as needed; then, if *reexec*, run this program inside it."""
    if os.environ.get("SITEGEN_NO_BOOTSTRAP"):
        return
    lock = lock_file(extras)
    fingerprint = hashlib.sha256(lock.read_bytes()).hexdigest()
    installed = _read_stamp()
    if fingerprint not in installed:
        if not venv_python().exists():
            print("First run: creating the project's Python environment in .venv/ ...", flush=True)
            venv.create(VENV, with_pip=True)
        print(
            f"Installing the locked dependencies of {lock.relative_to(ROOT).as_posix()} (once) ...",
            flush=True,
        )
        # --require-hashes: exactly the files that were tested, whatever the index serves today.
        subprocess.run(
            [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "--require-hashes", "-r", str(lock)],
            check=True,
        )  # fmt: skip
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
