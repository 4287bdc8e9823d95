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

from pathlib import Path

from ..content import SourceFile
from ..errors import Problem
from ..files import Reader
from ..output import Changes, Digests, manifest, write_site
from ..pipeline import BuildOptions, BuildResult, Rules, build
from ..project import Project
from .incremental import Incremental
from .store import BuildCache

Read = tuple[SourceFile | None, list[Problem]]


class SessionStages(Incremental):
    """The stages, also reusing by identity what the last build of this session made."""

    def __init__(self, store: BuildCache) -> None:
        super().__init__(store)
        self.changed: frozenset[Path] | None = None
        self._read: dict[Path, Read] = {}  # page file -> what the last build read of it
        self._reading: dict[Path, Read] = {}
        self._lints: dict[int, tuple[SourceFile, str, list[Problem]]] = {}

    def start(self, changed: frozenset[Path] | None) -> None:
        self.changed = changed
        self._reading = {}

    def finish(self) -> None:
        self._read = self._reading  # pages that are gone are forgotten
        live = {id(source) for source, _ in self._read.values() if source is not None}
        self._lints = {key: value for key, value in self._lints.items() if key in live}

    def read_page(self, reader: Reader, path: Path, shown: str, key: str, lang: str) -> Read:
        last = self._read.get(path)
        if last is None or self.changed is None or path in self.changed:
            last = super().read_page(reader, path, shown, key, lang)
        self._reading[path] = last
        return last[0], list(last[1])

    def lint_page(self, source: SourceFile, rules: Rules) -> list[Problem]:
        rules_key = self._rules_digest(rules)
        known = self._lints.get(id(source))
        if known is not None and known[0] is source and known[1] == rules_key:
            return list(known[2])
        found = super().lint_page(source, rules)
        self._lints[id(source)] = (source, rules_key, found)
        return list(found)


class Session:
    """Builds of one preview: the store stays in memory and is saved to .cache/ at the end."""

    def __init__(self, project: Project, options: BuildOptions) -> None:
        self.project = project
        self.options = options
        self.store = BuildCache.for_project(project.root)
        self.stages = SessionStages(self.store)
        self._outputs: dict[str, bytes] = {}
        self._digests: dict[str, str] = {}

    def build(self, changed: frozenset[Path] | None = None) -> tuple[BuildResult, Changes]:
        """Build and write site/ after a save of *changed* (None: nothing is known of what changed)."""
        self.store.next_build()
        self.stages.start(changed)
        result = build(self.project, self.options, self.stages)
        self.stages.finish()
        digests = Digests(result.outputs)
        for path, data in result.outputs.items():  # the same bytes as the last build wrote
            if self._outputs.get(path) is data:
                digests[path] = self._digests[path]
        key = str(self.project.site_dir)
        changes = write_site(self.project, result.outputs, self.store.get("written", key), digests)
        if changes.added or changes.changed or changes.removed or self.store.changed:
            self.store.put("written", key, manifest(self.project.site_dir, result.outputs, digests))
        self._outputs = result.outputs
        self._digests = {path: digests[path] for path in result.outputs}
        return result, changes

    def save(self) -> None:
        self.store.save()
