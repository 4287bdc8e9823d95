"""Placeholders: values still to be replaced with the clinic's real data, found by their text.

The check reads the text itself, so a placeholder is still found after a web editor
saved the file without its comments:

- a bracketed blank: ``[klinik tarafından doldurulacak: ...]``, ``[to be completed by the clinic: ...]``;
- a value marked ``(yer tutucu)`` or ``(placeholder)``, and a sample name: "Dr. Ad Soyad", "Dr Name Surname";
- a reserved example address: ``example.com``, ``info@example.com.tr``, ``www.clinic.example``;
- a telephone number whose subscriber part is all zeros: ``+90 212 000 00 00``, ``0212 000 00 00``;
- a placeholder picture: a file name with "placeholder" in it;
- in YAML, a value marked with a ``# PLACEHOLDER`` comment, a page's address made of a sample name
  (``slug: ad-soyad``), or a value named in site.yaml's ``placeholders:`` list.

A placeholder is found however the text is wrapped (a web editor folds long YAML values, a
translator wraps a paragraph, a catalog continues a string on the next line) and whatever hides
it from a plain search without changing how it reads (a no-break space, an invisible character, a
character reference, a letter of another script that looks the same).

Each is a note in a plain build and the preview; the publishing build (``--strict``) refuses
them, unless it is told ``--allow-placeholders`` (the repository's own content keeps its
placeholders until the clinic sends its data).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import NOTE, Problem
from .lint import plain_text  # what the health-information lint reads: as a reader sees it


@dataclass(frozen=True)
class Marker:
    what: str  # how the message names it
    pattern: re.Pattern[str]
    hint: str
    # Searched in the text in small letters, each quick to search (it starts with a fixed
    # character): no match is possible without one of them.
    gates: tuple[re.Pattern[str], ...] = ()


def _gates(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


_REPLACE = "the publishing build refuses placeholders"
_LONG = 300  # the most a blank holds between its brackets: a bracket left open matches nothing far away
_NEAR = 5  # the lines around a changed one that a placeholder starting or ending there may span

# A blank is a note to the clinic in square brackets. Its verb is a predicate ("... doldurulacak:",
# "[to be completed]"), never a word describing what follows: "[randevudan önce doldurulacak onam
# formu](onam.pdf)" and "[a form to be completed before your visit](form.pdf)" are real links.
_TR_TO_DO = (
    r"(?:doldurulacak|tamamlanacak|yazılacak)(?:tır)?"
    r"|(?:eklenecek|girilecek|belirtilecek|güncellenecek)(?:tir)?"
)
_EN_TO_DO = (
    r"to\s+be\s+(?:completed|filled\s+in|filled|provided|confirmed|added|supplied|inserted|written|decided"
    r"|determined|updated)"
)
_IN = rf"[^\[\]]{{0,{_LONG}}}?(?<!\w)"  # what comes before the verb, inside the brackets
_BLANK = (
    # a note to the clinic: "[klinik tarafından doldurulacak ...]", "[to be completed by the clinic ...]"
    rf"\[{_IN}(?:klini\w*\s+tarafından\s+(?:{_TR_TO_DO})|(?:{_EN_TO_DO})\s+by\s+the\s+(?:clinic|practice))"
    rf"[^\]]{{0,{_LONG}}}\]"
    # the verb as the predicate: "[... doldurulacak: ...]", "[to be confirmed]", "[eklenecek...]"
    rf"|\[{_IN}(?:{_TR_TO_DO}|{_EN_TO_DO})(?!\w)(?=\s*:|[.…]*\s*\])[^\]]{{0,{_LONG}}}\]"
    rf"|\[{_IN}(?-i:(?:TODO|TBD|TBC|FIXME)(?!\w))[^\]]{{0,{_LONG}}}\]"
    r"|\[\s*_{3,}\s*\]"  # a line to write on
)
_TITLE = r"(?:Dr|Dt|Uzm|Op|Doç|Prof|Yrd|Mr|Mrs|Ms)\.?\s+"
_SAMPLE = r"Ad\s+Soyad|Adı\s+Soyadı|Name\s+Surname|First\s*name\s+Last\s*name"
_SEP = r"[\s.\-]*"
MARKERS = (
    Marker("a blank to fill in", re.compile(_BLANK, re.IGNORECASE),
           f"write the clinic's real text in place of the brackets ({_REPLACE})", _gates(r"\[")),
    Marker("a value marked as a placeholder",
           re.compile(r"[(\[]\s*(?:yer\s+tutucu|placeholder)\s*[)\]]", re.IGNORECASE),
           f"write the real value and delete the marker ({_REPLACE})", _gates("tutucu", "placeholder")),
    # A sample name where a person is named: after a title. "ad soyad" in a list of the data a
    # notice names, or "Ad Soyad:" as a form's label, is real text.
    Marker("a sample name", re.compile(rf"(?<!\w)(?:{_TITLE})+(?:{_SAMPLE})(?!\w)", re.IGNORECASE),
           f"write the doctor's real name ({_REPLACE})",
           _gates(r"\ssoyad", "surname", r"last\s*name")),
    Marker("a sample text", re.compile(r"(?<!\w)lorem\s+ipsum(?!\w)", re.IGNORECASE),
           f"write the page's real text ({_REPLACE})", _gates("lorem")),
    Marker("an example address",
           re.compile(r"(?<![\w-])(?:example|ornek|örnek)\.(?:com|net|org|edu)(?:\.[a-z]{2})?(?![\w-])"
                      r"|(?<=[\w-])\.example(?![\w-])(?!\.[a-z])", re.IGNORECASE),
           f"write the clinic's real address ({_REPLACE})",
           _gates(r"example\.", r"\.example", r"ornek\.", r"örnek\.")),
    # A country code or the trunk 0 (or neither), an area code, then a subscriber number of zeros
    # however it is grouped: +90 212 000 00 00, 0 (212) 000 00 00, +902120000000, +44 20 0000 0000.
    Marker("a telephone number of zeros",
           # With a country code or the trunk 0, the groups may run together (+902120000000); without
           # either, only a number written in groups is one (212 000 00 00), not 400000000 or 1000000000.
           re.compile(rf"(?<![\w+])(?:(?:\+|00)\d{{1,3}}{_SEP}|0{_SEP})\(?\d{{2,4}}\)?{_SEP}"
                      rf"(?:0{{3}}{_SEP}0{{2}}{_SEP}0{{2}}|0{{3}}{_SEP}0{{4}}|0{{4}}{_SEP}0{{4}})(?![\d])"
                      rf"|(?<![\w+])\(?\d{{2,4}}\)?[\s.\-]+"
                      rf"(?:0{{3}}[\s.\-]+0{{2}}[\s.\-]+0{{2}}|0{{3}}[\s.\-]+0{{4}}|0{{4}}[\s.\-]+0{{4}})(?![\d])"),
           f"write the clinic's real number ({_REPLACE})",
           _gates(r"000[\s.\-]*00[\s.\-]*00", r"0000[\s.\-]*0000")),
    Marker("a placeholder picture",
           re.compile(r"(?:placeholder|yer[-_ ]?tutucu)[\w.-]*\.(?:svg|png|jpe?g|webp|avif|gif|ico)(?![\w-])",
                      re.IGNORECASE),
           f"put the clinic's own picture in its place ({_REPLACE})", _gates("placeholder", "tutucu")),
)  # fmt: skip
# Shown whole: the address with its host, the picture with its path.
_WIDEN = {"an example address": re.compile(r"[\w.-]"), "a placeholder picture": re.compile(r"[\w./-]")}
LISTED = Marker("a value site.yaml lists under 'placeholders'", re.compile(r"$^"),
                f"replace the value, then take it off the 'placeholders' list ({_REPLACE})")  # fmt: skip
COMMENT = Marker(
    "a value marked '# PLACEHOLDER'",
    re.compile(r"\S.*?\s#\s*(?:PLACEHOLDER|YER\s+TUTUCU)\b", re.IGNORECASE),
    f"replace the value with the clinic's real data, then delete the marker ({_REPLACE})",
)
# In YAML: a person's sample name as the whole value, and a page's address made of one.
_YAML_MARKERS = (
    Marker("a sample name",
           re.compile(rf"""^\s*(?:-\s+)?(?:[\w-]+:\s+)?(["']?)({_SAMPLE})\1\s*(?:\s#.*)?$""", re.IGNORECASE),
           f"write the doctor's real name ({_REPLACE})"),
    Marker("a sample name in the page's address",
           re.compile(r"""^slug:\s*(["']?)(ad-soyad|adi-soyadi|name-surname)\1\s*(?:\s#.*)?$""",
                      re.IGNORECASE),
           "write the address made of the doctor's real name, such as ayse-yilmaz: once published, an"
           f" address is hard to change ({_REPLACE})"),
)  # fmt: skip


def placeholder(path: str, line: int, marker: Marker, found: str) -> Problem:
    """Return the note of one placeholder (``--strict`` makes it an error)."""
    found = " ".join(found.split())  # a value folded over lines is shown on one
    shown = found if len(found) <= 70 else found[:67] + "..."
    return Problem(path, line, f"placeholder: {marker.what}, {shown!r}", marker.hint, NOTE, placeholder=True)


def find_placeholders(path: str, text: str, first_line: int = 1, yaml_lines: int = 0) -> list[Problem]:
    """Return a note for each line of *text* where a placeholder starts, the first one found on it.

    *text* starts at line *first_line* of *path*; its first *yaml_lines* lines are YAML, where a
    '# PLACEHOLDER' comment marks a value too. A catalog (.po) and a template (.html) are read as
    what they publish: a catalog's translations without its comments, a template without its
    {# comments #}."""
    lines = text.split("\n")
    found: dict[int, tuple[int, int, Problem]] = {}  # line -> (marker's rank, column, note)

    def note(index: int, rank: int, column: int, marker: Marker, value: str) -> None:
        if index not in found or (rank, column) < found[index][:2]:
            found[index] = (rank, column, placeholder(path, first_line + index, marker, value))

    for index in range(min(yaml_lines, len(lines))):
        line = lines[index]
        if line.lstrip().startswith("#"):
            lines[index] = ""  # a comment of the YAML: never published
        elif match := COMMENT.pattern.match(line.strip()):
            value = match[0].rpartition("#")[0].strip()
            note(index, -1, 0, COMMENT, value or line.strip())
        else:
            for rank, marker in enumerate(_YAML_MARKERS):
                if match := marker.pattern.match(line):
                    note(index, len(MARKERS) + rank, 0, marker, match[2])
    readable = _readable(path, lines, yaml_lines)
    _search(readable, note)
    plain = plain_text(readable)
    if plain != readable:  # hidden from a plain search: found as a reader sees it, near the lines it changed
        lines, plain_lines = readable.split("\n"), plain.split("\n")
        changed = [index for index, line in enumerate(plain_lines) if line != lines[index]]
        near = {n for index in changed for n in range(index - _NEAR, index + _NEAR + 1)}
        kept = [line if index in near else "" for index, line in enumerate(plain_lines)]
        _search("\n".join(kept), note, skip=set(found))
    return [entry[2] for _, entry in sorted(found.items())]


Note = Callable[[int, int, int, Marker, str], None]  # line, marker's rank, column, marker, value


def _search(text: str, note: Note, skip: set[int] | None = None) -> None:
    """Call *note* for each marker found in *text*, at the line it starts on."""
    folded = text.replace("İ", "i").lower()  # the same length: "İ".lower() alone is two characters
    starts = [0] + [match.end() for match in re.finditer("\n", text)]
    for rank, marker in enumerate(MARKERS):
        if marker.gates and not any(gate.search(folded) for gate in marker.gates):
            continue
        for match in marker.pattern.finditer(text):
            index = bisect.bisect_right(starts, match.start()) - 1
            if skip and index in skip:
                continue
            start, end = match.span()
            if widen := _WIDEN.get(marker.what):  # the whole address or path the match is part of
                while start > starts[index] and widen.match(text, start - 1):
                    start -= 1
                while end < len(text) and widen.match(text, end):
                    end += 1
            value = text[start:end].rstrip(".") if widen else text[start:end]
            note(index, rank, match.start() - starts[index], marker, value)


_YAML_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([ _NLPt\"\\/]))")
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


def _readable(path: str, lines: list[str], yaml_lines: int) -> str:
    """Return the text as it reads, line for line: what YAML's escapes and continued lines, a
    catalog's continued strings and a template's comments hide, undone, every line where it was."""
    lines = list(lines)
    for index in range(min(yaml_lines, len(lines))):
        line = lines[index]
        if "\\" not in line:
            continue
        following = index + 1
        while line.endswith("\\") and following < yaml_lines:  # a double-quoted value continued: one word
            line, lines[following] = line[:-1] + lines[following].lstrip(), ""
            following += 1
        lines[index] = _YAML_ESCAPE.sub(_unescape, line)
    if path.endswith(".po"):
        for index, line in enumerate(lines):
            if line.startswith("#"):
                lines[index] = ""  # translators' comments and references: never published
            elif line.endswith('"') and index + 1 < len(lines) and lines[index + 1].startswith('"'):
                lines[index] = line[:-1] + " "  # the string goes on in the next line's quotes
                lines[index + 1] = " " + lines[index + 1][1:]
    text = "\n".join(lines)
    if path.endswith(".html") and "{#" in text:
        text = _JINJA_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)
    return text


def _unescape(match: re.Match[str]) -> str:
    code = match[1] or match[2] or match[3]
    if code:
        character = chr(int(code, 16)) if int(code, 16) < 0x110000 else " "
        return " " if character == "\n" else character
    return {"t": " ", "_": " ", "N": " ", "L": " ", "P": " "}.get(match[4], match[4])
