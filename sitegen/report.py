"""What a build says in the terminal: its one-line summary, its warnings, why it stopped."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
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
    print(format_report(error.problems), file=sys.stderr)
    write_ci_summary(error)
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
    """Print the warnings and notes of a build that succeeded, the placeholders as one list."""
    if problems:
        print(format_report(problems) + f"\n({count(problems)})\n", file=sys.stderr)


def format_report(problems: list[Problem] | tuple[Problem, ...]) -> str:
    """Return *problems* as the terminal shows them: grouped by file, the placeholders as one list."""
    others = [p for p in problems if not p.placeholder]
    placeholders = [p for p in problems if p.placeholder]
    parts = [format_problems(others)] if others else []
    return "\n\n".join(parts + ([format_placeholders(placeholders)] if placeholders else []))


def format_placeholders(placeholders: list[Problem]) -> str:
    """Return the placeholders as one list: what the publishing build would refuse, one line each."""
    refused = any(p.is_error for p in placeholders)
    n = len(placeholders)
    head = f"{n} placeholder{'s' if n != 1 else ''} still to be replaced with the clinic's real data"
    head += (": the publishing build refuses them" if refused
             else " (a note now; the publishing build, build --strict, refuses them):")  # fmt: skip
    if refused:
        head += " (build --strict --allow-placeholders lets them through, for a build that is not published):"
    ordered = sorted(placeholders, key=lambda p: (p.path, p.line or 0))
    lines = [f"  {p.path}:{p.line}: {p.message.removeprefix('placeholder: ')}" for p in ordered]
    return "\n".join([head, *lines])


def write_ci_summary(error: BuildError) -> None:
    """On GitHub Actions, say in the run's summary why the site was not published."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    placeholders = [p for p in error.errors if p.placeholder]
    others = [p for p in error.errors if not p.placeholder]
    lines = ["## The site was not published", ""]
    if placeholders:
        n = len(placeholders)
        lines += [f"{n} placeholder{'s' if n != 1 else ''} remain: the clinic's real data must replace each"
                  " one before the site goes live.", ""]  # fmt: skip
        lines += [f"- `{p.path}:{p.line}`: {_markdown(p.message.removeprefix('placeholder: '))}"
                  for p in sorted(placeholders, key=lambda p: (p.path, p.line or 0))]  # fmt: skip
        lines.append("")
    if others:
        lines += [f"{len(others)} other problem{'s' if len(others) != 1 else ''} stopped the build:", ""]
        lines += [f"- `{p.path}{f':{p.line}' if p.line else ''}`: {_markdown(p.message)}" for p in others]
        lines.append("")
    try:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write("\n".join(lines) + "\n")
    except OSError as exc:  # the build's own outcome is what matters: say this one and go on
        print(f"The run's summary could not be written to {target}: {exc.strerror or exc}.", file=sys.stderr)


def _markdown(text: str) -> str:
    """*text* as plain text in GitHub's Markdown: no markup, links or mentions of its own."""
    return "".join(f"\\{c}" if c in "\\`*_[]<>#|@!~" else c for c in text.replace("\n", " "))


def summary(done: Figures, changes: Changes, project: Project, seconds: float) -> str:
    """Return the one-line report of a build: pages per language, files, size, changes, time."""
    per_lang = ", ".join(f"{count} {lang}" for lang, count in done.pages.items())
    changed = len(changes.added) + len(changes.changed) + len(changes.removed)
    return (
        f"Built {sum(done.pages.values())} pages ({per_lang}): {done.files} files, {done.size / 1024:.0f} KB,"
        f" {changed} changed, into {project.show(project.site_dir)}/ in {seconds:.2f} s."
    )
