"""Where the project's folders are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """The folders of one site project; paths in messages are relative to *root*."""

    root: Path
    site_dir: Path

    @classmethod
    def at(cls, root: Path, site_dir: Path | None = None) -> Project:
        root = root.resolve()
        # The output folder is not resolved: if it is a symbolic link, the build must see that.
        site = Path(os.path.abspath(site_dir)) if site_dir else root / "site"
        return cls(root, site)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.templates_dir / "static"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    def show(self, path: Path) -> str:
        """Return *path* as written in messages: relative to the project, with '/'."""
        absolute = Path(os.path.abspath(path))
        if absolute == self.root:
            return "."
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
