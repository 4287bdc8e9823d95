"""Writing site/: whole or not at all, even when the build is killed half-way."""

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


def test_the_build_writes_nothing_outside_site(scratch_site):
    before = {p for p in scratch_site.root.rglob("*") if "site" not in p.relative_to(scratch_site.root).parts}
    assert main(["--root", str(scratch_site.root)]) == 0
    after = {p for p in scratch_site.root.rglob("*") if "site" not in p.relative_to(scratch_site.root).parts}
    assert after == before
