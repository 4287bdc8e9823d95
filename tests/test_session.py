"""The preview's builds, which start from the files a save changed: always what a clean build makes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, ScratchSite
from test_incremental import Editor, site_files, without_remembered

from sitegen import files
from sitegen.engine.session import Session
from sitegen.errors import BuildError
from sitegen.pipeline import BuildOptions, build
from sitegen.templates import TemplateRenderer

SKIPPED = {"site", ".cache", ".site.spare", ".site.swap"}


def snapshot(root: Path) -> dict[Path, bytes]:
    """Every file of the project but the output and the cache, with its bytes."""
    found = {}
    for folder, folders, names in os.walk(root):
        folders[:] = [name for name in folders if name not in SKIPPED]
        for name in names:
            path = Path(folder, name)
            found[path] = path.read_bytes()
    return found


def changed_between(before: dict[Path, bytes], after: dict[Path, bytes]) -> frozenset[Path]:
    """What a file watcher reports: the files added, removed or written."""
    return frozenset(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_a_preview_session_builds_what_a_clean_build_makes(tmp_path: Path, seed: int):
    site = ScratchSite(tmp_path / "project")
    if "{% block main %}" not in (ROOT / "templates/treatment.html").read_text(encoding="utf-8"):
        pytest.skip("the template edit needs a main block in treatment.html")
    session = Session(site.project, BuildOptions(drafts=True))
    session.build(None)
    editor = Editor(site, seed)
    history = []
    for _ in range(30):
        before = snapshot(site.root)
        history.append(editor.step())
        changed = changed_between(before, snapshot(site.root))
        try:
            clean = build(site.project, BuildOptions(drafts=True)).outputs
        except BuildError as error:
            with pytest.raises(BuildError) as caught:
                session.build(changed)
            assert without_remembered(caught.value) == str(error), history
            continue
        session.build(changed)
        built = site_files(site.project.site_dir)
        assert sorted(built) == sorted(clean), history
        differing = [path for path in clean if built[path] != clean[path]]
        assert not differing, (history, differing)


def test_a_saved_page_is_the_only_one_read_and_rendered(
    scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch
):
    session = Session(scratch_site.project, BuildOptions(drafts=True))
    session.build(None)
    rendered: list[str] = []
    reads: list[str] = []
    render_page, read_bytes = TemplateRenderer.render_page, files.Reader.read_bytes

    def counting_render(self, page, body):  # type: ignore[no-untyped-def]
        rendered.append(page.source.shown)
        return render_page(self, page, body)

    def counting_read(self, path, limit=files.MAX_TEXT_BYTES):  # type: ignore[no-untyped-def]
        reads.append(scratch_site.project.show(path))
        return read_bytes(self, path, limit)

    monkeypatch.setattr(TemplateRenderer, "render_page", counting_render)
    monkeypatch.setattr(files.Reader, "read_bytes", counting_read)
    page = scratch_site.root / "content/treatments/mesotherapy.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNew text.\n", encoding="utf-8")
    _, changes = session.build(frozenset([page]))
    assert rendered == ["content/treatments/mesotherapy.en.md"]
    assert [path for path in reads if path.endswith(".md")] == ["content/treatments/mesotherapy.en.md"]
    assert changes.changed == ("en/treatments/mesotherapy/index.html",)

    # Told nothing of what changed, the session looks at every file, as a command-line build does.
    rendered.clear()
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    _, changes = session.build(None)
    assert rendered == ["content/treatments/mesotherapy.en.md"]
    assert changes.changed == ("en/treatments/mesotherapy/index.html",)


def test_a_new_page_in_a_folder_is_listed(scratch_site: ScratchSite):
    session = Session(scratch_site.project, BuildOptions(drafts=True))
    session.build(None)
    new = scratch_site.root / "content/treatments/peeling.en.md"
    text = (scratch_site.root / "content/treatments/mesotherapy.en.md").read_text(encoding="utf-8")
    new.write_text(
        text.replace("title: Mesotherapy", "title: Peeling").replace("slug: mesotherapy", "slug: peeling")
    )
    _, changes = session.build(frozenset([new]))
    assert "en/treatments/peeling/index.html" in changes.added
    new.unlink()
    _, changes = session.build(frozenset([new]))
    assert "en/treatments/peeling/index.html" in changes.removed


def test_a_question_a_page_starts_asking_is_recorded_with_no_list_to_update(
    scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch
):
    """A new entry of every page's context asks the site something: no other place needs to know."""
    context = TemplateRenderer._page_context

    def with_a_summary(self, page, body):  # type: ignore[no-untyped-def]
        found = context(self, page, body)
        found["content"] += self.site.page("treatments/mesotherapy", "tr").meta.description
        return found

    monkeypatch.setattr(TemplateRenderer, "_page_context", with_a_summary)
    session = Session(scratch_site.project, BuildOptions(drafts=True))
    session.build(None)
    meso = scratch_site.root / "content/treatments/mesotherapy.tr.md"
    meso.write_text(meso.read_text(encoding="utf-8").replace("description: Meso.", "description: Yeni özet."))
    session.build(frozenset([meso]))
    contact = (scratch_site.project.site_dir / "en/contact/index.html").read_bytes()
    assert "Yeni özet.".encode() in contact
    assert contact == build(scratch_site.project, BuildOptions(drafts=True)).outputs["en/contact/index.html"]


def test_a_folder_the_watcher_names_stands_for_everything_in_it(scratch_site: ScratchSite):
    session = Session(scratch_site.project, BuildOptions(drafts=True))
    session.build(None)
    folder = scratch_site.root / "content/guides"
    scratch_site.write(
        {
            "content/guides/_index.en.md": "---\ntitle: Guides\ndescription: All guides.\n---\n",
            "content/guides/_index.tr.md": "---\ntitle: Rehberler\ndescription: Tüm rehberler.\n---\n",
            "content/guides/first.en.md": "---\ntitle: First\ndescription: The first.\n---\nSee [it](../contact.md).\n",
        }
    )
    _, changes = session.build(frozenset([folder]))
    assert "en/guides/first/index.html" in changes.added
    assert site_files(scratch_site.project.site_dir) == {
        path: data for path, data in build(scratch_site.project, BuildOptions(drafts=True)).outputs.items()
    }
    # Written again as a whole (a checkout of another branch), the folder is read again.
    (folder / "first.en.md").write_text("---\ntitle: First\ndescription: The first.\n---\nChanged.\n")
    session.build(frozenset([folder]))
    assert b"Changed." in (scratch_site.project.site_dir / "en/guides/first/index.html").read_bytes()


@pytest.mark.parametrize("name", ["style.css~", "#style.css#", "style.css.swp", "style.css___jb_tmp___"])
def test_files_editors_leave_are_not_published(scratch_site: ScratchSite, name: str):
    """What the preview's watcher leaves out, the build never reads: the two agree."""
    before = sorted(build(scratch_site.project).outputs)
    scratch_site.write({f"templates/static/{name}": "body { color: red }\n", f"templates/{name}": "<p>"})
    assert sorted(build(scratch_site.project).outputs) == before
