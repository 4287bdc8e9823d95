"""The preview's builds: one store kept in memory, each build starting from the files a save changed.

The file watcher says which files changed. A page file it does not name is taken
as the last build left it, without being looked at; its lint and its body's
digest are those of the last build. With the site's signature (every page's
front matter and URL) unchanged, no page's recorded questions are asked again:
a one-page text edit renders that page and writes that file. A build told
nothing (the first, or after the watcher lost track) checks everything, as a
build from the command line does.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Extracted
from ..content import PageFile, Read, SourceFile
from ..errors import Problem
from ..files import MAX_TEXT_BYTES, Listing, Reader, Stamp, folder_stamp
from ..markup import LinkRef, RenderedBody
from ..model import Page, Site
from ..output import Changes, Digests, manifest, write_site
from ..pipeline import BuildOptions, BuildResult, Checked, Rules, build
from ..project import Project
from ..templates import TemplateRenderer
from .incremental import Incremental, StoredBody
from .lookups import Answers
from .store import BuildCache

Listed = tuple[Listing, dict[str, Stamp]]  # a folder's listing, and the folders' stamps it recorded


def touches(changed: frozenset[Path] | None, read: dict[str, Stamp], output: Path) -> bool:
    """Tell whether a change of the files *changed* can change what was *read* (files, and folders'
    listings: a file added or removed where a folder was listed)."""
    if changed is None:
        return True
    for path in changed:
        if str(path) in read:
            return True
        parent = str(path.parent) + os.sep
        if parent in read and folder_stamp(path.parent, output) != read[parent]:
            return True
        if not path.is_file():  # a folder stands for all that is in it (or was, if it is gone)
            inside = str(path) + os.sep
            if any(key.startswith(inside) for key in read):
                return True
    return False


@dataclass(frozen=True)
class SessionReader(Reader):
    """The project's reader, which lists a folder again only when a file was added or removed there."""

    changed: frozenset[Path] | None = None
    is_changed: Callable[[Path], bool] = lambda path: True  # named by the watcher, or in a folder it named
    listings: dict[tuple[str, str], Listed] = field(default_factory=dict, repr=False)  # the last build's
    listed: dict[tuple[str, str], Listed] = field(default_factory=dict, repr=False)  # this build's
    texts: dict[str, tuple[bytes, Stamp]] = field(default_factory=dict, repr=False)  # files read before

    def read_bytes(self, path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
        """A file the watcher did not name, as the last build read it (templates, catalogs, data)."""
        key = str(path)
        known = self.texts.get(key)
        if known is not None and len(known[0]) <= limit and not self.is_changed(path):
            self.read.setdefault(key, known[1])
            return known[0]
        data = super().read_bytes(path, limit)
        self.texts[key] = (data, self.read[key])
        return data

    def list_files(self, folder: Path, skip: re.Pattern[str] | None = None) -> Listing:
        key = (str(folder), skip.pattern if skip else "")
        last = self.listings.get(key)
        if last is not None and not touches(self.changed, last[1], self.project.site_dir):
            listing, read = last
        else:
            before = set(self.read)
            listing = super().list_files(folder, skip)
            read = {k: v for k, v in self.read.items() if k not in before}
        self.read.update(read)
        self.listed[key] = (listing, read)
        return listing


class SessionStages(Incremental):
    """The stages, also reusing by identity what the last build of this session made."""

    def __init__(self, store: BuildCache) -> None:
        super().__init__(store)
        self.changed: frozenset[Path] | None = None
        self._read: dict[str, Read] = {}  # page file -> what the last build read of it
        self._reading: dict[str, Read] = {}
        self._changed: set[str] = set()
        self._folders: list[str] = []
        self._lints: dict[int, tuple[SourceFile, str, list[Problem]]] = {}
        self._checks: dict[int, tuple[SourceFile, str | None, Checked]] = {}
        self._listings: dict[tuple[str, str], Listed] = {}
        self._reader: SessionReader | None = None
        self._texts: dict[str, tuple[bytes, Stamp]] = {}  # the files other than pages, as last read
        self._strings: tuple[list[Extracted], dict[str, Stamp]] | None = None
        self._bodies: dict[int, tuple[StoredBody, RenderedBody]] = {}
        self._body_keys: dict[int, tuple[SourceFile, str]] = {}
        self._others: tuple[str, dict[str, bytes], list[Problem]] | None = None
        self._pages: dict[tuple[str, str], Page] = {}  # the last build's pages
        self._pages_now: dict[tuple[str, str], Page] = {}
        self._answers: Answers | None = None

    def start(self, changed: frozenset[Path] | None) -> None:
        self.changed = changed
        self._changed = {str(path) for path in changed or ()}
        self._folders = [str(path) + os.sep for path in changed or () if not path.is_file()]
        self._reading = {}
        self._pages_now = {}

    def finish(self) -> None:
        """Forget what the build did not use (pages that are gone)."""
        self._read = self._reading
        self._pages = self._pages_now
        live = {id(source) for source, _ in self._read.values() if source is not None}
        self._lints = {key: value for key, value in self._lints.items() if key in live}
        self._checks = {key: value for key, value in self._checks.items() if key in live}
        self._body_keys = {key: value for key, value in self._body_keys.items() if key in live}
        if self._reader is not None:
            self._listings = self._reader.listed
        stored = {id(entry) for entry in self.store.new["bodies"].values()}
        self._bodies = {key: value for key, value in self._bodies.items() if key in stored}

    def _is_changed(self, path: Path) -> bool:
        """Whether the watcher named *path* or a folder it is in (a folder stands for all in it)."""
        if self.changed is None:
            return True
        text = str(path)
        return text in self._changed or any(text.startswith(folder) for folder in self._folders)

    def reader(self, project: Project) -> Reader:
        self._reader = SessionReader(
            project,
            changed=self.changed,
            is_changed=self._is_changed,
            listings=self._listings,
            texts=self._texts,
        )
        return self._reader

    def check_page(self, source: SourceFile, section_layout: str | None) -> Checked:
        known = self._checks.get(id(source))
        if known is not None and known[0] is source and known[1] == section_layout:
            return known[2][0], list(known[2][1])
        found = super().check_page(source, section_layout)
        self._checks[id(source)] = (source, section_layout, found)
        return found[0], list(found[1])

    def interface_strings(self, reader: Reader) -> list[Extracted]:
        """The last build's strings, unless a file they were read from (or a folder listed to find
        those files) changed."""
        if self._strings is not None and not touches(self.changed, self._strings[1], reader.project.site_dir):
            found, read = self._strings
        else:
            listed = Reader(reader.project)
            found = super().interface_strings(listed)
            read = listed.read
        for key, value in read.items():
            if not key.endswith(os.sep):
                reader.read.setdefault(key, value)
        self._strings = (found, read)
        return found

    def stored_body(self, site: Site, stored: StoredBody) -> RenderedBody | None:
        """The body kept in *stored*, made again of this build's pages only where its links lead."""
        known = self._bodies.get(id(stored))
        if known is None or known[0] is not stored:
            body = super().stored_body(site, stored)
            if body is not None:
                self._bodies[id(stored)] = (stored, body)
            return body
        body = known[1]
        if all(site.page(ref.target.key, ref.target.lang) is ref.target for ref in body.links):
            return body  # its links lead to the same pages, kept from the last build
        refs = []
        for ref in body.links:
            target = site.page(ref.target.key, ref.target.lang)
            if target is None:
                return None
            refs.append(LinkRef(target, ref.fragment, ref.line, ref.names_language))
        return RenderedBody(body.html, body.toc, tuple(refs))

    def same_page(self, page: Page) -> Page:
        """The last build's page in place of an equal one, so that what is known of it stays valid."""
        last = self._pages.get((page.key, page.lang))
        same = last is not None and last.source is page.source and last.meta is page.meta
        if same and last is not None and (last.slug, last.url, last.kind) == (page.slug, page.url, page.kind):
            page = last
        self._pages_now[(page.key, page.lang)] = page
        return page

    def new_answers(self, site: Site) -> Answers:
        self._answers = Answers(self._answers, site.pages)
        return self._answers

    def body_key(self, source: SourceFile) -> str:
        known = self._body_keys.get(id(source))
        if known is None or known[0] is not source:
            known = self._body_keys[id(source)] = (source, super().body_key(source))
        return known[1]

    def other_files(self, site: Site, renderer: TemplateRenderer, outputs: dict[str, bytes]) -> list[Problem]:
        """The last build's other files, when only pages changed and no page's front matter or URL."""
        signature = self.inputs.site
        content = self.inputs.reader.project.content_dir
        only_pages = self.changed is not None and all(
            path.suffix == ".md" and path.is_relative_to(content) for path in self.changed
        )
        if only_pages and self._others is not None and self._others[0] == signature:
            outputs.update(self._others[1])
            return list(self._others[2])
        before = set(outputs)
        problems = super().other_files(site, renderer, outputs)
        self._others = (signature, {path: outputs[path] for path in outputs if path not in before}, problems)
        return problems

    def read_pages(self, reader: Reader, pages: list[PageFile]) -> list[Read]:
        """The files the watcher did not name as the last build read them; the others read again."""
        last = self._read
        fresh = [p for p in pages if str(p.path) not in last or self._is_changed(p.path)]
        for page, read in zip(fresh, super().read_pages(reader, fresh), strict=True):
            last[str(page.path)] = read
        found = [last[str(page.path)] for page in pages]
        self._reading.update((str(page.path), read) for page, read in zip(pages, found, strict=True))
        return [(source, list(problems)) for source, problems in found]

    def lint_pages(self, sources: list[SourceFile], rules: Rules) -> list[Problem]:
        """Each page's lint as the last build found it, when its source and the rules are the same."""
        rules_key = self._rules_digest(rules)
        fresh = []
        for source in sources:
            known = self._lints.get(id(source))
            if known is None or known[0] is not source or known[1] != rules_key:
                fresh.append(source)
        for source in fresh:  # one by one: each page's problems are kept apart
            self._lints[id(source)] = (source, rules_key, super().lint_pages([source], rules))
        return [problem for source in sources for problem in self._lints[id(source)][2]]


class Session:
    """Builds of one preview: the store stays in memory and is saved to .cache/ at the end."""

    def __init__(self, project: Project, options: BuildOptions) -> None:
        self.project = project
        self.options = options
        self.store = BuildCache.for_project(project.root)
        self.stages = SessionStages(self.store)
        self._outputs: dict[str, bytes] = {}
        self._digests: dict[str, str] = {}
        self._unfinished: frozenset[Path] | None = None  # changed since the last build that succeeded
        self._checks_waiting = False  # the last build was quick: the site-wide checks are still to run

    @property
    def lagging(self) -> bool:
        """Whether the last build was a quick one that left work for `build(frozenset())`: a search
        index made before its pages changed, or the site-wide checks."""
        return self.stages.search_lagging or self._checks_waiting

    def build(
        self, changed: frozenset[Path] | None = None, quick: bool = False, stop: threading.Event | None = None
    ) -> tuple[BuildResult, Changes]:
        """Build and write site/ after a save of *changed* (None: nothing is known of what changed).

        The files of a build that failed count as changed for the next one too: the build
        may have stopped before it looked at them. A *quick* build (a save's, in the preview)
        keeps the last search index of a language whose pages changed and leaves out the
        site-wide checks: the next build that is not quick does both (see `lagging`). Setting
        *stop* ends the build where it stands, before it writes anything (BuildStopped).
        """
        self.stages.search_may_lag = quick
        self.stages.stop = stop
        options = dataclasses.replace(self.options, check=False) if quick else self.options
        self._checks_waiting = quick and self.options.check
        if changed is None or self._unfinished is None:
            self._unfinished = None
        else:
            self._unfinished = self._unfinished | changed
        self.store.next_build()
        self.stages.start(self._unfinished)
        try:
            result = build(self.project, options, self.stages)
        except BaseException:
            self.store.abandon()  # what the last build kept stays for the next one
            raise
        if quick:  # what the checks read of each page, for the build that catches up
            self.store.keep("html")
        self.stages.finish()
        self._unfinished = frozenset()
        digests = Digests(result.outputs)
        for path, data in result.outputs.items():  # the same bytes as the last build wrote
            if self._outputs.get(path) is data:
                digests[path] = self._digests[path]
        key = str(self.project.site_dir)
        known = self.store.get("written", key)
        changes = write_site(self.project, result.outputs, known, digests)
        if changes.added or changes.changed or changes.removed or self.store.changed:
            if known is None:
                written = manifest(self.project.site_dir, result.outputs, digests)
            else:  # the files that stayed are site/'s own, as they were: only the others are new
                written = {path: entry for path, entry in known.items() if path not in changes.removed}
                written.update(manifest(self.project.site_dir, {p: result.outputs[p] for p in
                                        changes.added + changes.changed}, digests))  # fmt: skip
            self.store.put("written", key, written)
        self._outputs = result.outputs
        self._digests = {path: digests[path] for path in result.outputs}
        # What the session keeps between builds (the store, the last build's pages) is large and
        # lives long: the garbage collector need not look through it again after every save.
        gc.collect()
        gc.freeze()
        return result, changes

    def save(self) -> None:
        self.store.save()
