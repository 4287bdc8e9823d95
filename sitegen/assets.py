"""The static files of templates/static/, published under names that carry their content hash.

style.css becomes static/style.3f2a9c1b7d.css: a browser or CDN may then keep it
for a year, and a changed file gets a new name. Templates ask static_url("style.css").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .errors import Problem
from .files import MAX_FILE_BYTES, NOT_PROJECT_FILES, Reader, Unreadable

PREFIX = "static/"
HASH_LENGTH = 10


class MissingAsset(LookupError):
    """A static file that templates/static/ does not have."""

    def __init__(self, name: str, known: str) -> None:
        super().__init__(f"there is no file templates/static/{name} (the files are: {known})")
        self.name = name


@dataclass(frozen=True)
class Assets:
    """Every static file: its name in templates/static/ -> its published path and bytes."""

    files: dict[str, tuple[str, bytes]]

    def url(self, name: str) -> str:
        """Return the site-relative URL of the static file *name*."""
        if name not in self.files:
            known = ", ".join(sorted(self.files)) or "none"
            raise MissingAsset(name, known)
        return "/" + self.files[name][0]

    def outputs(self) -> dict[str, bytes]:
        return {path: data for path, data in self.files.values()}


def load_assets(reader: Reader) -> tuple[Assets, list[Problem]]:
    """Read templates/static/ and give each file its fingerprinted name."""
    files = {}
    static_dir = reader.project.static_dir
    listing = reader.list_files(static_dir, skip=NOT_PROJECT_FILES)
    problems = list(listing.problems)
    for path in listing.files:
        try:
            data = reader.read_bytes(path, MAX_FILE_BYTES)
        except Unreadable as exc:
            problems.append(exc.problem)
            continue
        name = path.relative_to(static_dir).as_posix()
        digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
        pure = PurePosixPath(name)
        files[name] = (PREFIX + str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}")), data)
    return Assets(files), problems
