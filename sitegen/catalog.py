"""The translators' workflow: extract interface strings, update and start catalogs.

These wrap Babel's own commands so that editors need not remember their flags.
"""

from __future__ import annotations

from babel.messages.frontend import CommandLineInterface

from . import __version__
from .i18n import DOMAIN, SOURCE_LANGUAGE
from .project import Project

TEMPLATE_FILE = "messages.pot"


def _babel(project: Project, *args: str) -> int:
    """Run one pybabel command in the project folder; return its exit status."""
    import os

    here = os.getcwd()
    os.chdir(project.root)
    try:
        status = CommandLineInterface().run(["pybabel", "--quiet", *args])  # type: ignore[no-untyped-call]
        return int(status or 0)
    finally:
        os.chdir(here)


def extract(project: Project) -> int:
    """Collect every translatable string of the templates into locales/messages.pot."""
    return _babel(
        project, "extract", "--mapping-file", "babel.cfg",
        "--output-file", f"locales/{TEMPLATE_FILE}",
        "--add-comments", "TRANSLATORS:", "--sort-by-file",
        "--project", "clinic-site", "--version", __version__,
        "--msgid-bugs-address", "", "--no-wrap",
        ".",
    )  # fmt: skip


def update(project: Project) -> int:
    """Bring every language's catalog in line with locales/messages.pot."""
    return _babel(
        project, "update", "--input-file", f"locales/{TEMPLATE_FILE}",
        "--output-dir", "locales", "--domain", DOMAIN, "--no-wrap", "--ignore-obsolete",
    )  # fmt: skip


def init(project: Project, lang: str) -> int:
    """Start a new catalog for *lang* from locales/messages.pot."""
    if lang == SOURCE_LANGUAGE:
        print(f"{lang!r} is the language the templates are written in: it needs no catalog.")
        return 1
    return _babel(
        project, "init", "--input-file", f"locales/{TEMPLATE_FILE}",
        "--output-dir", "locales", "--domain", DOMAIN, "--locale", lang, "--no-wrap",
    )  # fmt: skip
