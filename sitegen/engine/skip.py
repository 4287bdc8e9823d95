"""Skip a build when nothing it reads changed and site/ is exactly as the last build left it.

Like make, this compares file metadata instead of reading files. What is compared
is what the last build actually read: every file, folder listing and missing file
that the project's one reader (sitegen/files.py) recorded, with its stamp (size,
modification and change times, inode); plus the generator's code, the folders its
libraries are installed in and the build's options. No list of inputs is kept by
hand, so an input that a new part of the build reads is covered by construction.
The change time (ctime) cannot be set back by editors or tools, so any save
changes the fingerprint.

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

from ..digest import digest
from ..errors import Problem
from ..files import Stamp, folder_stamp, stamp
from ..project import Project
from ..report import Figures
from .store import CACHE_DIR

RECORD_FILE = "last-build.pickle"
RACY_NS = 3_000_000_000  # inputs changed less than this before a build: do not record it
_VERSION = 2

Stat = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True)
class LastBuild:
    fingerprint: str
    inputs: tuple[str, ...]  # what the build read: files, and folders (ending in a separator)
    figures: Figures
    problems: tuple[Problem, ...]  # warnings and notes it reported
    site: dict[str, Stat]  # every file of site/ as it left it


def current_stamps(project: Project, inputs: tuple[str, ...]) -> dict[str, Stamp]:
    """Return the stamp each input has now (a folder's key ends in a separator)."""
    output = project.site_dir
    return {key: folder_stamp(key[:-1], output) if key.endswith(os.sep) else stamp(key) for key in inputs}


def fingerprint(project: Project, options: tuple[object, ...], stamps: dict[str, Stamp]) -> str:
    """Return a digest of the stamps of what a build read, of the generator and of its options."""
    parts: list[str] = [repr(options), sys.version, sys.executable, os.environ.get("SOURCE_DATE_EPOCH", "")]
    parts += [f"{key}\0{stamps[key]!r}" for key in sorted(stamps)]
    for path, stat in _walk(Path(__file__).parent.parent):  # the generator's own code
        parts.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
    for entry in sys.path:  # an installed or upgraded library changes its folder's listing
        try:
            if os.path.samefile(entry or ".", project.root):
                continue  # the project folder itself: site/ is swapped in it by every write
            stat = os.stat(entry or ".")
        except OSError:
            continue
        parts.append(f"{entry}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}")
    return digest(*parts)


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
    if fingerprint(project, options, current_stamps(project, last.inputs)) != last.fingerprint:
        return None
    if site_files(project.site_dir) != last.site:
        return None  # site/ was changed or deleted by hand: build it again
    return last


def record(
    project: Project,
    options: tuple[object, ...],
    started_ns: int,
    read: dict[str, Stamp],
    figures: Figures,
    problems: tuple[Problem, ...],
) -> None:
    """Remember a successful build that started at *started_ns* and read *read* (with their stamps)."""
    path = _record_path(project)
    newest = max((max(int(s[2]), int(s[3])) for s in read.values() if s[0] == "file"), default=0)  # type: ignore[call-overload]
    try:
        if newest >= started_ns - RACY_NS or current_stamps(project, tuple(read)) != read:
            path.unlink(missing_ok=True)  # inputs changed just before or during the build
            return
        inputs = tuple(sorted(read))
        last = LastBuild(
            fingerprint(project, options, read), inputs, figures, problems, site_files(project.site_dir)
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".last-", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((_VERSION, str(project.site_dir), last), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # the record only saves time
