"""One build run: build, write site/, and report the outcome in the terminal."""

from __future__ import annotations

import sys

from .builder import BuildResult, build
from .errors import BuildError, format_problems
from .output import write_site
from .project import Project


def build_and_write(project: Project) -> BuildResult:
    """Build the site and replace site/ with it; raise BuildError on any mistake."""
    result = build(project)
    write_site(project, result.outputs)
    return result


def report_failure(error: BuildError, project: Project) -> None:
    errors = [p for p in error.problems if not p.warning]
    print(format_problems(error.problems), file=sys.stderr)
    print(
        f"\nThe build stopped: {len(errors)} problem{'s' if len(errors) != 1 else ''} to fix"
        f" (above, as file:line). {project.show(project.site_dir)}/ was left as it was.",
        file=sys.stderr,
    )


def summary(result: BuildResult, project: Project, seconds: float) -> str:
    counts = {lang.code: 0 for lang in result.site.config.languages}
    for page in result.site.pages:
        counts[page.lang] += 1
    per_lang = ", ".join(f"{count} {lang}" for lang, count in counts.items())
    return (
        f"Built {sum(counts.values())} pages ({per_lang}) and {len(result.outputs)} files"
        f" into {project.show(project.site_dir)}/ in {seconds:.2f} s."
    )
