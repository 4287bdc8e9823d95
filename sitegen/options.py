"""What a build is asked to do: one frozen set of options (light to import: a build with nothing
to do reads them before it knows whether it must load the renderers)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class BuildOptions:
    """What a build is asked to do."""

    strict: bool = False  # warnings and placeholders stop the build too (publishing); implies check
    allow_placeholders: bool = False  # a strict build that lets placeholders through (the repository's CI)
    check: bool = False  # also the site-wide checks: translations, the built HTML, stale catalogs
    drafts: bool = False  # also the pages marked 'draft: true' (the preview)
    # The preview: a page file with mistakes is left out (its errors returned in BuildResult.held_back)
    # and every other page is built. The published build refuses every error.
    hold_back_pages: bool = False
    base_url: str | None = None  # instead of site.yaml's (a preview of a pull request)
    jobs: int = 1  # processes that may read, lint and render pages


def default_jobs() -> int:
    """Return how many processes may work: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
