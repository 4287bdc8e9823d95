"""Reading the project's files: one place, one set of rules.

Whatever the build reads (pages, site data, rules, catalogs, templates, static
files) can come from anyone who sends a change, so every read here:
- stays inside the project: a link that leads outside it is refused, and
  nothing of the linked file is read or printed;
- reads only ordinary files: a named pipe or a device would block or never end;
- is bounded in size;
- decodes text one way (UTF-8, a BOM dropped with a warning, CRLF and CR
  as LF, NFC, no invisible control characters), every failure an editor's
  ``Problem`` at its line.
"""

from __future__ import annotations

import functools
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WARNING, Problem
from .project import Project

MAX_TEXT_BYTES = 2 * 1024 * 1024  # a page, a catalog or a template: far above any real one
MAX_FILE_BYTES = 20 * 1024 * 1024  # a static file (an image, a font)
# Control characters; the line separators that Word and Google Docs paste (YAML counts them as
# line breaks, which shifts every line number after them); and the bidirectional overrides that
# make text show in another order than it is written (and than the checks read it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPECIAL_HINT = "remove it from the project, or put an ordinary file in its place"
_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class Unreadable(Exception):
    """A project file that cannot be used, with the editor's message."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def outside_problem(shown: str) -> Problem:
    return Problem(shown, None, "this is a link that leads outside the project: it is not read",
                   "copy the file into the project instead of linking to it")  # fmt: skip


Stamp = tuple[object, ...]  # what a file looked like when read: see stamp()


def stamp(path: Path | str) -> Stamp:
    """Return what tells whether *path* changed since: size, times and inode; or that it is missing.

    The change time (ctime) cannot be set back by editors or tools, so any save changes it.
    """
    try:
        status = os.stat(path)
    except OSError:
        return ("missing",)
    return ("file", status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def folder_stamp(path: Path | str, output: Path) -> Stamp:
    """Return the names in folder *path*: a file added or removed there changes it.

    Hidden names (.cache, .git, the build's own temporary folders) and the *output*
    folder (site/) are left out: nothing hidden, and nothing the build writes, is read.
    """
    try:
        return _listing_stamp(path, os.listdir(path), output)
    except OSError:
        return ("missing",)


def _listing_stamp(folder: Path | str, names: Iterable[str], output: Path) -> Stamp:
    left_out = output.name if Path(folder) == output.parent else None
    return ("folder", *sorted(name for name in names if not name.startswith(".") and name != left_out))


# What editors leave beside the file they save: backups (name~), Emacs' #name#, swap and temporary
# files, JetBrains' "safe write" copies. With hidden names, never part of the project: not listed
# as pages, templates or static files, and not watched by the preview.
EDITORS_FILES = re.compile(r"^#|~$|\.(swp|swx|tmp)$|___jb_(tmp|old)___$")
NOT_PROJECT_FILES = re.compile(rf"^\.|{EDITORS_FILES.pattern}")


@dataclass(frozen=True)
class Reader:
    """The one reader of a project's files (see the module's docstring).

    It remembers every file it read or looked for and every folder it listed, with
    their stamps: that is what a build read, and what decides whether the next one can
    be skipped (sitegen/engine/skip.py).
    """

    project: Project
    read: dict[str, Stamp] = field(default_factory=dict, compare=False, repr=False)

    def exists(self, path: Path) -> bool:
        """Tell whether *path* exists (as a file, a folder or a link), remembering that it was asked."""
        self.read.setdefault(str(path), stamp(path))
        return path.exists() or path.is_symlink()

    def folders(self, folder: Path) -> list[Path]:
        """Return the folders in *folder* that are not hidden, remembering the listing."""
        self.read.setdefault(str(folder) + os.sep, folder_stamp(folder, self.project.site_dir))
        output = self.project.site_dir
        return sorted(
            p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".") and p != output
        )

    def show(self, path: Path) -> str:
        """Return *path* as written in messages: relative to the project, with '/'."""
        return self.project.show(path)

    def inside(self, path: Path) -> bool:
        """Tell whether *path*, with every link in it followed, is a file or folder of the project.

        The project's hidden folders (.git with its settings, .venv, .cache) and the site it
        writes are not: a link into them is refused like one out of the project.
        """
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(self.project.root):
            return False
        parts = target.relative_to(self.project.root).parts
        if any(part.startswith(".") for part in parts):
            return False
        output, over_sources = self._output
        if over_sources:
            return True  # --output over the project's own folders: the writer refuses it, with its reason
        return not target.is_relative_to(output)

    @functools.cached_property
    def _output(self) -> tuple[Path, bool]:
        """The output folder with every link followed, and whether it holds a folder the build reads.

        Looked up once per reader (once per build), not once per file read.
        """
        output = Path(os.path.realpath(self.project.site_dir))
        sources = (self.project.content_dir, self.project.templates_dir, self.project.locales_dir)
        return output, any(Path(os.path.realpath(folder)).is_relative_to(output) for folder in sources)

    def read_bytes(self, path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
        """Return the bytes of the project file *path*; raise Unreadable with the reason it cannot be."""
        return _read_bytes(self, path, limit)

    def read_text(self, path: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str, list[Problem]]:
        """Return the decoded text of the project file *path* and its warnings (see decode_text)."""
        return decode_text(self.read_bytes(path, limit), self.show(path))

    def list_files(self, folder: Path, skip: re.Pattern[str] | None = None) -> Listing:
        """Return every file under *folder*, sorted; links out of the project and special files are problems.

        A name that *skip* matches (editor backups, hidden files) is passed over with
        what is under it. Links to folders are not followed.
        """
        return _list_files(self, folder, skip)


def _read_bytes(reader: Reader, path: Path, limit: int) -> bytes:
    if not reader.inside(path):
        raise Unreadable(outside_problem(reader.show(path)))
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused just below.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        hint = "check that it exists and that you may read it"
        what = f"the file cannot be read: {exc.strerror}"
        raise Unreadable(Problem(reader.show(path), None, what, hint)) from None
    status = os.fstat(handle)
    mode = status.st_mode
    reader.read.setdefault(str(path), ("file", status.st_size, status.st_mtime_ns, status.st_ctime_ns,
                                       status.st_ino) if stat.S_ISREG(mode) else ("special",))  # fmt: skip
    if not stat.S_ISREG(mode):
        os.close(handle)
        kind = _KINDS.get(stat.S_IFMT(mode), "a folder" if stat.S_ISDIR(mode) else "not an ordinary file")
        raise Unreadable(_special(reader.show(path), kind)) from None
    with os.fdopen(handle, "rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        size = max(os.stat(path).st_size, len(data))
        what = f"the file is too large ({size // 1024} KB, at most {limit // 1024} KB)"
        raise Unreadable(Problem(reader.show(path), None, what, "split the file or remove pasted data"))
    return data


def _special(shown: str, kind: str) -> Problem:
    return Problem(shown, None, f"this is {kind}, not a file: it is not read", _SPECIAL_HINT)


def decode_text(raw: bytes, shown: str) -> tuple[str, list[Problem]]:
    """Decode a text file the one way every text of the project is read.

    Return the text and its warnings; raise Unreadable when it is not usable text.
    """
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        problems.append(
            Problem(shown, 1, "the file starts with an invisible byte-order mark (BOM); it was ignored",
                    "save the file as 'UTF-8' without BOM in your editor", severity=WARNING)
        )  # fmt: skip
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise Unreadable(
            Problem(shown, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                    "save the file with the 'UTF-8' encoding in your editor")
        ) from None  # fmt: skip
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    control = _CONTROL.search(text)
    if control:
        raise Unreadable(
            Problem(shown, text[: control.start()].count("\n") + 1,
                    f"the text holds an invisible control character (#x{ord(control[0]):04x})",
                    "delete it: retype the line, or copy it from a plain-text editor")
        )  # fmt: skip
    return text, problems


@dataclass(frozen=True)
class Listing:
    """The files under one folder of the project, and what was found there and not used."""

    files: tuple[Path, ...]
    problems: tuple[Problem, ...]


def _list_files(reader: Reader, folder: Path, skip: re.Pattern[str] | None) -> Listing:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in _walk(folder, skip, reader.read, reader.project.site_dir):
        if _UNPRINTABLE.search(path.name):
            shown = _UNPRINTABLE.sub("?", reader.show(path))
            problems.append(Problem(shown, None, "the file name holds a line break or an invisible character",
                                    "rename the file: letters, digits, hyphens and dots"))  # fmt: skip
            continue
        link = path.is_symlink()
        if link and not reader.inside(path):
            problems.append(outside_problem(reader.show(path)))
        elif link and path.is_dir():
            shown = reader.show(path)
            problems.append(Problem(shown, None, "this is a link to a folder: folders are not followed",
                                    "move the folder here instead of linking to it"))  # fmt: skip
        elif path.is_file():
            files.append(path)
        elif not path.is_dir():
            shown = reader.show(path)
            try:
                mode = path.stat().st_mode
            except OSError:  # a link to nothing
                problems.append(Problem(shown, None, "this is a link to a file that does not exist",
                                        "remove the link, or copy the file here"))  # fmt: skip
                continue
            kind = _KINDS.get(stat.S_IFMT(mode), "not an ordinary file")
            problems.append(
                Problem(shown, None, f"this is {kind}, not a file: it is not read", _SPECIAL_HINT)
            )
    return Listing(tuple(files), tuple(problems))


def _walk(folder: Path, skip: re.Pattern[str] | None, read: dict[str, Stamp], output: Path) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        read.setdefault(str(folder) + os.sep, ("missing",))
        return
    read.setdefault(str(folder) + os.sep, _listing_stamp(folder, (entry.name for entry in entries), output))
    for entry in entries:
        if (skip is not None and skip.search(entry.name)) or Path(entry.path) == output:
            continue
        path = Path(entry.path)
        yield path
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path, skip, read, output)
