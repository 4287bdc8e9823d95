"""The one reader of project files: never outside the project, never a pipe or device, one text policy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, ScratchSite

SECRET = "root:x:0:0:the-first-line-of-a-file-of-the-machine"
OUTSIDE = "this is a link that leads outside the project: it is not read\n  hint: copy the file into the project instead of linking to it"
PIPE = (
    "this is a named pipe, not a file: it is not read\n"
    "  hint: remove it from the project, or put an ordinary file in its place"
)


@pytest.fixture
def outside(tmp_path):
    """A file of the machine, beside the project, that must never be read or printed."""
    path = tmp_path / "outside.txt"
    path.write_text(f"{SECRET}\n---\ntitle: x\n", encoding="utf-8")
    return path


def _link(site: ScratchSite, relative: str, target) -> None:
    path = site.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


@pytest.mark.parametrize(
    "relative",
    [
        "content/leak.en.md",  # a page
        "content/treatments/hair-mesotherapy.tr.md",  # a page that existed, replaced by a link
        "content/site.yaml",  # the site data
        "content/rules.yaml",  # the health-phrase rules
        "templates/static/leak.txt",  # a static file: it would be published under a fingerprinted name
        "templates/partials/leak.html",  # a template
        "templates/page.html",  # a template every page uses
    ],
)
def test_a_link_to_a_file_outside_the_project_is_refused_and_never_read(scratch_site, outside, relative):
    _link(scratch_site, relative, outside)
    errors = scratch_site.errors()
    assert f"{relative}: {OUTSIDE}" in errors
    assert "outside.txt" not in errors and "root:x" not in errors


def test_a_link_to_a_folder_outside_the_project_is_refused(scratch_site, tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "leak.en.md").write_text(f"---\ntitle: {SECRET}\ndescription: x\n---\n", encoding="utf-8")
    _link(scratch_site, "content/more", folder)
    _link(scratch_site, "templates/static/more", folder)
    errors = scratch_site.errors()
    assert errors == f"content/more: {OUTSIDE}\n\ntemplates/static/more: {OUTSIDE}"


def test_a_link_to_a_device_is_refused(scratch_site):
    _link(scratch_site, "content/null.en.md", os.devnull)
    _link(scratch_site, "templates/static/random.bin", "/dev/urandom")
    errors = scratch_site.errors()
    assert f"content/null.en.md: {OUTSIDE}" in errors
    assert f"templates/static/random.bin: {OUTSIDE}" in errors


def test_a_link_inside_the_project_is_followed(scratch_site):
    _link(scratch_site, "templates/static/copy.css", "style.css")
    outputs = scratch_site.build().outputs
    style = next(data for path, data in outputs.items() if path.startswith("static/style."))
    assert next(data for path, data in outputs.items() if path.startswith("static/copy.")) == style


def test_a_link_to_a_folder_inside_the_project_is_not_followed(scratch_site):
    _link(scratch_site, "content/again", scratch_site.root / "content/treatments")
    assert scratch_site.errors() == (
        "content/again: this is a link to a folder: folders are not followed\n"
        "  hint: move the folder here instead of linking to it"
    )


@pytest.mark.parametrize("relative", ["content/pipe.en.md", "content/site.yaml", "templates/static/pipe.css"])
def test_a_named_pipe_is_refused_at_once(tmp_path, relative):
    """A build must not wait forever for someone to write into a pipe."""
    site = ScratchSite(tmp_path / "project")
    path = site.root / relative
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(site.root), "build"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "SITEGEN_NO_BOOTSTRAP": "1"},
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{relative}: {PIPE}" in run.stderr
    assert "Traceback" not in run.stderr and not (site.root / "site").exists()


@pytest.mark.parametrize(
    ("relative", "data", "message"),
    [
        (
            "content/rules.yaml",
            b"rules:\n  - why: x\n    tr: [caf\xe9]\n",
            "content/rules.yaml:3: the file is not UTF-8 text (byte 0xe9 cannot be read)",
        ),
        (
            "content/site.yaml",
            b"base_url: https://klinik.test\n# Caf\xe9\n",
            "content/site.yaml:2: the file is not UTF-8 text (byte 0xe9 cannot be read)",
        ),
        (
            "templates/partials/extra.html",
            b"<p>ok</p>\n<p>caf\xe9</p>\n",
            "templates/partials/extra.html:2: the file is not UTF-8 text (byte 0xe9 cannot be read)",
        ),
        (
            "content/rules.yaml",
            b"rules:\n  - why: x\n    tr: [a\x07b]\n",
            "content/rules.yaml:3: the text holds an invisible control character (#x0007)",
        ),
        (
            "templates/page.html",
            '{% extends "base.html" %}\n{# \u2028 #}\n'.encode(),
            "templates/page.html:2: the text holds an invisible control character (#x2028)",
        ),
    ],
)
def test_every_text_file_is_decoded_one_way_with_its_line(scratch_site, relative, data, message):
    scratch_site.write({relative: data})
    assert scratch_site.errors().split("\n")[0] == message


def test_a_bom_in_the_site_data_is_a_warning_not_an_error(scratch_site):
    path = scratch_site.root / "content/site.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    problems = [str(p) for p in scratch_site.build().problems]
    assert (
        "content/site.yaml:1: warning: the file starts with an invisible byte-order mark (BOM); it was ignored\n"
        "  hint: save the file as 'UTF-8' without BOM in your editor"
    ) in problems


def test_a_static_file_over_the_limit_is_refused(scratch_site, monkeypatch):
    from sitegen import assets

    monkeypatch.setattr(assets, "MAX_FILE_BYTES", 100 * 1024)
    scratch_site.write({"templates/static/big.bin": b"x" * 200 * 1024})
    assert scratch_site.errors() == (
        "templates/static/big.bin: the file is too large (200 KB, at most 100 KB)\n"
        "  hint: split the file or remove pasted data"
    )


CATALOG = "locales/tr/LC_MESSAGES/messages.po"


def test_a_catalog_linked_from_outside_is_refused(scratch_site, outside):
    _link(scratch_site, CATALOG, outside)
    errors = scratch_site.errors()
    assert errors == f"{CATALOG}: {OUTSIDE}"


def test_a_catalog_that_is_not_utf8_is_reported_at_its_line(scratch_site):
    path = scratch_site.root / CATALOG
    path.write_bytes(path.read_bytes().replace(b"Ana sayfa", b"Ana sayf\xfd"))
    line = path.read_bytes().split(b"\n").index(b'msgstr "Ana sayf\xfd"') + 1
    assert scratch_site.errors() == (
        f"{CATALOG}:{line}: the file is not UTF-8 text (byte 0xfd cannot be read)\n"
        "  hint: save the file with the 'UTF-8' encoding in your editor"
    )


@pytest.mark.parametrize("count", ["0", "1000000000", "9" * 5000])
def test_an_absurd_number_of_plural_forms_is_refused(scratch_site, count):
    path = scratch_site.root / CATALOG
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("nplurals=2;", f"nplurals={count};"), encoding="utf-8")
    line = next(n for n, li in enumerate(text.split("\n"), 1) if li.startswith('"Plural-Forms'))
    message, hint = scratch_site.errors().split("\n")
    assert message == (
        f"{CATALOG}:{line}: the Plural-Forms header gives nplurals={count[:10]}, but a language has 1 to 6 plural forms"
    )
    assert hint.startswith("  hint: the usual header for Türkçe is: nplurals=")


def test_extract_never_reads_a_template_linked_from_outside(scratch_site, outside, capsys):
    from sitegen import catalog

    outside.write_text('{{ _("A secret of the machine") }}\n', encoding="utf-8")
    _link(scratch_site, "templates/partials/leak.html", outside)
    assert catalog.extract(scratch_site.project) == 1
    printed = capsys.readouterr()
    assert f"templates/partials/leak.html: {OUTSIDE}" in printed.err
    assert "secret" not in printed.out + printed.err
    pot = scratch_site.root / "locales/messages.pot"
    assert not pot.exists() or "secret" not in pot.read_text(encoding="utf-8")


def test_a_mapping_file_that_is_not_utf8_is_reported(scratch_site, capsys):
    from sitegen import catalog

    (scratch_site.root / "babel.cfg").write_bytes(b"[jinja2: templates/**.html]\n# caf\xe9\n")
    assert catalog.extract(scratch_site.project) == 1
    assert "babel.cfg:2: the file is not UTF-8 text (byte 0xe9 cannot be read)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "relative", ["content/site.yaml", "locales/tr/LC_MESSAGES/messages.po", "content/rules.yaml"]
)
def test_a_folder_where_a_file_belongs_is_named(scratch_site, relative):
    path = scratch_site.root / relative
    if path.exists():
        path.unlink()
    path.mkdir()
    assert (
        f"{relative}: this is a folder, not a file: it is not read\n"
        "  hint: remove it from the project, or put an ordinary file in its place"
    ) in scratch_site.errors()


def test_a_file_name_with_a_line_break_is_refused_printably(scratch_site):
    scratch_site.write({"content/a\nb.en.md": "---\ntitle: AB\ndescription: x\n---\n"})
    assert scratch_site.errors() == (
        "content/a?b.en.md: the file name holds a line break or an invisible character\n"
        "  hint: rename the file: letters, digits, hyphens and dots"
    )
