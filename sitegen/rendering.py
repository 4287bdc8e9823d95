"""Render every page (Markdown body, then template), reusing what the build cache holds.

A page's output is reused when nothing it was made from changed. What it is made
from is recorded with it, as look-ups to repeat on the next build:

- its own file, its template and every template that one extends or includes,
  the catalog of its language, the site data and the static files' names;
- its body's links (where each one led), its translations (switcher, hreflang),
  its breadcrumbs, the pages it lists, the menu, the home pages;
- whatever the templates looked up while rendering it (url_for, pages_in).

For every other page named there, what counts is its front matter and URL
(its title, description, slug...), not its text. So editing a page's text
renders that page again; editing its title also renders the pages that show
the title. Pages left to render are shared among the processor's cores.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .cache import BuildCache, digest
from .checks import element_ids
from .errors import Problem
from .files import Unreadable
from .i18n import catalog_path
from .markup import LinkRef, MarkdownRenderer, RenderedBody, TocEntry, repeat_lookup
from .model import Page, Site
from .project import Project
from .templates import TemplateRenderer

Query = tuple[str, str, str]
_SAME_FOR_EVERY_PAGE = ("page", "section", "menu", "homes")
PARALLEL_FROM = 48  # fewer pages than this render faster in one process than the workers start


@dataclass
class Rendered:
    """The pages' bodies and HTML, and the problems found while making them."""

    bodies: dict[Page, RenderedBody]
    html: dict[Page, bytes]
    ids: dict[str, list[str]]  # output path -> the ids of its elements, for the anchor check
    problems: list[Problem]  # of Markdown text and links
    template_problems: list[Problem]  # of templates (one per page that failed)
    rendered: int  # pages rendered in this build; the others came from the cache


def default_jobs() -> int:
    """Return how many processes may render: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Inputs:
    """Digests of what pages are made from, computed once per build."""

    def __init__(self, project: Project, site: Site, renderer: TemplateRenderer) -> None:
        self.site = site
        self.renderer = renderer
        self.meta = {
            (p.key, p.lang): digest(p.source.shown, p.source.front_text, p.url, p.slug) for p in site.pages
        }
        config = repr(site.config)
        self.context = {}
        self.reader = renderer.loader.reader
        for language in site.config.languages:
            path = catalog_path(project.locales_dir, language.code)
            catalog = self._read(path)
            self.context[language.code] = digest(config, catalog, repr(sorted(renderer.assets.files.items())))
        self._templates: dict[str, str] = {}
        self._shared: dict[Query, str] = {}
        self._bodies: dict[Page, str] = {}
        self.project = project

    def body_key(self, page: Page) -> str:
        """The digest of the page's body text, where it stands in its file and whose it is."""
        if page not in self._bodies:
            source = page.source
            self._bodies[page] = digest(
                source.shown, source.key, source.lang, str(source.body_line), source.body
            )
        return self._bodies[page]

    def template(self, layout: str) -> str:
        if layout not in self._templates:
            names = self.renderer.template_files(f"{layout}.html")
            folder = self.project.templates_dir
            if names is None:
                files = sorted(p for p in folder.rglob("*.html"))
            else:
                files = [folder / name for name in names]
            parts: list[str | bytes] = []
            for path in files:
                parts += [path.relative_to(folder).as_posix(), self._read(path)]
            self._templates[layout] = digest(*parts)
        return self._templates[layout]

    def _read(self, path: Path) -> bytes:
        """The bytes of an input file (its loader has already reported any problem with it)."""
        try:
            return self.reader.read_bytes(path) if path.is_file() else b"-"
        except Unreadable:
            return b"?"

    def _metas(self, pages: list[Page]) -> str:
        return ",".join(self.meta[(p.key, p.lang)] for p in pages)

    def answer(self, page: Page, query: Query) -> str:
        """Make *query* again for *page* and describe its answer."""
        kind, name, lang = query
        if kind in _SAME_FOR_EVERY_PAGE:
            if query not in self._shared:
                self._shared[query] = self._answer(page, query)
            return self._shared[query]
        return self._answer(page, query)

    def _answer(self, page: Page, query: Query) -> str:
        site = self.site
        kind, name, lang = query
        if kind == "page":
            return self.meta.get((name, lang), "-")
        if kind == "translations":
            return self._metas(site.translations(page))
        if kind == "breadcrumbs":
            return self._metas(site.breadcrumbs(page))
        if kind == "children":
            return self._metas(site.children(page)) if page.source.name == "_index" else ""
        if kind == "section":
            section = site.section_page(name, lang)
            return self._metas([section, *site.children(section)]) if section else "-"
        if kind == "menu":
            return self._metas(site.menu(lang))
        if kind == "homes":
            return self._metas([p for p in (site.page("index", c) for c in site.config.language_codes) if p])
        raise ValueError(f"unknown look-up {kind!r}")

    def page_digest(self, page: Page, body: RenderedBody, queries: tuple[Query, ...]) -> str:
        answers = [self.answer(page, query) for query in queries]
        return digest(
            self.context[page.lang],
            self.template(page.layout),
            self.meta[(page.key, page.lang)],
            self.body_key(page),  # the body's HTML follows from its text and where its links lead
            repr(body.lookups),
            repr(queries),
            *answers,
        )


def static_queries(page: Page) -> tuple[Query, ...]:
    """The look-ups every page's context makes (see TemplateRenderer._page_context)."""
    return (
        ("translations", page.key, page.lang),
        ("breadcrumbs", page.key, page.lang),
        ("children", page.key, page.lang),
        ("menu", "", page.lang),
        ("homes", "", ""),
    )


def _cached_body(site: Site, page: Page, key: str, cache: BuildCache) -> RenderedBody | None:
    entry = cache.get("bodies", key)
    if entry is None:
        return None
    html, toc, links, lookups = entry
    if any(repeat_lookup(site, page, lookup) != lookup[2] for lookup in lookups):
        return None  # a page it links to moved, appeared or went away: render it again
    return _thaw(site, (html, toc, links, lookups))


def _freeze(body: RenderedBody) -> tuple[Any, ...]:
    """The body in plain data, to send between processes and keep in the cache."""
    links = tuple(
        (ref.target.key, ref.target.lang, ref.fragment, ref.line, ref.names_language) for ref in body.links
    )
    toc = tuple((entry.id, str(entry.title), entry.level) for entry in body.toc)
    return str(body.html), toc, links, body.lookups


def _thaw(site: Site, frozen: tuple[Any, ...]) -> RenderedBody:
    html, toc, links, lookups = frozen
    refs = []
    for key, lang, fragment, line, names_language in links:
        target = site.page(key, lang)
        assert target is not None
        refs.append(LinkRef(target, fragment, line, names_language))
    entries = tuple(TocEntry(id_, Markup(title), level) for id_, title, level in toc)
    return RenderedBody(Markup(html), entries, tuple(refs), tuple(lookups))


# What a worker process renders with: set before the workers are forked, so they inherit it.
_SHARED: dict[str, Any] = {}


def _render_one(page: Page, body: RenderedBody | None) -> tuple[Any, ...]:
    site: Site = _SHARED["site"]
    renderer: TemplateRenderer = _SHARED["renderer"]
    markdown: MarkdownRenderer | None = _SHARED.get("markdown")
    if markdown is None:
        markdown = _SHARED["markdown"] = MarkdownRenderer()
    problems: list[Problem] = []
    if body is None:
        body, problems = markdown.render(site, page)
    renderer.queries = []
    html, problem = renderer.render_page(page, body)
    data = html.encode("utf-8") if html is not None else None
    ids = element_ids(html) if html is not None else []
    return _freeze(body), problems, data, problem, tuple(renderer.queries), ids


def _render_chunk(chunk: list[tuple[int, tuple[Any, ...] | None]]) -> list[tuple[Any, ...]]:
    site: Site = _SHARED["site"]
    results = []
    for index, frozen in chunk:
        body = _thaw(site, frozen) if frozen is not None else None
        results.append(_render_one(site.pages[index], body))
    return results


def _chunks(items: list[Any], count: int) -> Iterator[list[Any]]:
    size = max(1, -(-len(items) // count))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def render_pages(
    project: Project, site: Site, renderer: TemplateRenderer, cache: BuildCache, jobs: int = 1
) -> Rendered:
    """Render every page of *site*, reusing the cache, on up to *jobs* processes."""
    inputs = _Inputs(project, site, renderer)
    index_of = {page: index for index, page in enumerate(site.pages)}
    result = Rendered({}, {}, {}, [], [], 0)
    todo: list[tuple[Page, RenderedBody | None]] = []
    for page in site.pages:
        body = _cached_body(site, page, inputs.body_key(page), cache)
        if body is not None:
            entry = cache.get("pages", page.output_path)
            if entry is not None:
                queries, stored, data, ids = entry
                if stored == inputs.page_digest(page, body, queries):
                    result.bodies[page], result.html[page] = body, data
                    result.ids[page.output_path] = ids
                    continue
        todo.append((page, body))
    result.rendered = len(todo)
    _SHARED.update(site=site, renderer=renderer)
    try:
        outcomes = _render_all(site, todo, index_of, jobs)
    finally:
        _SHARED.clear()
    for (page, _), (frozen, problems, data, problem, queries, ids) in zip(todo, outcomes, strict=True):
        body = _thaw(site, frozen)
        result.bodies[page] = body
        result.problems += problems
        if problem is not None:
            result.template_problems.append(problem)
            continue
        if data is None:
            continue
        result.html[page] = data
        result.ids[page.output_path] = ids
        if problems:
            continue  # a page with mistakes is never kept: the next build reports them again
        cache.put("bodies", inputs.body_key(page), frozen)
        queries = static_queries(page) + tuple(dict.fromkeys(queries))
        cache.put("pages", page.output_path, (queries, inputs.page_digest(page, body, queries), data, ids))
    return result


def _render_all(
    site: Site, todo: list[tuple[Page, RenderedBody | None]], index_of: dict[Page, int], jobs: int
) -> list[tuple[Any, ...]]:
    # Forking is only safe while this process runs no other thread (the preview server does).
    if jobs < 2 or len(todo) < PARALLEL_FROM or threading.active_count() > 1 or not _can_fork():
        return [_render_one(page, body) for page, body in todo]
    work = [(index_of[page], _freeze(body) if body is not None else None) for page, body in todo]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        chunks = pool.map(_render_chunk, list(_chunks(work, jobs * 4)))
    return [outcome for chunk in chunks for outcome in chunk]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
