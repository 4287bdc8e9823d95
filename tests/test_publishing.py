"""Publishing: the workflow lints, builds are reproducible, addresses follow --base-url, and the
security policy holds in Chromium on every page type, in the pages and in _headers."""

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

from sitegen import hosting
from sitegen.cli import main
from sitegen.output import write_site
from sitegen.pipeline import BuildOptions, build
from sitegen.project import Project
from tests.browser import CHROMIUM_ARGS, chromium_path, csp_watch, plain_static_server
from tests.conftest import ROOT
from tests.test_site import PAGES, snapshot

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
    outputs = build(scratch_site.project, BuildOptions(base_url="https://preview-42.example.net")).outputs
    html = outputs["tr/tedaviler/mezoterapi/index.html"].decode()
    absolute = set(re.findall(r'(?:href|content)="(https?://[^"]+)"', html))
    ours = {url for url in absolute if "maps.test" not in url and "wa.me" not in url and "pubmed" not in url}
    assert ours and all(url.startswith("https://preview-42.example.net/") for url in ours), ours
    assert "klinik.test" not in html.replace("info@klinik.test", "").replace("editor@klinik.test", "")
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


# The policy, pinned here as the browser reads it: in the header and in every page's <meta>.
CSP_META = "default-src 'none'; style-src 'self'; img-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'"
# The search page's: Pagefind's scripts, its worker, its WebAssembly and the index it fetches, from the site itself.
SEARCH_DIRECTIVES = "; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'"
CSP_SEARCH_META = CSP_META + SEARCH_DIRECTIVES
CSP_BASE_HEADER = CSP_META + "; frame-ancestors 'none'"  # a <meta> policy cannot carry frame-ancestors
# The header is the search page's policy on every path; each page's own <meta> holds it to its own.
CSP_HEADER = CSP_BASE_HEADER + SEARCH_DIRECTIVES
CSP_ELEMENT = '<meta http-equiv="Content-Security-Policy" content="' + CSP_META.replace("'", "&#39;") + '">'
CSP_SEARCH_ELEMENT = CSP_ELEMENT.replace(
    CSP_META.replace("'", "&#39;"), CSP_SEARCH_META.replace("'", "&#39;")
)
SEARCH_PAGES = ("tr/arama/index.html", "en/search/index.html")
RENAMED = {  # old address -> new address, from the previous_slugs the fixture adds
    "/tr/tedaviler/eski-mezoterapi/": "/tr/tedaviler/mezoterapi/",
    "/en/procedures/": "/en/treatments/",
    "/en/procedures/mesotherapy/": "/en/treatments/mesotherapy/",
    "/en/procedures/hair-mesotherapy/": "/en/treatments/hair-mesotherapy/",
}
DRAFT = "/en/about-us/"
# The first two elements of <head>: the charset, then the policy.
HEAD_START = """[document.head.children[0].getAttribute('charset'),
  document.head.children[1].httpEquiv === 'Content-Security-Policy' && document.head.children[1].content]"""


@pytest.fixture(scope="module")
def every_page_type(tmp_path_factory):
    """The real site, plus renamed pages and a draft, built as the preview builds it (drafts in)."""
    root = tmp_path_factory.mktemp("csp") / "project"
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    for relative, old_slug in (
        ("treatments/mesotherapy.tr.md", "eski-mezoterapi"),
        ("treatments/_index.en.md", "procedures"),
    ):
        path = root / "content" / relative
        path.write_text(
            path.read_text(encoding="utf-8").replace("---\n", f"---\nprevious_slugs: [{old_slug}]\n", 1),
            encoding="utf-8",
        )
    (root / "content/about-us.en.md").write_text(
        "---\ntitle: About us\ndescription: Who we are.\ndraft: true\n---\nWe are a clinic.\n",
        encoding="utf-8",
    )
    project = Project.at(root)
    write_site(project, build(project, BuildOptions(drafts=True)).outputs)
    return project.site_dir


def test_the_policy_is_one_definition_sent_as_a_header_and_carried_by_every_page(
    every_page_type, monkeypatch
):
    headers = (every_page_type / "_headers").read_text()
    assert f"/*\n  Content-Security-Policy: {CSP_HEADER}\n" in headers
    pages = sorted(path.relative_to(every_page_type).as_posix() for path in every_page_type.rglob("*.html"))
    # every page type: chooser, 404s, home, section list, treatment, contact, privacy, redirect, draft
    assert {"index.html", "404.html", "tr/404.html", "en/index.html", "en/treatments/index.html",
            "tr/tedaviler/mezoterapi/index.html", "en/contact/index.html", "tr/kvkk-aydinlatma-metni/index.html",
            "tr/tedaviler/eski-mezoterapi/index.html", "en/procedures/index.html", "en/about-us/index.html",
            *SEARCH_PAGES} <= set(pages)  # fmt: skip
    for relative in pages:
        html = (every_page_type / relative).read_text(encoding="utf-8")
        # first in <head>, before anything it governs (the charset may come first: it governs nothing)
        head = re.match(
            r'<!doctype html>\n<html lang="(tr|en)">\n<head>\n<meta charset="utf-8">\n(.*)\n', html
        )
        assert head and head[2] == (CSP_SEARCH_ELEMENT if relative in SEARCH_PAGES else CSP_ELEMENT), relative
        assert html.count("Content-Security-Policy") == 1, relative
    # Header-only directives stay out of the <meta>, whatever the one definition holds.
    monkeypatch.setitem(hosting.POLICY, "report-uri", "https://reports.example/csp")
    monkeypatch.setitem(hosting.POLICY, "sandbox", "allow-forms")
    assert (
        hosting.content_security_policy()
        == CSP_BASE_HEADER + "; report-uri https://reports.example/csp; sandbox allow-forms"
    )
    assert hosting.content_security_policy(meta=True) == CSP_META


@pytest.mark.browser
def test_the_policy_in_the_pages_holds_on_every_page_type_in_chromium_without_headers(every_page_type):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    pages = sorted("/" + p.relative_to(every_page_type).as_posix().removesuffix("index.html")
                   for p in every_page_type.rglob("*.html"))  # fmt: skip
    assert set(RENAMED) <= set(pages)
    pages = [path for path in pages if path not in RENAMED]  # each of those leaves for its new address
    with plain_static_server(every_page_type) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, violations):
            for path in pages:
                response = page.goto(url + path)
                assert response.status == 200 and "content-security-policy" not in response.headers, path
                policy = CSP_SEARCH_META if path.lstrip("/") + "index.html" in SEARCH_PAGES else CSP_META
                assert page.evaluate(HEAD_START) == ["utf-8", policy], path
                # the stylesheet applied
                assert page.evaluate("getComputedStyle(document.body).margin") == "0px", path
            search_under_the_policy(page, url)
            for old, new in RENAMED.items():
                page.goto(url + old)
                page.wait_for_url(url + new)  # the redirect page's meta refresh works under the policy
                assert page.evaluate(HEAD_START) == ["utf-8", CSP_META], old
        browser.close()
    # every page of the real site, the bilingual /404.html and the draft
    assert pages == sorted({"/" + path.removesuffix("index.html") for path in PAGES} | {"/404.html", DRAFT})
    assert violations == []


@pytest.mark.browser
def test_the_policy_in_headers_and_pages_holds_together_on_hosts_that_apply_headers(tmp_path):
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
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            with csp_watch(browser) as (page, violations):
                for path in pages:
                    response = page.goto(url + path)
                    assert response.headers["content-security-policy"] == CSP_HEADER
                    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
                search_under_the_policy(page, url)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert violations == []


def search_under_the_policy(page, url: str) -> None:
    """Search from the header's box of a Turkish page: Pagefind's scripts, worker, WebAssembly and
    index all run under the search page's policy (the caller checks that nothing was refused)."""
    page.goto(url + "/tr/")
    page.fill("#site-search-query", "mezoterapi")
    page.press("#site-search-query", "Enter")
    page.wait_for_url(url + "/tr/arama/?q=mezoterapi")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    assert page.evaluate(HEAD_START) == ["utf-8", CSP_SEARCH_META]
    page.fill(".pagefind-ui__search-input", "saç dökülmesi")  # typed: the worker searches again
    page.locator(".pagefind-ui__message", has_text="saç dökülmesi için").wait_for(timeout=15_000)
    assert page.locator(".pagefind-ui__result-link").count() >= 1


@pytest.mark.browser
def test_the_csp_test_would_see_a_violation(tmp_path):
    """Guard the harness: Chromium reports a page that breaks its own <meta> policy, and a <meta>
    that carries a directive only a header can."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP_HEADER}">'
        '<title>x</title></head><body><p style="color:red">x</p><script>document.title = "y"</script></body></html>'
    )
    with plain_static_server(tmp_path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, violations):
            page.goto(url + "/")
            page.wait_for_timeout(200)
        browser.close()
    # Chromium's wording of its console reports changes between versions; the events' does not.
    console = [v for v in violations if not v.startswith("event: ")]
    assert any("'frame-ancestors' is ignored when delivered via a <meta> element" in m for m in console), (
        console
    )
    assert len(console) == 3, console  # that, the inline style and the inline script
    assert [v for v in violations if v.startswith("event: ")] == [
        "event: / style-src-attr inline",
        "event: / script-src-elem inline",
    ]


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
