"""The command line as an editor uses it: help, exit codes, messages, catalogs."""

import os
import re
import subprocess
import sys

import pytest

from sitegen.cli import main
from tests.conftest import ROOT


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "SITEGEN_NO_BOOTSTRAP": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["i18n"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: python build.py")


def test_build_prints_a_summary_and_writes_site(scratch_site):
    result = run("--root", str(scratch_site.root))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"Built 20 pages \(10 tr, 10 en\): 32 files, \d+ KB, 32 changed, into site/ in \d+\.\d\d s\.\n",
        result.stdout,
    ), result.stdout
    assert (scratch_site.root / "site/tr/tedaviler/mezoterapi/index.html").is_file()


def test_a_mistake_exits_non_zero_with_file_and_line_and_no_traceback(scratch_site):
    run("--root", str(scratch_site.root))
    scratch_site.write({"content/index.en.md": "---\ntitle: Home\ndescription: x\nmenu: first\n---\n"})
    result = run("--root", str(scratch_site.root))
    assert result.returncode == 1
    assert result.stderr == (
        "content/index.en.md:4: 'menu' must be a whole number, found 'first'\n"
        "  hint: for example: 3\n"
        "\nThe build stopped: 1 problem to fix (above, as file:line). Nothing was written: site/ is as it was.\n"
    )
    assert "Traceback" not in result.stderr


def test_extract_and_update_keep_the_catalog_in_line_with_the_templates(scratch_site):
    scratch_site.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}'
                        '<h1>{{ _("Sorry, this page does not exist") }}</h1>{% endblock %}'})  # fmt: skip
    assert run("--root", str(scratch_site.root), "i18n", "extract").returncode == 0
    pot = (scratch_site.root / "locales/messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Sorry, this page does not exist"' in pot
    assert 'msgid "Skip to main content"' in pot
    assert run("--root", str(scratch_site.root), "i18n", "update").returncode == 0
    po = (scratch_site.root / "locales/tr/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert 'msgid "Sorry, this page does not exist"\nmsgstr ""' in po
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in po
    build = run("--root", str(scratch_site.root))
    assert build.returncode == 0
    assert "warning: 'Sorry, this page does not exist' is not translated yet" in build.stderr


def test_the_committed_template_file_is_up_to_date(tmp_path):
    """The real locales/messages.pot holds every string the templates use."""
    from babel.messages.pofile import read_po

    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F", "babel.cfg",
         "-o", str(tmp_path / "fresh.pot"), "."],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with (tmp_path / "fresh.pot").open("rb") as fresh, (ROOT / "locales/messages.pot").open("rb") as kept:
        assert {m.id for m in read_po(fresh)} == {m.id for m in read_po(kept)}, (
            "templates changed: run python build.py i18n extract && python build.py i18n update"
        )


def test_init_never_replaces_an_existing_catalog(scratch_site):
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    before = path.read_bytes()
    result = run("--root", str(scratch_site.root), "i18n", "init", "tr")
    assert result.returncode == 1
    assert result.stderr == (
        "locales/tr/LC_MESSAGES/messages.po exists already; init would replace its translations.\n"
        "To add new interface strings to it, run: python build.py i18n update\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize("lang", ["../../evil", "TR", ""])
def test_init_refuses_what_is_not_a_language_code(scratch_site, lang):
    result = run("--root", str(scratch_site.root), "i18n", "init", lang)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_update_without_a_template_file_says_what_to_run(scratch_site):
    result = run("--root", str(scratch_site.root), "i18n", "update")
    assert result.returncode == 1
    assert result.stderr == "locales/messages.pot is missing: run python build.py i18n extract first.\n"


def test_a_changes_file_in_a_missing_folder_is_refused_before_building(scratch_site, capsys):
    from sitegen.cli import main

    assert main(["--root", str(scratch_site.root), "build", "--changes", "missing/changes.json"]) == 2
    assert "--changes missing/changes.json: give a file in an existing folder" in capsys.readouterr().err
    assert not scratch_site.project.site_dir.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["--base-url", "https://onizleme.klinik.com.tr", "build"],
        ["build", "--base-url", "https://onizleme.klinik.com.tr"],
        ["build", "--root", "{root}", "--output", "{out}", "--base-url", "https://onizleme.klinik.com.tr"],
        ["--root", "{root}", "check", "--base-url", "https://onizleme.klinik.com.tr"],
    ],
)
def test_the_project_options_work_before_and_after_the_command(scratch_site, tmp_path, argv):
    out = tmp_path / "out"
    argv = [a.format(root=scratch_site.root, out=out) for a in argv]
    if "--root" not in argv:
        argv = ["--root", str(scratch_site.root), "--output", str(out), *argv]
    assert main(argv) == 0
    if "check" not in argv:
        html = (out / "tr/index.html").read_text(encoding="utf-8")
        assert '<link rel="canonical" href="https://onizleme.klinik.com.tr/tr/">' in html


def test_make_serve_takes_a_port():
    result = subprocess.run(["make", "--no-print-directory", "-n", "serve", "PORT=8123"], cwd=ROOT,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0
    commands = [line for line in result.stdout.splitlines() if "build.py" in line]
    assert len(commands) == 1 and commands[0].endswith(" build.py serve --port 8123")  # whichever Python
