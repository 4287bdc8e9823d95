"""Problems found in the project's files, reported as ``path:line: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, with a hint on how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.warning else ""
        text = f"{where}: {kind}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class BuildError(Exception):
    """Raised when a stage found errors; carries every problem of that stage."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem]) -> str:
    """Return *problems* as text, sorted by file and line."""
    ordered = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
    return "\n".join(str(p) for p in ordered)


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise BuildError if any of *problems* is an error (not a warning)."""
    problems = tuple(problems)
    if any(not p.warning for p in problems):
        raise BuildError(problems)
