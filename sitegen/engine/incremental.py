"""The pipeline's stages, done again only for what changed since an earlier build.

How a page gets rebuilt: its output is kept when its own file, its templates,
its language's catalog, the site data and the static files' names are as they
were (`PageInputs.own`), and every question its rendering asked the site has
the answer it had (`lookups.Replay`). Its body's HTML is kept apart, by its text
and the answers of its links' questions, so that a template edit renders the
pages again without reading their Markdown again. Pages left to render are
shared among the processor's cores (`workers`).

The other stages keep their results by a digest of what they were computed
from: a page file's parsed front matter and text (by the file's bytes, or by
its stamp when the file was already quiet), its lint, a template's lint, a
file's interface strings.
"""

from __future__ import annotations

import dataclasses
import gettext
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from markupsafe import Markup

from .. import files, images
from ..assets import Assets
from ..catalog import Extracted, extract_file
from ..checks import PageFacts, page_facts
from ..content import MAX_PAGE_BYTES, PageFile, Read, SourceFile, parse_source
from ..digest import digest
from ..errors import Problem
from ..files import Reader, Stamp
from ..i18n import catalog_path
from ..images import Processed
from ..markup import LinkRef, MarkdownRenderer, RenderedBody, TocEntry
from ..model import Page, Site
from ..pipeline import Rules, Stages, lint_page, lint_template, moved_problems
from ..rendering import Rendered, render_page
from ..search import Document, Files, index_languages
from ..templates import TemplateRenderer
from . import skip, workers
from .lookups import Answers, Asked, RecordingSite, Replay, recording_view
from .store import BuildCache

T = TypeVar("T")


class BuildStopped(Exception):
    """A build that catches up (the preview's, once saves pause) stopped for a save: it wrote nothing."""


@dataclass(frozen=True)
class Seen:
    """A page file as last read: its stamp, whether it had been quiet for a while, its bytes' digest."""

    stamp: Stamp
    quiet: bool  # only then is the stamp trusted to tell that the file is the same
    entry: str  # the key of what it held, in the table "sources"


@dataclass(frozen=True)
class StoredBody:
    """A page body's HTML, in plain data, with the questions its links asked."""

    html: str
    toc: tuple[tuple[str, str, int], ...]  # id, title, level
    links: tuple[tuple[str, str, str, int, bool], ...]  # target key, lang, fragment, line, names language
    asked: tuple[Asked, ...]
    site: str = ""  # the site's signature when it was made (PageInputs.site)

    @classmethod
    def of(cls, body: RenderedBody, asked: tuple[Asked, ...]) -> StoredBody:
        links = tuple((r.target.key, r.target.lang, r.fragment, r.line, r.names_language) for r in body.links)
        toc = tuple((entry.id, str(entry.title), entry.level) for entry in body.toc)
        return cls(str(body.html), toc, links, asked)

    def body(self, site: Site) -> RenderedBody | None:
        refs = []
        for key, lang, fragment, line, names_language in self.links:
            target = site.page(key, lang)
            if target is None:
                return None
            refs.append(LinkRef(target, fragment, line, names_language))
        toc = tuple(TocEntry(id_, Markup(title), level) for id_, title, level in self.toc)
        return RenderedBody(Markup(self.html), toc, tuple(refs))


@dataclass(frozen=True)
class StoredPage:
    """A page's HTML, with what it was made from."""

    own: str  # digest of its own inputs (PageInputs.own)
    asked: tuple[Asked, ...]  # the questions its templates asked the site
    html: bytes
    ids: list[str]
    site: str  # the site's signature when it was made (PageInputs.site)


@dataclass(frozen=True)
class Outcome:
    """What rendering one page gave, in plain data (it comes back from a worker process)."""

    body: StoredBody
    problems: list[Problem]  # of its text and links
    html: bytes | None
    ids: list[str]
    problem: Problem | None  # of its template
    asked: tuple[Asked, ...]


class PageInputs:
    """Digests of a page's own inputs, the shared ones computed once per build."""

    def __init__(
        self, reader: Reader, site: Site, renderer: TemplateRenderer, assets: Assets, answers: Answers
    ):
        self.reader = reader
        self.renderer = renderer
        self.answers = answers
        config = repr(site.config)
        statics = repr(sorted(assets.files.items()))
        self.language = {
            lang: digest(config, self._read(catalog_path(reader.project.locales_dir, lang)), statics)
            for lang in site.config.language_codes
        }
        self._templates: dict[str, str] = {}
        # Every question's answer follows from the site data, the drafts, the pictures and each
        # page's front matter and URL: while these are the same, no recorded question needs asking again.
        shared = (config, answers.of(site.drafts), answers.of(site.media))
        self.site = digest(*shared, *(answers.of(page) for page in site.pages))

    def same_answers(self, replay: Replay, site: str, asked: tuple[Asked, ...]) -> bool:
        return site == self.site or replay.same(asked)

    def own(self, page: Page, body_key: str) -> str:
        return digest(self.language[page.lang], self.template(page.layout), self.answers.of(page), body_key)

    def template(self, layout: str) -> str:
        """The digest of the layout's template and of every template it extends, includes or imports."""
        if layout not in self._templates:
            folder = self.reader.project.templates_dir
            names = self.renderer.template_files(f"{layout}.html")
            if names is None:  # a name computed while rendering: any template may be used
                paths = sorted(folder.rglob("*.html"))
            else:
                paths = [folder / name for name in names]
            parts: list[str | bytes] = []
            for path in paths:
                parts += [path.relative_to(folder).as_posix(), self._read(path)]
            self._templates[layout] = digest(*parts)
        return self._templates[layout]

    def _read(self, path: Path) -> bytes:
        """The bytes of an input file (its loader has already reported any problem with it)."""
        try:
            return self.reader.read_bytes(path) if path.is_file() else b"-"
        except files.Unreadable:
            return b"?"


class PageWork:
    """Render one page, noting the questions its body and its templates ask (in any process)."""

    def __init__(self, site: Site, view: Site, recorder: RecordingSite, renderer: TemplateRenderer,
                 common: tuple[Asked, ...]) -> None:  # fmt: skip
        self.site = site
        self.view = view
        self.recorder = recorder
        self.renderer = renderer
        self.common = common  # asked once for every page: when the templates' environment was made
        self.markdown: MarkdownRenderer | None = None

    def __call__(self, item: tuple[int, StoredBody | None]) -> Outcome:
        index, stored = item
        page = self.site.pages[index]
        body = stored.body(self.site) if stored is not None else None
        problems: list[Problem] = []
        if body is None or stored is None:
            self.markdown = self.markdown or MarkdownRenderer()
            with self.recorder.recording([]) as body_asked:
                body, problems = self.markdown.render(self.view, page)
            stored = StoredBody.of(body, tuple(dict.fromkeys(body_asked)))
        with self.recorder.recording(list(self.common)) as asked:
            html, ids, problem = render_page(self.renderer, page, body)
        return Outcome(stored, problems, html, ids, problem, tuple(dict.fromkeys(asked)))


class PageReading:
    """Read and parse one page file (in any process): its stamp, the digest of its bytes, what it holds."""

    def __init__(self, reader: Reader, store: BuildCache) -> None:
        self.reader = reader
        self.store = store  # only looked in: what a worker puts there would stay in the worker

    def __call__(self, page: PageFile) -> tuple[Stamp | None, str | None, Read]:
        try:
            raw = self.reader.read_bytes(page.path, MAX_PAGE_BYTES)
        except files.Unreadable as exc:
            return self.reader.read.get(str(page.path)), None, (None, [exc.problem])
        entry = digest(page.shown, page.key, page.lang, raw)
        found = self.store.peek("sources", entry) or parse_source(raw, page.shown, page.key, page.lang)
        return self.reader.read.get(str(page.path)), entry, found


def _picture(item: tuple[str, str, bytes]) -> Processed:
    """Make one picture's variants (in any process): its name, its file as shown, its bytes."""
    return images.process(*item)


class PageLint:
    """Lint one page (in any process)."""

    def __init__(self, sources: list[SourceFile], rules: Rules) -> None:
        self.sources = sources
        self.rules = rules

    def __call__(self, index: int) -> list[Problem]:
        return lint_page(self.sources[index], self.rules)


class HtmlReading:
    """Read one built page for the checks (in any process)."""

    def __init__(self, outputs: dict[str, bytes]) -> None:
        self.outputs = outputs

    def __call__(self, path: str) -> PageFacts:
        return page_facts(self.outputs[path].decode("utf-8"))


class Incremental(Stages):
    """The stages, reusing what *store* holds of earlier builds and keeping what this one made."""

    def __init__(self, store: BuildCache, jobs: int = 1) -> None:
        self.store = store
        self.jobs = jobs  # processes that may read, lint and render
        self.compiled_templates = store.folder / "templates" if store.folder else None
        self._rules: dict[int, tuple[Rules, str]] = {}
        # The preview may show the last search index of a language while its pages change, and
        # index them again once saves pause (Pagefind indexes a whole language at a time).
        self.search_may_lag = False
        self.stop: threading.Event | None = None  # set: a build that catches up gives way to a save
        self.search_lagging = False  # the last build showed such an index

    def read_pages(self, reader: Reader, pages: list[PageFile]) -> list[Read]:
        """Read the page files; one whose stamp is as when it was last read (and had not changed
        for a few seconds then) is taken from the store without being read. The others are read
        and parsed by the workers."""
        store = self.store
        results: list[Read | None] = []
        todo: list[tuple[int, PageFile, Stamp, Seen | None]] = []
        for index, page in enumerate(pages):
            current = files.stamp(page.path)
            known: Seen | None = store.get("stats", page) if current[0] == "file" else None
            trusted = known is not None and known.stamp == current and known.quiet
            found = store.get("sources", known.entry) if known is not None and trusted else None
            if found is not None:
                reader.read.setdefault(str(page.path), current)
                results.append((found[0], list(found[1])))
            else:
                results.append(None)
                todo.append((index, page, current, known))
        done = workers.run(PageReading(reader, store), [page for _, page, _, _ in todo], self.jobs)
        for (index, page, current, known), (stamp, entry, found) in zip(todo, done, strict=True):
            if stamp is not None:
                reader.read.setdefault(str(page.path), stamp)
            if entry is None:  # unreadable
                results[index] = found
                continue
            store.put("sources", entry, found)
            if current[0] == "file":
                # Trusted next time only if the file was already quiet for a while: a save within
                # the same clock tick as this read would leave its times as they are now.
                quiet = max(int(current[2]), int(current[3])) < time.time_ns() - skip.RACY_NS  # type: ignore[call-overload]
                if known != (seen := Seen(current, quiet, entry)):
                    store.put("stats", page, seen)
            results[index] = (found[0], list(found[1]))
        return [result for result in results if result is not None]

    def _rules_digest(self, rules: Rules) -> str:
        known = self._rules.get(id(rules))
        if known is None or known[0] is not rules:
            known = self._rules[id(rules)] = (rules, digest(repr(rules)))
        return known[1]

    def pictures(self, reader: Reader, named: list[tuple[Path, str]]) -> list[Processed]:
        """The pictures' variants, from the store when a file is as it was (by its stamp, as for the
        page files, or else by its bytes); the new and changed ones made by Pillow in the workers."""
        store = self.store
        done: list[Processed | None] = []
        todo: list[tuple[int, str, tuple[str, str, bytes]]] = []  # index, key, (name, shown, bytes)
        seen: list[tuple[Path, Stamp, Seen | None, str | None]] = []
        for index, (path, name) in enumerate(named):
            current = files.stamp(path)
            known: Seen | None = store.get("stats", path) if current[0] == "file" else None
            if known is not None and known.stamp == current and known.quiet:
                found: Processed | None = store.blob(known.entry)
                if found is not None:
                    reader.read.setdefault(str(path), current)
                    done.append(found)
                    seen.append((path, current, known, None))
                    continue
            try:
                data = reader.read_bytes(path, images.MAX_BYTES)
            except files.Unreadable as exc:
                done.append(Processed(None, {}, (exc.problem,)))
                seen.append((path, current, known, None))
                continue
            key = digest("picture", images.SETTINGS, name, reader.show(path), data)
            found = store.blob(key)
            done.append(found)
            if found is None:
                todo.append((index, key, (name, reader.show(path), data)))
            seen.append((path, current, known, key))
        made = workers.run(_picture, [item for _, _, item in todo], self.jobs, parallel_from=2)
        for (index, key, _), result in zip(todo, made, strict=True):
            store.put_blob(key, result)
            done[index] = result
        for path, current, known, read_key in seen:
            if read_key is not None and current[0] == "file":
                quiet = max(int(current[2]), int(current[3])) < time.time_ns() - skip.RACY_NS  # type: ignore[call-overload]
                if known != (entry := Seen(current, quiet, read_key)):
                    store.put("stats", path, entry)
        return [result for result in done if result is not None]

    def moved_pages(self, site: Site) -> list[Problem]:
        """Pages whose address changed since the last build, without a redirect from the old one."""
        before: dict[tuple[str, str], str] = self.store.peek("urls", "pages") or {}
        now = {(page.key, page.lang): page.url for page in site.pages}
        self.store.put("urls", "pages", {**before, **now})  # pages left out keep their last address
        return moved_problems(site, before)

    def lint_pages(self, sources: list[SourceFile], rules: Rules) -> list[Problem]:
        """The lint of each page, from the store or else by the workers."""
        rules_key = self._rules_digest(rules)
        keys = [self.lint_key(source, rules_key) for source in sources]
        found: list[list[Problem] | None] = [self.store.get("lint", key) for key in keys]
        todo = [index for index, problems in enumerate(found) if problems is None]
        for index, problems in zip(todo, workers.run(PageLint(sources, rules), todo, self.jobs), strict=True):
            self.store.put("lint", keys[index], problems)
            found[index] = problems
        return [problem for problems in found if problems for problem in problems]

    def lint_key(self, source: SourceFile, rules_key: str) -> str:
        return digest(
            rules_key, source.shown, source.lang, source.front_text, str(source.body_line), source.body
        )

    def lint_template(self, shown: str, text: str, rules: Rules) -> list[Problem]:
        key = digest(self._rules_digest(rules), "template", shown, text)
        return self._kept("lint", key, lambda: lint_template(shown, text, rules))

    def extract(self, relative: str, method: str, options: dict[str, str], data: bytes) -> list[Extracted]:
        key = digest(relative, method, repr(sorted(options.items())), data)
        return self._kept("messages", key, lambda: extract_file(relative, method, options, data))

    def _kept(self, table: str, key: str, compute: Callable[[], T]) -> T:
        found: T | None = self.store.get(table, key)
        if found is None:
            found = compute()
            self.store.put(table, key, found)
        return found

    def new_answers(self, site: Site) -> Answers:
        return Answers()  # one per build: it knows this build's pages

    def stop_if_asked(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise BuildStopped

    def html_facts(self, outputs: dict[str, bytes]) -> dict[str, PageFacts]:
        """What the checks read of each HTML file: kept by the digest of its bytes, read by the workers."""
        self.stop_if_asked()
        paths = [path for path in outputs if path.endswith(".html")]
        keys = [digest(outputs[path]) for path in paths]
        facts: dict[str, PageFacts] = {}
        todo = []
        for path, key in zip(paths, keys, strict=True):
            found = self.store.get("html", key)
            if found is None:
                todo.append((path, key))
            else:
                facts[path] = found
        reading = HtmlReading(outputs)
        for (path, key), found in zip(
            todo, workers.run(reading, [path for path, _ in todo], self.jobs), strict=True
        ):
            self.store.put("html", key, found)
            facts[path] = found
        return facts

    def search_indexes(self, docs: dict[str, list[Document]]) -> tuple[dict[str, Files], list[Problem]]:
        """Each language's search index, kept by the digest of its pages' URLs and HTML: a language
        none of whose pages changed is not indexed again."""
        keys = {
            lang: digest(
                "search", lang, *(part for url, shown, html in found for part in (url, shown, digest(html)))
            )
            for lang, found in docs.items()
        }
        indexes = {
            lang: files for lang, key in keys.items() if (files := self.store.get("search", key)) is not None
        }
        self.search_lagging = False
        if self.search_may_lag:  # the preview: the last index of a language, until it is made anew when idle
            for lang in docs:
                if lang not in indexes and (last := self.store.get("search", ("latest", lang))) is not None:
                    indexes[lang] = last
                    self.search_lagging = True
        self.stop_if_asked()
        made, problems = index_languages(
            {lang: found for lang, found in docs.items() if lang not in indexes}, self.stop
        )
        self.stop_if_asked()  # what the stopped processes gave is not kept
        for lang, files in made.items():
            self.store.put("search", keys[lang], files)
        indexes.update(made)
        for lang, files in indexes.items():
            self.store.put("search", ("latest", lang), files)
        return {lang: indexes[lang] for lang in docs if lang in indexes}, problems

    def stored_body(self, site: Site, stored: StoredBody) -> RenderedBody | None:
        return stored.body(site)

    def body_key(self, source: SourceFile) -> str:
        """The digest of a page's body text, where it stands in its file and whose it is."""
        return digest(source.shown, source.key, source.lang, str(source.body_line), source.body)

    def renderer(
        self, reader: Reader, site: Site, translations: dict[str, gettext.NullTranslations], assets: Assets
    ) -> TemplateRenderer:
        """The templates' renderer, seeing the site through the recorder of look-ups."""
        self.answers = self.new_answers(site)
        self.view, self.recorder = recording_view(site, self.answers)
        self.common: list[Asked] = []
        with self.recorder.recording(self.common):  # the environment asks the menu, the home URL...
            renderer = TemplateRenderer(reader, self.view, translations, assets, self.compiled_templates)
        self.inputs = PageInputs(reader, site, renderer, assets, self.answers)
        return renderer

    def render(self, site: Site, renderer: TemplateRenderer, jobs: int) -> Rendered:
        """Render the pages whose inputs or answers changed; take the others from the store."""
        store, inputs = self.store, self.inputs
        replay = Replay(site, self.answers)
        result = Rendered()
        todo: list[tuple[int, StoredBody | None]] = []
        for index, page in enumerate(site.pages):
            body_key = self.body_key(page.source)
            stored: StoredBody | None = store.get("bodies", body_key)
            same = stored is not None and inputs.same_answers(replay, stored.site, stored.asked)
            body = self.stored_body(site, stored) if stored is not None and same else None
            if body is None:
                stored = None
            else:
                kept: StoredPage | None = store.get("pages", page.output_path)
                if (
                    kept is not None
                    and kept.own == inputs.own(page, body_key)
                    and inputs.same_answers(replay, kept.site, kept.asked)
                ):
                    result.add(page, body, kept.html, kept.ids)
                    continue
            todo.append((index, stored))
        result.rendered = len(todo)
        work = PageWork(site, self.view, self.recorder, renderer, tuple(dict.fromkeys(self.common)))
        for (index, _), outcome in zip(todo, workers.run(work, todo, jobs), strict=True):
            page = site.pages[index]
            body = outcome.body.body(site)
            assert body is not None  # made in this build, of this build's pages
            result.add(page, body, outcome.html, outcome.ids)
            result.problems += outcome.problems
            if outcome.problem is not None:
                result.template_problems.append(outcome.problem)
            if outcome.html is None or outcome.problems:
                continue  # a page with mistakes is never kept: the next build reports them again
            body_key = self.body_key(page.source)
            store.put("bodies", body_key, dataclasses.replace(outcome.body, site=inputs.site))
            own = inputs.own(page, body_key)
            store.put(
                "pages",
                page.output_path,
                StoredPage(own, outcome.asked, outcome.html, outcome.ids, inputs.site),
            )
        return result
