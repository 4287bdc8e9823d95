"""Problems found in the project's files, reported as ``path:line: message``."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace

ERROR, WARNING, NOTE = "error", "warning", "note"


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, with a hint on how to fix it.

    Errors stop every build; warnings stop a ``--strict`` build (CI) and
    ``check``; notes are reminders that never stop anything, except a placeholder's,
    which the publishing build (``--strict``) refuses unless placeholders are allowed.
    """

    path: str
    line: int | None
    message: str
    hint: str | None = None
    severity: str = ERROR
    pages: tuple[str, ...] = ()  # the pages being rendered when it was found (a template's mistake)
    placeholder: bool = False  # a value still to be replaced with the clinic's data (see placeholders)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def strict(self, allow_placeholders: bool = False) -> Problem:
        """Return this problem as strict mode sees it: warnings become errors, and placeholders
        too unless *allow_placeholders*."""
        if self.severity == WARNING or (self.placeholder and not allow_placeholders):
            return replace(self, severity=ERROR)
        return self

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "" if self.is_error else f"{self.severity}: "
        text = f"{where}: {kind}{self.message}{self.while_rendering}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    @property
    def while_rendering(self) -> str:
        """ " (while rendering content/a.md and 2 other pages)", or "" for a mistake of no page."""
        if not self.pages:
            return ""
        others = len(self.pages) - 1
        more = f" and {others} other page{'s' if others > 1 else ''}" if others else ""
        return f" (while rendering {self.pages[0]}{more})"


def merge_pages(problems: Iterable[Problem]) -> list[Problem]:
    """Report a template's mistake once, naming the pages it was found on, not once per page."""
    merged: dict[Problem, list[str]] = {}
    for problem in problems:
        pages = merged.setdefault(replace(problem, pages=()), [])
        pages += [page for page in problem.pages if page not in pages]
    return [replace(problem, pages=tuple(pages)) for problem, pages in merged.items()]


class BuildError(Exception):
    """Raised when a stage found errors; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(format_problems(self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def format_problems(problems: Iterable[Problem]) -> str:
    """Return *problems* as text, grouped by file (a blank line between files), by line."""
    ordered = sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
    groups = itertools.groupby(ordered, key=lambda p: p.path)
    return "\n\n".join("\n".join(str(p) for p in group) for _, group in groups)


def raise_if_errors(
    problems: Iterable[Problem], strict: bool = False, allow_placeholders: bool = False
) -> None:
    """Raise BuildError if any of *problems* is an error (with *strict*, a warning or a
    placeholder too)."""
    problems = tuple(dict.fromkeys(p.strict(allow_placeholders) if strict else p for p in problems))
    if any(p.is_error for p in problems):
        raise BuildError(problems)


def count(problems: Iterable[Problem]) -> str:
    """Return "2 errors, 1 warning" for *problems*."""
    problems = list(problems)
    parts = []
    for severity in (ERROR, WARNING, NOTE):
        n = sum(1 for p in problems if p.severity == severity)
        if n:
            parts.append(f"{n} {severity}{'s' if n != 1 else ''}")
    return ", ".join(parts) or "no problems"
