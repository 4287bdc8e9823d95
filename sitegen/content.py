"""Find and read the Markdown source files under content/."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import files
from .config import SITE_FILE, SiteConfig
from .errors import NOTE, WARNING, Problem
from .lint import RULES_FILE
from .placeholders import find_placeholders
from .yamltext import YamlDoc, parse_yaml

# About 80,000 words: far above any real page, and what Markdown renders in about a second.
MAX_PAGE_BYTES = 512 * 1024
MEDIA_PREFIX = "media/"  # content/media/: the pictures (sitegen/images.py)
_NAME = re.compile(r"^(?P<name>.+)\.(?P<lang>[^.]+)\.md$")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}")
_FENCE = re.compile(r"^---[ \t]*$")

# What a page is, by its file's name: index.<lang>.md, 404.<lang>.md, <folder>/_index.<lang>.md, any other.
HOME, NOT_FOUND, SECTION, PAGE = "home", "not_found", "section", "page"
HOME_KEY, NOT_FOUND_KEY, SECTION_NAME = "index", "404", "_index"


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file of one language, split into front matter and body."""

    shown: str  # the path as written in messages: "content/treatments/mesotherapy.tr.md"
    key: str  # the page's language-independent name: "treatments/mesotherapy"
    lang: str
    front: YamlDoc
    body: str
    body_line: int  # the file line where the body starts
    front_text: str = ""  # the front matter as written, from line 2

    @property
    def folder(self) -> str:
        """Return the content folder of the page: "treatments", or "" at the top."""
        return self.key.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.key.rpartition("/")[2]

    @property
    def kind(self) -> str:
        """HOME, NOT_FOUND, SECTION (a folder's _index) or PAGE, by the file's name."""
        if self.key == HOME_KEY:
            return HOME
        if self.key == NOT_FOUND_KEY:
            return NOT_FOUND
        return SECTION if self.name == SECTION_NAME else PAGE


@dataclass(frozen=True)
class PageFile:
    """A page file to read: where it is, how messages name it, the page and language it holds."""

    path: Path
    shown: str
    key: str
    lang: str


Read = tuple[SourceFile | None, list[Problem]]  # a page file read: its source, or None, and its problems


def read_sources(reader: files.Reader, pages: list[PageFile]) -> list[Read]:
    return [read_source(reader, page.path, page.shown, page.key, page.lang) for page in pages]


def load_sources(
    reader: files.Reader,
    config: SiteConfig,
    read: Callable[[files.Reader, list[PageFile]], list[Read]] = read_sources,
) -> tuple[list[SourceFile], list[Problem]]:
    """Read every page file under content/ with *read* (`read_sources`); return them and all problems."""
    pages: list[PageFile] = []
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    content = reader.project.content_dir
    shown_content = reader.show(content)
    listing = reader.list_files(content, skip=files.NOT_PROJECT_FILES)
    problems += listing.problems
    inside = len(str(content)) + 1
    codes = config.language_codes
    for path in listing.files:
        relative = str(path)[inside:].replace(os.sep, "/")  # as text: thousands of files, read often
        shown = f"{shown_content}/{relative}"
        if relative in (SITE_FILE, RULES_FILE) or relative.startswith(MEDIA_PREFIX):
            continue  # the pictures are read by sitegen/images.py
        folder, _, name = relative.rpartition("/")
        stem, suffix = os.path.splitext(name)
        if suffix.lower() == ".md" and suffix != ".md":
            hint = f"rename it to end in '.md' (small letters): {stem}.md"
            problems.append(Problem(shown, None, f"the file name ends in {suffix!r}", hint))
            continue
        if suffix != ".md":
            problems.append(
                Problem(shown, None, "this file is not used: only .md pages and site.yaml are read",
                        "move it out of content/ or rename it to name.<language>.md", severity=WARNING)
            )  # fmt: skip
            continue
        match = _NAME.match(name)
        if not match or not _LANGUAGE.fullmatch(match["lang"]):
            problems.append(
                Problem(shown, None, "the file name does not say its language",
                        f"name it {stem}.{codes[0]}.md or {stem}.{codes[-1]}.md")
            )  # fmt: skip
            continue
        if match["lang"] not in codes:
            hint = f"the site's languages are {', '.join(codes)} (content/site.yaml)"
            if match["lang"].lower() in codes:
                hint = f"write the language in small letters: {match['name']}.{match['lang'].lower()}.md"
            problems.append(
                Problem(shown, None, f"unknown language {match['lang']!r} in the file name", hint)
            )
            continue
        key = f"{folder}/{match['name']}" if folder else match["name"]
        pages.append(PageFile(path, shown, key, match["lang"]))
    for source, file_problems in read(reader, pages):
        problems.extend(file_problems)
        if source:
            sources.append(source)
    return sources, problems


def read_source(reader: files.Reader, path: Path, shown: str, key: str, lang: str) -> Read:
    """Read one page file: decode UTF-8, normalise to NFC, split the front matter."""
    try:
        raw = reader.read_bytes(path, MAX_PAGE_BYTES)
    except files.Unreadable as exc:
        return None, [exc.problem]
    return parse_source(raw, shown, key, lang)


def parse_source(raw: bytes, shown: str, key: str, lang: str) -> tuple[SourceFile | None, list[Problem]]:
    """Read the bytes of one page file (see read_source)."""
    try:
        text, problems = files.decode_text(raw, shown)
    except files.Unreadable as exc:
        return None, [exc.problem]
    if not text.strip():
        return None, [
            Problem(shown, 1, "the file is empty", "add front matter (title, description) and text")
        ]
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        return None, [
            Problem(shown, 1, f"the file must start with a line '---', found {lines[0][:40]!r}",
                    "put '---', then the fields such as 'title: ...', then '---' at the top")
        ]  # fmt: skip
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
    if end is None:
        return None, [
            Problem(shown, 1, "the front matter that starts on line 1 is never closed",
                    "add a line with only '---' after the last field")
        ]  # fmt: skip
    front, yaml_problems = parse_yaml("\n".join(lines[1:end]), shown, first_line=2)
    if front is None:
        return None, problems + yaml_problems
    if not isinstance(front.data, dict):
        return None, [
            Problem(shown, 2, "the front matter must be 'field: value' lines",
                    "for example: title: Mesotherapy")
        ]  # fmt: skip
    body = "\n".join(lines[end + 1 :])
    notes = find_placeholders(shown, "\n".join(lines[1:]), first_line=2, yaml_lines=end - 1)
    if notes and front.data.get("draft") is True:  # not published: one reminder, never refused
        numbers = ", ".join(str(note.line) for note in notes)
        notes = [
            Problem(
                shown,
                notes[0].line,
                f"this draft still has {len(notes)} placeholder"
                f"{'s' if len(notes) != 1 else ''} to fill in (line{'s' if len(notes) != 1 else ''}"
                f" {numbers})",
                "fill each one in before you delete the line 'draft: true'",
                NOTE,
            )
        ]
    source = SourceFile(shown, key, lang, front, body, end + 2, "\n".join(lines[1:end]))
    return source, problems + notes
