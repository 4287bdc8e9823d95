"""The static files of templates/static/, published under names that carry their content hash.

style.css becomes static/style.3f2a9c1b7d.css: a browser or CDN may then keep it
for a year, and a changed file gets a new name. Templates ask static_url("style.css").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from .project import Project

PREFIX = "static/"
HASH_LENGTH = 10


@dataclass(frozen=True)
class Assets:
    """Every static file: its name in templates/static/ -> its published path and bytes."""

    files: dict[str, tuple[str, bytes]]

    def url(self, name: str) -> str:
        """Return the site-relative URL of the static file *name*."""
        if name not in self.files:
            known = ", ".join(sorted(self.files)) or "none"
            raise LookupError(f"there is no file templates/static/{name} (the files are: {known})")
        return "/" + self.files[name][0]

    def outputs(self) -> dict[str, bytes]:
        return {path: data for path, data in self.files.values()}


def load_assets(project: Project) -> Assets:
    """Read templates/static/ and give each file its fingerprinted name."""
    files = {}
    for path in sorted(project.static_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            name = path.relative_to(project.static_dir).as_posix()
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
            pure = PurePosixPath(name)
            files[name] = (PREFIX + str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}")), data)
    return Assets(files)
