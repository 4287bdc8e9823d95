"""Write the built site to site/: the only module that writes there.

site/ changes in one step, so that a failed, killed or concurrent build leaves
it exactly as the previous build or exactly as the new one left it, never a mix.
The new site is made in the folder beside it, ".site.spare", which between
builds holds the previous site: a file whose bytes did not change becomes a hard
link to site/'s own (same inode and time), a changed one is written anew, and
what does not belong is deleted, so a one-page edit costs a few file operations.
Then the two folders are exchanged in one call (Linux renameat2 with
RENAME_EXCHANGE), or, where that is missing, by three renames that the next
build completes or undoes when it finds one killed between them.
Nothing in site/ is ever written in place; nothing is written outside site/
but ".site.spare" and ".site.swap" beside it; a folder the build did not make
is never replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import errno
import fcntl
import functools
import glob
import json
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .digest import digest
from .errors import BuildError, Problem, raise_if_errors
from .project import Project

MARKER = ".sitegen"  # written into every site this build makes, so it knows the folder is its own
_MARKER_TEXT = b"Made by python build.py: this whole folder is replaced by every build.\n"
SPARE, SWAP = "spare", "swap"  # the folders beside site/: the next site, and site/ while it is moved
_LEFTOVER = re.compile(r"(?:new|old)-\d+-[a-z0-9_]{8}")  # temporary folders of earlier versions
_RENAME_EXCHANGE = 2
# A file system that refuses a hard link (or an immutable file) gets a copy with the file's times.
_NO_LINK = {errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}
WRITERS = 4  # threads writing files: a file system creates files faster when asked in parallel
_PARALLEL = 64  # fewer file operations than this are made one after another


def beside(site: Path, role: str) -> Path:
    """Return the folder beside *site* for *role*: SPARE (the next site) or SWAP."""
    return site.with_name(f".{site.name}.{role}")


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


def _check_beside(project: Project, folder: Path) -> None:
    """Refuse to use a folder beside site/ (the spare or the swap) that the build did not make."""
    if not os.path.lexists(folder):
        return
    if (
        folder.is_symlink()
        or not folder.is_dir()
        or (any(folder.iterdir()) and not _is_file(folder / MARKER))
    ):
        _refuse(
            project.show(folder),
            f"the build makes the next {project.show(project.site_dir)}/ in this folder,"
            " but it holds files the build did not make",
            "move it out of the way; the build makes it anew",
        )


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


class SiteMovedAside(BuildError):
    """site/ was moved aside to be replaced, and could not be put back: the next build does it."""


def write_site(
    project: Project, outputs: dict[str, bytes], known: Manifest | None = None, digests: Digests | None = None
) -> Changes:
    """Replace site/ with exactly *outputs* in one step; return what changed; report a failure as a problem.

    *known* describes the files the previous build wrote; a file whose size, time
    and inode are still as written is compared by digest instead of being read.
    """
    check_output_dir(project)
    site = project.site_dir
    outputs = {**outputs, MARKER: _MARKER_TEXT}
    _check_paths(outputs)
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        with _locked(site.parent):  # one build at a time writes here (the preview and a build)
            _recover(project)
            previous = _inventory(site) if site.is_dir() else None
            digests = digests if digests is not None else Digests(outputs)
            changes, same = _compare(site, previous, outputs, known or {}, digests)
            if previous is None or len(same) < len(outputs) or changes.removed:
                spare = beside(site, SPARE)
                _prepare(spare, site, outputs, same)
                _swap(project, spare)
            # else site/ already holds exactly this site: nothing is written, no file time changes
    except OSError as exc:
        where = project.show(Path(exc.filename)) if exc.filename else project.show(site)
        raise BuildError(
            [Problem(where, None, f"the site could not be written: {exc.strerror or exc}",
                     f"check that {project.show(site.parent)}/ is writable and the disk is not full;"
                     f" {project.show(site)}/ was left as it was")]
        ) from None  # fmt: skip
    return Changes(*(tuple(p for p in paths if p != MARKER) for paths in dataclasses.astuple(changes)))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on *folder* (site/'s parent) until the block ends."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):  # site/ is written or not by now: this changes neither
            os.close(handle)


def _check_paths(outputs: dict[str, bytes]) -> None:
    """Refuse output paths that would lead outside the site or put a file where a folder goes."""
    folders = {parent for path in outputs for parent in _parents(path)}
    for relative in outputs:
        if any(part in ("", ".", "..") for part in relative.split("/")):
            raise ValueError(f"output path {relative!r} is not a plain path inside the output folder")
        if relative in folders:
            raise ValueError(f"output path {relative!r} is both a file and a folder")


def _parents(relative: str) -> Iterator[str]:
    """The folders that hold *relative*, from the innermost ("a/b/c" gives "a/b", "a")."""
    while "/" in relative:
        relative = relative.rsplit("/", 1)[0]
        yield relative


def _recover(project: Project) -> None:
    """Complete or undo the swap of a build killed between its renames; delete older versions' leftovers.

    Only builds holding the lock write beside site/, so whatever is there now was
    left by a build that is no longer running.
    """
    site = project.site_dir
    spare, swap = beside(site, SPARE), beside(site, SWAP)
    if os.path.lexists(swap):
        _check_beside(project, swap)
        if not os.path.lexists(site):
            os.rename(swap, site)  # killed with site/ moved aside: the previous site goes back
        elif not os.path.lexists(spare):
            os.rename(swap, spare)  # killed with the new site in place: the old one becomes the spare
        else:
            _remove_tree(swap)
    for leftover in site.parent.glob(f".{glob.escape(site.name)}.*-*"):
        if _LEFTOVER.fullmatch(leftover.name[len(site.name) + 2 :]) and not leftover.is_symlink():
            _remove_tree(leftover)
    _check_beside(project, spare)


@dataclass
class _Tree:
    """What a folder holds, by path relative to it."""

    files: dict[str, os.stat_result] = field(default_factory=dict)  # regular files
    folders: set[str] = field(default_factory=set)
    others: list[str] = field(default_factory=list)  # links, pipes...: never part of a site


def _inventory(root: Path) -> _Tree:
    """List what *root* holds, never following a link."""
    tree = _Tree()
    todo = [("", str(root))]
    while todo:
        prefix, folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    tree.folders.add(relative)
                    todo.append((relative + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    tree.files[relative] = entry.stat(follow_symlinks=False)
                else:
                    tree.others.append(relative)
    return tree


def _compare(
    site: Path, previous: _Tree | None, outputs: dict[str, bytes], known: Manifest, digests: Digests
) -> tuple[Changes, dict[str, os.stat_result]]:
    """Return what differs between site/ (*previous*) and *outputs*, and site/'s files to keep as they are."""
    if previous is None:
        return Changes(tuple(sorted(outputs)), (), ()), {}
    times = _epoch_times()
    paths = set(previous.files) | set(previous.others)
    same: dict[str, os.stat_result] = {}
    changed = []
    for path in sorted(set(outputs) & paths):
        found = previous.files.get(path)
        if found is None:  # a link or such where a file goes
            changed.append(path)
            continue
        before = known.get(path)
        if before is not None and before[:3] == (found.st_size, found.st_mtime_ns, found.st_ino):
            equal = before[3] == digests[path]
        else:
            equal = (site / path).read_bytes() == outputs[path]
        if not equal:
            changed.append(path)
        elif times is None or found.st_mtime_ns == times[1]:
            same[path] = found
        # else the same bytes with another time than SOURCE_DATE_EPOCH's: written anew, not a change
    added = sorted(set(outputs) - paths)
    return Changes(tuple(added), tuple(changed), tuple(sorted(paths - set(outputs)))), same


def _prepare(spare: Path, site: Path, outputs: dict[str, bytes], same: dict[str, os.stat_result]) -> None:
    """Make *spare* hold exactly *outputs*: site/'s files in *same* linked, the others written anew.

    A file in the spare is never written in place, as it may be a link to one of site/.
    """
    times = _epoch_times()
    if os.path.lexists(spare):
        present = _inventory(spare)
    else:
        os.mkdir(spare)
        _make_file(site, spare, MARKER, outputs[MARKER], same.get(MARKER), times)  # first in (_check_beside)
        present = _Tree({MARKER: os.lstat(spare / MARKER)})
    folders = {parent for path in outputs for parent in _parents(path)}
    unwanted = present.folders - folders
    for folder in sorted(unwanted):
        if not any(parent in unwanted for parent in _parents(folder)):
            _remove_tree(spare / folder)
    for path in [*present.others, *(p for p in present.files if p not in outputs)]:
        if not any(parent in unwanted for parent in _parents(path)):
            os.unlink(spare / path)
    _renew_marker(spare, present.files.get(MARKER), outputs[MARKER], times)
    missing = folders - present.folders
    for depth in sorted({folder.count("/") for folder in missing}):  # a folder before those in it
        _each(os.mkdir, [spare / folder for folder in missing if folder.count("/") == depth])

    def make(item: tuple[str, bool, os.stat_result | None]) -> None:
        path, exists, source = item
        if exists:
            os.unlink(spare / path)
        _make_file(site, spare, path, outputs[path], source, times)

    _each(make, _files_to_make(spare, present, outputs, same))
    if times is not None:  # reproducible archives of site/: every folder gets that time too
        for folder in sorted(folders, reverse=True):
            os.utime(spare / folder, ns=times)
        os.utime(spare, ns=times)


def _make_file(
    site: Path,
    spare: Path,
    path: str,
    data: bytes,
    source: os.stat_result | None,
    times: tuple[int, int] | None,
) -> None:
    """Make the file *path* of the spare: a link to site/'s (*source*), or else *data* written."""
    if source is not None:
        try:
            os.link(site / path, spare / path, follow_symlinks=False)
            return
        except OSError as exc:
            if exc.errno not in _NO_LINK:
                raise
        times = (source.st_atime_ns, source.st_mtime_ns)
    _write_file(spare / path, data, times)


def _renew_marker(
    spare: Path, found: os.stat_result | None, text: bytes, times: tuple[int, int] | None
) -> None:
    """Give *spare* the marker as this build writes it, replacing the old one in one step."""
    marker = spare / MARKER
    if found is not None and marker.read_bytes() == text and (times is None or found.st_mtime_ns == times[1]):
        return
    fresh = spare / f"{MARKER}.new"
    _write_file(fresh, text, times)
    os.rename(fresh, marker)


def _files_to_make(
    spare: Path, present: _Tree, outputs: dict[str, bytes], same: dict[str, os.stat_result]
) -> list[tuple[str, bool, os.stat_result | None]]:
    """The files the spare lacks: (path, whether a file is in its place, site/'s file to link or None)."""
    todo = []
    for path, data in outputs.items():
        current, source = present.files.get(path), same.get(path)
        if path == MARKER:
            continue
        if source is not None and current is not None:
            if (current.st_ino, current.st_dev) == (source.st_ino, source.st_dev):
                continue  # site/'s file already
            if (current.st_size, current.st_mtime_ns) == (source.st_size, source.st_mtime_ns):
                if (spare / path).read_bytes() == data:
                    continue  # a copy of it with its time, where a link was refused
        todo.append((path, current is not None, source))
    return todo


def _write_file(path: Path, data: bytes, times: tuple[int, int] | None) -> None:
    """Create the file *path* (it must not exist) holding *data*, with *times* (ns) if given."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)
    if times is not None:
        os.utime(path, ns=times, follow_symlinks=False)


_Item = TypeVar("_Item")


def _each(function: Callable[[_Item], object], items: Sequence[_Item]) -> None:
    """Call *function* on every item, on a few threads when there are many; raise the first failure."""
    if len(items) < _PARALLEL:
        for item in items:
            function(item)
        return
    with ThreadPoolExecutor(WRITERS) as pool:
        futures = [pool.submit(function, item) for item in items]
        try:
            for future in futures:
                future.result()
        finally:
            for future in futures:
                future.cancel()


def _swap(project: Project, spare: Path) -> None:
    """Put the site made in *spare* in the place of site/; the old site becomes the spare.

    One exchange where the system has it; else three renames, of which the next
    build completes or undoes any that a killed build left half done.
    """
    site = project.site_dir
    if not os.path.lexists(site):
        os.rename(spare, site)
        return
    if _exchange(spare, site):
        return
    swap = beside(site, SWAP)
    os.rename(site, swap)  # site/ is missing until the next rename; if killed, the next build undoes it
    try:
        os.rename(spare, site)
    except OSError as exc:
        try:
            os.rename(swap, site)
        except OSError:
            raise SiteMovedAside(
                [Problem(project.show(site), None, f"the site could not be written: {exc.strerror or exc}",
                         f"{project.show(site)}/ is missing: the previous site is in {project.show(swap)}/,"
                         " and the next build puts it back")]
            ) from None  # fmt: skip
        raise
    with contextlib.suppress(OSError):  # site/ is new already; if this fails the next build does it
        os.rename(swap, spare)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); return False where that is not available."""
    renameat2 = _renameat2()
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


@functools.cache
def _renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _remove_tree(path: Path) -> None:
    """Delete *path* and everything in it, never following a link."""
    if path.is_symlink() or not path.is_dir():
        os.unlink(path)
        return
    with os.scandir(path) as found:
        entries = list(found)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _remove_tree(Path(entry.path))
        else:
            os.unlink(entry.path)
    os.rmdir(path)


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _epoch_times() -> tuple[int, int] | None:
    """SOURCE_DATE_EPOCH as times in ns: with it set, every file gets that time (reproducible archives)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return (int(epoch) * 1_000_000_000,) * 2 if epoch and epoch.isdigit() else None


def manifest(site: Path, outputs: dict[str, bytes], digests: Digests | None = None) -> Manifest:
    """Describe the files of site/ as just written, for the next build's comparison."""
    digests = digests if digests is not None else Digests(outputs)
    described = {}
    for path in outputs:
        try:
            found = os.stat(site / path, follow_symlinks=False)
        except OSError:
            continue
        described[path] = (found.st_size, found.st_mtime_ns, found.st_ino, digests[path])
    return described
