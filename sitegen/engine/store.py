"""The build cache: what earlier builds computed, reused when its inputs did not change.

It lives in .cache/ in the project (ignored by git; deleting it is always safe:
the next build is simply a cold one). Every entry is keyed by a digest of all
that it was computed from; the whole cache is also keyed by the generator's own
code and library versions, so a new generator never reuses an old result.
Only the entries a build used are kept, so the file does not grow with edits.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from ..digest import digest
from ..errors import BuildError, Problem

CACHE_DIR = ".cache"
CACHE_FILE = "build.pickle"
_TABLES = (
    "stats", "sources", "lint", "messages", "bodies", "pages", "html", "search", "written", "blobs", "urls"
)  # fmt: skip
BLOB_DIR = "blobs"  # large entries (a picture's variants), each in a file of its own
BLOB_MEMORY = 256 * 1024 * 1024  # bytes of blobs a preview keeps in memory between builds


def generator_digest() -> str:
    """Digest of the generator's code and of the libraries that shape its output."""
    package = Path(__file__).resolve().parent.parent
    parts: list[str | bytes] = [sys.version]
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in ("jinja2", "markdown", "pyyaml", "babel", "markupsafe", "pagefind_bin"):
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "-"]
    return digest(*parts)


class BuildCache:
    """Tables of earlier results; `get` marks an entry as used, `save` keeps only used ones."""

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path = path
        self.salt = salt
        self.old: dict[str, dict[Any, Any]] = {name: {} for name in _TABLES}
        self.new: dict[str, dict[Any, Any]] = {name: {} for name in _TABLES}
        self.changed = False  # nothing new: saving would only drop unused entries, so it is skipped
        self.hits = dict.fromkeys(_TABLES, 0)
        self.misses = dict.fromkeys(_TABLES, 0)
        self._blobs: dict[str, tuple[Any, int]] = {}  # key -> (value, size): what this process read
        self._blob_bytes = 0
        if path is not None:
            self._load(path)

    @classmethod
    def for_project(cls, root: Path) -> BuildCache:
        """Return the project's cache in .cache/; raise BuildError if something else has that name."""
        folder = root / CACHE_DIR
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            what = "this should be the build cache's folder, but it is a file or a link"
            hint = "delete it: the next build makes the folder anew, and nothing of yours is in it"
            raise BuildError([Problem(CACHE_DIR, None, what, hint)])
        return cls(folder / CACHE_FILE, generator_digest())

    @property
    def folder(self) -> Path | None:
        """The cache's folder, for other caches (compiled templates), or None when disabled."""
        return self.path.parent if self.path is not None else None

    @classmethod
    def disabled(cls) -> BuildCache:
        return cls(None, "")

    def _load(self, path: Path) -> None:
        try:
            with path.open("rb") as stream:
                stored = pickle.load(stream)
        except Exception:  # missing, half-written or from another Python: start cold
            return
        if isinstance(stored, dict) and stored.get("salt") == self.salt:
            for name in _TABLES:
                table = stored.get(name)
                if isinstance(table, dict):
                    self.old[name] = table

    def get(self, table: str, key: Any) -> Any:
        """Return the entry for *key*, or None; an entry found is kept for the next build."""
        value = self.new[table].get(key)
        if value is None:
            value = self.old[table].get(key)
        if value is None:
            self.misses[table] += 1
            return None
        self.hits[table] += 1
        self.new[table][key] = value
        return value

    def peek(self, table: str, key: Any) -> Any:
        """Return the entry for *key*, or None, without keeping it for the next build."""
        value = self.new[table].get(key)
        return self.old[table].get(key) if value is None else value

    def next_build(self) -> None:
        """Start another build with this cache in memory (the preview keeps one between saves)."""
        if any(self.new.values()):
            self.old = self.new
            self.new = {name: {} for name in _TABLES}

    def abandon(self) -> None:
        """The build that ran did not finish: keep for the next one what the build before it kept,
        with what this one made, so that a stopped or failed build loses nothing."""
        for name in _TABLES:
            self.keep(name)

    def keep(self, table: str) -> None:
        """Keep every entry of *table* for the next build, used or not (what a quick build of the
        preview leaves to the build that catches up, such as what the checks read of each page)."""
        for key, value in self.old[table].items():
            self.new[table].setdefault(key, value)

    def put(self, table: str, key: Any, value: Any) -> None:
        self.new[table][key] = value
        self.changed = True

    def blob(self, key: str) -> Any:
        """Return the large entry *key* (kept in a file of its own, not in the table file), or None."""
        if self.get("blobs", key) is None:
            return None
        known = self._blobs.get(key)
        if known is not None:
            return known[0]
        if self.folder is None:
            return None
        try:
            data = (self.folder / BLOB_DIR / f"{key}.pickle").read_bytes()
            value = pickle.loads(data)
        except Exception:  # missing or damaged: computed again
            self.new["blobs"].pop(key, None)
            return None
        self._remember(key, value, len(data))
        return value

    def put_blob(self, key: str, value: Any) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.put("blobs", key, len(data))
        self._remember(key, value, len(data))
        if self.folder is None:
            return
        try:
            folder = self.folder / BLOB_DIR
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".blob-", dir=folder)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, folder / f"{key}.pickle")
        except OSError:
            pass  # only costs speed next time

    def _remember(self, key: str, value: Any, size: int) -> None:
        if self._blob_bytes + size > BLOB_MEMORY:
            self._blobs.clear()
            self._blob_bytes = 0
        self._blobs[key] = (value, size)
        self._blob_bytes += size

    def save(self) -> None:
        """Write the entries this build used; a failure to write only costs speed next time."""
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# The build cache: safe to delete at any time.\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=".build-", dir=self.path.parent)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump({"salt": self.salt, **self.new}, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
            self._drop_unused_blobs()
        except OSError:
            pass

    def _drop_unused_blobs(self) -> None:
        """Delete the blob files this build did not use, as the tables drop their unused entries."""
        assert self.folder is not None
        used = self.new["blobs"]
        folder = self.folder / BLOB_DIR
        if folder.is_dir():
            for path in folder.iterdir():
                if (path.suffix == ".pickle" and path.stem not in used) or path.name.startswith(".blob-"):
                    path.unlink(missing_ok=True)
