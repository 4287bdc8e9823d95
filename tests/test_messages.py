"""Every mistake with a file is reported at that file, in the editor's terms: never an internal error."""

from __future__ import annotations

import pytest

from sitegen.cli import main
from tests.conftest import ROOT, SITE_YAML


def run(site, *args: str) -> tuple[int, str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["--root", str(site.root), *args])
        except SystemExit as exit:  # argparse
            code = int(exit.code or 0)
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  phone:", "  phnoe:", "content/site.yaml:11: unknown key 'phnoe' under 'clinic'\n  hint: did you mean 'phone'?"),
        ("base_url:", "base_ulr:", "content/site.yaml:1: unknown key 'base_ulr'\n  hint: did you mean 'base_url'?"),
        ("{code: en,", "{cod: en,", "content/site.yaml:4: unknown key 'cod'\n  hint: did you mean 'code'?"),
        ("opens:", "opnes:", "content/site.yaml:16: unknown key 'opnes'\n  hint: did you mean 'opens'?"),
        ("editor: {name", "editor: {nmae", "content/site.yaml:18: unknown key 'nmae' under 'editor'\n  hint: did you mean 'name'?"),
    ],
)  # fmt: skip
def test_a_misspelt_key_in_the_site_data_is_reported_there(scratch_site, old, new, message):
    scratch_site.write({"content/site.yaml": SITE_YAML.replace(old, new, 1)})
    errors = scratch_site.errors()
    assert message in errors
    assert all(line.startswith(("content/site.yaml", "  hint")) for line in errors.split("\n") if line)


def test_an_unknown_key_with_no_close_match_lists_the_keys(scratch_site):
    scratch_site.write({"content/site.yaml": SITE_YAML + "colours: blue\n"})
    assert scratch_site.errors() == (
        "content/site.yaml:19: unknown key 'colours'\n  hint: the keys here are: base_url, languages,"
        " section_layouts, faq_markup, image_hosts, logo, icon, placeholders, clinic, editor"
    )


def test_missing_404_pages_are_named(scratch_site):
    scratch_site.remove("content/404.en.md")
    scratch_site.remove("content/404.tr.md")
    assert scratch_site.errors() == (
        "content/404.en.md: the 'page not found' page of English is missing\n  hint: every language of"
        " content/site.yaml needs content/404.en.md: restore it from git, or write one with a title and a"
        " link to the home page\n\ncontent/404.tr.md: the 'page not found' page of Türkçe is missing\n"
        "  hint: every language of content/site.yaml needs content/404.tr.md: restore it from git, or write"
        " one with a title and a link to the home page"
    )


def test_a_slug_too_long_for_an_address_is_reported_at_its_line(scratch_site):
    scratch_site.write(
        {"content/extra.en.md": "---\ntitle: Extra\ndescription: x\nslug: " + "a" * 300 + "\n---\n"}
    )
    assert scratch_site.errors().startswith(
        "content/extra.en.md:4: the slug is 300 characters long, more than 80: an address that long is"
        " hard to read and share (try '"
    )


def test_a_title_too_long_for_an_address_asks_for_a_slug(scratch_site):
    title = "Mezoterapi hakkında bilmek istediğiniz her şey " * 4
    scratch_site.write({"content/extra.tr.md": f"---\ntitle: {title.strip()}\ndescription: x\n---\n"})
    assert scratch_site.errors() == (
        "content/extra.tr.md:2: the address made from the title would be 187 characters, more than 80\n"
        "  hint: add a line 'slug: ...' with a short address: a-z, 0-9 and hyphens"
    )


def test_a_root_that_is_not_a_project_says_so(tmp_path, capsys):
    assert main(["--root", str(tmp_path / "nowhere"), "build"]) == 2
    err = capsys.readouterr().err
    assert "there is no site project here (no content/ folder)" in err
    assert "site.yaml" not in err


@pytest.mark.parametrize("port", ["99999", "0", "http", "-1"])
def test_a_port_that_is_not_a_port_is_refused_before_anything_starts(scratch_site, port):
    code, err = run(scratch_site, "serve", "--port", port)
    assert code == 2
    assert f"argument --port: '{port}' is not a port: give a number from 1 to 65535 (8001)" in err


@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "8793"]])
def test_a_file_where_the_cache_folder_belongs_is_reported(scratch_site, command):
    (scratch_site.root / ".cache").write_text("x", encoding="utf-8")
    code, err = run(scratch_site, *command)
    assert code == 1
    assert err.startswith(
        ".cache: this should be the build cache's folder, but it is a file or a link\n"
        "  hint: delete it: the next build makes the folder anew, and nothing of yours is in it"
    )
    assert not (scratch_site.root / "site").exists()


@pytest.mark.parametrize(
    "url",
    ['https://x.example"><script>alert(1)</script>', "https://x.example/sub/", "javascript:alert(1)",
     "https://x..example", "https://x.example:123456", "https://x.example?a=1", "ftp://x.example",
     "https://x.example:99999", "https://x.example:0"],
)  # fmt: skip
def test_a_base_url_that_is_not_the_root_of_a_host_is_refused(scratch_site, url):
    code, err = run(scratch_site, "--base-url", url, "build")
    assert code == 1
    assert (
        f"--base-url: the site's address must be the root of a host, such as https://www.klinik.com.tr, found {url!r}"
        in err
    )
    assert not (scratch_site.root / "site").exists()


@pytest.mark.parametrize(
    "url", ["https://preview-12.klinik.test", "http://127.0.0.1:8000", "https://örnek.com.tr/"]
)
def test_a_base_url_of_a_host_is_taken(scratch_site, url):
    code, err = run(scratch_site, "--base-url", url, "build")
    assert code == 0, err
    robots = (scratch_site.root / "site/robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {url.rstrip('/')}/sitemap.xml" in robots


def _check_json(site) -> tuple[int, bytes]:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING"))}
    env.update(LC_ALL="C", SITEGEN_NO_BOOTSTRAP="1", PYTHONUTF8="0")  # an ASCII terminal, as some CI runners
    run = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(site.root), "check", "--json"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    return run.returncode, run.stdout


def test_check_json_is_utf8_json_listing_errors_and_exits_non_zero(scratch_site):
    import json
    import os

    scratch_site.write({"content/extra.tr.md": "---\ntitle: Çok güzel\naçıklama: x\n---\n"})
    # A file name that is not UTF-8 (copied from an old Windows machine): Python keeps its bytes as surrogates.
    os.close(os.open(os.fsencode(scratch_site.root / "content") + b"/caf\xe9.md", os.O_CREAT | os.O_WRONLY))
    code, out = _check_json(scratch_site)
    assert code == 1
    report = json.loads(out.decode("utf-8"))  # strict UTF-8, whatever the terminal's encoding
    assert report["ok"] is False
    files = {problem["file"] for problem in report["problems"]}
    assert "content/extra.tr.md" in files
    assert "content/caf\udce9.md" in files  # the undecodable byte, escaped as \udce9 in the JSON text
    assert b"\\udce9" in out and "unknown field 'açıklama'".encode() in out  # Turkish letters as UTF-8


def test_check_json_with_translations_lists_errors_when_there_are_some(scratch_site, capsys):
    import json

    scratch_site.write({"content/extra.tr.md": "---\ntitle: Extra\ndescription: x\nlayout: yok\n---\n"})
    assert main(["--root", str(scratch_site.root), "check", "--translations", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"][0]["file"] == "content/extra.tr.md"


@pytest.mark.parametrize("jobs", ["0", "-3", "1000", "two"])
def test_a_number_of_processes_that_cannot_be_is_refused(scratch_site, jobs):
    code, err = run(scratch_site, "build", "--jobs", jobs)
    assert code == 2
    assert f"argument --jobs: '{jobs}' is not a number of processes: give 1 to 64" in err
