"""Write the built site to site/: the only module that writes there.

The new site is written to a temporary folder beside site/ (".site.new-<pid>-...")
and then swapped in, so a failed or interrupted build leaves the previous site/
whole. Nothing else outside site/ is ever written or deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import Problem, raise_if_errors
from .project import Project


def check_output_dir(project: Project) -> None:
    """Refuse an output folder that would overwrite the project's own files."""
    site = project.site_dir
    protected = [project.content_dir, project.templates_dir, project.locales_dir]
    if (
        site == project.root
        or project.root.is_relative_to(site)
        or any(site.is_relative_to(folder) for folder in protected)
    ):
        raise_if_errors(
            [Problem(project.show(site), None, "refusing to write the site here: the build replaces"
                     " this whole folder, which holds the project's own files",
                     "write to a folder of its own, such as site/")]
        )  # fmt: skip


def write_site(project: Project, outputs: dict[str, bytes]) -> None:
    """Replace site/ with exactly *outputs*; never touch anything else."""
    check_output_dir(project)
    site = project.site_dir
    site.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-{os.getpid()}-", dir=site.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the site is for everyone to read
    try:
        for relative, data in sorted(outputs.items()):
            target = staging / relative
            if not target.resolve().is_relative_to(staging.resolve()):
                raise ValueError(f"output path {relative!r} escapes the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old = None
        if site.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-{os.getpid()}-", dir=site.parent))
            os.replace(site, old / site.name)
        os.replace(staging, site)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(site: Path) -> None:
    """Delete the temporary folders of builds that were killed before they finished."""
    for leftover in site.parent.glob(f".{site.name}.[no][el][wd]-*"):
        pid = leftover.name.split("-")[1]
        if leftover.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
