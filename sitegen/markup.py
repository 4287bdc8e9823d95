"""Render a page's Markdown body to HTML, with readable anchors and resolved links."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markupsafe import Markup

from . import addresses
from .addresses import unsafe_reason
from .errors import Problem
from .images import MEDIA_URL, missing_problem, picture_attributes
from .model import Page, Site
from .slugs import slugify

_DANGEROUS_HTML = re.compile(
    r"<\s*/?\s*(?P<tag>script|style|iframe|object|embed|form|input|button|link|meta|base|svg)\b"
    r"|<[a-zA-Z][^<>]*?\s(?P<attr>on[a-zA-Z]+)\s*=",  # [^<>]: each '<' is scanned to the next one only
    re.IGNORECASE,
)
_CODE_SPAN = re.compile(r"(`+).*?\1")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: Markup
    level: int


@dataclass(frozen=True)
class LinkRef:
    """A link in a page body to another page of the site."""

    target: Page
    fragment: str
    line: int
    names_language: bool  # written as page.en.md, not page.md


@dataclass(frozen=True)
class RenderedBody:
    html: Markup
    toc: tuple[TocEntry, ...]
    links: tuple[LinkRef, ...]


class _LinkResolver(Treeprocessor):
    """Turn links to .md files into the URL of the same-language page; refuse unsafe ones."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.site: Site | None = None
        self.page: Page | None = None
        self.problems: list[Problem] = []
        self.links: list[LinkRef] = []

    def run(self, root: etree.Element) -> None:
        assert self.site and self.page
        page = self.page
        lines = _address_lines(page)
        for element in list(root.iter()):  # a list: pictures add elements of their own
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None:
                continue
            # Backslash escapes are still Markdown's placeholders here (\x02 + code + \x03).
            address = _ESCAPED.sub(lambda m: chr(int(m[1])), element.get(attribute, ""))
            line = _line_of(page, address, lines)
            if reason := unsafe_reason(address):
                self.problems.append(Problem(page.source.shown, line, reason, addresses.HINT))
                element.set(attribute, "#")
                continue
            # As the browser reads it: "&#47;&#47;host/x.gif" is //host/x.gif (unsafe_reason read it too).
            parts = urlsplit(html.unescape(address))
            if element.tag == "img":
                self._image(element, address, parts, line)
                continue
            if parts.scheme or parts.netloc:
                continue
            path = unquote(parts.path)
            query = f"?{parts.query}" if parts.query else ""
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            if not path:  # "#anchor" on this page
                self.links.append(LinkRef(page, parts.fragment, line, False))
                continue
            if path.endswith(".md"):
                target: Page | str = self.site.resolve_link(page, path)
            elif path.startswith("/static/"):
                continue
            elif path.startswith("/"):
                target = self.site.page_at(path) or f"the link {address!r} leads to no page of this site"
            else:
                target = f"the link {address!r} is not written as a page's file name"
            if isinstance(target, str):
                self.problems.append(Problem(page.source.shown, line, target, _LINK_HINT))
                continue
            names_language = target.lang != page.lang or path.endswith(f".{target.lang}.md")
            self.links.append(LinkRef(target, parts.fragment, line, names_language))
            element.set("href", target.url + query + fragment)

    def _image(self, element: etree.Element, address: str, parts: SplitResult, line: int) -> None:
        """Check an image of the text; show a picture of content/media/ in its responsive variants."""
        assert self.site and self.page
        shown, alt = self.page.source.shown, element.get("alt", "").strip()
        if not alt:
            self.problems.append(
                Problem(shown, line, f"the image {address!r} has no alternative text",
                        "describe the image between the brackets: ![what it shows](/media/photo.jpg)")
            )  # fmt: skip
        if parts.scheme or parts.netloc:
            if why := _foreign_image(parts, self.site):
                self.problems.append(Problem(shown, line, why, _FOREIGN_IMAGE_HINT))
                element.set("src", "")
            return
        name = unquote(parts.path)
        if not name.startswith(MEDIA_URL):
            file = name.rpartition("/")[2] or "photo.jpg"
            self.problems.append(
                Problem(shown, line, f"the image {address!r} is not named as a picture of content/media/",
                        f"put the picture in content/media/ and write ![what it shows](/media/{file})")
            )  # fmt: skip
            return
        picture = self.site.picture(name)
        if picture is None:
            self.problems.append(missing_problem(shown, line, name, self.site.media))
            return
        source, img = picture_attributes(picture, alt, BODY_SIZES)
        tail = element.tail
        element.clear()
        element.tag, element.tail = "picture", tail
        etree.SubElement(element, "source", source)
        etree.SubElement(element, "img", img)


# How wide a picture of the text is shown: the column's measure, or the whole phone screen.
BODY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"

_FOREIGN_IMAGE_HINT = (
    "save the image in the project and show it from there; or, if the clinic agrees that visitors'"
    " browsers contact that host, add it to image_hosts in content/site.yaml and name it in the"
    " privacy notice"
)


def _foreign_image(parts: SplitResult, site: Site) -> str | None:
    """Return why an image from another host may not be shown, or None if site.yaml allows it."""
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host in site.config.image_hosts:
        return None
    return (
        f"the image comes from another host ({host or parts.scheme}): every visitor's browser would"
        " contact it, and the privacy notice says the site loads nothing from elsewhere"
    )


_LINK_HINT = (
    "links between pages are written as the other page's file name, without the language:"
    " [text](hair-mesotherapy.md)"
)


_ESCAPED = re.compile(f"{util.STX}([0-9]+){util.ETX}")
_ADDRESS_AT = re.compile(r"\]\(\s*<?([^)\s>]*)|<([^<>\s]+)>|\]:\s*<?(\S*?)>?(?:\s|$)")


def _line_of(page: Page, address: str, lines: dict[str, int]) -> int:
    """Return the file line of the first link to *address* in the page body (*lines*: _address_lines)."""
    if address in lines:
        return lines[address]
    for offset, line in enumerate(page.source.body.split("\n")):  # written otherwise: (address "title")
        if f"({address}" in line or f"<{address}>" in line:
            return page.source.body_line + offset
    return page.source.body_line


def _address_lines(page: Page) -> dict[str, int]:
    """Return the line of the first appearance of each link address in *page*, read in one pass."""
    found: dict[str, int] = {}
    for offset, line in enumerate(page.source.body.split("\n")):
        if "(" in line or "<" in line or "]:" in line:
            for match in _ADDRESS_AT.finditer(line):
                found.setdefault(match[1] or match[2] or match[3] or "", page.source.body_line + offset)
    return found


def raw_html_problems(page: Page) -> list[Problem]:
    """Refuse scripts, frames, forms and on...= handlers typed into a page's text."""
    problems: list[Problem] = []
    if "<" not in page.source.body:
        return problems  # every refused tag and handler starts with '<'
    in_fence = False
    for offset, line in enumerate(page.source.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = _DANGEROUS_HTML.search(_CODE_SPAN.sub("", line))
        if match:
            what = f"<{match['tag'].lower()}>" if match["tag"] else f"the {match['attr']}= attribute"
            problems.append(
                Problem(page.source.shown, page.source.body_line + offset,
                        f"{what} is not allowed in a page: page text is shown as written, never run",
                        "remove it; to show HTML as an example, put it between `backticks`")
            )  # fmt: skip
    return problems


# Bounds on what Python-Markdown reads in time linear in the page. Beyond them some constructs take
# time that grows with the square of their number (unclosed brackets, runs of emphasis marks) or
# nest until the interpreter's stack is exhausted. Real pages stay far below every bound.
MAX_BLOCK = 20_000  # characters in one paragraph, list or table (text between blank lines)
MAX_MARKS = 1_000  # Markdown marks in one paragraph: ` * _ [ < & ! \\
MAX_PAGE_MARKS = 10_000  # and in one page (a long article has about 2,000)
MAX_BRACKET_WORK = 300_000  # characters Python-Markdown scans to match the brackets of one page
MAX_NESTING = 12  # levels of lists and quotes inside one another
MAX_BLOCKS = 6_000  # blank-line breaks, headings, list items and table rows of a page (a long one has 500)
_BLOCK = re.compile(r"(?:[^\n]+|\n(?![ \t]*\n))+")  # [^\n]+: a line at a time, not a character
_MARKS = re.compile(r"[`*_\[<&!\\]")
_BRACKETS = re.compile(r"\\.|[\[\]()]")
_MARK_RUN = re.compile(r"(?<!\\)(?:\*{4,}|_{4,})(?=\S)|(?<=\S)(?:\*{4,}|_{4,})")
_NESTED_LINE = (
    rf"(?:(?: {{0,3}}>[ \t]?){{{MAX_NESTING + 1}}}"  # quotes: > > > ...
    rf"| {{{4 * MAX_NESTING}}}"  # lists: four spaces a level
    rf"|(?:[ \t]*[-*+][ \t]+){{{MAX_NESTING + 1}}})"  # lists in one line: - - - ...
)
# A line that starts so: the first one, or one after a line break (a regex that starts with "\n"
# is searched for as that character, many times faster than one that starts with ^ in re.M).
_NESTED_FIRST, _NESTED_AFTER = re.compile(_NESTED_LINE), re.compile("\n" + _NESTED_LINE)


def _nested_line_at(body: str) -> int | None:
    """Return where the first line that nests too deeply starts, or None."""
    if _NESTED_FIRST.match(body):
        return 0
    match = _NESTED_AFTER.search(body)
    return match.start() + 1 if match else None


_LIMIT_HINT = "split the paragraph, or write a bracket or mark that is not Markdown as \\[ or \\*"


def text_limit_problems(page: Page) -> list[Problem]:
    """Refuse text that Python-Markdown could not read in a bounded time and memory."""
    body, shown, first = page.source.body, page.source.shown, page.source.body_line

    def at(position: int) -> int:
        while body.startswith("\n", position):  # a block starts after its blank line's end
            position += 1
        return first + body.count("\n", 0, position)

    problems: list[Problem] = []
    if (nested := _nested_line_at(body)) is not None:
        what = f"lists or quotes are nested more than {MAX_NESTING} levels deep"
        problems.append(Problem(shown, at(nested), what, "nested lists are indented 4 spaces a level"))
    if ("****" in body or "____" in body) and (match := _MARK_RUN.search(body)):
        what = f"{match[0][:8]!r}: a run of more than three emphasis marks"
        problems.append(Problem(shown, at(match.start()), what, _LIMIT_HINT))
    # No '[' or '(' costs more than the length of the text: below this bound, on most pages,
    # the brackets need no counting.
    brackets = len(body) * (body.count("[") + body.count("(")) > MAX_BRACKET_WORK
    work = 0
    for block in _BLOCK.finditer(body.replace("\n", " ", 1) if body.startswith("\n") else body):
        if len(block[0]) > MAX_BLOCK and len(block[0].strip()) > MAX_BLOCK:
            what = f"this paragraph is {len(block[0].strip()):,} characters long, more than {MAX_BLOCK:,}"
            problems.append(Problem(shown, at(block.start()), what, "split it with blank lines"))
        elif len(block[0]) > MAX_MARKS and len(_MARKS.findall(block[0])) > MAX_MARKS:
            what = f"this paragraph has more than {MAX_MARKS:,} Markdown marks (` * _ [ < & ! \\)"
            problems.append(Problem(shown, at(block.start()), what, _LIMIT_HINT))
        elif brackets and "[" in block[0] and work <= MAX_BRACKET_WORK:
            work += _bracket_work(block[0])
            if work > MAX_BRACKET_WORK:
                what = (
                    "this page has too many '[' and '(' brackets, or unclosed ones, to be read in good time"
                )
                problems.append(Problem(shown, at(block.start()), what, _LIMIT_HINT))
    if not problems and body.count("\n") > MAX_BLOCKS and (blocks := _count_blocks(body)) > MAX_BLOCKS:
        what = f"this page has {blocks:,} paragraphs, headings, list items or rows, more than {MAX_BLOCKS:,}"
        problems.append(Problem(shown, first, what, "split it into several pages"))
    if not problems and len(body) > MAX_PAGE_MARKS and (marks := len(_MARKS.findall(body))) > MAX_PAGE_MARKS:
        what = f"this page has {marks:,} Markdown marks (` * _ [ < & ! \\), more than {MAX_PAGE_MARKS:,}"
        problems.append(Problem(shown, first, what, "split it into several pages"))
    return problems


_BLOCK_START = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,9}[.)][ \t]|\|)|\n[ \t]*\n", re.M)


def _count_blocks(body: str) -> int:
    """Count what Markdown makes a block of: headings, list items, table rows, and paragraphs."""
    return len(_BLOCK_START.findall(body)) + 1


def _bracket_work(block: str) -> int:
    """Estimate how far Python-Markdown scans to match the brackets of *block* (each '[' and '(')."""
    work = 0
    open_at: dict[str, list[int]] = {"[": [], "(": []}
    for match in _BRACKETS.finditer(block):
        char = match[0]
        if char in open_at:
            open_at[char].append(match.start())
        elif char in "])" and open_at["[" if char == "]" else "("]:
            work += match.start() - open_at["[" if char == "]" else "("].pop()
    return work + sum(len(block) - at for stack in open_at.values() for at in stack)


# What each of Python-Markdown's inline patterns needs in a text before it can match: one of
# these strings is part of every match it can make. A text with none of them is left as it is
# without trying each pattern in turn, which is most of Markdown's time on prose; in the others,
# a pattern is tried only while the text holds what it needs.
_PATTERN_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("![",),
    "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",),
    "autolink": ("<",), "automail": ("<",), "html": ("<",), "linebreak": ("  \n",), "entity": ("&",),
    "em_strong": ("*", "_"), "em_strong2": ("_",), "not_strong": ("*",),
}  # fmt: skip


_REFERENCE_PATTERNS = ("reference", "image_reference", "short_reference", "short_image_ref")


def needed_by(md: markdown.Markdown) -> re.Pattern[str] | None:
    """Return a regex finding where any of *md*'s inline patterns could match, or None if unknown."""
    names = [name for name in _PATTERN_NEEDS if name in md.inlinePatterns]
    if len(names) != len(md.inlinePatterns):
        return None  # an extension added a pattern: try every pattern on every text
    needs = dict.fromkeys(need for name in names for need in _PATTERN_NEEDS[name])
    return re.compile("|".join(map(re.escape, needs)))


class _QuickInline(InlineProcessor):
    """Markdown's inline pass, trying each pattern only on the texts in which it can match."""

    def __init__(self, md: markdown.Markdown, needed: re.Pattern[str]) -> None:
        super().__init__(md)
        self.needed = needed
        self.patterns: list[tuple[Any, tuple[str, ...]]] = []

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The patterns in their order, with what each needs, looked up once per page (not per text).
        # A reference ([text][id], [id]) makes a link only to an id that the page defines
        # ([id]: address): in a page that defines none, those patterns never change a text.
        skipped = () if self.md.references else _REFERENCE_PATTERNS
        needs = {id(self.inlinePatterns[name]): () if name in skipped else _PATTERN_NEEDS[name]
                 for name in _PATTERN_NEEDS if name in self.inlinePatterns}  # fmt: skip
        self.patterns = [(pattern, needs[id(pattern)]) for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    # Overrides the private method that InlineProcessor runs on every text (and recursively); the
    # same loop as Python-Markdown's, with the patterns that cannot match in the text left out.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString) or self.needed.search(data) is None:
            return data
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        patterns = self.patterns
        start = 0
        while patternIndex < len(patterns):
            pattern, needs = patterns[patternIndex]
            for need in needs:
                if need in data:
                    data, matched, start = apply(pattern, data, patternIndex, start)
                    break
            else:
                matched = False  # the pattern cannot match, as applying it would find
            if not matched:
                patternIndex, start = patternIndex + 1, 0
        return data


class _Dashes(Treeprocessor):
    """Typographic dashes and ellipses: -- –, --- —, ... … (as the smarty extension makes them).

    One pass over the texts instead of smarty's second inline pass over the whole page.
    Code and escaped characters (\\-) are left as written.
    """

    _RE = re.compile(r"(?<!-)---(?!-)|(?<!-)--(?!-)|(?<!\.)\.{3}(?!\.)")
    _ENTITIES = {"---": "&mdash;", "--": "&ndash;", "...": "&hellip;"}

    def run(self, root: etree.Element) -> None:
        sub, store = self._RE.sub, self.md.htmlStash.store

        def replace(match: re.Match[str]) -> str:
            return store(self._ENTITIES[match[0]])

        for element in root.iter():
            for name in ("text", "tail"):
                value = getattr(element, name)
                if value and not isinstance(value, util.AtomicString) and ("--" in value or "..." in value):
                    setattr(element, name, sub(replace, value))


class MarkdownRenderer:
    """One reusable Markdown converter for every page (it is reset between pages)."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(
            extensions=["toc", "tables", "sane_lists"],
            extension_configs={"toc": {"slugify": slugify, "toc_depth": "2-3"}},
            output_format="html",
        )
        # Content is text: any other raw HTML in Markdown is shown as typed, never run.
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        needed = needed_by(self.md)
        if needed is not None:
            self.md.treeprocessors.register(_QuickInline(self.md, needed), "inline", 20)
        self.md.treeprocessors.register(_Dashes(self.md), "dashes", 6)  # where smarty runs
        _toc_only_where_marked(self.md.treeprocessors["toc"])
        self.md.ESCAPED_CHARS.extend(['"', "'"])  # as smarty: \" is a plain quote
        self.links = _LinkResolver(self.md)
        self.md.treeprocessors.register(self.links, "sitegen_links", 15)

    def render(self, site: Site, page: Page) -> tuple[RenderedBody, list[Problem]]:
        """Return the HTML of *page*'s body and the problems in its text and links."""
        self.md.reset()
        self.links.site, self.links.page = site, page
        self.links.problems, self.links.links = [], []
        too_much = text_limit_problems(page)
        if too_much:
            return RenderedBody(Markup(""), (), ()), too_much
        try:
            html = self.md.convert(page.source.body)
        except RecursionError:
            return RenderedBody(Markup(""), (), ()), [_nested_too_deep(page)]
        toc = tuple(_flatten(getattr(self.md, "toc_tokens", [])))
        body = RenderedBody(Markup(html), toc, tuple(self.links.links))
        return body, raw_html_problems(page) + list(self.links.problems)


def _toc_only_where_marked(toc: Any) -> None:
    """Let the toc extension make its table of contents only in a page with its [TOC] marker.

    Elsewhere nothing shows it: the templates make theirs from the headings (toc_tokens),
    and the extension would walk the whole tree in Python looking for the marker, then
    build and serialize the table for every page.
    """
    run, build, replace = toc.run, toc.build_toc_div, toc.replace_marker
    marked = [False]

    def run_toc(doc: etree.Element) -> None:
        marker = toc.marker  # (replace_marker replaces an element whose whole text is the marker)
        marked[0] = bool(marker) and any(
            el.text and el.text.strip() == marker and len(el) == 0 for el in doc.iter()
        )
        run(doc)

    def build_toc_div(toc_list: list[Any]) -> etree.Element:
        return build(toc_list) if marked[0] else etree.Element("div")

    def replace_marker(root: etree.Element, elem: etree.Element) -> None:
        if marked[0]:
            replace(root, elem)

    toc.run, toc.build_toc_div, toc.replace_marker = run_toc, build_toc_div, replace_marker


def _nested_too_deep(page: Page) -> Problem:
    """Say where the text nests emphasis or links too deeply: the line with the most marks."""
    lines = page.source.body.split("\n")
    marks = [sum(line.count(c) for c in "*_[]`>") for line in lines]
    offset = marks.index(max(marks)) if marks else 0
    return Problem(page.source.shown, page.source.body_line + offset,
                   "emphasis, links or quotes are nested inside one another too deeply to be read",
                   _LIMIT_HINT)  # fmt: skip


def _flatten(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries = []
    for token in tokens:
        entries.append(TocEntry(token["id"], Markup(token["name"]), token["level"]))
        entries.extend(_flatten(token["children"]))
    return entries
