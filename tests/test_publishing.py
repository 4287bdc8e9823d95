"""Publishing: the workflow lints, builds are reproducible, addresses follow --base-url, and the
CSP in _headers holds in Chromium on every page type."""

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.builder import build
from sitegen.cli import main
from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.conftest import ROOT
from tests.test_site import snapshot

WORKFLOW = ROOT / ".github/workflows/site.yml"


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_the_workflow_matches_github_s_schema_and_passes_the_security_linter():
    schema = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [tool("zizmor"), "--offline", "--config", str(ROOT / ".github/zizmor.yml"), str(WORKFLOW)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_workflow_linters_do_catch_mistakes(tmp_path):
    broken = tmp_path / "site.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-24.04", "run-on: ubuntu-24.04", 1))
    schema = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
    )
    assert schema.returncode != 0
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text(WORKFLOW.read_text().replace("actions/checkout@v4", "someone/checkout@main"))
    audit = subprocess.run([tool("zizmor"), "--offline", str(unsafe)], capture_output=True)
    assert audit.returncode != 0


def test_the_workflow_runs_the_readme_commands():
    text = WORKFLOW.read_text()
    assert "run: make test" in text
    assert "python3 build.py build --strict" in text
    assert "actions/upload-pages-artifact" in text and "actions/deploy-pages" in text
    assert "actions/upload-artifact" in text and "github.event_name == 'pull_request'" in text


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path):
    trees = []
    for seed, folder in (("1", "a"), ("2", "b")):
        env = {
            **os.environ,
            "SITEGEN_NO_BOOTSTRAP": "1",
            "PYTHONHASHSEED": seed,
            "SOURCE_DATE_EPOCH": "1764000000",
        }
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--output", str(tmp_path / folder)],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
        trees.append(tmp_path / folder)
    first, second = (snapshot(tree) for tree in trees)
    assert len(first) > 20 and first == second
    for relative in first:
        assert (trees[0] / relative).stat().st_mtime == (trees[1] / relative).stat().st_mtime == 1764000000


def test_base_url_can_be_overridden_for_a_preview_deploy(scratch_site):
    outputs = build(scratch_site.project, base_url="https://preview-42.example.net").outputs
    html = outputs["tr/tedaviler/mezoterapi/index.html"].decode()
    absolute = set(re.findall(r'(?:href|content)="(https?://[^"]+)"', html))
    ours = {url for url in absolute if "maps.example" not in url and "wa.me" not in url}
    assert ours and all(url.startswith("https://preview-42.example.net/") for url in ours), ours
    assert "clinic.example" not in html.replace("info@clinic.example", "").replace(
        "editor@clinic.example", ""
    )
    assert re.findall(r'<a href="(/[^"]*)"', html)  # links inside the site stay root-relative
    assert "https://preview-42.example.net/tr/" in outputs["sitemap.xml"].decode()
    assert "Sitemap: https://preview-42.example.net/sitemap.xml" in outputs["robots.txt"].decode()


def test_a_base_url_in_a_sub_folder_is_refused(scratch_site, capsys):
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root), "--base-url", "https://user.github.io/clinic"]) == 1
    assert capsys.readouterr().err.startswith(
        "--base-url: the site's address must be the root of a host, such as https://www.klinik.com.tr, found"
        " 'https://user.github.io/clinic' (links inside the site start at /, so it cannot live in a sub-folder)"
    )


def test_static_files_are_named_by_their_content_and_referenced_by_that_name(scratch_site):
    import hashlib

    outputs = build(scratch_site.project).outputs
    css = (scratch_site.root / "templates/static/style.css").read_bytes()
    name = f"static/style.{hashlib.sha256(css).hexdigest()[:10]}.css"
    assert outputs[name] == css
    assert f'<link rel="stylesheet" href="/{name}">' in outputs["tr/index.html"].decode()
    headers = outputs["_headers"].decode()
    assert "/static/*\n  Cache-Control: public, max-age=31536000, immutable" in headers


def test_the_root_404_page_speaks_both_languages(scratch_site):
    html = build(scratch_site.project).outputs["404.html"].decode()
    assert '<section lang="tr"' in html and '<section lang="en"' in html
    assert (
        '<a class="button" href="/tr/" hreflang="tr">' in html
        and '<a class="button" href="/en/" hreflang="en">' in html
    )
    assert '<meta name="robots" content="noindex">' in html


def test_the_change_manifest_lists_what_a_build_changed(scratch_site, tmp_path, capsys):
    scratch_site.write({"content/about.en.md": "---\ntitle: About\ndescription: x\n---\n"})
    assert main(["--root", str(scratch_site.root)]) == 0
    scratch_site.write(
        {"content/privacy.en.md": "---\ntitle: Privacy notice\ndescription: Privacy, updated.\n---\n"}
    )
    scratch_site.remove("content/about.en.md")
    manifest = tmp_path / "changes.json"
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root), "build", "--changes", str(manifest)]) == 0
    changes = json.loads(manifest.read_text())
    assert changes["added"] == []
    assert changes["removed"] == ["en/about/index.html"]
    assert "en/privacy-notice/index.html" in changes["changed"] and "sitemap.xml" in changes["changed"]
    assert re.search(r": \d+ files, \d+ KB, \d+ changed, into site/ in ", capsys.readouterr().out)


def _headers_for(site: Path) -> dict[str, list[tuple[str, str]]]:
    rules: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in (site / "_headers").read_text().splitlines():
        if line and not line.startswith(" "):
            current = line.strip()
        elif line.strip():
            name, _, value = line.strip().partition(": ")
            rules.setdefault(current, []).append((name, value))
    return rules


class _HostHandler(SimpleHTTPRequestHandler):
    """A static host that applies _headers the way Netlify and Cloudflare Pages do."""

    rules: dict[str, list[tuple[str, str]]] = {}

    def end_headers(self):
        for pattern, headers in self.rules.items():
            if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), self.path.split("?")[0]):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.browser
def test_the_content_security_policy_holds_on_every_page_type_in_chromium(tmp_path):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    site = tmp_path / "site"
    assert main(["--output", str(site)]) == 0
    handler = type("Handler", (_HostHandler,), {"rules": _headers_for(site)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    pages = ["/", "/tr/", "/en/treatments/", "/tr/tedaviler/mezoterapi/", "/en/contact/", "/tr/kvkk-aydinlatma-metni/",
             "/en/404.html", "/404.html"]  # fmt: skip
    messages: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("console", lambda message: messages.append(message.text))
            for path in pages:
                response = page.goto(url + path)
                assert response.headers["content-security-policy"].startswith("default-src 'none'")
                assert (
                    page.evaluate("getComputedStyle(document.body).margin") == "0px"
                )  # the stylesheet applied
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert [m for m in messages if "Content Security Policy" in m or "Refused" in m] == []


def test_the_csp_test_would_see_a_violation(tmp_path):
    """Guard the harness: an inline style breaks the policy and Chromium says so."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><title>x</title><p style="color:red">x</p>'
    )
    (tmp_path / "_headers").write_text(
        "/*\n  Content-Security-Policy: default-src 'none'; style-src 'self'\n"
    )
    handler = type("Handler", (_HostHandler,), {"rules": _headers_for(tmp_path)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    messages: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.on("console", lambda message: messages.append(message.text))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert any("Content Security Policy" in m for m in messages), messages


def test_python_s_own_static_server_serves_the_site(tmp_path):
    """'python -m http.server' in site/ is enough: every link of every page resolves there."""
    site = tmp_path / "site"
    assert main(["--output", str(site)]) == 0
    port_server = subprocess.Popen([sys.executable, "-m", "http.server", "0", "--bind", "127.0.0.1"], cwd=site,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        line = port_server.stdout.readline()
        port = int(re.search(r"port (\d+)", line).group(1))
        import urllib.request

        for html in site.rglob("*.html"):
            for href in re.findall(r'(?:href|src)="(/[^"#?]*)', html.read_text()):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{href}", timeout=5) as response:
                    assert response.status == 200, href
    finally:
        port_server.terminate()
        port_server.wait()
        port_server.stdout.close()
    assert shutil.which(sys.executable)
