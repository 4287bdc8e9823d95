"""The live preview: serves only site/, rebuilds on save, shows mistakes, recovers."""

import os
import time
import urllib.error
import urllib.request

import pytest

from sitegen.serve import POLL_SECONDS
from tests.browser import CHROMIUM_ARGS, chromium_path, preview_server, wait_until

PAGE = "content/treatments/mesotherapy.tr.md"
URL = "/tr/tedaviler/mezoterapi/"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def preview(scratch_site):
    with preview_server(scratch_site.root) as (url, process):
        yield scratch_site, url


def edit_title(site, title: str) -> None:
    path = site.root / PAGE
    text = path.read_text(encoding="utf-8")
    start = text.index("title: ")
    end = text.index("\n", start)
    # Saved as most editors save, whole: written beside it, then renamed over it. (Written in
    # place, a poll could read the file truncated and show an error page for a moment.)
    saved = path.with_name(".saving-" + path.name)
    saved.write_text(text[:start] + f"title: {title}" + text[end:], encoding="utf-8")
    os.replace(saved, path)


def test_pages_are_served_with_the_livereload_script(preview):
    _, url = preview
    status, html = fetch(url + URL)
    assert status == 200
    assert "<h1>Mezoterapi</h1>" in html
    assert "livereload.js" in html


@pytest.mark.parametrize("path", ["/../pyproject.toml", "/%2e%2e/content/site.yaml", "/tr/../../babel.cfg",
                                  "/..%2fcontent%2fsite.yaml", "/%00"])  # fmt: skip
def test_nothing_outside_site_is_served(preview, path):
    _, url = preview
    status, body = fetch(url + path)
    assert status == 404
    assert "base_url" not in body and "[jinja2" not in body


def test_the_server_listens_on_loopback_only_by_default(preview):
    import socket

    _, url = preview
    port = int(url.rsplit(":", 1)[1])
    # Bound to 0.0.0.0 it would also answer on 127.0.0.2; bound to 127.0.0.1 it does not.
    with socket.socket() as sock:
        sock.settimeout(1)
        assert sock.connect_ex(("127.0.0.2", port)) != 0
    with socket.socket() as sock:
        sock.settimeout(1)
        assert sock.connect_ex(("127.0.0.1", port)) == 0


def test_unknown_pages_get_the_languages_404_page(preview):
    _, url = preview
    status, html = fetch(url + "/tr/yok/")
    assert status == 404 and "Sayfa bulunamadı" in html


def test_a_save_rebuilds_a_mistake_is_shown_and_a_fix_recovers(preview):
    site, url = preview
    edit_title(site, "Mezoterapi Rehberi")
    wait_until(lambda: "<h1>Mezoterapi Rehberi</h1>" in fetch(url + URL)[1], timeout=10)

    edit_title(site, '"unclosed')
    wait_until(lambda: fetch(url + URL)[0] == 500, timeout=10)
    status, html = fetch(url + URL)
    assert "The site could not be built" in html
    assert f"{PAGE}:2: a quote opened on this line is never closed" in html

    edit_title(site, "Mezoterapi")
    wait_until(lambda: "<h1>Mezoterapi</h1>" in fetch(url + URL)[1], timeout=10)


def test_many_quick_saves_cause_few_rebuilds_and_the_server_keeps_answering(preview):
    site, url = preview
    log = site.root.parent / "serve.log"
    builds_before = log.read_text().count("\nBuilt ")
    started = time.monotonic()
    for n in range(50):
        edit_title(site, f"Mezoterapi {n}")
        time.sleep(0.01)
        assert fetch(url + "/en/")[0] == 200
    saving = time.monotonic() - started
    wait_until(lambda: "<h1>Mezoterapi 49</h1>" in fetch(url + URL)[1], timeout=15)
    time.sleep(1)
    rebuilds = log.read_text().count("\nBuilt ") - builds_before
    # Saves are gathered per poll: one build at most per poll while saving, and the last one after;
    # fifty saves in about a second give a handful of builds (more when the machine is busy).
    assert 1 <= rebuilds <= min(25, saving / POLL_SECONDS + 2), (rebuilds, saving)


@pytest.mark.browser
def test_saving_a_turkish_page_reloads_the_browser(preview, capsys):
    site, url = preview
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + URL)
        page.wait_for_function("window.LiveReload && window.LiveReload.connector._isSocketConnected()")
        timings = []
        for title in ("Mezoterapi Şişlik", "Mezoterapi İğne"):
            saved = time.monotonic()
            edit_title(site, title)
            page.wait_for_function(f"document.querySelector('h1').textContent === {title!r}", timeout=10_000)
            timings.append(time.monotonic() - saved)
        # a catalog change reloads the browser too
        catalog = site.root / "locales/tr/LC_MESSAGES/messages.po"
        catalog.write_text(catalog.read_text(encoding="utf-8").replace('"Ana sayfa"', '"Anasayfa"'), "utf-8")
        page.wait_for_function("document.querySelector('.main-nav a').textContent === 'Anasayfa'",
                               timeout=10_000)  # fmt: skip
        # so does the stylesheet, although its published name changes with its content
        css = site.root / "templates/static/style.css"
        css.write_text(
            css.read_text(encoding="utf-8") + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n", "utf-8"
        )
        page.wait_for_function(
            "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=10_000
        )
        browser.close()
    with capsys.disabled():
        print(f"\n  save-to-reload in the browser: {', '.join(f'{t:.2f} s' for t in timings)}")


def test_a_second_preview_on_the_same_port_says_what_to_do(preview):
    import subprocess
    import sys

    from tests.conftest import ROOT

    site, url = preview
    port = url.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(site.root), "serve", "--port", port],
        capture_output=True, text=True, timeout=30, env={**__import__("os").environ, "SITEGEN_NO_BOOTSTRAP": "1"},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        f"Cannot listen on 127.0.0.1:{port}: Address already in use. Another preview may be running; stop it,"
        f" or use another port: python build.py serve --port {int(port) + 1}\n"
    )


def test_a_double_slash_never_redirects_to_another_host(preview):
    import http.client

    _, url = preview
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=5)
    connection.request("GET", "//static")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 301 and response.getheader("Location") == "/static/"
