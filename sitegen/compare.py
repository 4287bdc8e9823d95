"""Compare the language versions of one page: what one has and the other lacks.

A translation keeps the page's structure: the same sections in the same order, the same list
items, questions, links, pictures and numbers ("30 dakika" is "30 minutes"; "30" against "45"
is a slip). `compare_pages` reads two versions of a page (their Markdown text and their checked
front matter) and returns what is aligned with what and every such difference, each at the line
of the file where something is missing or differs. The preview shows it side by side
(sitegen/preview_views.py); ``check --translations`` reports the differences as warnings.

The text's sections are its level-2 headings (``## ...``), aligned in order: where one version
has a section the other lacks, the alignment leaves a gap there rather than shifting every
section after it, and a section found elsewhere in the other version is reported as moved. The
template's fixed sections come from the front matter: each field is compared with the same field.

Pages are written by editors, so the work is bounded: so many sections, numbers and differences
per page, and the rest is left out (the preview and the report say so).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .errors import WARNING, Problem
from .model import Page, Site

MAX_TEXT = 300_000  # characters of a page's text that are compared
MAX_SECTIONS = 300  # sections of a page's text (the rest is compared as part of the last one)
MAX_THINGS = 2_000  # links, pictures or numbers of one section
MAX_DIFFERENCES = 200  # differences reported for one pair of pages
MOVED_SIMILARITY = 0.75  # how alike two unaligned sections must be to count as one moved
GAP = 0.25  # what leaving a section unaligned costs, against pairing two (similarity 0 to 1)

# The kinds of difference.
SECTION_MISSING = "section-missing"
INTRO_MISSING = "intro-missing"
MOVED = "moved"
ITEMS = "items"
FIELD_MISSING = "field-missing"
LINK_MISSING = "link-missing"
IMAGE_MISSING = "image-missing"
NUMBERS = "numbers"

INTRO, SECTION, FIELD = "intro", "section", "field"

# Front-matter fields that are not text to translate: addresses, dates, names of files, choices.
_NOT_COMPARED = frozenset(
    {"layout", "slug", "nav_title", "menu", "weight", "draft", "previous_slugs", "author", "reviewed_by",
     "last_reviewed", "next_review", "updated", "image_alt", "medical_specialty", "type"}
)  # fmt: skip


# The headings the templates give the front-matter fields (the same msgids as the templates',
# so the preview shows them as the page does); a field not named here is shown by its name.
def N_(message: str) -> str:
    """Mark *message* for the catalogs; it is translated where it is shown."""
    return message


FIELD_TITLES = {
    "title": N_("Title"),
    "description": N_("Description"),
    "lead": N_("Introduction"),
    "image": N_("Picture"),
    "at_a_glance": N_("At a glance"),
    "at_a_glance.session_length": N_("Session length"),
    "at_a_glance.sessions": N_("Number of sessions"),
    "at_a_glance.downtime": N_("Downtime"),
    "at_a_glance.anaesthesia": N_("Anaesthesia"),
    "contraindications": N_("Who should not have it"),
    "preparation": N_("How to prepare"),
    "results": N_("Sessions and results"),
    "side_effects": N_("Possible side effects"),
    "warning_signs": N_("When to seek help"),
    "aftercare": N_("Aftercare"),
    "alternatives": N_("Alternatives"),
    "evidence": N_("How strong the evidence is"),
    "authorisation": N_("Who may perform it"),
    "faq": N_("Frequently asked questions"),
    "references": N_("References"),
    "procedure.how_performed": N_("How it is done (for search engines)"),
    "procedure.preparation": N_("Preparation (for search engines)"),
    "procedure.followup": N_("Follow-up (for search engines)"),
    "procedure.body_location": N_("Part of the body (for search engines)"),
    "specialty": N_("Specialty"),
    "registration": N_("Registration number"),
    "languages": N_("Languages spoken"),
    "certificates": N_("Certificates"),
}


@dataclass(frozen=True)
class Found:
    """A link, picture or number in one version: its value compared, as written, and its line."""

    value: str  # what is compared: the page a link leads to, a picture's name, a number normalised
    shown: str  # as written: "hair-mesotherapy.md", "1,5"
    line: int


@dataclass(frozen=True)
class Part:
    """One section of one version: a level-2 heading and the text up to the next, the text
    before the first heading (INTRO), or one front-matter field (FIELD)."""

    kind: str
    name: str  # the heading as written, or the field's name ("side_effects", "at_a_glance.downtime")
    line: int  # the heading's line, or the field's
    text: str  # the Markdown under the heading, or the field's text (items one a line)
    items: tuple[str, ...]  # list items (of the text, or of a list field)
    links: tuple[Found, ...]
    images: tuple[Found, ...]
    numbers: tuple[Found, ...]
    blocks: int = 0  # paragraphs, lists and the like (text between blank lines)


@dataclass(frozen=True)
class Version:
    """One language version of the page, read for the comparison."""

    lang: str
    path: str  # as shown in messages: content/treatments/mesotherapy.tr.md
    title: str
    sections: tuple[Part, ...]  # of the text, in order (the INTRO first, if there is text before a heading)
    fields: tuple[Part, ...]  # of the front matter, in schema order
    date: dt.date | None  # when it changed last, as far as is known
    dated_by: str  # where that date comes from: UPDATED, REVIEWED, MODIFIED, or "" (unknown)
    body_line: int
    cut: bool = False  # the page was longer than what is compared


UPDATED, REVIEWED, MODIFIED = "updated", "last_reviewed", "modified"


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side view: a part of each version (None: missing there)."""

    a: Part | None
    b: Part | None
    moved: bool = False  # aligned although the sections stand in a different order


@dataclass(frozen=True)
class Difference:
    """One difference, reported in the version *lang* at *line* of *path*."""

    kind: str
    lang: str
    path: str
    line: int
    row: int  # the index of its row in Comparison.rows (body) or Comparison.fields
    in_fields: bool
    values: tuple[tuple[str, str], ...]  # for the message: name -> value

    def value(self, name: str) -> str:
        return dict(self.values)[name]


@dataclass(frozen=True)
class Comparison:
    """Two versions of one page, aligned part by part, with what differs."""

    a: Version
    b: Version
    rows: tuple[Row, ...]  # the text's sections
    fields: tuple[Row, ...]  # the front matter's fields
    differences: tuple[Difference, ...]
    newer: str | None  # the language of the version changed last; None: the same day, or unknown
    truncated: bool = False  # more differences than MAX_DIFFERENCES: the rest are left out

    def version(self, lang: str) -> Version:
        return self.a if lang == self.a.lang else self.b

    def other(self, lang: str) -> Version:
        return self.b if lang == self.a.lang else self.a


def compare_pages(
    a: Page, b: Page, modified: Callable[[Page], dt.datetime | None] | None = None
) -> Comparison:
    """Compare two language versions of one page.

    Which changed last is told by the front matter's dates ('updated', 'last_reviewed'); where a
    version has none, by *modified* (the time its file was saved), when given.
    """
    languages = frozenset({a.lang, b.lang})
    first, second = read_version(a, languages, modified), read_version(b, languages, modified)
    rows = align(first.sections, second.sections)
    fields = _field_rows(first.fields, second.fields)
    found: list[Difference] = []
    for index, row in enumerate(rows):
        found += _row_differences(first, second, row, index, rows, in_fields=False)
    for index, row in enumerate(fields):
        found += _row_differences(first, second, row, index, fields, in_fields=True)
    newer = None
    if first.date and second.date and first.date != second.date:
        newer = first.lang if first.date > second.date else second.lang
    return Comparison(first, second, tuple(rows), tuple(fields), tuple(found[:MAX_DIFFERENCES]), newer,
                      len(found) > MAX_DIFFERENCES)  # fmt: skip


def read_version(
    page: Page, languages: frozenset[str], modified: Callable[[Page], dt.datetime | None] | None = None
) -> Version:
    """Read one version of a page: its text's sections and its front matter's fields."""
    source = page.source
    body = source.body[:MAX_TEXT]
    sections = _sections(body, source.body_line, page.section, page.lang, languages)
    meta = page.meta
    date: dt.date | None
    if meta.updated and (not meta.last_reviewed or meta.updated >= meta.last_reviewed):
        date, dated_by = meta.updated, UPDATED
    elif meta.last_reviewed:
        date, dated_by = meta.last_reviewed, REVIEWED
    else:
        saved = modified(page) if modified else None
        date, dated_by = (saved.date(), MODIFIED) if saved else (None, "")
    return Version(page.lang, source.shown, page.title, tuple(sections), tuple(_fields(page, languages)),
                   date, dated_by, source.body_line, len(source.body) > MAX_TEXT)  # fmt: skip


# -- the text -------------------------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_HEADING2 = re.compile(r"^[ \t]{0,3}##[ \t]+(.*?)[ \t#]*$")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_IMAGE = re.compile(r"!\[[^\]\n]{0,1000}\]\(\s*<?([^)\s>]{1,2000})")
_LINK = re.compile(
    r"(?<!!)\[[^\]\n]{0,1000}\]\(\s*<?([^)\s>]{1,2000})|<((?:https?|mailto|tel):[^<>\s]{1,2000})>"
)
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]{1,1000}\]:[ \t]*<?(\S{1,2000}?)>?(?:[ \t].*)?$")
_TARGETS = re.compile(r"\]\([^)\n]{0,2000}\)|<(?:https?|mailto|tel):[^<>\s]{0,2000}>|<[^<>\n]{0,500}>")


def _sections(body: str, first_line: int, folder: str, lang: str, languages: frozenset[str]) -> list[Part]:
    """Split *body* (which starts at *first_line* of its file) at its level-2 headings."""
    starts: list[tuple[str, int, str]] = []  # (kind, line, heading)
    lines = body.split("\n")
    in_fence = False
    starts.append((INTRO, first_line, ""))
    bounds = [0]
    for number, text in enumerate(lines):
        if _FENCE.match(text):
            in_fence = not in_fence
            continue
        found = None if in_fence else _HEADING2.match(text)
        if found and len(starts) <= MAX_SECTIONS:  # the sections, and the text before them
            starts.append((SECTION, first_line + number, found[1].strip()))
            bounds.append(number)
    bounds.append(len(lines))
    parts = []
    for (kind, line, heading), start, end in zip(starts, bounds, bounds[1:], strict=False):
        chunk = lines[start + (kind == SECTION) : end]
        part = _text_part(kind, heading, line, chunk, line + (kind == SECTION), folder, lang, languages)
        if kind == INTRO and not part.text.strip():
            continue  # no text before the first heading: nothing to align
        parts.append(part)
    return parts


def _text_part(
    kind: str,
    name: str,
    line: int,
    chunk: list[str],
    first: int,
    folder: str,
    lang: str,
    languages: frozenset[str],
) -> Part:
    """Read one section: its list items, links, pictures and numbers, each with its line."""
    items, links, images, numbers = [], [], [], []
    blocks, blank, in_fence = 0, True, False
    if name:  # the numbers of a heading count as the section's ("Step 2")
        numbers += _numbers(name, line, lang)
    for offset, text in enumerate(chunk):
        at = first + offset
        if _FENCE.match(text):
            in_fence = not in_fence
        if not text.strip():
            blank = True
            continue
        if blank:
            blocks += 1
        blank = False
        if in_fence:
            continue
        marker = _LIST_ITEM.match(text)
        if marker:
            items.append(text[marker.end() :].strip())
            text = text[marker.end() :]
        reference = _REFERENCE.match(text)
        if reference:
            links.append(_link(reference[1], folder, languages, at))
            continue
        images += [Found(m[1], m[1], at) for m in _IMAGE.finditer(text)]
        links += [_link(m[1] or m[2], folder, languages, at) for m in _LINK.finditer(text)]
        numbers += _numbers(_TARGETS.sub(" ", text), at, lang)
    return Part(kind, name, line, "\n".join(chunk).strip(), tuple(items), _bounded(links), _bounded(images),
                _bounded(numbers), blocks)  # fmt: skip


def _bounded(found: list[Found]) -> tuple[Found, ...]:
    return tuple(f for f in found if f.value)[:MAX_THINGS]


def _link(target: str, folder: str, languages: frozenset[str], line: int) -> Found:
    """A link as compared: the page a link to a .md file leads to (whatever its language), or the
    address as written without its #anchor (anchors are named in each language); an anchor of the
    page itself is not compared."""
    address = target.split("#", 1)[0].split("?", 1)[0]
    if not address:
        return Found("", target, line)
    if "://" not in address and address.lower().endswith(".md"):
        base = "" if address.startswith("/") else folder
        stem = posixpath.normpath(posixpath.join(base, address.lstrip("/")))[: -len(".md")]
        name, dot, suffix = stem.rpartition(".")
        if dot and suffix in languages:
            stem = name
        return Found(f"page:{stem}", target, line)
    return Found(address.rstrip("/") if "://" in address else address, target, line)


# -- numbers --------------------------------------------------------------------------------------

# A number as written: digits, with thousands separators or a decimal sign between them.
_NUMBER = re.compile(r"(?<![^\W\d_])\d{1,20}(?:[.,]\d{1,20}){0,6}")


@functools.lru_cache(maxsize=32)
def _decimal_sign(lang: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.numbers import get_decimal_symbol

    try:
        return get_decimal_symbol(lang)
    except (UnknownLocaleError, ValueError):
        return "."


def normalise_number(token: str, lang: str) -> list[str]:
    """Return the number(s) *token* means in *lang*: "1,5" in Turkish is 1.5, "1.000" is 1000,
    "1,000" in English is 1000; "27.10.2014" is three numbers."""
    decimal = _decimal_sign(lang) if lang else "."
    thousands = "." if decimal == "," else ","
    t, d = re.escape(thousands), re.escape(decimal)
    if re.fullmatch(rf"\d{{1,3}}(?:{t}\d{{3}})+(?:{d}\d+)?", token):
        whole, _, fraction = token.replace(thousands, "").partition(decimal)
    elif re.fullmatch(r"\d+[.,]\d+", token):  # one sign: a decimal, in either language's way
        whole, _, fraction = token.replace(",", ".").partition(".")
    elif re.fullmatch(r"\d+", token):
        whole, fraction = token, ""
    else:  # several signs that are not thousands: a date (27.10.2014), a version (1.2.3)
        return [n for part in re.split(r"[.,]", token) for n in normalise_number(part, lang)]
    whole, fraction = whole.lstrip("0") or "0", fraction.rstrip("0")
    return [f"{whole}.{fraction}" if fraction else whole]


def _numbers(text: str, line: int, lang: str) -> list[Found]:
    """The numbers of *text*; a date counts as one, however it is written (27.10.2014 is
    27 Ekim 2014 and 27 October 2014)."""
    dates = []
    for match in _dates(lang).finditer(text):
        value = _date_value(match, lang)
        if value:
            dates.append(Found(value, match.group(), line))
    text = _dates(lang).sub(lambda m: " " if _date_value(m, lang) else m.group(), text)
    return dates + [
        Found(value, match.group(), line)
        for match in _NUMBER.finditer(text)
        for value in normalise_number(match.group(), lang)
    ]


@functools.lru_cache(maxsize=32)
def _months(lang: str) -> dict[str, int]:
    """The month names of *lang*, wide and abbreviated, folded: {"ekim": 10, "oct": 10, ...}."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        try:
            found = get_month_names(width, locale=lang or "en")
        except (UnknownLocaleError, ValueError):
            found = get_month_names(width, locale="en")
        names.update((str(name).casefold().rstrip("."), number) for number, name in found.items())
    return names


@functools.lru_cache(maxsize=32)
def _dates(lang: str) -> re.Pattern[str]:
    months = "|".join(sorted(map(re.escape, _months(lang)), key=len, reverse=True))
    return re.compile(
        rf"(?<!\d)(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})(?!\d)"
        rf"|(?<![\d.,])(?P<d>\d{{1,2}})[./](?P<m>\d{{1,2}})[./](?P<y>\d{{4}})(?!\d)"
        rf"|(?<!\d)(?P<d2>\d{{1,2}})\.?[ \t]+(?P<month>{months})\.?[ \t]+(?P<y2>\d{{4}})(?!\d)"
        rf"|\b(?P<month3>{months})\.?[ \t]+(?P<d3>\d{{1,2}}),?[ \t]+(?P<y3>\d{{4}})(?!\d)",
        re.IGNORECASE,
    )


def _date_value(match: re.Match[str], lang: str) -> str | None:
    """The date *match* names, as 2014-10-27; None if it is no date (31.02.2020)."""
    if match["iso"]:
        year, month, day = (int(n) for n in match["iso"].split("-"))
    elif match["d"]:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    else:
        name = (match["month"] or match["month3"]).casefold().rstrip(".")
        month = _months(lang).get(name, 0)
        year, day = int(match["y2"] or match["y3"]), int(match["d2"] or match["d3"])
    try:
        return "date:" + dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# -- the front matter -----------------------------------------------------------------------------


def _fields(page: Page, languages: frozenset[str]) -> list[Part]:
    """One part per front-matter field that holds text to translate, in the schema's order."""
    meta, front = page.meta, page.source.front
    parts = []
    for spec in dataclasses.fields(meta):
        name = spec.name
        value = getattr(meta, name)
        if name in _NOT_COMPARED or value in (None, (), ""):
            continue
        if dataclasses.is_dataclass(value):  # a group of fields: each on its own
            for sub in dataclasses.fields(value):
                inner = getattr(value, sub.name)
                if sub.name in _NOT_COMPARED or not isinstance(inner, str):
                    continue
                parts.append(_field_part(page, f"{name}.{sub.name}", [(front.line_of(name, sub.name),
                                         inner)], languages))  # fmt: skip
            continue
        if isinstance(value, tuple):
            entries = []
            for index, item in enumerate(value):
                texts = (
                    [(front.line_of(name, index, key), v) for key, v in dataclasses.asdict(item).items() if v]
                    if dataclasses.is_dataclass(item) and not isinstance(item, type)
                    else [(front.line_of(name, index), item)]
                )
                entries.append(texts)
            parts.append(_list_part(page, name, entries, languages))
        elif name == "image":
            line = front.line_of(name)
            parts.append(
                Part(FIELD, name, line, str(value), (), (), (Found(str(value), str(value), line),), ())
            )
        elif isinstance(value, str):
            parts.append(_field_part(page, name, [(front.line_of(name), value)], languages))
    return parts


def _field_part(page: Page, name: str, texts: list[tuple[int, str]], languages: frozenset[str]) -> Part:
    links: list[Found] = []
    numbers: list[Found] = []
    images: list[Found] = []
    for line, text in texts:
        text = str(text)[:MAX_TEXT]
        images += [Found(m[1], m[1], line) for m in _IMAGE.finditer(text)]
        if "://" in text and " " not in text.strip():  # an address: a reference's url
            links.append(_link(text.strip(), page.section, languages, line))
            continue
        links += [_link(m[1] or m[2], page.section, languages, line) for m in _LINK.finditer(text)]
        numbers += _numbers(_TARGETS.sub(" ", text), line, page.lang)
    shown = "\n".join(str(text) for _, text in texts)
    line = page.source.front.line_of(*name.split("."))
    return Part(FIELD, name, line, shown, (), _bounded(links), _bounded(images), _bounded(numbers))


def _list_part(
    page: Page, name: str, entries: list[list[tuple[int, object]]], languages: frozenset[str]
) -> Part:
    flat = [(line, str(text)) for texts in entries for line, text in texts]
    part = _field_part(page, name, flat, languages)
    items = tuple(" — ".join(str(text) for _, text in texts) for texts in entries)
    return dataclasses.replace(part, items=items, text="\n".join(items))


def _field_rows(a: Sequence[Part], b: Sequence[Part]) -> list[Row]:
    """The fields side by side, by name, in the schema's order (a's, then those only b has)."""
    theirs = {part.name: part for part in b}
    ours = {part.name for part in a}
    rows = [Row(part, theirs.get(part.name)) for part in a]
    return rows + [Row(None, part) for part in b if part.name not in ours]


# -- aligning the sections ------------------------------------------------------------------------


def _overlap(a: Iterable[str], b: Iterable[str]) -> float:
    first, second = Counter(a), Counter(b)
    union = sum((first | second).values())
    return sum((first & second).values()) / union if union else 1.0


def _ratio(x: int, y: int) -> float:
    return min(x, y) / max(x, y) if max(x, y) else 1.0


def similarity(a: Part, b: Part) -> float:
    """How alike two sections are in shape (0 to 1): their length, paragraphs, list items,
    links, pictures and numbers. Translations are alike; different sections seldom are."""
    if a.kind != b.kind:
        return 0.0
    scores = (
        _ratio(len(a.text), len(b.text)),
        _ratio(a.blocks, b.blocks),
        _ratio(len(a.items), len(b.items)),
        _overlap((f.value for f in a.links), (f.value for f in b.links)),
        _overlap((f.value for f in a.images), (f.value for f in b.images)),
        _overlap((f.value for f in a.numbers), (f.value for f in b.numbers)),
    )
    return sum(scores) / len(scores)


def align(a: Sequence[Part], b: Sequence[Part]) -> list[Row]:
    """Align the sections of two versions in order, leaving a gap where one has a section the
    other lacks (placed where the sections around it fit best); then pair the unaligned sections
    that are alike as one section moved."""
    n, m = len(a), len(b)
    similar = [[similarity(x, y) for y in b] for x in a]
    # score[i][j]: the best alignment of a[i:] with b[j:]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            options = []
            if i < n and j < m and a[i].kind == b[j].kind:
                options.append(similar[i][j] + score[i + 1][j + 1])
            if i < n:
                options.append(score[i + 1][j] - GAP)
            if j < m:
                options.append(score[i][j + 1] - GAP)
            score[i][j] = max(options)
    rows: list[Row] = []
    i = j = 0
    while i < n or j < m:
        pair = i < n and j < m and a[i].kind == b[j].kind
        if pair and abs(score[i][j] - (similar[i][j] + score[i + 1][j + 1])) < 1e-9:
            rows.append(Row(a[i], b[j]))
            i, j = i + 1, j + 1
        elif i < n and abs(score[i][j] - (score[i + 1][j] - GAP)) < 1e-9:
            rows.append(Row(a[i], None))
            i += 1
        else:
            rows.append(Row(None, b[j]))
            j += 1
    return _pair_moved(rows, similar, a, b)


def _pair_moved(
    rows: list[Row], similar: list[list[float]], a: Sequence[Part], b: Sequence[Part]
) -> list[Row]:
    """Pair a section left alone in each version with its like in the other, as moved."""
    index_a = {id(part): i for i, part in enumerate(a)}
    index_b = {id(part): j for j, part in enumerate(b)}
    alone_b = [row.b for row in rows if row.a is None and row.b is not None]
    taken: set[int] = set()
    result: list[Row] = []
    for row in rows:
        if row.b is None and row.a is not None:
            i = index_a[id(row.a)]
            best = max(
                (part for part in alone_b if id(part) not in taken),
                key=lambda part: similar[i][index_b[id(part)]],
                default=None,
            )
            if best is not None and similar[i][index_b[id(best)]] >= MOVED_SIMILARITY:
                taken.add(id(best))
                result.append(Row(row.a, best, moved=True))
                continue
        result.append(row)
    return [row for row in result if not (row.a is None and row.b is not None and id(row.b) in taken)]


# -- the differences ------------------------------------------------------------------------------


def _where(version: Version, line: int) -> str:
    return f"{version.path}:{line}"


def _row_differences(
    a: Version, b: Version, row: Row, index: int, rows: Sequence[Row], in_fields: bool
) -> list[Difference]:
    found: list[Difference] = []

    def add(kind: str, version: Version, line: int, **values: str) -> None:
        found.append(Difference(kind, version.lang, version.path, line, index, in_fields,
                                tuple(values.items())))  # fmt: skip

    if row.a is None or row.b is None:
        present, version = (row.b, a) if row.a is None else (row.a, b)  # version: where it is missing
        assert present is not None
        other = b if version is a else a
        where = _where(other, present.line)
        line = _place(version, "a" if version is a else "b", rows, index, in_fields)
        if present.kind == INTRO:
            add(INTRO_MISSING, version, line, where=where)
        elif present.kind == SECTION:
            add(SECTION_MISSING, version, line, heading=present.name, where=where)
        else:
            add(FIELD_MISSING, version, line, field=present.name, where=where)
        return found
    if row.moved:
        add(MOVED, a, row.a.line, heading=row.b.name, where=_where(b, row.b.line))
        add(MOVED, b, row.b.line, heading=row.a.name, where=_where(a, row.a.line))
    if len(row.a.items) != len(row.b.items):
        fewer, more = (a, row.a), (b, row.b)
        if len(row.a.items) > len(row.b.items):
            fewer, more = more, fewer
        add(ITEMS, fewer[0], fewer[1].line, here=str(len(fewer[1].items)), there=str(len(more[1].items)),
            where=_where(more[0], more[1].line), field=row.a.name if in_fields else "")  # fmt: skip
    for here, part, there, counterpart in ((a, row.a, b, row.b), (b, row.b, a, row.a)):
        for kind, mine, theirs in ((LINK_MISSING, part.links, counterpart.links),
                                   (IMAGE_MISSING, part.images, counterpart.images)):  # fmt: skip
            for missing in _missing(mine, theirs):
                add(kind, here, part.line, target=missing.shown, where=_where(there, missing.line))
        lacking = _missing(part.numbers, counterpart.numbers)
        if lacking:
            extra = _missing(counterpart.numbers, part.numbers)
            add(NUMBERS, here, extra[0].line if extra else part.line, numbers=_shown(lacking),
                ours=_shown(extra), where=_where(there, lacking[0].line))  # fmt: skip
    return found


def _shown(found: Sequence[Found]) -> str:
    return ", ".join(f.shown for f in found)


def _missing(mine: Sequence[Found], theirs: Sequence[Found]) -> list[Found]:
    """What *theirs* has more often than *mine*, in their order, once per time it is missing."""
    left = Counter(f.value for f in mine)
    missing = []
    for found in theirs:
        if left[found.value] > 0:
            left[found.value] -= 1
        else:
            missing.append(found)
    return missing


def _place(version: Version, side: str, rows: Sequence[Row], index: int, in_fields: bool) -> int:
    """The line of *version* (the *side* of the rows) after which the part of row *index* that it
    lacks would go: the part before it that this version has, or the start of its text (of its
    front matter: its first field)."""
    for row in reversed(rows[:index]):
        part: Part | None = getattr(row, side)
        if part is not None:
            return part.line
    if in_fields:
        return min((p.line for p in version.fields), default=2)
    return version.body_line


# -- words ----------------------------------------------------------------------------------------

Gettext = Callable[[str], str]


def _english(message: str) -> str:
    return message


def field_label(name: str, gettext: Gettext = _english) -> str:
    """A field as the page shows it: 'Possible side effects' (or its translation)."""
    title = FIELD_TITLES.get(name)
    return gettext(title) if title else name


def describe(
    difference: Difference, gettext: Gettext = _english, label: Callable[[str], str] | None = None
) -> tuple[str, str]:
    """Return the message and the hint of *difference*, in the language of *gettext*.

    *label* names a front-matter field: by default as in the file ('side_effects').
    """
    _ = gettext
    name = label or (lambda field: f"'{field}'")
    v = dict(difference.values)
    kind = difference.kind
    if kind == SECTION_MISSING:
        message = _(
            "the other version has a section '%(heading)s' here (%(where)s) that this page does not have"
        )
        hint = _("translate it here, after the section above, or remove it from the other version")
    elif kind == INTRO_MISSING:
        message = _(
            "the other version has text before its first heading (%(where)s) that this page does not have"
        )
        hint = _("translate it here, at the start of the text, or remove it from the other version")
    elif kind == MOVED:
        message = _("this section is in another place in the other version: '%(heading)s' (%(where)s)")
        hint = _("put the sections in the same order in both versions")
    elif kind == ITEMS and v["field"]:
        v["field"] = name(v["field"])
        message = _("%(field)s has %(here)s entries here and %(there)s in the other version (%(where)s)")
        hint = _("add the missing entry, or remove the extra one: each entry needs its translation")
    elif kind == ITEMS:
        message = _("this section has %(here)s list items and the other version's has %(there)s (%(where)s)")
        hint = _("add the missing item, or remove the extra one: each item needs its translation")
    elif kind == FIELD_MISSING:
        v["field"] = name(v["field"])
        message = _("%(field)s is missing here; the other version has it (%(where)s)")
        hint = _("translate it here, or remove it from the other version")
    elif kind == LINK_MISSING:
        message = _("the other version links to %(target)s here (%(where)s); this one does not")
        hint = _("add the link to this version, or remove it from the other one")
    elif kind == IMAGE_MISSING:
        message = _("the other version shows the picture %(target)s here (%(where)s); this one does not")
        hint = _(
            "add the picture here with a description in this language, or remove it from the other version"
        )
    elif v["ours"]:
        message = _("the other version has %(numbers)s here (%(where)s) where this one has %(ours)s")
        hint = _("check the numbers: a translation keeps every number (30 dakika, 30 minutes)")
    else:
        message = _("the other version has %(numbers)s here (%(where)s), which this one does not")
        hint = _("check the numbers: a translation keeps every number (30 dakika, 30 minutes)")
    return message % v, hint


def problems(comparison: Comparison) -> list[Problem]:
    """The differences as warnings at their file and line, in English (``check --translations``)."""
    found = []
    for difference in comparison.differences:
        message, hint = describe(difference)
        found.append(Problem(difference.path, difference.line, message, hint, WARNING))
    if comparison.truncated:
        found.append(
            Problem(comparison.a.path, None, f"more than {MAX_DIFFERENCES} differences from"
                    f" {comparison.b.path}: only the first are listed", "start with these", WARNING)
        )  # fmt: skip
    return found


def site_problems(site: Site, modified: Callable[[Page], dt.datetime | None] | None = None) -> list[Problem]:
    """The differences of every page written in more than one language: each version compared
    with the one in the site's first language (``check --translations``)."""
    found = []
    for key in sorted({page.key for page in site.pages}):
        versions = [p for p in (site.page(key, code) for code in site.config.language_codes) if p]
        for other in versions[1:]:
            found += problems(compare_pages(versions[0], other, modified))
    return found
