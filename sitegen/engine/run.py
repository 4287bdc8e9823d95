"""One build from the command line: skip it when nothing changed, else build and write site/."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..errors import Problem
from ..options import BuildOptions
from ..output import Changes, Digests, manifest, write_site
from ..project import Project
from ..report import Figures, figures
from . import skip
from .store import BuildCache

if TYPE_CHECKING:
    from ..pipeline import BuildResult


def build_and_write(
    project: Project,
    options: BuildOptions | None = None,
    *,
    use_cache: bool = True,
    store: BuildCache | None = None,
) -> tuple[BuildResult, Changes]:
    """Build the site and replace site/ with it; raise BuildError on any mistake.

    The store (.cache/) is read and, once site/ is written, updated. A *store* given
    by the caller is used as it is and saved by the caller.
    """
    from ..pipeline import build  # here: a build with nothing to do never loads the renderers
    from .incremental import Incremental

    options = options or BuildOptions()
    keep = store is not None
    if store is None:
        store = BuildCache.for_project(project.root) if use_cache else BuildCache.disabled()
    result = build(project, options, Incremental(store, options.jobs))
    written_key = str(project.site_dir)
    digests = Digests(result.outputs)
    changes = write_site(project, result.outputs, store.get("written", written_key), digests)
    if changes.added or changes.changed or changes.removed or store.changed:
        store.put("written", written_key, manifest(project.site_dir, result.outputs, digests))
    if not keep:
        store.save()
    return result, changes


def build_unless_unchanged(
    project: Project, options: BuildOptions, *, use_cache: bool = True
) -> tuple[Figures, tuple[Problem, ...], Changes]:
    """Build and write the site, or, when nothing changed since the last build, only say so.

    Returns what the build reports: its figures, warnings and notes, and the changes.
    """
    # What changes the output, or whether the build may succeed.
    said = (options.strict, options.allow_placeholders, options.check, options.drafts, options.base_url)
    if use_cache and (last := skip.unchanged(project, said)) is not None:
        return last.figures, last.problems, Changes((), (), ())
    started_ns = time.time_ns()
    result, changes = build_and_write(project, options, use_cache=use_cache)
    done = figures(result)
    if use_cache:
        skip.record(project, said, started_ns, result.read, done, result.problems)
    return done, result.problems, changes
