"""Skip a build when nothing it reads changed and site/ is exactly as the last build left it.

Like make, this compares file metadata instead of reading files: the name, size,
modification and change times and inode of every file under content/, templates/
and locales/, of the generator's code and of the folders its libraries are
installed in, together with the build's options. The change time (ctime) cannot
be set back by editors or tools, so any save changes the fingerprint.

A build is only recorded when no input changed in the last seconds before it
started, so that a save made within the file system's clock tick of a build
can never look unchanged (the "racy" case git guards against the same way).
Loading this record needs none of the libraries that render pages, which is
what makes a build with nothing to do take a fraction of a second.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .cache import CACHE_DIR, digest
from .errors import Problem
from .project import Project

RECORD_FILE = "last-build.pickle"
RACY_NS = 3_000_000_000  # inputs changed less than this before a build: do not record it
_VERSION = 1

Stat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class Figures:
    """What the one-line report of a build says."""

    pages: dict[str, int]  # language code -> pages
    files: int
    size: int  # bytes


@dataclass(frozen=True)
class LastBuild:
    fingerprint: str
    figures: Figures
    problems: tuple[Problem, ...]  # warnings and notes it reported
    site: dict[str, Stat]  # every file of site/ as it left it


def fingerprint(project: Project, options: tuple[object, ...]) -> tuple[str, int]:
    """Return a digest of the metadata of everything a build reads, and the newest change time."""
    parts: list[str] = [repr(options), sys.version, sys.executable, os.environ.get("SOURCE_DATE_EPOCH", "")]
    newest = 0
    folders = [project.content_dir, project.templates_dir, project.locales_dir, Path(__file__).parent]
    for folder in folders:
        for path, stat in _walk(folder):
            parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
            newest = max(newest, stat.st_mtime_ns, stat.st_ctime_ns)
    for entry in sys.path:  # an installed or upgraded library changes its folder's listing
        try:
            if os.path.samefile(entry or ".", project.root):
                continue  # the project folder itself: site/ is swapped in it by every write
            stat = os.stat(entry or ".")
        except OSError:
            continue
        parts.append(f"{entry}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
    return digest(*parts), newest


def _walk(folder: Path) -> list[tuple[str, os.stat_result]]:
    found: list[tuple[str, os.stat_result]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        try:
            stat = entry.stat()
        except OSError:  # a broken link: the build reports it; its own metadata is what counts
            stat = entry.stat(follow_symlinks=False)
        found.append((entry.path, stat))
        if entry.is_dir(follow_symlinks=False):
            found += _walk(Path(entry.path))
    return found


def site_files(site: Path) -> dict[str, Stat]:
    """Every file under *site* with its size, modification time and inode."""
    files: dict[str, Stat] = {}
    for path, stat in _walk(site):
        if not os.path.isdir(path):
            relative = os.path.relpath(path, site).replace(os.sep, "/")
            files[relative] = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return files


def _record_path(project: Project) -> Path:
    return project.root / CACHE_DIR / RECORD_FILE


def unchanged(project: Project, options: tuple[object, ...]) -> LastBuild | None:
    """Return the last build's record if building again would change nothing, else None."""
    try:
        with _record_path(project).open("rb") as stream:
            stored = pickle.load(stream)
    except Exception:  # none yet, half-written or from another version: build
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _VERSION):
        return None
    site_dir, last = stored[1], stored[2]
    if not isinstance(last, LastBuild) or site_dir != str(project.site_dir):
        return None
    if fingerprint(project, options)[0] != last.fingerprint:
        return None
    if site_files(project.site_dir) != last.site:
        return None  # site/ was changed or deleted by hand: build it again
    return last


def record(
    project: Project,
    options: tuple[object, ...],
    before: tuple[str, int],
    started_ns: int,
    figures: Figures,
    problems: tuple[Problem, ...],
) -> None:
    """Remember a successful build, made from the inputs fingerprinted *before* it started."""
    path = _record_path(project)
    try:
        if before[1] >= started_ns - RACY_NS or fingerprint(project, options)[0] != before[0]:
            path.unlink(missing_ok=True)  # inputs changed just before or during the build
            return
        last = LastBuild(before[0], figures, problems, site_files(project.site_dir))
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".last-", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((_VERSION, str(project.site_dir), last), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # the record only saves time
