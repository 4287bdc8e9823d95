"""A build with nothing to do is skipped, and any change to an input or to site/ is built again."""

import os
import time

import pytest
from conftest import ScratchSite

from sitegen import pipeline
from sitegen.cli import main
from sitegen.engine import skip
from sitegen.engine.run import build_unless_unchanged
from sitegen.pipeline import BuildOptions


@pytest.fixture
def site(scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch) -> ScratchSite:
    # Record builds even though the test edits files just before them; a pause before each
    # edit (below) puts the edit on a later clock tick than the record, as a person's would be.
    monkeypatch.setattr(skip, "RACY_NS", 0)
    return scratch_site


def built(site: ScratchSite, strict: bool = False) -> bool | str:
    """Build; return whether the generator really built (True) or skipped the build (False);
    with *strict* (placeholders allowed, as in the repository's CI), the errors that stopped it."""
    from sitegen.errors import BuildError

    calls = []
    real = pipeline.build

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    pipeline.build = counting
    try:
        build_unless_unchanged(site.project, BuildOptions(strict=strict, allow_placeholders=strict))
    except BuildError as error:
        if not strict:
            raise
        return str(error)  # the publishing build's errors, for the test to read
    finally:
        pipeline.build = real
    return bool(calls)


def pause() -> None:
    time.sleep(0.05)


def test_a_second_build_with_nothing_changed_is_skipped_and_reports_the_same(site: ScratchSite):
    first = build_unless_unchanged(site.project, BuildOptions())
    second = build_unless_unchanged(site.project, BuildOptions())
    assert second[:2] == first[:2]  # the same figures, warnings and notes
    assert second[2].added == second[2].changed == second[2].removed == ()
    assert not built(site)


def test_a_same_size_edit_with_its_old_time_put_back_is_built(site: ScratchSite):
    built(site)
    page = site.root / "content/index.en.md"
    before = page.stat()
    pause()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Hello.", "Hallo."), encoding="utf-8")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # as some copy tools do
    assert page.stat().st_size == before.st_size
    assert built(site)
    assert "Hallo." in (site.project.site_dir / "en/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    ["content/index.tr.md", "templates/base.html", "locales/tr/LC_MESSAGES/messages.po", "content/site.yaml"],
)
def test_an_edited_input_is_built(site: ScratchSite, path: str):
    built(site)
    pause()
    with (site.root / path).open("a", encoding="utf-8") as stream:
        stream.write("\n")
    assert built(site)
    assert not built(site)


def test_a_new_or_deleted_page_is_built(site: ScratchSite):
    built(site)
    pause()
    site.write({"content/extra.en.md": "---\ntitle: Extra\ndescription: An extra page.\n---\nText.\n"})
    assert built(site)
    assert (site.project.site_dir / "en/extra/index.html").is_file()
    pause()
    (site.root / "content/extra.en.md").unlink()
    assert built(site)
    assert not (site.project.site_dir / "en/extra").exists()


def test_a_file_changed_or_deleted_in_site_is_built_again(site: ScratchSite):
    built(site)
    home = site.project.site_dir / "en/index.html"
    good = home.read_bytes()
    home.write_bytes(good + b"<!-- edited by hand -->")
    assert built(site)
    assert home.read_bytes() == good
    home.unlink()
    assert built(site)
    assert home.read_bytes() == good
    (site.project.site_dir / "stray.txt").write_text("not ours", encoding="utf-8")
    assert built(site)
    assert not (site.project.site_dir / "stray.txt").exists()


def test_other_options_are_built(site: ScratchSite):
    build_unless_unchanged(site.project, BuildOptions())
    _, _, changes = build_unless_unchanged(
        site.project, BuildOptions(base_url="https://preview.example.net/")
    )
    assert changes.changed  # the addresses in the pages changed
    assert build_unless_unchanged(site.project, BuildOptions())[2].changed  # and back


def test_a_build_just_after_an_edit_is_not_recorded(scratch_site: ScratchSite):
    # Without the test's shortcut: an input changed seconds ago could change again within
    # the same clock tick, unseen, so such a build is never taken as the last word.
    build_unless_unchanged(scratch_site.project, BuildOptions())
    assert not (scratch_site.root / ".cache" / skip.RECORD_FILE).exists()


def test_the_command_prints_the_notes_and_summary_again(
    site: ScratchSite, capsys: pytest.CaptureFixture[str]
):
    args = ["--root", str(site.root), "build"]
    assert main(args) == 0
    first = capsys.readouterr()
    assert main(args) == 0
    second = capsys.readouterr()
    assert second.err == first.err
    pages_files_size = first.out.split(", ")[:3]  # "Built 6 pages (3 tr", "3 en): 14 files", "58 KB"
    assert second.out.split(", ")[:3] == pages_files_size
    assert ", 0 changed, into site/ in " in second.out


def test_the_record_is_small_and_inside_the_cache(site: ScratchSite):
    built(site)
    record = site.root / ".cache" / skip.RECORD_FILE
    assert record.is_file()
    assert record.stat().st_size < 64 * 1024


def test_what_the_build_read_decides_so_babel_cfg_and_a_folder_it_maps_count(tmp_path, monkeypatch):
    """The skip check is what the last build read, not a list kept by hand: editing babel.cfg and
    adding the folder it maps (read only by the strict build's catalog check) is seen."""
    import shutil

    from sitegen.project import Project
    from tests.conftest import ROOT

    monkeypatch.setattr(skip, "RACY_NS", 0)
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    site = ScratchSite.__new__(ScratchSite)
    site.root, site.project = tmp_path, Project.at(tmp_path)
    assert built(site, strict=True) is True  # the real site builds strictly (placeholders allowed)
    assert built(site, strict=True) is False  # skipped: nothing changed
    pause()
    cfg = tmp_path / "babel.cfg"
    cfg.write_text(
        cfg.read_text("utf-8") + "\n[jinja2: extra/**.html]\nextensions = jinja2.ext.i18n\n", "utf-8"
    )
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra/note.html").write_text('{{ _("A string no catalog has yet") }}\n', "utf-8")
    errors = built(site, strict=True)
    assert isinstance(errors, str)
    assert (
        "extra/note.html:1: the interface string 'A string no catalog has yet' is not in the catalogs yet"
        in errors
    )


@pytest.mark.parametrize(
    "new",
    [
        {
            "content/rules.yaml": "rules:\n  - why: not our style\n    en: [hello]\n"
        },  # was looked for, missing
        {"templates/static/new.css": "p{}"},  # a folder that was listed
        {"content/new.en.md": "---\ntitle: New\ndescription: x\n---\n"},
    ],
    ids=["rules.yaml created", "static file added", "new page"],
)
def test_a_file_that_appears_where_the_build_looked_is_built(site: ScratchSite, new: dict[str, str]):
    built(site)
    assert not built(site)
    pause()
    site.write(new)
    assert built(site)


def test_a_file_the_build_never_reads_does_not_cause_a_build(site: ScratchSite):
    built(site)
    pause()
    site.write({"notes/todo.txt": "buy coffee", "content/.hidden": "x"})
    assert not built(site)
