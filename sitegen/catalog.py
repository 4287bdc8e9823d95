"""The translators' workflow: extract interface strings, update and start catalogs.

These wrap Babel's own commands so that editors need not remember their flags,
and tell when the catalogs lag behind the templates.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch

from . import __version__
from .config import SiteConfig
from .errors import WARNING, Problem
from .i18n import DOMAIN, SOURCE_LANGUAGE, catalog_path, first_id
from .project import Project

TEMPLATE_FILE = "messages.pot"
MAPPING_FILE = "babel.cfg"
_NOT_SOURCES = {"site", "node_modules", "tests"}


def _babel(project: Project, *args: str) -> int:
    """Run one pybabel command in the project folder; return its exit status."""
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
        project, "extract", "--mapping-file", MAPPING_FILE,
        "--output-file", f"locales/{TEMPLATE_FILE}",
        "--add-comments", "TRANSLATORS:", "--sort-by-file",
        "--project", "clinic-site", "--version", __version__,
        "--msgid-bugs-address", "", "--no-wrap",
        "--ignore-dirs", " ".join([".*", "_*", *sorted(_NOT_SOURCES)]), ".",
    )  # fmt: skip


def update(project: Project) -> int:
    """Bring every language's catalog in line with locales/messages.pot.

    No fuzzy matching: Babel would pre-fill a new string with the translation of
    a similar old one, which a hurried translator could publish unread.
    """
    if not _has_template(project):
        return 1
    return _babel(
        project, "update", "--input-file", f"locales/{TEMPLATE_FILE}",
        "--output-dir", "locales", "--domain", DOMAIN, "--no-wrap", "--ignore-obsolete",
        "--no-fuzzy-matching",
    )  # fmt: skip


def init(project: Project, lang: str) -> int:
    """Start a new catalog for *lang* from locales/messages.pot; never replace one."""
    if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", lang):
        print(f"{lang!r} is not a language code: use one such as 'de' or 'ar'.", file=sys.stderr)
        return 2
    if lang == SOURCE_LANGUAGE:
        print(f"{lang!r} is the language the templates are written in: it needs no catalog.", file=sys.stderr)
        return 1
    existing = catalog_path(project.locales_dir, lang)
    if existing.exists():
        print(
            f"{project.show(existing)} exists already; init would replace its translations.\n"
            "To add new interface strings to it, run: python build.py i18n update",
            file=sys.stderr,
        )
        return 1
    if not _has_template(project):
        return 1
    return _babel(
        project, "init", "--input-file", f"locales/{TEMPLATE_FILE}",
        "--output-dir", "locales", "--domain", DOMAIN, "--locale", lang, "--no-wrap",
    )  # fmt: skip


def _has_template(project: Project) -> bool:
    if (project.locales_dir / TEMPLATE_FILE).is_file():
        return True
    print(f"locales/{TEMPLATE_FILE} is missing: run python build.py i18n extract first.", file=sys.stderr)
    return False


def _source_folders(project: Project) -> list[str]:
    """Return the top-level folders that can hold translatable strings (not site/, .venv ...)."""
    return sorted(
        entry.name
        for entry in project.root.iterdir()
        if entry.is_dir() and not entry.name.startswith((".", "_")) and entry.name not in _NOT_SOURCES
    )


def extracted_messages(project: Project) -> Iterator[tuple[str, str, int]]:
    """Yield (msgid, file, line) for every string the templates and code mark for translation."""
    with (project.root / MAPPING_FILE).open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)  # type: ignore[no-untyped-call]
    for folder in _source_folders(project):
        for directory, subdirs, files in os.walk(project.root / folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "_")))
            for name in sorted(files):
                relative = Path(directory, name).relative_to(project.root).as_posix()
                for pattern, method in method_map:
                    if pathmatch(pattern, relative):
                        for line, message, _, _ in extract_from_file(
                            method, project.root / relative, options=options_map.get(pattern, {})
                        ):
                            yield (message if isinstance(message, str) else message[0]), relative, line
                        break


def stale_catalog_problems(project: Project, config: SiteConfig) -> list[Problem]:
    """Warn when the templates hold strings that the catalogs do not have yet."""
    pot = project.locales_dir / TEMPLATE_FILE
    if not pot.is_file():
        return [Problem(project.show(pot), None, "the template of the catalogs is missing",
                        "run: python build.py i18n extract", WARNING)]  # fmt: skip
    with pot.open("rb") as handle:
        known = {first_id(m.id) for m in read_po(handle) if m.id}
    problems = []
    for message, where, line in extracted_messages(project):
        if message not in known:
            known.add(message)
            problems.append(
                Problem(where, line, f"the interface string {message!r} is not in the catalogs yet",
                        "run: python build.py i18n extract && python build.py i18n update,"
                        " then translate it", WARNING)
            )  # fmt: skip
    with pot.open("rb") as handle:
        template_ids = {first_id(m.id) for m in read_po(handle) if m.id}
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        if language.code == SOURCE_LANGUAGE or not path.is_file():
            continue
        with path.open("rb") as handle:
            ids = {first_id(m.id) for m in read_po(handle) if m.id}
        missing = sorted(template_ids - ids)
        if missing:
            problems.append(
                Problem(project.show(path), None, f"{len(missing)} strings of {TEMPLATE_FILE} are missing"
                        f" here, such as {missing[0]!r}", "run: python build.py i18n update", WARNING)
            )  # fmt: skip
    return problems
