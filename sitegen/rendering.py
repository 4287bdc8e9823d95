"""Render pages: each page's Markdown body, then its template, into HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import element_ids
from .errors import Problem
from .markup import MarkdownRenderer, RenderedBody
from .model import Page, Site
from .templates import TemplateRenderer


@dataclass
class Rendered:
    """The pages' bodies and HTML, and the problems found while making them."""

    bodies: dict[Page, RenderedBody] = field(default_factory=dict)
    html: dict[Page, bytes] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)  # output path -> its elements' ids (anchors)
    problems: list[Problem] = field(default_factory=list)  # of Markdown text and links
    template_problems: list[Problem] = field(default_factory=list)  # of templates, one per page
    rendered: int = 0  # pages rendered in this build; the others were kept from an earlier one

    def add(self, page: Page, body: RenderedBody, html: bytes | None, ids: list[str]) -> None:
        self.bodies[page] = body
        if html is not None:
            self.html[page] = html
            self.ids[page.output_path] = ids


def render_page(
    renderer: TemplateRenderer, page: Page, body: RenderedBody
) -> tuple[bytes | None, list[str], Problem | None]:
    """Return *page*'s HTML and its elements' ids, or the template problem that stopped it."""
    html, problem = renderer.render_page(page, body)
    if html is None:
        return None, [], problem
    return html.encode("utf-8"), element_ids(html), None


def render_pages(site: Site, renderer: TemplateRenderer) -> Rendered:
    """Render every page of *site*, one after another."""
    markdown = MarkdownRenderer()
    result = Rendered(rendered=len(site.pages))
    for page in site.pages:
        body, problems = markdown.render(site, page)
        html, ids, problem = render_page(renderer, page, body)
        result.add(page, body, html, ids)
        result.problems += problems
        if problem is not None:
            result.template_problems.append(problem)
    return result
