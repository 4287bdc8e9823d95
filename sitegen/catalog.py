"""The translators' workflow: extract interface strings, update and start catalogs.

Babel's Python API does the work, in the project folder given (no pybabel command,
no change of the working folder). Each command reads and checks everything first,
writes nothing if anything is wrong, replaces each file whole, and prints what it
did, so that nothing a translator wrote is ever lost without a word.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import sys
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from babel.core import Locale, UnknownLocaleError
from babel.messages import extract as babel_extract
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

from . import __version__
from .config import Language, SiteConfig, load_config
from .errors import WARNING, BuildError, Problem, format_problems
from .files import Reader, Unreadable
from .i18n import DOMAIN, SOURCE_LANGUAGE, catalog_path, first_id, html_markup, parse_catalog, read_catalog
from .project import Project

TEMPLATE_FILE = "messages.pot"
MAPPING_FILE = "babel.cfg"
PROJECT_NAME = "clinic-site"
COMMENT_TAG = "TRANSLATORS:"
_NOT_SOURCES = {"site", "node_modules", "tests"}
_PRIVATE = re.compile(r"^[._]")
_MARKUP_HINT = (
    "a translation is text and is shown as written: keep tags outside the string"
    " (<a href=...>{{ _('...') }}</a>), or make them in {% set link %}...{% endset %} and pass them"
    " as a variable: {% trans link=link %}... {{ link }} ...{% endtrans %}; write & as itself"
)


@dataclass(frozen=True)
class Extracted:
    """One use of an interface string in a template or in the code."""

    message: str | tuple[str, ...]  # a msgid, or (singular, plural)
    path: str  # relative to the project, with '/'
    line: int
    comments: tuple[str, ...]  # the TRANSLATORS: comments before it
    context: str | None  # the msgctxt of pgettext


def extract(project: Project) -> int:
    """Collect every translatable string of the templates into locales/messages.pot."""
    found, problems = extract_messages(Reader(project))
    problems += interface_string_problems(found)
    pot = project.locales_dir / TEMPLATE_FILE
    if problems:
        print(format_problems(problems), file=sys.stderr)
        print(f"\nNothing was written: {project.show(pot)} is as it was. Fix the files above, then run:"
              " python build.py i18n extract", file=sys.stderr)  # fmt: skip
        return 1
    old = _readable_template(pot)
    template = template_catalog(found)
    files = len({item.path for item in found})
    keys, old_keys = _keys(template), _keys(old) if old else set()
    done = (
        f"{project.show(pot)}: {len(keys)} strings from {files} files: {len(keys - old_keys)} new,"
        f" {len(old_keys - keys)} no longer used, {len(keys & old_keys)} unchanged"
    )
    if old and _entries_text(old) == _entries_text(template):
        print(f"{done}; nothing to write.")
        return 0
    _replace(pot, _po_bytes(template, sort_by_file=True))
    print(f"{done}; written.\nNext: python build.py i18n update")
    return 0


def update(project: Project) -> int:
    """Bring every language's catalog in line with locales/messages.pot, keeping every translation."""
    template, problems = _template(project)
    if template is None and not problems:
        return 1
    paths = sorted(project.locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    if template is not None and not paths:
        print("There is no catalog to update: start one with python build.py i18n init LANG", file=sys.stderr)
        return 1
    languages = _languages(project)
    catalogs = []
    for path in paths:
        code = path.parent.parent.name
        catalog, found = _parse(Reader(project), path, languages.get(code) or Language(code, code, code))
        problems += found
        catalogs.append((path, catalog))
    if problems or template is None:
        print(format_problems(problems), file=sys.stderr)
        print("\nNothing was written: fix the catalog as shown, then run: python build.py i18n update",
              file=sys.stderr)  # fmt: skip
        return 1
    results = []
    for path, catalog in catalogs:
        assert catalog is not None  # every catalog parsed, or the problems above stopped the update
        changes = merge_catalog(catalog, template)
        data = _po_bytes(catalog)
        results.append((path, data, changes, data != path.read_bytes()))
    for path, data, changes, changed in results:
        if changed:
            _replace(path, data)
        print(f"{project.show(path)}: {changes}; {'written' if changed else 'nothing to write'}.")
        for note in changes.notes():
            print(f"  {note}")
    return 0


def init(project: Project, lang: str) -> int:
    """Start a new catalog for *lang* from locales/messages.pot; never replace one."""
    if lang == SOURCE_LANGUAGE:
        print(f"{lang!r} is the language the templates are written in: it needs no catalog.", file=sys.stderr)
        return 1
    try:
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", lang):
            raise ValueError(lang)
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        print(f"{lang!r} is not a language code: use one such as 'de' or 'ar'.", file=sys.stderr)
        return 2
    existing = catalog_path(project.locales_dir, lang)
    if existing.exists():
        print(
            f"{project.show(existing)} exists already; init would replace its translations.\n"
            "To add new interface strings to it, run: python build.py i18n update",
            file=sys.stderr,
        )
        return 1
    template, problems = _template(project)
    if template is None or problems:
        if problems:
            print(format_problems(problems), file=sys.stderr)
        return 1
    now = dt.datetime.now(dt.UTC)
    catalog = Catalog(locale=locale, project=PROJECT_NAME, version=__version__, fuzzy=False,
                      creation_date=template.creation_date, revision_date=now)  # fmt: skip
    for message in template:
        if message.id:
            catalog[message.id] = message
    existing.parent.mkdir(parents=True, exist_ok=True)
    _replace(existing, _po_bytes(catalog))
    print(f"{project.show(existing)}: started with {len(_keys(catalog))} strings to translate.\n"
          f"Next: translate them, and add {lang} to the languages of content/site.yaml")  # fmt: skip
    return 0


@dataclass
class Changes:
    """What an update did to one catalog."""

    new: int = 0  # strings the catalog did not have: to translate
    fuzzy: int = 0  # reworded strings: the old translation kept, marked fuzzy
    obsolete: int = 0  # strings no longer used, with their translation: kept as #~ entries
    removed: int = 0  # strings no longer used that had no translation (nor comment)
    restored: int = 0  # obsolete entries used again: their translation is back
    unchanged: int = 0

    def __str__(self) -> str:
        parts = [f"{self.new} new", f"{self.fuzzy} fuzzy", f"{self.obsolete} obsolete"]
        parts += [f"{self.removed} removed (untranslated)"] if self.removed else []
        parts += [f"{self.restored} restored"] if self.restored else []
        return ", ".join([*parts, f"{self.unchanged} unchanged"])

    def notes(self) -> list[str]:
        notes = []
        if self.new:
            notes.append("new: translate them (their msgstr is empty; until then the English text is shown)")
        if self.fuzzy:
            notes.append("fuzzy: the English text changed; the old translation is kept under '#, fuzzy',"
                         " and the English is shown until you check it and delete that line")  # fmt: skip
        if self.obsolete:
            notes.append("obsolete: no longer used; kept at the end of the file as '#~' lines, in case the"
                         " string comes back (delete them when you are sure)")  # fmt: skip
        return notes


def merge_catalog(catalog: Catalog, template: Catalog) -> Changes:
    """Bring *catalog* in line with *template* (Babel's update, with fuzzy matching); count it.

    A reworded string keeps the translation of the old one, marked fuzzy, and the old
    English as '#| msgid': fuzzy translations are never published, so nothing unchecked
    reaches visitors. A string no longer used stays as an obsolete '#~' entry if it has
    a translation or a translator's comment; one used again gets its translation back.
    """
    before = {_key(m): m for m in catalog if m.id}
    wanted = _keys(template)
    changes = Changes()
    restored = {key for key in catalog.obsolete if key in wanted and key not in before}
    for key in restored:
        message = catalog.obsolete.pop(key)
        catalog[message.id] = message
        before[key] = message
    was_fuzzy = {key: m.fuzzy for key, m in before.items()}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False, update_creation_date=True)
    for message in catalog:
        if not message.id:
            continue
        key = _key(message)
        if key in restored:
            changes.restored += 1
        elif key not in before:
            changes.fuzzy += message.fuzzy
            changes.new += not message.fuzzy
        elif message.fuzzy and not was_fuzzy[key]:
            changes.fuzzy += 1
        else:
            changes.unchanged += 1
        if key in before and message.fuzzy and not message.previous_id:  # Babel forgets the earlier English
            message.previous_id = before[key].previous_id
    for key, message in list(catalog.obsolete.items()):
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        if not any(strings) and not message.user_comments:  # nothing that a translator wrote
            del catalog.obsolete[key]
            changes.removed += 1
        elif key in before:
            changes.obsolete += 1
    return changes


def template_catalog(found: list[Extracted]) -> Catalog:
    """Return the catalog template (.pot) of the strings *found*."""
    catalog = Catalog(project=PROJECT_NAME, version=__version__, charset="utf-8")
    for item in found:
        catalog.add(item.message, None, [(item.path, item.line)], auto_comments=item.comments,
                    context=item.context)  # fmt: skip
    return catalog


def extract_file(relative: str, method: str, options: dict[str, str], data: bytes) -> list[Extracted]:
    """Return the strings one file marks for translation (Babel's errors are raised)."""
    results = babel_extract.extract(method, io.BytesIO(data), comment_tags=(COMMENT_TAG,),
                                    options={**options, "silent": "false"})  # fmt: skip
    return [
        Extracted(
            message if isinstance(message, str) else tuple(message), relative, line, tuple(comments), context
        )  # fmt: skip
        for line, message, comments, context in results
    ]


Extract = Callable[[str, str, dict[str, str], bytes], list[Extracted]]


def extract_messages(
    reader: Reader, extract: Extract = extract_file
) -> tuple[list[Extracted], list[Problem]]:
    """Return every string the templates and code mark for translation, and the files that cannot be read.

    A template that does not parse is an error: Babel's Jinja extractor would skip it
    without a word, and an update would then drop its strings from every catalog.
    Each file is read by *extract* (`extract_file`).
    """
    found: list[Extracted] = []
    problems: list[Problem] = []
    project = reader.project
    mapping = project.root / MAPPING_FILE
    if not reader.exists(mapping):
        return [], [Problem(MAPPING_FILE, None, "the file that tells where interface strings are is missing",
                            "restore it from git: git checkout babel.cfg")]  # fmt: skip
    try:
        text, _ = reader.read_text(mapping)
        method_map, options_map = parse_mapping_cfg(io.StringIO(text))  # type: ignore[no-untyped-call]
        sources, problems = _source_files(reader, method_map, options_map)
    except Unreadable as exc:
        return [], [exc.problem]
    for relative, method, options in sources:
        try:
            data = reader.read_bytes(project.root / relative)
            found += extract(relative, method, options, data)
        except Unreadable as exc:
            problems.append(exc.problem)
            continue
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(relative, exc.lineno, f"template syntax error: {exc.message}",
                                    "fix the template: until it parses, its strings cannot be"
                                    " collected"))  # fmt: skip
            continue
        except (SyntaxError, tokenize.TokenError) as exc:
            line = exc.lineno if isinstance(exc, SyntaxError) else exc.args[1][0]
            problems.append(Problem(relative, line, f"the code cannot be read: {exc.args[0]}"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(relative, None, "the file is not UTF-8 text", "save it as UTF-8"))
            continue
    return found, problems


def interface_string_problems(found: list[Extracted]) -> list[Problem]:
    """Report an interface string written with HTML markup: translations are text."""
    problems = []
    for item in found:
        texts = [item.message] if isinstance(item.message, str) else list(item.message)
        markup = list(dict.fromkeys(tag for text in texts for tag in html_markup(text)))
        if markup:
            problems.append(
                Problem(item.path, item.line, f"the interface string {first_id(item.message)!r} has HTML"
                        f" markup ({', '.join(markup)}), which would be shown as written", _MARKUP_HINT)
            )  # fmt: skip
    return problems


def _source_files(
    reader: Reader, method_map: list[tuple[str, str]], options_map: dict[str, dict[str, str]]
) -> tuple[list[tuple[str, str, dict[str, str]]], list[Problem]]:
    """Return (relative path, extraction method, options) for each file the mapping names."""
    root = reader.project.root
    folders = [
        entry.name
        for entry in reader.folders(root)
        if not entry.is_symlink() and not entry.name.startswith("_") and entry.name not in _NOT_SOURCES
    ]
    sources: list[tuple[str, str, dict[str, str]]] = []
    problems: list[Problem] = []
    for folder in folders:
        listing = reader.list_files(root / folder, skip=_PRIVATE)
        problems += listing.problems  # a link out of the project: never read, wherever it is
        for path in listing.files:
            relative = path.relative_to(root).as_posix()
            for pattern, method in method_map:
                if pathmatch(pattern, relative):
                    sources.append((relative, method, options_map.get(pattern, {})))
                    break
    return sources, problems


def _template(project: Project) -> tuple[Catalog | None, list[Problem]]:
    """Return locales/messages.pot read and checked, or None (its absence is printed at once)."""
    pot = project.locales_dir / TEMPLATE_FILE
    if not pot.is_file():
        print(f"{project.show(pot)} is missing: run python build.py i18n extract first.", file=sys.stderr)
        return None, []
    return parse_catalog(Reader(project), pot, None)


def _parse(reader: Reader, path: Path, language: Language) -> tuple[Catalog | None, list[Problem]]:
    shown = reader.show(path)
    try:
        return parse_catalog(reader, path, language)
    except (ValueError, UnknownLocaleError):
        return None, [Problem(shown, None, f"{language.code!r} is not a language code Babel knows",
                              "name the folder after a language code, such as de or pt_BR")]  # fmt: skip


def _readable_template(pot: Path) -> Catalog | None:
    """Return the .pot as it is, or None if there is none (it is made by extract, never by hand)."""
    try:
        with pot.open("rb") as handle:
            return read_po(handle)
    except (OSError, ValueError):  # missing, or unreadable: written anew
        return None


def _languages(project: Project) -> dict[str, Language]:
    """Return the site's languages by code (for their names in messages), or none if unreadable."""
    try:
        config, _ = load_config(Reader(project))
    except BuildError:
        return {}
    return {language.code: language for language in config.languages}


def _key(message: Message) -> str | tuple[str, str]:
    """Return the key of *message* in a Babel catalog: its msgid, with its msgctxt if it has one."""
    msgid = first_id(message.id)
    return msgid if message.context is None else (msgid, message.context)


def _keys(catalog: Catalog) -> set[str | tuple[str, str]]:
    return {_key(message) for message in catalog if message.id}


def _po_bytes(catalog: Catalog, sort_by_file: bool = False) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_by_file=sort_by_file, include_previous=True)
    return buffer.getvalue()


def _entries_text(catalog: Catalog) -> bytes:
    """Return the entries of *catalog* as written, without the header (dates, versions)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_by_file=True, omit_header=True)
    return buffer.getvalue()


def _replace(path: Path, data: bytes) -> None:
    """Write *path* whole: a temporary file beside it, renamed over it."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _edited_english(
    shown: str, entries: list[Message], template_ids: set[str], missing: list[str]
) -> list[Problem]:
    """Warn about entries whose English (msgid) no template writes: most often a translator who
    changed the msgid instead of the msgstr, so that the page quietly shows the English text."""
    problems = []
    for entry in entries:
        english = first_id(entry.id)
        if english in template_ids:
            continue
        near = difflib.get_close_matches(english, missing, n=1, cutoff=0.6)
        if near:
            what = (
                f"the English text {english!r} is not what the templates write ({near[0]!r}), so the"
                f" pages show {near[0]!r} untranslated"
            )
            hint = (
                "the msgid line must stay as the template writes it: put it back, and change only the"
                " msgstr line under it"
            )
        else:
            what = f"no template writes the English text {english!r} any more"
            hint = "run: python build.py i18n update (it moves the entry to the end of the file, as obsolete)"
        problems.append(Problem(shown, entry.lineno, what, hint, WARNING))
    return problems


def stale_catalog_problems(reader: Reader, config: SiteConfig) -> list[Problem]:
    """Warn when the templates hold strings that the catalogs do not have yet."""
    project = reader.project
    pot = project.locales_dir / TEMPLATE_FILE
    found, _ = extract_messages(reader)  # a template that does not parse is reported by the build
    problems = interface_string_problems(found)
    if not reader.exists(pot):
        return [*problems, Problem(project.show(pot), None, "the template of the catalogs is missing",
                                   "run: python build.py i18n extract", WARNING)]  # fmt: skip
    try:
        template_ids = {first_id(m.id) for m in read_po(io.BytesIO(reader.read_bytes(pot))) if m.id}
    except (Unreadable, ValueError):
        return problems  # the build reports what is wrong with it
    known = set(template_ids)
    for item in found:
        message = first_id(item.message)
        if message not in known:
            known.add(message)
            problems.append(
                Problem(item.path, item.line, f"the interface string {message!r} is not in the catalogs yet",
                        "run: python build.py i18n extract && python build.py i18n update,"
                        " then translate it", WARNING)
            )  # fmt: skip
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        if language.code == SOURCE_LANGUAGE or not reader.exists(path):
            continue
        try:
            entries = [m for m in read_po(io.BytesIO(reader.read_bytes(path))) if m.id]
        except (Unreadable, ValueError):
            continue  # the catalog's loader reports what is wrong with it
        ids = {first_id(m.id) for m in entries}
        missing = sorted(template_ids - ids)
        problems += _edited_english(project.show(path), entries, template_ids, missing)
        if missing:
            many = len(missing) != 1
            problems.append(
                Problem(project.show(path), None, f"{len(missing)} string{'s' if many else ''} of"
                        f" {TEMPLATE_FILE} {'are' if many else 'is'} missing here, such as {missing[0]!r}",
                        "run: python build.py i18n update", WARNING)
            )  # fmt: skip
    return problems


@dataclass(frozen=True)
class CatalogStatus:
    """How far one language's catalog is: its entries translated, fuzzy (unchecked) or not yet."""

    lang: str
    path: str | None  # None: the language of the msgids themselves (English), which needs no catalog
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0  # no translation yet, or some plural forms missing
    missing: int = 0  # strings of messages.pot that the catalog does not have yet (i18n update adds them)


def interface_status(reader: Reader, config: SiteConfig) -> tuple[list[CatalogStatus], list[Problem]]:
    """Return each language's catalog counted, and its warnings (each entry fuzzy or not translated,
    at its line; strings that the catalogs do not have yet)."""

    project = reader.project
    rows: list[CatalogStatus] = []
    problems = stale_catalog_problems(reader, config)
    pot = project.locales_dir / TEMPLATE_FILE
    template_ids: set[str] = set()
    if reader.exists(pot):
        template, _ = parse_catalog(reader, pot, None)
        template_ids = {first_id(m.id) for m in template or () if m.id}
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        if language.code == SOURCE_LANGUAGE and not reader.exists(path):
            rows.append(CatalogStatus(language.code, None))
            continue
        if not reader.exists(path):
            rows.append(CatalogStatus(language.code, project.show(path), missing=len(template_ids)))
            continue
        catalog, found = read_catalog(reader, path, language)
        problems += [p for p in found if not p.is_error] if catalog is not None else found
        entries = [m for m in catalog or () if m.id]
        fuzzy = sum(1 for m in entries if m.fuzzy)
        done = sum(1 for m in entries if not m.fuzzy and all(_forms(m)))
        ids = {first_id(m.id) for m in entries}
        rows.append(CatalogStatus(language.code, project.show(path), done, fuzzy, len(entries) - done - fuzzy,
                                  len(template_ids - ids)))  # fmt: skip
    return rows, problems


def _forms(message: Message) -> list[str]:
    forms = message.string
    return [f or "" for f in forms] if isinstance(forms, (tuple, list)) else [forms or ""]


def status_lines(rows: list[CatalogStatus], config: SiteConfig) -> list[str]:
    """The interface strings of each language, one line each, for ``check --translations``."""
    lines = ["interface strings (menus, buttons, footer):"]
    for row in rows:
        name = config.language(row.lang).name
        if row.path is None:
            lines.append(f"  {row.lang}  {name}: the templates' own text, nothing to translate")
            continue
        total = row.translated + row.fuzzy + row.untranslated
        lines.append(f"  {row.lang}  {name}: {row.translated} of {total} translated, {row.fuzzy} fuzzy,"
                     f" {row.untranslated} not translated, {row.missing} not in the catalog yet"
                     f" ({row.path})")  # fmt: skip
    return lines
