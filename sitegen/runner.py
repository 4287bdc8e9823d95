"""One build run: build, write site/, and report the outcome in the terminal."""

from __future__ import annotations

import sys

from .builder import BuildResult, build
from .cache import BuildCache
from .errors import BuildError, count, format_problems
from .output import Changes, manifest, write_site
from .project import Project
from .rendering import default_jobs


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
    keep = cache is not None
    if cache is None:
        cache = BuildCache.for_project(project.root) if use_cache else BuildCache.disabled()
    jobs = default_jobs() if jobs is None else jobs
    result = build(project, strict=strict, drafts=drafts, base_url=base_url, cache=cache, jobs=jobs)
    written_key = str(project.site_dir)
    changes = write_site(project, result.outputs, cache.get("written", written_key))
    if changes.added or changes.changed or changes.removed or cache.changed:
        cache.put("written", written_key, manifest(project.site_dir, result.outputs))
    if not keep:
        cache.save()
    return result, changes


def report_failure(error: BuildError, project: Project) -> None:
    print(format_problems(error.problems), file=sys.stderr)
    errors = error.errors
    print(
        f"\nThe build stopped: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix"
        f" (above, as file:line). Nothing was written: {project.show(project.site_dir)}/ is as it was.",
        file=sys.stderr,
    )


def internal_error(exc: BaseException) -> str:
    """Describe a failure that is the generator's fault, not the editor's."""
    return (
        f"Internal error of the site generator: {type(exc).__name__}: {exc}\n"
        "This is not a mistake in your files. Please report it with the steps that led to it;"
        " set SITEGEN_DEBUG=1 to see the details."
    )


def report_problems(result: BuildResult) -> None:
    """Print the warnings and notes of a build that succeeded."""
    if result.problems:
        print(format_problems(result.problems) + f"\n({count(result.problems)})\n", file=sys.stderr)


def summary(result: BuildResult, changes: Changes, project: Project, seconds: float) -> str:
    """Return the one-line report of a build: pages per language, files, size, changes, time."""
    counts = {lang.code: 0 for lang in result.site.config.languages}
    for page in result.site.pages:
        counts[page.lang] += 1
    per_lang = ", ".join(f"{count} {lang}" for lang, count in counts.items())
    size = sum(len(data) for data in result.outputs.values())
    changed = len(changes.added) + len(changes.changed) + len(changes.removed)
    return (
        f"Built {sum(counts.values())} pages ({per_lang}): {len(result.outputs)} files, {size / 1024:.0f} KB,"
        f" {changed} changed, into {project.show(project.site_dir)}/ in {seconds:.2f} s."
    )
