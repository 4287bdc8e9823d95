"""Incremental builds: after any edit, site/ is byte for byte what a clean build makes."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from conftest import ROOT, TREATMENT_FIELDS, ScratchSite

from sitegen.engine.incremental import Incremental
from sitegen.engine.run import build_and_write
from sitegen.engine.store import BuildCache
from sitegen.errors import BuildError
from sitegen.output import MARKER
from sitegen.pipeline import BuildOptions, build
from sitegen.templates import TemplateRenderer


def site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            files[path.relative_to(site).as_posix()] = path.read_bytes()
    files.pop(MARKER, None)
    return files


def treatment(title: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndescription: About {title}.\n{extra}{TREATMENT_FIELDS}---\n{body}\n"


class Editor:
    """Random edits of the kinds editors and developers make, each one a small change."""

    def __init__(self, site: ScratchSite, seed: int) -> None:
        self.site = site
        self.rng = random.Random(seed)
        self.extra: dict[str, set[str]] = {}  # generated page name -> its languages
        self.count = 0

    def path(self, relative: str) -> Path:
        return self.site.root / relative

    def append(self, relative: str, text: str) -> None:
        path = self.path(relative)
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        path = self.path(relative)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def step(self) -> str:
        self.count += 1
        n = self.count
        lang = self.rng.choice(["tr", "en"])
        choices = [
            "edit text", "edit title", "add page", "add translation", "delete page", "rename slug",
            "edit template", "edit partial", "edit catalog", "edit site data", "link", "menu",
        ]  # fmt: skip
        action = self.rng.choice(choices)
        singles = [name for name, langs in self.extra.items() if len(langs) == 1]
        if action in ("delete page", "rename slug", "link") and not self.extra:
            action = "add page"
        if action == "add translation" and not singles:
            action = "add page"
        if action == "edit text":
            page = self.rng.choice(["treatments/mesotherapy", "treatments/hair-mesotherapy", "index"])
            self.append(f"content/{page}.{lang}.md", f"\nMore text {n}, ışık ve gölge.\n")
        elif action == "edit title":
            self.replace(f"content/treatments/hair-mesotherapy.{lang}.md", "title: ", f"title: V{n} ")
        elif action == "add page":
            name = f"extra-{n}"
            self.extra[name] = {lang}
            self.site.write({f"content/treatments/{name}.{lang}.md": treatment(f"Şifa {n}", "Yeni sayfa.")})
        elif action == "add translation":
            name = self.rng.choice(singles)
            other = ({"tr", "en"} - self.extra[name]).pop()
            self.extra[name].add(other)
            self.site.write({f"content/treatments/{name}.{other}.md": treatment(f"Çeviri {n}", "Çeviri.")})
        elif action == "delete page":
            name = self.rng.choice(sorted(self.extra))
            for language in self.extra.pop(name):
                self.site.remove(f"content/treatments/{name}.{language}.md")
        elif action == "rename slug":
            name = self.rng.choice(sorted(self.extra))
            language = sorted(self.extra[name])[0]
            self.replace(
                f"content/treatments/{name}.{language}.md", "---\ntitle:", f"---\nslug: yeni-{n}\ntitle:"
            )
        elif action == "edit template":
            self.replace("templates/treatment.html", "{% block main %}", f"{{% block main %}}<!-- {n} -->")
        elif action == "edit partial":
            self.append("templates/partials/cta.html", f"<!-- cta {n} -->\n")
        elif action == "edit catalog":
            self.replace("locales/tr/LC_MESSAGES/messages.po", 'msgstr "Ana sayfa', f'msgstr "Ana sayfa {n}')
        elif action == "edit site data":
            self.replace("content/site.yaml", "name: Test Kliniği", f"name: Test Kliniği {n}")
        elif action == "link":
            name = self.rng.choice(sorted(self.extra))
            self.append(f"content/index.{lang}.md", f"\nSee [{name}](treatments/{name}.md).\n")
            return f"{action} {name} ({lang}); the link stays, so deleting {name} later is an error"
        elif action == "menu":
            self.replace(f"content/cookies.{lang}.md", "---\ntitle:", f"---\nmenu: {n + 2}\ntitle:")
        return f"{action} ({lang})"


def without_remembered(error: BuildError) -> str:
    """The problems of *error* but the one kind a build with a cache may add: a reminder that a
    page's address changed since the last build, which a clean build cannot know of."""
    return str(
        BuildError(p for p in error.problems if not p.message.startswith("the page's address changed"))
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_build_equals_clean_build(tmp_path: Path, seed: int):
    site = ScratchSite(tmp_path / "project")
    if "{% block main %}" not in (ROOT / "templates/treatment.html").read_text(encoding="utf-8"):
        pytest.skip("the template edit needs a main block in treatment.html")
    editor = Editor(site, seed)
    build_and_write(site.project)
    history = []
    for _ in range(30):
        history.append(editor.step())
        try:
            clean = build(site.project).outputs
        except BuildError as error:
            clean_error = str(error)
            with pytest.raises(BuildError) as caught:
                build_and_write(site.project)
            assert without_remembered(caught.value) == clean_error, history
            continue
        result, _ = build_and_write(site.project)
        built = site_files(site.project.site_dir)
        assert sorted(built) == sorted(clean), history
        differing = [path for path in clean if built[path] != clean[path]]
        assert not differing, (history, differing)


def test_unchanged_pages_are_not_rendered_again(scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch):
    rendered: list[str] = []
    original = TemplateRenderer.render_page

    def counting(self, page, body):  # type: ignore[no-untyped-def]
        rendered.append(page.source.shown)
        return original(self, page, body)

    monkeypatch.setattr(TemplateRenderer, "render_page", counting)
    build_and_write(scratch_site.project)
    assert len(rendered) == 20
    rendered.clear()
    build_and_write(scratch_site.project)
    assert rendered == []

    # Editing a page's text renders that page only.
    page = scratch_site.root / "content/treatments/mesotherapy.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNew text.\n", encoding="utf-8")
    build_and_write(scratch_site.project)
    assert rendered == ["content/treatments/mesotherapy.en.md"]

    # Editing a Turkish title (the slug is set, so the URL stays) renders the pages that show
    # it: the page, its English version (switcher, hreflang), the treatments list, the
    # home page (which lists the treatments) and the reviewing doctor's profile (which lists the
    # pages the doctor reviewed).
    rendered.clear()
    page = scratch_site.root / "content/treatments/mesotherapy.tr.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("title: Mezoterapi", "title: Mezo"), encoding="utf-8"
    )
    build_and_write(scratch_site.project)
    assert sorted(rendered) == [
        "content/doctors/test.tr.md",
        "content/index.tr.md",
        "content/treatments/_index.tr.md",
        "content/treatments/mesotherapy.en.md",
        "content/treatments/mesotherapy.tr.md",
    ]

    # A title that gives the page a new URL also renders the pages whose text links to it.
    rendered.clear()
    page = scratch_site.root / "content/treatments/hair-mesotherapy.tr.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("Saç Mezoterapisi", "Saç Bakımı"), encoding="utf-8"
    )
    build_and_write(scratch_site.project)
    assert "content/treatments/mesotherapy.tr.md" in rendered
    assert "content/treatments/mesotherapy.en.md" not in rendered

    # Editing the treatment template renders the treatment pages only.
    rendered.clear()
    scratch_site.write({"templates/treatment.html": (ROOT / "templates/treatment.html").read_text() + "\n"})
    build_and_write(scratch_site.project)
    assert sorted(set(rendered)) == sorted(
        f"content/treatments/{name}.{lang}.md"
        for name in ("mesotherapy", "hair-mesotherapy")
        for lang in ("en", "tr")
    )

    # A changed catalog renders the pages of its language only.
    rendered.clear()
    catalog = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build_and_write(scratch_site.project)
    assert rendered and all(path.endswith(".tr.md") for path in rendered)


def test_only_changed_files_are_written(scratch_site: ScratchSite):
    project = scratch_site.project
    build_and_write(project)
    page = project.site_dir / "en/treatments/mesotherapy/index.html"
    other = project.site_dir / "en/contact/index.html"
    before = page.stat(), other.stat()
    _, changes = build_and_write(project)
    assert (changes.added, changes.changed, changes.removed) == ((), (), ())
    assert (page.stat().st_mtime_ns, other.stat().st_mtime_ns) == (
        before[0].st_mtime_ns,
        before[1].st_mtime_ns,
    )

    source = scratch_site.root / "content/treatments/mesotherapy.en.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nNew text.\n", encoding="utf-8")
    _, changes = build_and_write(project)
    assert changes.changed == ("en/treatments/mesotherapy/index.html",)
    assert other.stat().st_ino == before[1].st_ino  # the unchanged file was kept, not rewritten


def test_parallel_build_equals_single_process_build(scratch_site: ScratchSite):
    pages = {
        f"content/treatments/p{n}.{lang}.md": treatment(
            f"Sayfa {n} {lang}", f"## Başlık {n}\n\n[x](mesotherapy.md)"
        )
        for n in range(40)
        for lang in ("tr", "en")
    }
    scratch_site.write(pages)
    single = build(scratch_site.project, BuildOptions(jobs=1), Incremental(BuildCache.disabled())).outputs
    parallel = build(scratch_site.project, BuildOptions(jobs=2), Incremental(BuildCache.disabled())).outputs
    assert single == parallel


def test_a_damaged_cache_only_costs_time(scratch_site: ScratchSite):
    project = scratch_site.project
    build_and_write(project)
    cache_file = BuildCache.for_project(project.root).path
    assert cache_file is not None and cache_file.is_file()
    cache_file.write_bytes(b"not a pickle")
    build_and_write(project)
    assert site_files(project.site_dir) == build(project).outputs


def test_the_templates_a_template_uses_are_found_as_jinja_finds_them(scratch_site: ScratchSite):
    import jinja2
    import jinja2.meta

    from sitegen.files import Reader
    from sitegen.templates import ProjectLoader

    renderer = TemplateRenderer.__new__(TemplateRenderer)
    renderer.project = scratch_site.project
    renderer.loader = ProjectLoader(Reader(scratch_site.project))
    renderer.envs = {"en": jinja2.Environment(loader=renderer.loader, extensions=["jinja2.ext.i18n"])}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "templates"), extensions=["jinja2.ext.i18n"]
    )

    def by_jinja(name: str, seen: set[str]) -> set[str]:
        if name not in seen:
            seen.add(name)
            for other in jinja2.meta.find_referenced_templates(
                env.parse(env.loader.get_source(env, name)[0])
            ):
                by_jinja(str(other), seen)
        return seen

    names = [p.name for p in (ROOT / "templates").glob("*.html")]
    assert len(names) >= 8
    for name in names:
        assert renderer.template_files(name) == sorted(by_jinja(name, set())), name
    (scratch_site.root / "templates/computed.html").write_text('{% include page.layout ~ ".html" %}')
    assert renderer.template_files("computed.html") is None  # unknown: every template counts


def test_page_files_unchanged_since_the_last_build_are_not_read_again(
    scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch
):
    import time

    from sitegen import files
    from sitegen.engine import skip

    monkeypatch.setattr(skip, "RACY_NS", 0)  # the files count as quiet at once (see Incremental.read_page)
    build_and_write(scratch_site.project)
    reads: list[str] = []
    real = files.Reader.read_bytes

    def read_bytes(self: files.Reader, path: Path, limit: int = files.MAX_TEXT_BYTES) -> bytes:
        reads.append(path.name)
        return real(self, path, limit)

    monkeypatch.setattr(files.Reader, "read_bytes", read_bytes)
    time.sleep(0.05)  # a later clock tick, as a person's save would be
    page = scratch_site.root / "content/index.en.md"
    before = page.stat()
    page.write_text(page.read_text(encoding="utf-8").replace("Hello.", "Hallo."), encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same modification time
    build_and_write(scratch_site.project)
    assert [name for name in reads if name.endswith(".md")] == ["index.en.md"]
    assert "Hallo." in (scratch_site.project.site_dir / "en/index.html").read_text(encoding="utf-8")
