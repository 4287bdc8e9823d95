"""Interface-string catalogs, and dates, times and numbers in the page's language."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from babel.dates import format_date, format_time, get_day_names
from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import num_plurals
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po, unescape
from babel.numbers import format_decimal
from babel.support import Translations

from .config import WEEKDAYS, Language, OpeningHours, SiteConfig
from .errors import WARNING, Problem
from .files import Reader, Unreadable

MAX_PLURALS = 6
SOURCE_LANGUAGE = "en"  # the language the templates' msgids are written in
DOMAIN = "messages"


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(
    reader: Reader, config: SiteConfig
) -> tuple[dict[str, gettext.NullTranslations], list[Problem]]:
    """Parse and compile each language's catalog in memory; report its problems."""
    translations: dict[str, gettext.NullTranslations] = {}
    problems: list[Problem] = []
    for language in config.languages:
        path = catalog_path(reader.project.locales_dir, language.code)
        shown = reader.show(path)
        if not reader.exists(path):
            translations[language.code] = gettext.NullTranslations()
            if language.code != SOURCE_LANGUAGE:
                problems.append(
                    Problem(shown, None, f"there is no catalog for {language.name}: buttons and menus"
                            " will be in English", f"run: python build.py i18n init {language.code}",
                            severity=WARNING)
                )  # fmt: skip
            continue
        catalog, catalog_problems = read_catalog(reader, path, language)
        problems.extend(catalog_problems)
        if catalog is not None:
            translations[language.code] = compile_catalog(catalog)
    return translations, problems


def read_catalog(reader: Reader, path: Path, language: Language) -> tuple[Catalog | None, list[Problem]]:
    """Parse one .po file and check it: syntax, plural forms, placeholders, markup, gaps."""
    shown = reader.show(path)
    catalog, problems = parse_catalog(reader, path, language)
    if catalog is None:
        return None, problems
    for message in catalog:
        if message.id:
            problems += _message_problems(message, catalog, shown)
    return catalog, problems


def parse_catalog(
    reader: Reader, path: Path, language: Language | None
) -> tuple[Catalog | None, list[Problem]]:
    """Read one .po file (with no *language*: the .pot) exactly as written, or say why not.

    Babel reads some broken catalogs without a word (a missing closing quote cuts the
    last letter off, two entries for one msgid keep only the second), so these are
    problems: nothing is built from, or written back over, a misread catalog.
    """
    shown = reader.show(path)
    try:
        text, warnings = reader.read_text(path)
    except Unreadable as exc:
        return None, [exc.problem]
    problem = _syntax_problem(text, shown) or (language and _plural_header_problem(text, shown, language))
    if problem:
        return None, [problem]
    try:
        locale = language.locale if language else None
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True)
    except PoFileError as exc:
        line = _entry_line(text, exc.lineno)
        if "num_plurals" in str(exc):
            return None, [
                Problem(shown, line, "this entry has more plural translations (msgstr[N]) than the"
                        " Plural-Forms header's nplurals", _PLURALS_HINT)
            ]  # fmt: skip
        reason = str(exc).rsplit(" on ", 1)[0]
        return None, [Problem(shown, line, f"the catalog cannot be read: {reason}")]
    _keep_previous_ids(catalog, text)
    return catalog, warnings + _duplicate_problems(text, shown)


def _keep_previous_ids(catalog: Catalog, text: str) -> None:
    """Read the '#| msgid' lines (the English a fuzzy translation was made for) into each entry.

    Babel reads them as translator comments and would write them back as '# | msgid'.
    """
    previous: dict[int, list[str]] = {}
    pending: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):
        if match := _PREVIOUS.match(line):
            if match["keyword"] or not pending:
                pending.append("")
            pending[-1] += unescape(match["string"])
        elif line.startswith("msgid "):
            if pending:
                previous[number] = pending
            pending = []
        elif not line.startswith(("#", "msgctxt ")):
            pending = []
    for message in catalog:
        if message.lineno in previous:
            message.previous_id = previous[message.lineno]
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]


_PREVIOUS = re.compile(r'^#\|\s*(?P<keyword>msgid(?:_plural)?\s+)?(?P<string>"(?:[^"\\]|\\.)*")\s*$')


def _message_problems(message: Message, catalog: Catalog, shown: str) -> list[Problem]:
    """Check one entry: plural forms, what the translation brings or loses, translated and not fuzzy."""
    problems = []
    source = first_id(message.id)
    forms = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
    try:
        num_plurals(catalog, message)
    except TranslationError as error:
        problems.append(Problem(shown, message.lineno, f"{source!r}: {error}", _PLURALS_HINT))
    english = " ".join(message.id if isinstance(message.id, (tuple, list)) else [message.id])
    found: dict[str, str] = {}  # message -> hint, once for all plural forms
    for form in filter(None, forms):
        found.update(_form_problems(english, form, plural=message.pluralizable))
    problems += [Problem(shown, message.lineno, f"{source!r}: {text}", hint) for text, hint in found.items()]
    if message.fuzzy:
        was = message.previous_id and first_id(message.previous_id)
        problems.append(
            Problem(shown, message.lineno, f"fuzzy (unchecked) translation of {source!r}"
                    + (f", made for the earlier English {was!r}" if was and was != source else "")
                    + ": the English text is shown until it is checked",
                    "check the translation, then delete the '#, fuzzy' line above it"
                    + (" and the '#| msgid' line" if was else ""), WARNING)
        )  # fmt: skip
    elif not all(forms):
        what = "is not translated yet" if not any(forms) else "is missing some of its plural forms"
        problems.append(
            Problem(shown, message.lineno, f"{source!r} {what}: the English text is shown",
                    "write the translation in msgstr", WARNING)
        )  # fmt: skip
    return problems


def _form_problems(english: str, form: str, plural: bool) -> dict[str, str]:
    """Compare one translation with its English text: markup and placeholders, brought or lost.

    A translation is text: the templates escape it, so markup would show as written,
    and a placeholder the template does not fill would stop the page. The English
    text may have placeholders; markup belongs in the template, not in either string.
    """
    found: dict[str, str] = {}
    have, wanted = _placeholders(form), _placeholders(english)
    free = {"num"} if plural else set()  # ngettext always gives num: a plural may use it or leave it out
    brought = [text for name, text in have if (name, text) not in wanted and name not in free]
    kept = {name for name, _ in have}
    lost = [text for name, text in wanted if name not in kept and name not in free]
    written = ", ".join(text for _, text in wanted) or "none"
    hint = f"use the placeholders of the English text as they are written ({written}); write a % sign as %%"
    if brought and lost:
        found[f"the translation has {', '.join(brought)} where the English text has {', '.join(lost)}"] = hint
    elif brought:
        found[f"the translation has {', '.join(brought)}, which the English text does not have"] = hint
    elif lost:
        found[f"the translation lost {', '.join(lost)}"] = _PLACEHOLDER_HINT
    if _LONE_PERCENT.search(_PLACEHOLDER_ANY.sub("", form)):
        found["the translation has a lone % sign"] = "write a percent sign as %% (for example: %%100)"
    markup = [tag for tag in html_markup(form) if tag not in html_markup(english)]
    if markup:
        found[f"the translation has HTML markup that the English text does not have: {', '.join(markup)}"] = (
            "a translation is plain text and is shown exactly as written: remove the tags and"
            " entities (write &, quotes and apostrophes as themselves)"
        )
    return found


def _placeholders(text: str) -> list[tuple[str, str]]:
    """Return (name, as written) of each placeholder of *text*, in order, once each."""
    found: dict[tuple[str, str], None] = {}
    for match in _PLACEHOLDER_ANY.finditer(text):
        if match.group() != "%%":
            found[(match["name"] if match["name"] is not None else match.group(), match.group())] = None
    return list(found)


def html_markup(text: str) -> list[str]:
    """Return the HTML tags and character references in *text*, each once: ["<b>", "&amp;"]."""
    found: dict[str, None] = {}
    for match in _MARKUP.finditer(text):
        tag = match["tag"]
        found[match.group() if not tag else f"<{tag}" if tag[0] in "!?" else f"<{tag.lower()}>"] = None
    return list(found)


# A %-format placeholder (named or not), %% (a percent sign), or a {name} of str.format / Jinja.
_PLACEHOLDER_ANY = re.compile(
    r"%%|%(?:\((?P<name>\w*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]|\{\{?\s*[\w.]*\s*\}\}?"
)
# The start of a tag, comment or declaration as an HTML parser sees it, or a character reference.
_MARKUP = re.compile(
    r"<(?P<tag>/?[A-Za-z][\w:-]*|!--|!|\?)|&(?:[A-Za-z][A-Za-z0-9]*|#\d+|#[xX][0-9A-Fa-f]+);"
)
_LONE_PERCENT = re.compile(r"%")
_PLURALS_HINT = "make the header and the entries agree"
_PLACEHOLDER_HINT = "keep every %(name)s placeholder of the English text in the translation, as it is written"
_PLURAL_FORMS = re.compile(r'^"Plural-Forms:\s*nplurals=(\d+);\s*plural=([^;"]+);?\s*(?:\\n)?"$')


def _plural_header_problem(text: str, shown: str, language: Language) -> Problem | None:
    """Check the Plural-Forms header line itself: a number of forms and a formula that works."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.startswith('"Plural-Forms:'):
            continue
        match = _PLURAL_FORMS.match(line.strip())
        usual = get_plural(language.locale).plural_forms
        if not match:
            return Problem(shown, number, "the Plural-Forms header cannot be read",
                           f"the usual header for {language.name} is: {usual}")  # fmt: skip
        count = int(match.group(1)[:3])  # CLDR's languages have one to six forms
        if not 1 <= count <= MAX_PLURALS or len(match.group(1)) > 3:
            return Problem(shown, number, f"the Plural-Forms header gives nplurals={match.group(1)[:10]},"
                           f" but a language has 1 to {MAX_PLURALS} plural forms",
                           f"the usual header for {language.name} is: {usual}")  # fmt: skip
        try:
            formula = gettext.c2py(match.group(2))
            works = count >= 1 and all(0 <= formula(n) < count for n in range(200))
        except (ValueError, SyntaxError):
            works = False
        if not works:
            return Problem(shown, number, f"the Plural-Forms header {line.strip()[1:-3]!r} does not work:"
                           " its formula must give a form below nplurals for every number",
                           f"the usual header for {language.name} is: {usual}")  # fmt: skip
    return None


def _duplicate_problems(text: str, shown: str) -> list[Problem]:
    """Report an entry written twice: gettext would silently use only one of them."""
    seen: dict[tuple[str, str], int] = {}
    problems = []
    context = ""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if line.startswith("msgctxt "):
            context = line
        elif line.startswith('msgid "') and line != 'msgid ""':
            following = lines[number] if number < len(lines) else ""
            if not following.startswith('"'):
                key = (context, line)
                if key in seen:
                    problems.append(
                        Problem(
                            shown,
                            number,
                            f"this entry repeats the one on line {seen[key]}",
                            "delete one of the two entries",
                        )  # fmt: skip
                    )
                seen.setdefault(key, number)
            context = ""
    return problems


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _syntax_problem(text: str, shown: str) -> Problem | None:
    """Return the first line that is not a comment, a keyword with a string, or a string.

    Babel keeps an escape it does not know (\\q, \\101) as a backslash and a letter, and
    writes it back doubled: only those that Babel and gettext read alike are allowed.
    """
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not _PO_LINE.match(stripped):
            return Problem(
                shown, number, f"this line of the catalog cannot be read: {stripped[:60]!r}",
                'each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation;'
                ' check for a missing closing quote',
            )  # fmt: skip
        strings = not stripped.startswith("#") or stripped.startswith(("#~", "#|"))  # (obsolete, previous)
        if strings and (escape := _UNKNOWN_ESCAPE.search(stripped)):
            return Problem(
                shown, number, f"this line of the catalog has an unknown escape: {escape[0][-2:]}",
                'a backslash starts an escape: write a backslash itself as \\\\, a double quote as \\"'
                " and a line break as \\n",
            )  # fmt: skip
    return None


_UNKNOWN_ESCAPE = re.compile(r'(?<!\\)(?:\\\\)*\\[^\\"ntr]')


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


def first_id(message_id: str | Sequence[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@functools.lru_cache(maxsize=4096)  # pages share few dates, and Babel takes long to format one
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
