"""One build run: build, write site/, and report the outcome in the terminal."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from . import quick
from .cache import BuildCache
from .errors import BuildError, Problem, count, format_problems
from .output import Changes, Digests, SiteMovedAside, manifest, write_site
from .project import Project
from .quick import Figures

if TYPE_CHECKING:
    from .builder import BuildResult


def build_and_write(
    project: Project,
    *,
    strict: bool = False,
    drafts: bool = False,
    base_url: str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    cache: BuildCache | None = None,
) -> tuple[BuildResult, Changes]:
    """Build the site and replace site/ with it; raise BuildError on any mistake.

    The build cache (.cache/) is read and, once site/ is written, updated. A
    *cache* given by the caller is used as it is and saved by the caller.
    """
    from .builder import build  # here: a build with nothing to do never loads the renderers
    from .rendering import default_jobs

    keep = cache is not None
    if cache is None:
        cache = BuildCache.for_project(project.root) if use_cache else BuildCache.disabled()
    jobs = default_jobs() if jobs is None else jobs
    result = build(project, strict=strict, drafts=drafts, base_url=base_url, cache=cache, jobs=jobs)
    written_key = str(project.site_dir)
    digests = Digests(result.outputs)
    changes = write_site(project, result.outputs, cache.get("written", written_key), digests)
    if changes.added or changes.changed or changes.removed or cache.changed:
        cache.put("written", written_key, manifest(project.site_dir, result.outputs, digests))
    if not keep:
        cache.save()
    return result, changes


def build_unless_unchanged(
    project: Project,
    *,
    strict: bool = False,
    drafts: bool = False,
    base_url: str | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> tuple[Figures, tuple[Problem, ...], Changes]:
    """Build and write the site, or, when nothing changed since the last build, only say so.

    Returns what the build reports: its figures, warnings and notes, and the changes.
    """
    options = (strict, drafts, base_url)
    if use_cache and (last := quick.unchanged(project, options)) is not None:
        return last.figures, last.problems, Changes((), (), ())
    started_ns = time.time_ns()
    result, changes = build_and_write(
        project, strict=strict, drafts=drafts, base_url=base_url, use_cache=use_cache, jobs=jobs
    )
    done = figures(result)
    if use_cache:
        quick.record(project, options, started_ns, result.read, done, result.problems)
    return done, result.problems, changes


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
