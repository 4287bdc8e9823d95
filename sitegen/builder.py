"""Run the stages of a build: load, check, model, render. Nothing is written here."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from . import checks, hosting, lint, seo
from .assets import load_assets
from .cache import BuildCache, digest
from .catalog import extract_messages, stale_catalog_problems
from .config import SiteConfig, load_config, with_base_url
from .content import SourceFile, load_sources
from .errors import Problem, raise_if_errors
from .files import Reader, Stamp, Unreadable
from .i18n import SOURCE_LANGUAGE, catalog_path, load_translations
from .markup import MarkdownRenderer
from .model import Site, build_site, output_path
from .project import Project
from .rendering import render_pages
from .templates import ProjectLoader, TemplateRenderer


def merge_repeats(problems: list[Problem]) -> list[Problem]:
    """Report a template mistake once, not once per page that uses the template."""
    groups: dict[tuple[str, int | None, str], list[str]] = {}
    for problem in problems:
        message, _, page = problem.message.partition(" (while rendering ")
        groups.setdefault((problem.path, problem.line, message), []).append(page.rstrip(")"))
    merged = []
    for problem in problems:
        message, _, _ = problem.message.partition(" (while rendering ")
        pages = groups.pop((problem.path, problem.line, message), None)
        if pages is None:
            continue
        pages = [p for p in pages if p]
        where = ""
        if pages:
            others = (
                f" and {len(pages) - 1} other page{'s' if len(pages) > 2 else ''}" if len(pages) > 1 else ""
            )
            where = f" (while rendering {pages[0]}{others})"
        merged.append(dataclasses.replace(problem, message=message + where))
    return merged


def lint_sources(
    reader: Reader, config: SiteConfig, sources: list[SourceFile], cache: BuildCache | None = None
) -> list[Problem]:
    """Check pages and interface translations for phrases the health-information rules forbid."""
    cache = cache or BuildCache.disabled()
    project = reader.project
    rules, problems = lint.load_rules(reader, config.language_codes)
    rules_digest = digest(repr(rules))
    for source in sources:
        key = digest(
            rules_digest, source.shown, source.lang, source.front_text, str(source.body_line), source.body
        )
        found = cache.get("lint", key)
        if found is None:
            found = lint.lint_text(source.front_text, source.lang, source.shown, rules, first_line=2)
            found += lint.lint_text(
                source.body, source.lang, source.shown, rules, first_line=source.body_line
            )
            cache.put("lint", key, found)
        problems += found
    for language in config.languages:
        path = catalog_path(project.locales_dir, language.code)
        if reader.exists(path):
            try:
                text, _ = reader.read_text(path)
            except Unreadable:
                continue  # the catalog's own loader reports it
            problems += lint.lint_text(text, language.code, project.show(path), rules, catalog=True)
    return (
        problems + _interface_lint(reader, rules, cache) + _template_lint(reader, rules, rules_digest, cache)
    )


def _interface_lint(reader: Reader, rules: dict[str, list[lint.Rule]], cache: BuildCache) -> list[Problem]:
    """Lint the English interface strings where they are written: the template or code line of each.

    The English pages show the msgids of the templates themselves; locales/messages.pot is only
    a copy of them that `i18n extract` makes, and may lag behind.
    """
    problems: list[Problem] = []
    listed = Reader(reader.project)
    found, _ = extract_messages(listed, cache)  # what cannot be read is reported by the build
    # The files read are inputs of the build; the listing of the project's folders is not: a new
    # folder of notes must not make the next build run (the templates' folder is listed below).
    for key, value in listed.read.items():
        if not key.endswith(os.sep):
            reader.read.setdefault(key, value)
    for item in found:
        for text in [item.message] if isinstance(item.message, str) else item.message:
            problems += lint.lint_text(text, SOURCE_LANGUAGE, item.path, rules, first_line=item.line)
    return problems


def _template_lint(
    reader: Reader, rules: dict[str, list[lint.Rule]], rules_digest: str, cache: BuildCache
) -> list[Problem]:
    """Lint the text written as such in the templates, in any language: with every language's rules."""
    problems: list[Problem] = []
    project = reader.project
    for path in ProjectLoader(reader).listing().files:
        if path.suffix != ".html":
            continue
        try:
            source, _ = reader.read_text(path)
        except Unreadable:
            continue  # reported by the templates' check
        shown = project.show(path)
        key = digest(rules_digest, "template", shown, source)
        found = cache.get("lint", key)
        if found is None:
            text = lint.template_text(source)
            found = [p for lang in rules for p in lint.lint_text(text, lang, shown, rules)]
            found = sorted(dict.fromkeys(found), key=lambda problem: problem.line or 0)  # "€" once
            cache.put("lint", key, found)
        problems += found
    return problems


def _body_problems(site: Site) -> list[Problem]:
    """The mistakes in pages' text, reported together with those of the templates."""
    markdown = MarkdownRenderer()
    problems: list[Problem] = []
    for page in site.pages:
        problems += markdown.render(site, page)[1]
    return problems


@dataclass(frozen=True)
class BuildResult:
    site: Site
    outputs: dict[str, bytes]  # path under site/ -> file contents
    problems: tuple[Problem, ...]  # warnings and notes (errors raise BuildError)
    translations: list[checks.TranslationStatus] = field(default_factory=list)
    read: dict[str, Stamp] = field(default_factory=dict)  # every file and folder the build read


def build(
    project: Project,
    *,
    strict: bool = False,
    check: bool = False,
    drafts: bool = False,
    base_url: str | None = None,
    cache: BuildCache | None = None,
    jobs: int = 1,
) -> BuildResult:
    """Build the whole site in memory; raise BuildError listing every mistake found.

    With *check* or *strict*, also run the site-wide checks (translations, the
    built HTML, stale catalogs); with *strict*, warnings are errors too.
    """
    cache = cache or BuildCache.disabled()
    reader = Reader(project)  # one reader for the whole build: it records what the build read
    config, problems = load_config(reader)
    config = with_base_url(config, base_url)
    sources, found = load_sources(reader, config, cache)
    problems += found
    site, found = build_site(config, sources, include_drafts=drafts)
    problems += found + checks.image_host_problems(site)
    translations, found = load_translations(reader, config)
    problems += found
    problems += lint_sources(reader, config, sources, cache)
    assets, found = load_assets(reader)
    problems += found
    raise_if_errors(problems)

    compiled = cache.folder / "templates" if cache.folder else None
    renderer = TemplateRenderer(reader, site, translations, assets, compiled)
    template_problems = renderer.check_templates()
    if template_problems:
        raise_if_errors(problems + template_problems + _body_problems(site))

    rendered = render_pages(project, site, renderer, cache, jobs)
    problems += rendered.problems
    raise_if_errors(problems)
    bodies = rendered.bodies
    outputs = {page.output_path: rendered.html[page] for page in site.pages if page in rendered.html}
    rendering: list[Problem] = list(rendered.template_problems)
    html, problem = renderer.render_chooser()
    if problem:
        problems.append(problem)
    elif html is not None:
        outputs["index.html"] = html.encode("utf-8")
    moves = seo.redirects(site)
    for old_url, page in moves:
        html, problem = renderer.render_redirect(old_url, page)
        if problem:
            rendering.append(problem)
        elif html is not None:
            outputs[output_path(old_url)] = html.encode("utf-8")
    problems += merge_repeats(rendering)
    html, problem = renderer.render_root_not_found()
    if problem:
        problems.append(problem)
    elif html is not None:
        outputs["404.html"] = html.encode("utf-8")
    outputs["sitemap.xml"] = seo.sitemap(site)
    outputs["robots.txt"] = seo.robots(site)
    outputs["_headers"] = hosting.headers_file(site.config.image_hosts)
    outputs["_redirects"] = hosting.redirects_file(site, moves)
    raise_if_errors(problems)
    outputs.update(assets.outputs())

    problems += checks.anchor_problems(site, bodies, outputs, rendered.ids)
    status = []
    if check or strict:
        status = checks.translation_status(site)
        problems += checks.translation_problems(site, status)
        problems += checks.html_problems(site, outputs)
        problems += stale_catalog_problems(reader, config)
    raise_if_errors(problems, strict=strict)
    return BuildResult(site, outputs, tuple(dict.fromkeys(problems)), status, dict(reader.read))
