"""Interface-string catalogs, and dates, times and numbers in the page's language."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from babel.dates import format_date, format_time, get_day_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal
from babel.support import Translations

from .config import WEEKDAYS, Language, OpeningHours, SiteConfig
from .errors import WARNING, Problem
from .project import Project

SOURCE_LANGUAGE = "en"  # the language the templates' msgids are written in
DOMAIN = "messages"


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(
    project: Project, config: SiteConfig
) -> tuple[dict[str, gettext.NullTranslations], list[Problem]]:
    """Parse and compile each language's catalog in memory; report its problems."""
    translations: dict[str, gettext.NullTranslations] = {}
    problems: list[Problem] = []
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        shown = project.show(path)
        if not path.is_file():
            translations[language.code] = gettext.NullTranslations()
            if language.code != SOURCE_LANGUAGE:
                problems.append(
                    Problem(shown, None, f"there is no catalog for {language.name}: buttons and menus"
                            " will be in English", f"run: python build.py i18n init {language.code}",
                            severity=WARNING)
                )  # fmt: skip
            continue
        catalog, catalog_problems = read_catalog(path, shown, language)
        problems.extend(catalog_problems)
        if catalog is not None:
            translations[language.code] = compile_catalog(catalog)
    return translations, problems


def read_catalog(path: Path, shown: str, language: Language) -> tuple[Catalog | None, list[Problem]]:
    """Parse one .po file and check it: syntax, plural forms, placeholders, gaps."""
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(shown, None, "the catalog is not UTF-8 text", "save it as UTF-8")]
    syntax = _syntax_problem(text, shown)
    if syntax:
        return None, [syntax]
    try:
        catalog = read_po(io.StringIO(text), locale=language.locale, abort_invalid=True)
    except PoFileError as exc:
        line = _entry_line(text, exc.lineno)
        if "num_plurals" in str(exc):
            return None, [
                Problem(shown, line, "this entry has more plural translations (msgstr[N]) than the"
                        " Plural-Forms header's nplurals", "make the header and the entries agree")
            ]  # fmt: skip
        reason = str(exc).rsplit(" on ", 1)[0]
        return None, [Problem(shown, line, f"the catalog cannot be read: {reason}")]
    problems = []
    try:
        plural = gettext.c2py(catalog.plural_expr)
        bad = next((n for n in range(200) if not 0 <= plural(n) < catalog.num_plurals), None)
    except (ValueError, SyntaxError):
        bad = -1
    if bad is not None:
        problems.append(
            Problem(shown, _header_line(path), f"the Plural-Forms header {catalog.plural_forms!r} does not"
                    " work: its formula must give a form below nplurals for every number",
                    f"use the usual header for {language.name}: {get_plural(language.locale).plural_forms}")
        )  # fmt: skip
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable and message.string and len(message.string) != catalog.num_plurals:
            problems.append(
                Problem(shown, message.lineno, f"{message.id[0]!r} has {len(message.string)} plural"
                        f" translations, but the header says nplurals={catalog.num_plurals}",
                        "give one msgstr[N] line per plural form")
            )  # fmt: skip
        for error in message.check(catalog):
            problems.append(
                Problem(shown, message.lineno, f"{_first(message.id)!r}: {error}",
                        "keep every %(name)s placeholder of the English text in the translation")
            )  # fmt: skip
        if message.fuzzy:
            problems.append(
                Problem(shown, message.lineno, f"fuzzy (unchecked) translation of {_first(message.id)!r}:"
                        " the English text is shown until it is checked",
                        "check the translation, then delete the '#, fuzzy' line above it", severity=WARNING)
            )  # fmt: skip
        elif not any(message.string if isinstance(message.string, tuple) else (message.string,)):
            problems.append(
                Problem(shown, message.lineno, f"{_first(message.id)!r} is not translated yet:"
                        " the English text is shown", "write the translation in msgstr", severity=WARNING)
            )  # fmt: skip
    return catalog, problems


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _syntax_problem(text: str, shown: str) -> Problem | None:
    """Return the first line that is not a comment, a keyword with a string, or a string."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.match(stripped):
            return Problem(
                shown, number, f"this line of the catalog cannot be read: {stripped[:60]!r}",
                'each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation;'
                ' check for a missing closing quote',
            )  # fmt: skip
    return None


def _entry_line(text: str, near: int) -> int:
    """Return the line of the msgid of the entry Babel reported around line *near*."""
    lines = text.splitlines()
    for number in range(max(near, 1), len(lines) + 1):
        if lines[number - 1].startswith("msgid "):
            return number
    return near


def compile_catalog(catalog: Catalog) -> Translations:
    """Return the catalog compiled to gettext's binary form, in memory (no .mo file)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _first(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _header_line(path: Path) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith('"Plural-Forms:'):
            return number
    return None


def long_date(value: dt.date, language: Language) -> str:
    """Return *value* as written in the page's language: "24 Kasım 2026"."""
    return format_date(value, format="long", locale=language.locale)


def number(value: float, language: Language) -> str:
    return format_decimal(value, locale=language.locale)


def opening_hours(hours: tuple[OpeningHours, ...], language: Language) -> list[tuple[str, str | None]]:
    """Return (days, times) rows for the hours table; times None means closed.

    Consecutive days are joined into a range: "Pazartesi – Cuma", "09:00–19:00".
    """
    names = get_day_names("wide", locale=language.locale)  # 0 = Monday
    rows: list[tuple[str, str | None]] = []
    open_days: set[str] = set()
    for entry in hours:
        indexes = sorted(WEEKDAYS.index(d) for d in entry.days)
        open_days.update(entry.days)
        times = f"{_time(entry.opens, language)}–{_time(entry.closes, language)}"
        rows.extend((label, times) for label in _day_ranges(indexes, names))
    closed = sorted(WEEKDAYS.index(d) for d in WEEKDAYS if d not in open_days)
    rows.extend((label, None) for label in _day_ranges(closed, names))
    return rows


def _time(value: str, language: Language) -> str:
    hour, minute = (int(part) for part in value.split(":"))
    return format_time(dt.time(hour, minute), format="short", locale=language.locale)


def _day_ranges(indexes: list[int], names: Mapping[int, str]) -> list[str]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    labels = []
    for run in runs:
        if len(run) >= 3:
            labels.append(f"{names[run[0]]} – {names[run[-1]]}")
        else:
            labels.extend(names[i] for i in run)
    return labels
