"""Placeholders: values still to be replaced with the clinic's real data, found by their text.

The check reads the text itself, so a placeholder is still found after a web editor
saved the file without its comments:

- a bracketed blank: ``[klinik tarafından doldurulacak: ...]``, ``[to be completed by the clinic: ...]``;
- a value marked ``(yer tutucu)`` or ``(placeholder)``, and the sample names "Ad Soyad", "Name Surname";
- a reserved example address: ``example.com``, ``info@example.com.tr``, ``www.clinic.example``;
- a telephone number whose subscriber part is all zeros: ``+90 212 000 00 00``;
- a placeholder picture: a file name with "placeholder" in it;
- in YAML, a value marked with a ``# PLACEHOLDER`` comment, or named in site.yaml's ``placeholders:`` list.

Each is a note in a plain build and the preview; the publishing build (``--strict``) refuses
them, unless it is told ``--allow-placeholders`` (the repository's own content keeps its
placeholders until the clinic sends its data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import NOTE, Problem


@dataclass(frozen=True)
class Marker:
    what: str  # how the message names it
    pattern: re.Pattern[str]
    hint: str


_REPLACE = "the publishing build refuses placeholders"
MARKERS = (
    Marker("a blank to fill in",
           re.compile(r"\[[^\]\n]*(?:doldurulacak|to be (?:completed|filled in)|TODO|TBD)[^\]\n]*\]",
                      re.IGNORECASE),
           f"write the clinic's real text in place of the brackets ({_REPLACE})"),
    Marker("a value marked as a placeholder",
           re.compile(r"\((?:yer tutucu|placeholder)\)|\b(?:Ad Soyad|Name Surname)\b", re.IGNORECASE),
           f"write the real value and delete the marker ({_REPLACE})"),
    Marker("an example address",
           re.compile(r"(?<![\w.-])(?:[\w-]+\.)*(?:example\.(?:com|net|org)(?:\.[a-z]{2})?|[\w-]+\.example)"
                      r"(?![\w-])", re.IGNORECASE),
           f"write the clinic's real address ({_REPLACE})"),
    Marker("a telephone number of zeros",
           re.compile(r"\+\d{1,3}[ -]?\(?\d{2,4}\)?[ -]?0{3}[ -]?0{2}[ -]?0{2}(?!\d)"),
           f"write the clinic's real number ({_REPLACE})"),
    Marker("a placeholder picture",
           re.compile(r"[\w./-]*placeholder[\w-]*\.(?:svg|png|jpe?g|webp|avif|gif|ico)\b", re.IGNORECASE),
           f"put the clinic's own picture in its place ({_REPLACE})"),
)  # fmt: skip
LISTED = Marker("a value site.yaml lists under 'placeholders'", re.compile(r"$^"),
                f"replace the value, then take it off the 'placeholders' list ({_REPLACE})")  # fmt: skip
COMMENT = Marker(
    "a value marked '# PLACEHOLDER'",
    re.compile(r"\S.*#\s*PLACEHOLDER\s*$"),
    f"replace the value with the clinic's real data, then delete the marker ({_REPLACE})",
)


def placeholder(path: str, line: int, marker: Marker, found: str) -> Problem:
    """Return the note of one placeholder (``--strict`` makes it an error)."""
    shown = found if len(found) <= 70 else found[:67] + "..."
    return Problem(path, line, f"placeholder: {marker.what}, {shown!r}", marker.hint, NOTE, placeholder=True)


def find_placeholders(path: str, text: str, first_line: int = 1, yaml_lines: int = 0) -> list[Problem]:
    """Return a note for each line of *text* that holds a placeholder, the first one found on it.

    *text* starts at line *first_line* of *path*; its first *yaml_lines* lines are YAML, where a
    '# PLACEHOLDER' comment marks a value too."""
    found = []
    for number, line in enumerate(text.split("\n")):
        if number < yaml_lines and line.lstrip().startswith("#"):
            continue  # a comment of the YAML: never published
        if number < yaml_lines and COMMENT.pattern.match(line.strip()):
            value = line.split("#", 1)[0].strip()
            found.append(placeholder(path, first_line + number, COMMENT, value or line.strip()))
            continue
        for marker in MARKERS:
            match = marker.pattern.search(line)
            if match:
                found.append(placeholder(path, first_line + number, marker, match.group(0)))
                break
    return found
