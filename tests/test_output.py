"""Writing site/: whole or not at all, even when the build is killed half-way."""

import errno
import json
import os
import shutil
import sys

import pytest

from sitegen import output
from sitegen.cli import main
from sitegen.pipeline import build
from tests.file_operations import Operations
from tests.test_site import snapshot


def test_leftovers_of_earlier_versions_are_removed_even_when_their_process_number_runs_again(scratch_site):
    root = scratch_site.root
    # Process numbers are reused (in a container every build may be number 1): only the lock counts.
    leftovers = [root / f".site.new-{os.getpid()}-abcd_123", root / ".site.old-1-x9y8z7w6"]
    for leftover in leftovers:
        (leftover / "site/en").mkdir(parents=True)
        (leftover / "site/en/index.html").write_text("old")
    kept = [root / ".site.new-notes", root / ".site-new-1-abcdefgh", root / ".site.new-1-abcdefghij"]
    for folder in kept:
        folder.mkdir()
    assert main(["--root", str(root)]) == 0
    assert sorted(p.name for p in root.glob(".site*")) == sorted(p.name for p in kept)


def test_the_build_writes_nothing_outside_site_and_its_cache(scratch_site):
    def files() -> set:
        root = scratch_site.root
        return {p for p in root.rglob("*") if not {"site", ".cache"} & set(p.relative_to(root).parts)}

    before = files()
    assert main(["--root", str(scratch_site.root)]) == 0
    assert files() == before
    assert (scratch_site.root / ".cache/build.pickle").is_file()
    assert (scratch_site.root / ".cache/.gitignore").read_text(encoding="utf-8").endswith("\n*\n")


def test_a_write_that_fails_half_way_leaves_the_previous_site_and_says_why(scratch_site, monkeypatch, capsys):
    assert main(["--root", str(scratch_site.root)]) == 0
    before = snapshot(scratch_site.project.site_dir)
    site_yaml = scratch_site.root / "content/site.yaml"  # a change that every page shows
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("Test Kliniği", "Deneme"), encoding="utf-8"
    )
    monkeypatch.setattr(
        output, "os", Operations(fail_at=frozenset({4}), error=errno.ENOSPC, only=frozenset({"write"}))
    )
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 1
    assert capsys.readouterr().err == (
        "site: the site could not be written: No space left on device\n"
        "  hint: check that ./ is writable and the disk is not full; site/ was left as it was\n"
        "\nThe build stopped: 1 problem to fix (above, as file:line). Nothing was written: site/ is as it was.\n"
    )
    monkeypatch.undo()
    assert snapshot(scratch_site.project.site_dir) == before
    assert main(["--root", str(scratch_site.root)]) == 0
    assert b"Deneme" in (scratch_site.project.site_dir / "en/index.html").read_bytes()


def test_a_folder_the_build_did_not_make_is_never_replaced(scratch_site, tmp_path, capsys):
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.docx").write_text("years of work")
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root), "--output", str(documents)]) == 1
    assert (
        "refusing to write the site here: it is not empty and was not made by this build, so replacing it"
        " could lose files\n  hint: write to a new or empty folder"
    ) in capsys.readouterr().err
    assert (documents / "thesis.docx").read_text() == "years of work"
    fresh = tmp_path / "public-html"
    assert main(["--root", str(scratch_site.root), "--output", str(fresh)]) == 0
    assert main(["--root", str(scratch_site.root), "--output", str(fresh)]) == 0  # it is ours now
    assert (fresh / ".sitegen").is_file() and (fresh / "tr/index.html").is_file()


def test_an_output_folder_that_is_a_symbolic_link_is_refused(scratch_site, tmp_path, capsys):
    real = tmp_path / "www"
    real.mkdir()
    (scratch_site.root / "site").symlink_to(real)
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 1
    assert (
        "site: refusing to write the site here: it is a symbolic link; the build replaces the folder itself\n"
        "  hint: give the real folder with --output"
    ) in capsys.readouterr().err
    assert (scratch_site.root / "site").is_symlink() and list(real.iterdir()) == []


def test_concurrent_builds_each_leave_a_whole_site(scratch_site):
    import threading

    from sitegen.output import write_site
    from sitegen.pipeline import build

    outputs = build(scratch_site.project).outputs
    write_site(scratch_site.project, outputs)
    errors = []

    def write():
        try:
            for _ in range(5):
                write_site(scratch_site.project, outputs)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    seen_missing = 0
    while any(t.is_alive() for t in threads):
        if not (scratch_site.project.site_dir / "tr/index.html").is_file():
            seen_missing += 1
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen_missing == 0
    written = snapshot(scratch_site.project.site_dir)
    assert written.pop(".sitegen").startswith(b"Made by python build.py")
    assert written == outputs


def test_a_small_change_writes_only_its_files_and_keeps_the_previous_site_beside(scratch_site):
    assert main(["--root", str(scratch_site.root)]) == 0
    site = scratch_site.project.site_dir
    before = {path: path.stat() for path in site.rglob("*") if path.is_file()}
    previous = snapshot(site)
    page = scratch_site.root / "content/treatments/mesotherapy.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert (
        main(["--root", str(scratch_site.root), "build", "--changes", str(scratch_site.root / "c.json")]) == 0
    )
    changes = json.loads((scratch_site.root / "c.json").read_text(encoding="utf-8"))
    assert changes == {"added": [], "changed": ["en/treatments/mesotherapy/index.html"], "removed": []}
    after = {path: path.stat() for path in site.rglob("*") if path.is_file()}
    assert sorted(after) == sorted(before)
    moved = [
        path
        for path in after
        if (after[path].st_ino, after[path].st_mtime_ns) != (before[path].st_ino, before[path].st_mtime_ns)
    ]
    assert [path.relative_to(site).as_posix() for path in moved] == ["en/treatments/mesotherapy/index.html"]
    assert sorted(p.name for p in scratch_site.root.glob(".site*")) == [".site.spare"]
    assert snapshot(scratch_site.root / ".site.spare") == previous  # the next build starts from it


@pytest.mark.parametrize("kind", ["file", "link to a folder", "folder of someone's files"])
def test_a_spare_folder_the_build_did_not_make_is_refused(scratch_site, tmp_path, capsys, kind):
    assert main(["--root", str(scratch_site.root)]) == 0
    before = snapshot(scratch_site.project.site_dir)
    spare = scratch_site.root / ".site.spare"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine")
    if kind == "file":
        spare.write_text("mine")
    elif kind == "link to a folder":
        spare.symlink_to(elsewhere)
    else:
        spare.mkdir()
        (spare / "notes.txt").write_text("mine")
    page = scratch_site.root / "content/index.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Hello.", "Hallo."), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 1
    assert capsys.readouterr().err == (
        ".site.spare: refusing to write the site here: the build makes the next site/ in this folder,"
        " but it holds files the build did not make\n"
        "  hint: move it out of the way; the build makes it anew\n"
        "\nThe build stopped: 1 problem to fix (above, as file:line). Nothing was written: site/ is as it was.\n"
    )
    assert snapshot(scratch_site.project.site_dir) == before
    assert (elsewhere / "notes.txt").read_text() == "mine" and sorted(os.listdir(elsewhere)) == ["notes.txt"]
    assert (spare.read_text() if kind == "file" else (spare / "notes.txt").read_text()) == "mine"


def test_whatever_was_left_or_put_in_the_spare_folder_never_reaches_site(scratch_site, tmp_path):
    assert main(["--root", str(scratch_site.root)]) == 0
    page = scratch_site.root / "content/index.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Hello.", "Hallo."), encoding="utf-8")
    assert main(["--root", str(scratch_site.root)]) == 0
    spare = scratch_site.root / ".site.spare"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (spare / "stray.html").write_text("stray")  # a file of no page
    (spare / "tr/index.html").unlink()
    (spare / "tr/index.html").symlink_to(outside / "secret.txt")  # a link where a page goes
    shutil.rmtree(spare / "en/contact")
    (spare / "en/contact").symlink_to(outside)  # a link where a page's folder goes
    shutil.rmtree(spare / "en/cookies")
    (spare / "en/cookies").write_text("a file where a folder goes")
    (spare / "robots.txt").unlink()
    (spare / "robots.txt").mkdir()  # a folder where a file goes
    (spare / "robots.txt/x").write_text("x")
    os.mkfifo(spare / "en/pipe")
    (spare / ".sitegen.new").write_text("half a marker")
    (spare / "sitemap.xml").write_bytes(b"")  # an empty file in place of a changed one
    page.write_text(page.read_text(encoding="utf-8").replace("Hallo.", "Hej."), encoding="utf-8")
    assert main(["--root", str(scratch_site.root)]) == 0
    written = snapshot(scratch_site.project.site_dir)
    assert written.pop(".sitegen").startswith(b"Made by python build.py")
    assert written == build(scratch_site.project).outputs
    assert [
        p
        for p in scratch_site.project.site_dir.rglob("*")
        if p.is_symlink() or not (p.is_file() or p.is_dir())
    ] == []
    assert sorted(os.listdir(outside)) == ["secret.txt"] and (outside / "secret.txt").read_text() == "secret"


def test_site_moved_aside_and_not_put_back_is_said_and_the_next_build_restores_it(
    scratch_site, monkeypatch, capsys
):
    root = scratch_site.root
    assert main(["--root", str(root)]) == 0
    page = root / "content/index.en.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Hello.", "Hallo."), encoding="utf-8")
    assert main(["--root", str(root)]) == 0
    before = snapshot(scratch_site.project.site_dir)
    page.write_text(page.read_text(encoding="utf-8").replace("Hallo.", "Hej."), encoding="utf-8")
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)  # as where renameat2 is missing
    # The second rename (the new site into place) fails, and so does the one putting site/ back.
    monkeypatch.setattr(output, "os", Operations(fail_at=frozenset({1, 2}), only=frozenset({"rename"})))
    capsys.readouterr()
    assert main(["--root", str(root)]) == 1
    assert capsys.readouterr().err == (
        "site: the site could not be written: Input/output error\n"
        "  hint: site/ is missing: the previous site is in .site.swap/, and the next build puts it back\n"
        "\nThe build stopped: 1 problem to fix (above, as file:line). site/ is missing until the next build puts the previous site back.\n"
    )
    assert not scratch_site.project.site_dir.exists()
    assert snapshot(root / ".site.swap") == before
    monkeypatch.undo()
    monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    assert main(["--root", str(root)]) == 0
    assert b"Hej." in (scratch_site.project.site_dir / "en/index.html").read_bytes()
    assert sorted(p.name for p in root.glob(".site*")) == [".site.spare"]
    assert snapshot(root / ".site.spare") == before


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_two_folders_are_exchanged_in_one_step_here(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/one").write_text("1")
    (tmp_path / "b").mkdir()
    assert output._exchange(tmp_path / "a", tmp_path / "b") is True
    assert os.listdir(tmp_path / "a") == [] and (tmp_path / "b/one").read_text() == "1"


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        *(
            ({path: b"x"}, f"output path {path!r} is not a plain path inside the output folder")
            for path in ["../x", "/etc/x", "a//b", "./a", "a/", "", ".", "a/../../b"]
        ),
        ({"a": b"x", "a/b": b"y"}, "output path 'a' is both a file and a folder"),
    ],
)
def test_an_output_path_that_is_not_plain_is_the_generators_mistake_and_writes_nothing(
    scratch_site, outputs, message
):
    assert main(["--root", str(scratch_site.root)]) == 0
    before = snapshot(scratch_site.root)
    with pytest.raises(ValueError) as caught:
        output.write_site(scratch_site.project, outputs)
    assert str(caught.value) == message
    assert snapshot(scratch_site.root) == before
