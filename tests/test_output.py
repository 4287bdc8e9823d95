"""Writing site/: whole or not at all, even when the build is killed half-way."""

import json
import os
import signal
import subprocess
import sys
import time

from sitegen.cli import main
from tests.conftest import ROOT, TREATMENT_FIELDS
from tests.test_site import snapshot


def test_a_build_killed_half_way_leaves_a_whole_site_and_the_next_build_cleans_up(scratch_site):
    assert main(["--root", str(scratch_site.root)]) == 0
    before = snapshot(scratch_site.project.site_dir)
    many = {}
    for n in range(700):
        for lang, title in (("en", "Treatment"), ("tr", "Tedavi")):
            many[f"content/treatments/t{n}.{lang}.md"] = (
                f"---\ntitle: {title} {n}\ndescription: x\n{TREATMENT_FIELDS}---\n## A\n\ntext\n"
            )
    scratch_site.write(many)
    parent = scratch_site.root
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(scratch_site.root)],
        env={**os.environ, "SITEGEN_NO_BOOTSTRAP": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(parent.glob(".site.new-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert list(parent.glob(".site.new-*")), "the build was not caught while writing"
    assert snapshot(scratch_site.project.site_dir) == before
    assert main(["--root", str(scratch_site.root)]) == 0
    assert list(parent.glob(".site.*")) == []
    assert (scratch_site.project.site_dir / "tr/tedaviler/tedavi-699/index.html").is_file()


def test_leftovers_of_a_running_build_are_not_touched(scratch_site):
    running = scratch_site.root / f".site.new-{os.getpid()}-abc"
    running.mkdir()
    assert main(["--root", str(scratch_site.root)]) == 0
    assert running.is_dir()


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
    import errno
    from pathlib import Path

    assert main(["--root", str(scratch_site.root)]) == 0
    before = snapshot(scratch_site.project.site_dir)
    written = []
    real_write = Path.write_bytes

    def write_bytes(self, data):
        written.append(self)
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    capsys.readouterr()
    site_yaml = scratch_site.root / "content/site.yaml"  # a change that every page shows
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("Test Kliniği", "Deneme"), encoding="utf-8"
    )
    assert main(["--root", str(scratch_site.root)]) == 1
    err = capsys.readouterr().err
    assert ": the site could not be written: No space left on device\n" in err
    assert "  hint: check that ./ is writable and the disk is not full; site/ was left as it was" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    assert snapshot(scratch_site.project.site_dir) == before
    assert list(scratch_site.root.glob(".site.*")) == []


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

    from sitegen.builder import build
    from sitegen.output import write_site

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


def test_a_small_change_replaces_only_its_files_and_cleans_up_after_a_killed_one(scratch_site):
    assert main(["--root", str(scratch_site.root)]) == 0
    site = scratch_site.project.site_dir
    before = {path: path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    leftover = site / "en/.index.html.new-999999999"  # as left by a build killed while replacing
    leftover.write_text("half", encoding="utf-8")
    page = scratch_site.root / "content/treatments/mesotherapy.en.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert (
        main(["--root", str(scratch_site.root), "build", "--changes", str(scratch_site.root / "c.json")]) == 0
    )
    changes = json.loads((scratch_site.root / "c.json").read_text(encoding="utf-8"))
    assert changes == {"added": [], "changed": ["en/treatments/mesotherapy/index.html"], "removed": []}
    assert not leftover.exists()
    after = {path: path.stat().st_ino for path in site.rglob("*") if path.is_file()}
    assert sorted(after) == sorted(before)
    assert [path.relative_to(site).as_posix() for path in after if after[path] != before[path]] == [
        "en/treatments/mesotherapy/index.html"
    ]
    assert list(scratch_site.root.glob(".site.*")) == []
