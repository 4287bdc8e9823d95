"""A build, stage by stage: load, assemble the site, render, the other files, the checks.

`build` is the whole pipeline; it keeps everything in memory and writes nothing
(sitegen/output.py writes site/). How some stages are done is given by a
`Stages` object: the plain one here computes everything; the engine
(sitegen/engine) gives one that reuses what earlier builds computed, so this
module knows nothing of caches.
"""

from __future__ import annotations

import gettext
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import checks, hosting, lint, search, seo
from .assets import Assets, load_assets
from .catalog import Extracted, extract_file, extract_messages, stale_catalog_problems
from .config import SiteConfig, load_config, with_base_url
from .content import PAGE, PageFile, Read, SourceFile, load_sources, parse_source, read_sources
from .errors import WARNING, Problem, merge_pages, raise_if_errors
from .files import Reader, Stamp, Unreadable
from .i18n import SOURCE_LANGUAGE, catalog_path, load_translations
from .icons import icon_files
from .images import Media, Processed, load_media, missing_problem, read_pictures
from .markup import MarkdownRenderer
from .model import Page, Site, build_site, output_path
from .options import BuildOptions
from .placeholders import find_placeholders
from .project import Project
from .rendering import Rendered, render_pages
from .schema import PageMeta, check_front_matter
from .slugs import slug_problem
from .templates import ProjectLoader, TemplateRenderer

__all__ = ["BuildOptions", "BuildResult", "Stages", "build"]  # BuildOptions: sitegen/options.py

Rules = dict[str, list[lint.Rule]]
Checked = tuple[PageMeta | None, list[Problem]]  # a page's front matter as checked, and its problems
CheckPage = Callable[[SourceFile, str | None], Checked]


@dataclass(frozen=True)
class BuildResult:
    site: Site
    outputs: dict[str, bytes]  # path under site/ -> file contents
    problems: tuple[Problem, ...]  # warnings and notes (errors raise BuildError)
    translations: list[checks.TranslationStatus] = field(default_factory=list)
    read: dict[str, Stamp] = field(default_factory=dict)  # every file and folder the build read
    rendered: int = 0  # pages rendered (the others were kept from an earlier build)
    # With BuildOptions.hold_back_pages: each page file left out, with its errors and, when it
    # was known, its page's URL.
    held_back: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    held_urls: dict[str, str] = field(default_factory=dict)


class Stages:
    """How the stages that take long are done: here, plainly, every time."""

    compiled_templates: Path | None = None  # where compiled templates are kept between builds

    def reader(self, project: Project) -> Reader:
        return Reader(project)

    def read_pages(self, reader: Reader, pages: list[PageFile]) -> list[Read]:
        return read_sources(reader, pages)

    def lint_pages(self, sources: list[SourceFile], rules: Rules) -> list[Problem]:
        return [problem for source in sources for problem in lint_page(source, rules)]

    def lint_template(self, shown: str, text: str, rules: Rules) -> list[Problem]:
        return lint_template(shown, text, rules)

    def extract(self, relative: str, method: str, options: dict[str, str], data: bytes) -> list[Extracted]:
        return extract_file(relative, method, options, data)

    def check_page(
        self, source: SourceFile, section_layout: str | None
    ) -> tuple[PageMeta | None, list[Problem]]:
        return check_front_matter(source, section_layout)

    def same_page(self, page: Page) -> Page:
        return page

    def pictures(self, reader: Reader, named: list[tuple[Path, str]]) -> list[Processed]:
        return read_pictures(reader, named)

    def moved_pages(self, site: Site) -> list[Problem]:
        """Pages whose address changed since an earlier build, with no redirect from the old one
        (the engine remembers the addresses; a build on its own knows no earlier one)."""
        return []

    def interface_strings(self, reader: Reader) -> list[Extracted]:
        """The strings the templates and code mark for translation (what cannot be read is reported
        by the build). The files read are inputs of the build; the listings of the project's folders
        are not: a new folder of notes must not make the next build run."""
        listed = Reader(reader.project)
        found, _ = extract_messages(listed, self.extract)
        for key, value in listed.read.items():
            if not key.endswith(os.sep):
                reader.read.setdefault(key, value)
        return found

    def renderer(
        self, reader: Reader, site: Site, translations: dict[str, gettext.NullTranslations], assets: Assets
    ) -> TemplateRenderer:
        return TemplateRenderer(reader, site, translations, assets, self.compiled_templates)

    def render(self, site: Site, renderer: TemplateRenderer, jobs: int) -> Rendered:
        return render_pages(site, renderer)

    def other_files(self, site: Site, renderer: TemplateRenderer, outputs: dict[str, bytes]) -> list[Problem]:
        return other_files(site, renderer, outputs)

    def html_facts(self, outputs: dict[str, bytes]) -> dict[str, checks.PageFacts]:
        return checks.html_facts(outputs)

    def search_indexes(
        self, docs: dict[str, list[search.Document]]
    ) -> tuple[dict[str, search.Files], list[Problem]]:
        return search.index_languages(docs)


def build(project: Project, options: BuildOptions | None = None, stages: Stages | None = None) -> BuildResult:
    """Build the whole site in memory; raise BuildError listing every mistake found.

    With *check* or *strict*, also run the site-wide checks (translations, the
    built HTML, stale catalogs); with *strict*, warnings are errors too.
    """
    options = options or BuildOptions()
    stages = stages or Stages()
    reader = stages.reader(project)  # one reader for the whole build: it records what the build read
    # Load: every file of the project, each checked on its own.
    config, problems = load_config(reader)
    config = with_base_url(config, options.base_url)
    sources, found = load_sources(reader, config, stages.read_pages)
    problems += found
    translations, found = load_translations(reader, config)
    problems += found
    problems += lint_sources(reader, config, sources, stages)
    assets, found = load_assets(reader)
    problems += found
    icons: dict[str, bytes] = {}
    if config.icon and config.icon in assets.files:
        icons, found = icon_files(config, assets.files[config.icon][1], f"templates/static/{config.icon}")
        problems += found
    media, pictures, found = load_media(reader, stages.pictures)
    problems += found
    held = _HeldBack(options.hold_back_pages)
    problems = held.take(problems)
    # Assemble the site: every page with its URL, its translations and its section.
    site, found = _assemble(config, sources, media, options, stages, held)
    problems += found + stages.moved_pages(site)
    raise_if_errors(problems)

    # Render the pages.
    renderer = stages.renderer(reader, site, translations, assets)
    template_problems = renderer.check_templates()
    if template_problems:
        raise_if_errors(problems + template_problems + _body_problems(site))
    rendered = stages.render(site, renderer, options.jobs)
    outputs = {page.output_path: rendered.html[page] for page in site.pages if page in rendered.html}
    # The other files: the language chooser, the pages left at old addresses, the files for hosts.
    found = stages.other_files(site, renderer, outputs)
    page_problems = held.take(rendered.problems)
    raise_if_errors(problems + page_problems + merge_pages(rendered.template_problems + found))
    outputs.update(assets.outputs())
    outputs.update(icons)
    outputs.update(pictures)

    # The checks of the whole site.
    # The pages left out: not searched, and not written (the checks still see them, so that links to
    # them are no mistake of the pages that link; their anchors are not known).
    left_out = frozenset(page.output_path for page in site.pages if page.source.shown in held.pages)
    problems += held.take(checks.anchor_problems(site, rendered.bodies, outputs, rendered.ids, left_out))
    # The site's own search: an index of each language's pages, as built (sitegen/search.py).
    searched = {path: data for path, data in outputs.items() if path not in left_out}
    indexes, found = stages.search_indexes(search.documents(site, searched))
    problems += found
    outputs.update(search.bundle(indexes))
    status = []
    if options.check or options.strict:
        status = checks.translation_status(site)
        # What the checks find on a page left out is of its stand-in, not of the page: not said.
        found = checks.translation_problems(site, status)
        found += checks.html_problems(site, outputs, stages.html_facts(outputs), left_out)
        problems += [problem for problem in found if problem.path not in held.pages]
        problems += stale_catalog_problems(reader, config)
    problems = held.take(problems)  # the checks' errors in a page left out, or in one that links to it
    raise_if_errors(problems, strict=options.strict, allow_placeholders=options.allow_placeholders)
    for path in left_out:
        outputs.pop(path, None)
    return BuildResult(
        site, outputs, tuple(dict.fromkeys(problems)), status, dict(reader.read), rendered.rendered,
        {path: tuple(found) for path, found in held.pages.items()},
        {path: url for path, url in held.urls.items() if path in held.pages},
    )  # fmt: skip


def _assemble(
    config: SiteConfig, sources: list[SourceFile], media: Media, options: BuildOptions, stages: Stages,
    held: _HeldBack,
) -> tuple[Site, list[Problem]]:  # fmt: skip
    """The site model, and the problems of its pages' front matter, URLs and pictures.

    A page left out (the preview's) stands in the site under its title, so that links to it, the
    menus and the language switcher work; its output is left out and the preview shows its error
    at its address. Leaving a page out may leave out no other: the site is assembled until it stands.
    """
    while True:
        kept = held.stand_ins(sources, config.language_codes)
        site, found = build_site(config, kept, options.drafts, held.check(stages.check_page),
                                 stages.same_page, media)  # fmt: skip
        found += checks.image_host_problems(site) + _front_matter_pictures(site, media)
        held.urls.update({page.source.shown: page.url for page in site.pages})
        before = len(held.pages)
        found = held.take(found)
        if len(held.pages) == before:
            return site, found


_PAGE_FILE = re.compile(r"^content/(?P<key>.+)\.(?P<lang>[a-z]{2,3})\.md$")


class _HeldBack:
    """The page files left out of a preview's build for their mistakes (BuildOptions.hold_back_pages)."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self.pages: dict[str, list[Problem]] = {}  # page file -> its errors
        self.urls: dict[str, str] = {}  # page file -> its page's URL, where known

    def stand_ins(self, sources: list[SourceFile], codes: tuple[str, ...]) -> list[SourceFile]:
        """*sources*, with a stand-in for each page file left out that could not be read at all."""
        known = {source.shown for source in sources}
        found = list(sources)
        for shown in sorted(set(self.pages) - known):
            match = _PAGE_FILE.match(shown)
            if match and match["lang"] in codes:
                title = json.dumps(match["key"].rpartition("/")[2])
                stand_in, _ = parse_source(f"---\ntitle: {title}\n---\n".encode(), shown, match["key"],
                                           match["lang"])  # fmt: skip
                if stand_in is not None:
                    found.append(stand_in)
        return found

    def check(
        self, check: Callable[[SourceFile, str | None], Checked]
    ) -> Callable[[SourceFile, str | None], Checked]:
        """*check*, and for a page left out, a header with only its title (and slug) that can stand in."""

        def checked(source: SourceFile, section_layout: str | None) -> Checked:
            if source.shown not in self.pages:
                return check(source, section_layout)
            data = source.front.data
            title = data.get("title")
            title = title.strip() if isinstance(title, str) and title.strip() else source.name
            slug = data.get("slug")
            slug = slug if isinstance(slug, str) and slug_problem(slug) is None else None
            layout = source.kind if source.kind != PAGE else PAGE  # never a template that needs more fields
            return PageMeta(title=title, description=title, layout=layout, slug=slug), []

        return checked

    def take(self, problems: list[Problem]) -> list[Problem]:
        """Keep the errors of page files (content/*.md) apart; return the other problems."""
        if not self.active:
            return problems
        others = []
        for problem in problems:
            if problem.is_error and problem.path.startswith("content/") and problem.path.endswith(".md"):
                self.pages.setdefault(problem.path, []).append(problem)
            else:
                others.append(problem)
        return others


def other_files(site: Site, renderer: TemplateRenderer, outputs: dict[str, bytes]) -> list[Problem]:
    """Add to *outputs* every file that is not a page; return the problems met."""
    problems: list[Problem] = []
    redirects = seo.redirects(site)
    special: list[tuple[str, Callable[[], tuple[str | None, Problem | None]]]] = [
        ("index.html", renderer.render_chooser),
        *((output_path(old), partial(renderer.render_redirect, old, page)) for old, page in redirects),
        ("404.html", renderer.render_root_not_found),
    ]
    for path, render in special:
        html, problem = render()
        if problem:
            problems.append(problem)
        elif html is not None:
            outputs[path] = html.encode("utf-8")
    outputs["sitemap.xml"] = seo.sitemap(site)
    outputs["robots.txt"] = seo.robots(site)
    outputs["_headers"] = hosting.headers_file(site.config.image_hosts)
    outputs["_redirects"] = hosting.redirects_file(site, redirects)
    return problems


def moved_problems(site: Site, before: dict[tuple[str, str], str]) -> list[Problem]:
    """A reminder for each page whose address is no longer the one it had *before* ((key, lang) ->
    URL) and whose old address is not kept by previous_slugs: links and bookmarks to it would break."""
    found = []
    for page in site.pages:
        old = before.get((page.key, page.lang))
        if old is None or old == page.url or old in site.previous_urls(page):
            continue
        front = page.source.front
        line = front.line_of("slug") if "slug" in front.data else front.line_of("title")
        slug = old.rstrip("/").rpartition("/")[2]
        found.append(Problem(page.source.shown, line, f"the page's address changed from {old} to {page.url}:"
                             " links and bookmarks to the old address will stop working",
                             f"if the old address was published, keep it working: add 'previous_slugs:'"
                             f" with '- {slug}' under it", severity=WARNING))  # fmt: skip
    return found


def _front_matter_pictures(site: Site, media: Media) -> list[Problem]:
    """A page's 'image:' naming a picture that content/media/ does not have."""
    return [
        missing_problem(page.source.shown, page.source.front.line_of("image"), page.meta.image, media)
        for page in site.pages
        if page.meta.image and site.picture(page.meta.image) is None
    ]


def lint_page(source: SourceFile, rules: Rules) -> list[Problem]:
    """The forbidden phrases of one page, in its front matter and its text."""
    found = lint.lint_text(source.front_text, source.lang, source.shown, rules, first_line=2)
    return found + lint.lint_text(source.body, source.lang, source.shown, rules, first_line=source.body_line)


def lint_template(shown: str, text: str, rules: Rules) -> list[Problem]:
    """The forbidden phrases written in a template, in any language: with every language's rules."""
    plain = lint.template_text(text)
    found = [p for lang in rules for p in lint.lint_text(plain, lang, shown, rules)] + find_placeholders(
        shown, text
    )
    return sorted(dict.fromkeys(found), key=lambda problem: problem.line or 0)  # "€" once


def lint_sources(
    reader: Reader, config: SiteConfig, sources: list[SourceFile], stages: Stages
) -> list[Problem]:
    """Check pages, templates and interface translations for phrases the health-information rules forbid."""
    project = reader.project
    rules, problems = lint.load_rules(reader, config.language_codes)
    problems += stages.lint_pages(sources, rules)
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        if reader.exists(path):
            try:
                text, _ = reader.read_text(path)
            except Unreadable:
                continue  # the catalog's own loader reports it
            problems += lint.lint_text(text, language.code, project.show(path), rules, catalog=True)
            problems += find_placeholders(project.show(path), text)
    for path in ProjectLoader(reader).listing().files:
        if path.suffix == ".html":
            try:
                text, _ = reader.read_text(path)
            except Unreadable:
                continue  # reported by the templates' check
            problems += stages.lint_template(project.show(path), text, rules)
    return problems + _interface_lint(reader, rules, stages)


def _interface_lint(reader: Reader, rules: Rules, stages: Stages) -> list[Problem]:
    """Lint the English interface strings where they are written: the template or code line of each.

    The English pages show the msgids of the templates themselves; locales/messages.pot is only
    a copy of them that `i18n extract` makes, and may lag behind.
    """
    problems: list[Problem] = []
    for item in stages.interface_strings(reader):
        for text in [item.message] if isinstance(item.message, str) else item.message:
            problems += lint.lint_text(text, SOURCE_LANGUAGE, item.path, rules, first_line=item.line)
    return problems


def _body_problems(site: Site) -> list[Problem]:
    """The mistakes in pages' text, reported together with those of the templates."""
    markdown = MarkdownRenderer()
    problems: list[Problem] = []
    for page in site.pages:
        problems += markdown.render(site, page)[1]
    return problems
