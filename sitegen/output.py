"""Write the built site to site/: the only module that writes there.

The new site is written to a temporary folder beside site/ (".site.new-<pid>-...")
and then exchanged with site/ in one step, so a failed, interrupted or
concurrent build leaves a whole site/. Nothing else outside site/ is written
or deleted, and a folder the build did not make is never replaced.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import digest
from .errors import BuildError, Problem, raise_if_errors
from .project import Project

MARKER = ".sitegen"  # written into every site this build makes, so it knows the folder is its own
_MARKER_TEXT = b"Made by python build.py: this whole folder is replaced by every build.\n"
_LEFTOVER = re.compile(r"\.(?:new|old)-(\d+)-")
_RENAME_EXCHANGE = 2


def check_output_dir(project: Project) -> None:
    """Refuse an output folder that holds anything the build did not make."""
    site = project.site_dir
    protected = [project.content_dir, project.templates_dir, project.locales_dir]
    shown = project.show(site)
    if (
        site == project.root
        or project.root.is_relative_to(site)
        or any(site.is_relative_to(folder) for folder in protected)
    ):
        _refuse(shown, "the build replaces this whole folder, which holds the project's own files")
    if site.is_symlink():
        _refuse(shown, "it is a symbolic link; the build replaces the folder itself",
                "give the real folder with --output")  # fmt: skip
    ours = (site / MARKER).is_file() or site == project.root / "site"  # site/ is documented as ours
    if site.exists() and (not site.is_dir() or (any(site.iterdir()) and not ours)):
        _refuse(shown, "it is not empty and was not made by this build, so replacing it could lose files",
                "write to a new or empty folder")  # fmt: skip


def _refuse(shown: str, why: str, hint: str = "write to a folder of its own, such as site/") -> None:
    raise_if_errors([Problem(shown, None, f"refusing to write the site here: {why}", hint)])


@dataclass(frozen=True)
class Changes:
    """What a build changed in site/, for a deploy step that uploads only that."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]

    def as_json(self) -> str:
        data = {"added": list(self.added), "changed": list(self.changed), "removed": list(self.removed)}
        return json.dumps(data, indent=2) + "\n"


Manifest = dict[str, tuple[int, int, int, str]]  # path -> size, mtime_ns, inode, digest of the bytes


class Digests(dict[str, str]):
    """The digests of the outputs' bytes, each computed once when first asked for."""

    def __init__(self, outputs: dict[str, bytes]) -> None:
        super().__init__()
        self.outputs = outputs

    def __missing__(self, path: str) -> str:
        value = self[path] = digest(self.outputs[path])
        return value


def write_site(
    project: Project, outputs: dict[str, bytes], known: Manifest | None = None, digests: Digests | None = None
) -> Changes:
    """Replace site/ with exactly *outputs*; return what changed; report a failure as a problem.

    *known* describes the files the previous build wrote; a file whose size, time
    and inode are still as written is compared by digest instead of being read.
    """
    check_output_dir(project)
    site = project.site_dir
    outputs = {**outputs, MARKER: _MARKER_TEXT}
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(site.parent, os.O_RDONLY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time writes here (serve and a build)
            remove_leftovers(site)
            changes = _compare(site, outputs, known or {}, digests or Digests(outputs))
            if not site.is_dir():
                _write_and_swap(site, outputs, set())
            elif _small(site, changes):
                _patch(site, outputs, changes)
            elif changes.added or changes.changed or changes.removed:
                same = set(outputs) - set(changes.added) - set(changes.changed)
                _write_and_swap(site, outputs, same)
            # else site/ already holds exactly this site: nothing is written, no file time changes
            return Changes(
                *(tuple(p for p in paths if p != MARKER) for paths in dataclasses.astuple(changes))
            )
        finally:
            os.close(lock)
    except OSError as exc:
        where = project.show(Path(exc.filename)) if exc.filename else project.show(site)
        raise BuildError(
            [Problem(where, None, f"the site could not be written: {exc.strerror or exc}",
                     f"check that {project.show(site.parent)}/ is writable and the disk is not full;"
                     f" {project.show(site)}/ was left as it was")]
        ) from None  # fmt: skip


def _write_and_swap(site: Path, outputs: dict[str, bytes], same: set[str]) -> None:
    """Write *outputs* beside site/, then swap; files in *same* are linked from the old site/.

    A linked file keeps its time and identity, so deploy tools and browsers see
    as changed exactly the files whose bytes changed.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-{os.getpid()}-", dir=site.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the site is for everyone to read
        todo: list[tuple[Path, Path | None, bytes]] = []
        for relative, data in sorted(outputs.items()):
            if _escapes(relative):
                raise ValueError(f"output path {relative!r} escapes the output folder")
            todo.append((staging / relative, site / relative if relative in same else None, data))
        _write_files(todo)
        _set_times(staging)
        if not site.exists():
            os.replace(staging, site)
        elif _exchange(staging, site):
            shutil.rmtree(staging, ignore_errors=True)  # it holds the previous site now
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-{os.getpid()}-", dir=site.parent))
            os.replace(site, old / site.name)
            os.replace(staging, site)
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_NEW_FILE = re.compile(r"\..+\.new-(\d+)")  # a file written beside its place by _patch
SMALL_CHANGE = 64  # files added, changed or removed; fewer are replaced in site/ one by one


def _escapes(relative: str) -> bool:
    """Whether the output path *relative* would lead outside the output folder."""
    return ".." in PurePosixPath(relative).parts or relative.startswith("/")


def _small(site: Path, changes: Changes) -> bool:
    """Whether *changes* can be made in site/ file by file (few, and no file becomes a folder)."""
    count = len(changes.added) + len(changes.changed) + len(changes.removed)
    if not 0 < count <= SMALL_CHANGE or os.environ.get("SOURCE_DATE_EPOCH"):
        return False  # a reproducible build sets every file's time: write the whole site
    for relative in changes.added:
        if _escapes(relative):
            return False
        path = site / relative
        if os.path.lexists(path):
            return False  # a folder where the file goes
        for parent in path.parents:
            if parent == site:
                break
            if os.path.lexists(parent) and (parent.is_symlink() or not parent.is_dir()):
                return False
    return True


def _patch(site: Path, outputs: dict[str, bytes], changes: Changes) -> None:
    """Replace the few changed files of site/ in place, each one in a single step.

    Every new file is written beside its place first; only when all are written
    are they renamed into place and the removed files deleted. A failure while
    writing removes what was written and leaves site/ as it was.
    """
    made_folders: list[Path] = []
    written: list[tuple[Path, Path]] = []
    try:
        for relative in (*changes.added, *changes.changed):
            target = site / relative
            missing = [parent for parent in target.parents if not parent.exists()]
            for folder in reversed(missing):
                folder.mkdir(mode=0o755)
                made_folders.append(folder)
            temporary = target.with_name(f".{target.name}.new-{os.getpid()}")
            written.append((temporary, target))
            temporary.write_bytes(outputs[relative])
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        for folder in reversed(made_folders):
            shutil.rmtree(folder, ignore_errors=True)
        raise
    for temporary, target in written:
        os.replace(temporary, target)
    for relative in changes.removed:
        path = site / relative
        path.unlink(missing_ok=True)
        for parent in path.parents:  # and the folders left empty (a deleted page's own folder)
            if parent == site:
                break
            try:
                parent.rmdir()
            except OSError:
                break


WRITERS = 4  # threads writing files: a file system creates files faster when asked in parallel


def _write_files(files: list[tuple[Path, Path | None, bytes]]) -> None:
    """Make each file: a hard link to the old file given, or else its bytes written.

    Many files are made on a few threads; the first failure is raised.
    """

    def make(item: tuple[Path, Path | None, bytes]) -> None:
        target, old, data = item
        target.parent.mkdir(parents=True, exist_ok=True)  # safe when two threads make one folder
        if old is not None:
            try:
                os.link(old, target, follow_symlinks=False)
                return
            except OSError:
                pass  # a file system without hard links: write it
        target.write_bytes(data)

    if len(files) < 64:
        for item in files:
            make(item)
        return
    with ThreadPoolExecutor(WRITERS) as pool:
        for _ in pool.map(make, files):
            pass


def _compare(site: Path, outputs: dict[str, bytes], known: Manifest, digests: Digests) -> Changes:
    previous: dict[str, os.stat_result] = {}
    if site.is_dir():
        for folder, _, files in os.walk(site):
            base = Path(folder).relative_to(site).as_posix()
            for name in files:
                if (leftover := _NEW_FILE.fullmatch(name)) and not _running(int(leftover[1])):
                    os.unlink(os.path.join(folder, name))  # from a build killed while replacing files
                    continue
                path = name if base == "." else f"{base}/{name}"
                previous[path] = os.stat(os.path.join(folder, name), follow_symlinks=False)
    added = sorted(set(outputs) - set(previous))
    removed = sorted(set(previous) - set(outputs))
    changed = []
    for path in sorted(set(outputs) & set(previous)):
        stat, before = previous[path], known.get(path)
        if before is not None and before[:3] == (stat.st_size, stat.st_mtime_ns, stat.st_ino):
            same = before[3] == digests[path]
        else:
            same = (site / path).read_bytes() == outputs[path]
        if not same:
            changed.append(path)
    return Changes(tuple(added), tuple(changed), tuple(removed))


def manifest(site: Path, outputs: dict[str, bytes], digests: Digests | None = None) -> Manifest:
    """Describe the files of site/ as just written, for the next build's comparison."""
    digests = digests or Digests(outputs)
    described = {}
    for path in outputs:
        try:
            stat = os.stat(site / path, follow_symlinks=False)
        except OSError:
            continue
        described[path] = (stat.st_size, stat.st_mtime_ns, stat.st_ino, digests[path])
    return described


def _set_times(folder: Path) -> None:
    """With SOURCE_DATE_EPOCH set, give every file that time, so archives of site/ are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch or not epoch.isdigit():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        os.utime(path, (int(epoch), int(epoch)), follow_symlinks=False)
    os.utime(folder, (int(epoch), int(epoch)))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); return False where that is not available."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd = -100
    result = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_leftovers(site: Path) -> None:
    """Delete the temporary folders of builds that were killed before they finished."""
    for leftover in site.parent.glob(f".{site.name}.*-*"):
        match = _LEFTOVER.match(leftover.name[len(site.name) + 1 :])
        if match and leftover.is_dir() and not _running(int(match.group(1))):
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
