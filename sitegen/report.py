"""What a build says in the terminal: its one-line summary, its warnings, why it stopped."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import BuildError, Problem, count, format_problems
from .output import Changes, SiteMovedAside
from .project import Project

if TYPE_CHECKING:
    from .pipeline import BuildResult


@dataclass(frozen=True)
class Figures:
    """What the one-line report of a build says."""

    pages: dict[str, int]  # language code -> pages
    files: int
    size: int  # bytes


def figures(result: BuildResult) -> Figures:
    pages = {lang.code: 0 for lang in result.site.config.languages}
    for page in result.site.pages:
        pages[page.lang] += 1
    return Figures(pages, len(result.outputs), sum(len(data) for data in result.outputs.values()))


def report_failure(error: BuildError, project: Project) -> None:
    print(format_problems(error.problems), file=sys.stderr)
    errors = error.errors
    shown = project.show(project.site_dir)
    outcome = f"Nothing was written: {shown}/ is as it was."
    if isinstance(error, SiteMovedAside):
        outcome = f"{shown}/ is missing until the next build puts the previous site back."
    print(
        f"\nThe build stopped: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix"
        f" (above, as file:line). {outcome}",
        file=sys.stderr,
    )


def internal_error(exc: BaseException) -> str:
    """Describe a failure that is the generator's fault, not the editor's."""
    return (
        f"Internal error of the site generator: {type(exc).__name__}: {exc}\n"
        "This is not a mistake in your files. Please report it with the steps that led to it;"
        " set SITEGEN_DEBUG=1 to see the details."
    )


def report_problems(problems: tuple[Problem, ...]) -> None:
    """Print the warnings and notes of a build that succeeded."""
    if problems:
        print(format_problems(problems) + f"\n({count(problems)})\n", file=sys.stderr)


def summary(done: Figures, changes: Changes, project: Project, seconds: float) -> str:
    """Return the one-line report of a build: pages per language, files, size, changes, time."""
    per_lang = ", ".join(f"{count} {lang}" for lang, count in done.pages.items())
    changed = len(changes.added) + len(changes.changed) + len(changes.removed)
    return (
        f"Built {sum(done.pages.values())} pages ({per_lang}): {done.files} files, {done.size / 1024:.0f} KB,"
        f" {changed} changed, into {project.show(project.site_dir)}/ in {seconds:.2f} s."
    )
