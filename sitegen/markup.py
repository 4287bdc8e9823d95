"""Render a page's Markdown body to HTML, with readable anchors and resolved links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .errors import Problem
from .model import Page, Site
from .slugs import slugify


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: Markup
    level: int


@dataclass(frozen=True)
class RenderedBody:
    html: Markup
    toc: tuple[TocEntry, ...]
    links_to: tuple[str, ...]  # keys of the pages this body links to


class _LinkResolver(Treeprocessor):
    """Turn links to .md files into the URL of the same-language page."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.site: Site | None = None
        self.page: Page | None = None
        self.problems: list[Problem] = []
        self.links_to: list[str] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href", "")
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
                continue
            assert self.site and self.page
            target = self.site.resolve_link(self.page, parts.path)
            if isinstance(target, str):
                self.problems.append(
                    Problem(self.page.source.shown, _line_of(self.page, href), target,
                            "links between pages are written as the other page's file name,"
                            " without the language: [text](hair-mesotherapy.md)")
                )  # fmt: skip
                continue
            self.links_to.append(target.key)
            element.set("href", target.url + (f"#{parts.fragment}" if parts.fragment else ""))


def _line_of(page: Page, href: str) -> int:
    """Return the file line of the first link to *href* in the page body."""
    for offset, line in enumerate(page.source.body.split("\n")):
        if f"({href}" in line or f"<{href}>" in line or re.search(rf"\]:\s*{re.escape(href)}", line):
            return page.source.body_line + offset
    return page.source.body_line


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
        # Content is text: raw HTML in Markdown is shown as typed, never run.
        self.md.preprocessors.deregister("html_block")
        self.md.inlinePatterns.deregister("html")
        self.links = _LinkResolver(self.md)
        self.md.treeprocessors.register(self.links, "sitegen_links", 15)

    def render(self, site: Site, page: Page) -> tuple[RenderedBody, list[Problem]]:
        """Return the HTML of *page*'s body and the problems in its links."""
        self.md.reset()
        self.links.site, self.links.page = site, page
        self.links.problems, self.links.links_to = [], []
        html = self.md.convert(page.source.body)
        toc = tuple(_flatten(getattr(self.md, "toc_tokens", [])))
        body = RenderedBody(Markup(html), toc, tuple(self.links.links_to))
        return body, list(self.links.problems)


def _flatten(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries = []
    for token in tokens:
        entries.append(TocEntry(token["id"], Markup(token["name"]), token["level"]))
        entries.extend(_flatten(token["children"]))
    return entries
