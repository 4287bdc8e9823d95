"""site/ is exactly the previous build or exactly the new one, whatever fails and whenever the build dies.

The k-th file operation of the writer fails, or the writer dies there, for every
k; a slowed-down build is killed at random moments; a file of site/ is made
immutable. After each, site/ is compared byte for byte with both trees, what
was printed must be true, and the next build must clean up and succeed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitegen import output
from sitegen.cli import main
from sitegen.errors import BuildError
from sitegen.output import MARKER, Digests, manifest, write_site
from sitegen.pipeline import build
from sitegen.project import Project
from sitegen.report import report_failure
from tests.conftest import BASE_FILES, ROOT, TREATMENT_FIELDS, ScratchSite
from tests.file_operations import Operations

Tree = dict[str, bytes | None]  # path -> the file's bytes, or None for a folder


def tree(folder: Path) -> Tree:
    """Everything under *folder*: each file with its bytes, each folder, each link (as its target)."""
    found: Tree = {}
    for parent, folders, files in os.walk(folder):
        base = os.path.relpath(parent, folder)
        for name in folders + files:
            path = os.path.join(parent, name)
            relative = name if base == "." else f"{base}/{name}"
            if os.path.islink(path):
                found[relative] = b"link to " + os.fsencode(os.readlink(path))
            elif name in files:
                found[relative] = Path(path).read_bytes()
            else:
                found[relative] = None
    return found


def expected(outputs: dict[str, bytes]) -> Tree:
    """The tree a site of *outputs* is: its files, the marker, and the folders that hold them."""
    files = {**outputs, MARKER: b"Made by python build.py: this whole folder is replaced by every build.\n"}
    folders = {"/".join(path.split("/")[:n]) for path in files for n in range(1, path.count("/") + 1)}
    return {**dict.fromkeys(folders), **files}


def siblings(site: Path) -> list[str]:
    """The folders beside *site* that the build makes."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


EDITED = "en/treatments/mesotherapy/index.html"


def three_sites(scratch_site: ScratchSite, size: str) -> tuple[dict[str, bytes], ...]:
    """The outputs of three builds: a first one, one page edited, then a *size* change."""
    first = build(scratch_site.project).outputs
    second = {**first, EDITED: first[EDITED] + b"<!-- edited -->\n"}
    if size == "small":  # two changed, two added, one removed
        third = {**second, "en/index.html": b"<p>home</p>\n", "tr/index.html": b"<p>yeni</p>\n"}
        third.update({"en/new/index.html": b"<p>new</p>\n", "en/extra.txt": b"extra\n"})
        del third["en/cookies/index.html"]
    else:  # every file but one changed, 12 pages added, a folder becomes a file and a file a folder
        third = {path: data + b"<!-- all -->\n" for path, data in second.items()}
        third["sitemap.xml"] = second["sitemap.xml"]
        third.update({f"en/many/p{n}/index.html": f"<p>{n}</p>\n".encode() for n in range(12)})
        del third["en/contact/index.html"], third["robots.txt"]
        third.update({"en/contact": b"a file where a folder was\n", "robots.txt/index.html": b"a folder\n"})
    return first, second, third


@pytest.fixture
def fast_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (tmpfs) where there is one: the loops below make tens of thousands of files."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="sitegen-test-", dir="/dev/shm"))
    except OSError:
        yield tmp_path
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


class Died(BaseException):
    """Stands for SIGKILL in the middle of the writer: no handler of the writer runs for it."""


@contextmanager
def operations_of_the_writer(operations: Operations, exchange: bool) -> Iterator[None]:
    """Route sitegen.output's file operations (and its folder exchange) through *operations*."""
    real = output._exchange
    output.os = operations  # type: ignore[assignment]
    output._exchange = operations.count("exchange", real if exchange else lambda first, second: False)
    try:
        yield
    finally:
        output.os = os
        output._exchange = real


@pytest.mark.parametrize(
    ("size", "spare", "swap"),
    [
        ("small", "kept", "exchange"),
        ("small", "kept", "renames"),  # where renameat2 is missing
        ("small", "none", "exchange"),  # .site.spare is made from scratch
        ("large", "kept", "exchange"),  # on threads: its renames are the small case's
    ],
)
def test_a_failure_or_death_at_any_file_operation_leaves_the_previous_or_the_new_site(
    scratch_site, fast_folder, capsys, monkeypatch, size, spare, swap
):
    monkeypatch.setattr(output, "_PARALLEL", 8)  # the large change is made on threads, as a real one is
    first, second, third = three_sites(scratch_site, size)
    old, new = expected(second), expected(third)

    def start(name: str) -> Project:
        """A site/ holding the second site, with .site.spare holding the first (unchanged files shared)."""
        project = Project(scratch_site.root, fast_folder / name / "site")
        write_site(project, first)
        write_site(project, second)
        if spare == "none":
            shutil.rmtree(project.site_dir.with_name(".site.spare"))
        return project

    def write(project: Project, operations: Operations) -> None:
        known = manifest(project.site_dir, second)
        with operations_of_the_writer(operations, exchange=swap == "exchange"):
            write_site(project, third, known, Digests(third))

    def next_build_cleans_up(project: Project, where: str) -> None:
        write(project, Operations())
        assert tree(project.site_dir) == new, where
        assert siblings(project.site_dir) == [".site.spare"], where
        shutil.rmtree(project.site_dir.parent)

    project = start("count")
    before = {path: (project.site_dir / path).stat().st_ino for path in second}
    counted = Operations()
    write(project, counted)
    assert tree(project.site_dir) == new
    total = len(counted.calls)
    assert total > (150 if size == "large" else 15), counted.calls
    names = {name for name, _ in counted.calls}
    assert {
        "open",
        "write",
        "close",
        "mkdir",
        "exchange",
        *(("unlink", "rmdir") if spare == "kept" else ()),
    } <= names
    kept = [path for path in second if third.get(path) == second[path]]
    links = [call for call in counted.calls if call[0] == "link"]
    site, spare_site = project.site_dir, project.site_dir.with_name(".site.spare")
    if spare == "none":  # every file that stays is linked from site/
        assert sorted(links) == sorted(
            ("link", f"{site / path} {spare_site / path}") for path in [*kept, MARKER]
        )
    elif size == "small":  # .site.spare shares the files that stay with site/, but for the one edited before
        assert links == [("link", f"{site / EDITED} {spare_site / EDITED}")]
    assert kept and all((project.site_dir / path).stat().st_ino == before[path] for path in kept)
    assert siblings(project.site_dir) == [".site.spare"]
    shutil.rmtree(project.site_dir.parent)

    for k in range(total):
        where = f"operation {k} of {total}: {counted.calls[k]}"
        project = start(f"fails-{k}")
        site, shown = project.site_dir, project.show(project.site_dir)
        failing = Operations(fail_at=frozenset({k}))
        try:
            write(project, failing)
        except BuildError as error:
            assert tree(site) == old, where
            capsys.readouterr()
            report_failure(error, project)
            assert capsys.readouterr().err == (
                f"{error.problems[0].path}: the site could not be written: Input/output error\n"
                f"  hint: check that {project.show(site.parent)}/ is writable and the disk is not full; {shown}/ was left as it was\n"
                f"\nThe build stopped: 1 problem to fix (above, as file:line). Nothing was written: {shown}/ is as it was.\n"
            ), where
            assert error.problems[0].path in (shown, *failing.calls[k][1].split()), where
        else:
            assert tree(site) == new, where
        next_build_cleans_up(project, where)

        project = start(f"dies-{k}")
        site = project.site_dir
        dying = Operations(fail_at=frozenset({k}), error=Died)
        with pytest.raises(Died):
            write(project, dying)
        dying.die()
        if swap == "renames" and not site.exists():  # died between two renames: the next build undoes it
            assert counted.calls[k][0] == "rename", where
            assert tree(site.with_name(".site.swap")) == old, where
        else:
            assert tree(site) in (old, new), where
        next_build_cleans_up(project, where)


def new_pages(count: int) -> dict[str, str]:
    pages = {}
    for n in range(count):
        for lang, title in (("en", "Treatment"), ("tr", "Tedavi")):
            pages[f"content/treatments/t{n}.{lang}.md"] = (
                f"---\ntitle: {title} {n}\ndescription: x\n{TREATMENT_FIELDS}---\n## A\n\ntext\n"
            )
    return pages


class Change:
    """Edits of a scratch site that can be made and undone."""

    def __init__(self, site: ScratchSite, edits: dict[str, str]) -> None:
        self.site = site
        self.edits = edits
        self.before = {
            path: (site.root / path).read_text(encoding="utf-8")
            for path in edits
            if (site.root / path).exists()
        }

    def make(self) -> None:
        self.site.write(self.edits)

    def undo(self) -> None:
        for path in self.edits:
            if path in self.before:
                self.site.write({path: self.before[path]})
            else:
                self.site.remove(path)


def built(site: ScratchSite) -> Tree:
    assert main(["--root", str(site.root)]) == 0
    return tree(site.project.site_dir)


@pytest.mark.parametrize(
    ("size", "swap", "delay"),
    [("small", "exchange", 0.03), ("large", "exchange", 0.004), ("small", "renames", 0.03)],
)
def test_a_build_killed_at_random_moments_leaves_the_previous_or_the_new_site(
    scratch_site, size, swap, delay
):
    random_ = random.Random(f"{size}-{swap}")  # the same moments on every run, so a failure can be replayed
    site = scratch_site.project.site_dir
    built(scratch_site)
    Change(
        scratch_site, {"content/index.en.md": "---\ntitle: Welcome\ndescription: Home page.\n---\nHi.\n"}
    ).make()
    old = built(scratch_site)  # and .site.spare holds the first build, sharing the files that stayed
    if size == "small":
        edits = {
            "content/treatments/mesotherapy.tr.md": BASE_FILES["content/treatments/mesotherapy.tr.md"]
            + "\nYeni.\n",
            "content/index.tr.md": "---\ntitle: Hoş geldiniz\ndescription: Ana sayfa.\n---\nSelam.\n",
        }
    else:  # a change on every page and 60 pages more: written on threads
        edits = {
            "content/site.yaml": BASE_FILES["content/site.yaml"].replace("Test Kliniği", "Deneme"),
            **new_pages(30),
        }
    change = Change(scratch_site, edits)
    change.make()
    new = expected(build(scratch_site.project).outputs)
    differing = len([path for path in new if new[path] != old.get(path)])
    assert differing > output._PARALLEL if size == "large" else differing == 2, differing
    env = {
        **os.environ,
        "SITEGEN_TEST_SLOW": str(delay),
        "SITEGEN_TEST_NO_EXCHANGE": "1" if swap == "renames" else "",
    }

    def build_in_a_process(kill_after: float | None) -> float:
        """Build in a process slowed down; kill it *kill_after* seconds after it starts writing."""
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.file_operations", "--root", str(scratch_site.root)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert process.stdout is not None
        assert process.stdout.readline() == b"writing\n"
        started = time.monotonic()
        if kill_after is not None:
            time.sleep(kill_after)
            process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        if kill_after is None:
            assert process.returncode == 0
        return time.monotonic() - started if process.returncode == 0 else -1

    writing = build_in_a_process(None)
    assert tree(site) == new
    change.undo()
    assert built(scratch_site) == old
    change.make()
    outcomes = []
    for _ in range(3):
        moment = random_.uniform(0, writing)
        killed = build_in_a_process(moment) < 0
        if swap == "renames" and not site.exists():  # killed between two renames: the next build undoes it
            assert tree(site.with_name(".site.swap")) == old, moment
            outcomes.append(f"moved aside at {moment:.2f} of {writing:.2f} s")
            continue
        found = tree(site)
        assert found in (old, new), moment
        outcomes.append(
            f"{'old' if found == old else 'new'} at {moment:.2f} of {writing:.2f} s{'' if killed else ' (done)'}"
        )
        if found == new:
            change.undo()
            assert built(scratch_site) == old
            change.make()
    assert built(scratch_site) == new, outcomes  # the next build cleans up after the killed ones
    assert siblings(site) == [".site.spare"], outcomes
    print(outcomes)


@pytest.fixture
def immutable():
    """Make files immutable (chattr +i), as far as this system allows; undone after the test."""
    made: list[Path] = []

    def make(path: Path) -> None:
        result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(
                f"chattr +i is not possible here (it needs root and a file system that has it): {result.stderr.strip()}"
            )
        made.append(path)

    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed (e2fsprogs)")
    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_immutable_file_in_site_fails_the_build_truthfully_or_is_copied(scratch_site, immutable, capsys):
    site = scratch_site.project.site_dir
    built(scratch_site)
    Change(
        scratch_site, {"content/index.en.md": "---\ntitle: Welcome\ndescription: Home page.\n---\nHi.\n"}
    ).make()
    old = built(scratch_site)  # .site.spare shares every file with site/ but en/index.html
    immutable(site / "tr/index.html")  # the same file as .site.spare's own: it cannot be replaced there
    immutable(site / "en/index.html")  # .site.spare has another file: it cannot be linked to either

    # A change of the immutable tr/index.html cannot be made: the build says so and site/ stays.
    Change(
        scratch_site,
        {"content/index.tr.md": "---\ntitle: Hoş geldiniz\ndescription: Ana sayfa.\n---\nSelam.\n"},
    ).make()
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 1
    assert capsys.readouterr().err == (
        ".site.spare/tr/index.html: the site could not be written: Operation not permitted\n"
        "  hint: check that ./ is writable and the disk is not full; site/ was left as it was\n"
        "\nThe build stopped: 1 problem to fix (above, as file:line). Nothing was written: site/ is as it was.\n"
    )
    assert tree(site) == old

    # Other changes succeed: the immutable en/index.html, which stays, is copied with its time.
    Change(scratch_site, {"content/index.tr.md": BASE_FILES["content/index.tr.md"]}).make()
    page = "content/treatments/mesotherapy.tr.md"
    Change(scratch_site, {page: BASE_FILES[page] + "\nYeni.\n"}).make()
    new = expected(build(scratch_site.project).outputs)
    before = (site / "en/index.html").stat()
    assert built(scratch_site) == new
    after = (site / "en/index.html").stat()
    assert after.st_ino != before.st_ino and after.st_mtime_ns == before.st_mtime_ns
    # The immutable file is in .site.spare now: it cannot be replaced there, but it is a copy, and it stays.
    Change(scratch_site, {page: BASE_FILES[page] + "\nDaha yeni.\n"}).make()
    newer = expected(build(scratch_site.project).outputs)
    assert built(scratch_site) == newer
    assert (site / "en/index.html").stat().st_mtime_ns == before.st_mtime_ns
