"""Render a page's Markdown body to HTML, with readable anchors and resolved links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from . import addresses
from .addresses import unsafe_reason
from .errors import Problem
from .model import Page, Site
from .slugs import slugify

_DANGEROUS_HTML = re.compile(
    r"<\s*/?\s*(?P<tag>script|style|iframe|object|embed|form|input|button|link|meta|base|svg)\b"
    r"|<[a-zA-Z][^>]*?\s(?P<attr>on[a-zA-Z]+)\s*=",
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
    lookups: tuple[Lookup, ...] = ()


Lookup = tuple[str, str, str]  # ("md" or "url", the path written, what it led to)


def lookup_result(target: Page | str | None) -> str:
    """Describe where a link led, so a later build can tell whether it still leads there."""
    if isinstance(target, Page):
        return f"{target.key}\0{target.lang}\0{target.url}"
    return f"!{target}"


def repeat_lookup(site: Site, page: Page, lookup: Lookup) -> str:
    """Make the look-up *lookup* again in *site* and describe where it leads now."""
    kind, path, _ = lookup
    if kind == "md":
        return lookup_result(site.resolve_link(page, path))
    return lookup_result(site.page_at(path))


class _LinkResolver(Treeprocessor):
    """Turn links to .md files into the URL of the same-language page; refuse unsafe ones."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.site: Site | None = None
        self.page: Page | None = None
        self.problems: list[Problem] = []
        self.links: list[LinkRef] = []
        self.lookups: list[Lookup] = []  # every page look-up made, to check a cached result by

    def run(self, root: etree.Element) -> None:
        assert self.site and self.page
        page = self.page
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute is None:
                continue
            address = element.get(attribute, "")
            parts = urlsplit(address)
            line = _line_of(page, address)
            if reason := unsafe_reason(address):
                self.problems.append(Problem(page.source.shown, line, reason, addresses.HINT))
                element.set(attribute, "#")
                continue
            if element.tag == "img":
                if not element.get("alt", "").strip():
                    self.problems.append(
                        Problem(page.source.shown, line, f"the image {address!r} has no alternative text",
                                "describe the image between the brackets: ![what it shows](photo.jpg)")
                    )  # fmt: skip
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
                self.lookups.append(("md", path, lookup_result(target)))
            elif path.startswith("/static/"):
                continue
            elif path.startswith("/"):
                target = self.site.page_at(path) or f"the link {address!r} leads to no page of this site"
                self.lookups.append(("url", path, lookup_result(target)))
            else:
                target = f"the link {address!r} is not written as a page's file name"
            if isinstance(target, str):
                self.problems.append(Problem(page.source.shown, line, target, _LINK_HINT))
                continue
            names_language = target.lang != page.lang or path.endswith(f".{target.lang}.md")
            self.links.append(LinkRef(target, parts.fragment, line, names_language))
            element.set("href", target.url + query + fragment)


_LINK_HINT = (
    "links between pages are written as the other page's file name, without the language:"
    " [text](hair-mesotherapy.md)"
)


def _line_of(page: Page, address: str) -> int:
    """Return the file line of the first link to *address* in the page body."""
    for offset, line in enumerate(page.source.body.split("\n")):
        if f"({address}" in line or f"<{address}>" in line or re.search(rf"\]:\s*{re.escape(address)}", line):
            return page.source.body_line + offset
    return page.source.body_line


def raw_html_problems(page: Page) -> list[Problem]:
    """Refuse scripts, frames, forms and on...= handlers typed into a page's text."""
    problems = []
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


class MarkdownRenderer:
    """One reusable Markdown converter for every page (it is reset between pages)."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(
            extensions=["toc", "tables", "sane_lists", "smarty"],
            extension_configs={
                "toc": {"slugify": slugify, "toc_depth": "2-3"},
                "smarty": {"smart_quotes": False},
            },
            output_format="html",
        )
        # Content is text: any other raw HTML in Markdown is shown as typed, never run.
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.links = _LinkResolver(self.md)
        self.md.treeprocessors.register(self.links, "sitegen_links", 15)

    def render(self, site: Site, page: Page) -> tuple[RenderedBody, list[Problem]]:
        """Return the HTML of *page*'s body and the problems in its text and links."""
        self.md.reset()
        self.links.site, self.links.page = site, page
        self.links.problems, self.links.links, self.links.lookups = [], [], []
        html = self.md.convert(page.source.body)
        toc = tuple(_flatten(getattr(self.md, "toc_tokens", [])))
        body = RenderedBody(Markup(html), toc, tuple(self.links.links), tuple(self.links.lookups))
        return body, raw_html_problems(page) + list(self.links.problems)


def _flatten(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries = []
    for token in tokens:
        entries.append(TocEntry(token["id"], Markup(token["name"]), token["level"]))
        entries.extend(_flatten(token["children"]))
    return entries
