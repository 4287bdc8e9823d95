"""The live preview: serves only site/, rebuilds on save, shows mistakes, recovers, and answers
only to its own address and its own pages."""

import asyncio
import base64
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import asynccontextmanager
from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest
import watchfiles

from sitegen import serve
from sitegen.project import Project
from sitegen.serve import SETTLE_SECONDS, Address
from tests.browser import CHROMIUM_ARGS, chromium_path, csp_watch, preview_server, wait_until

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
    # Saved as most editors save, whole: written beside it, then renamed over it. (Saving in
    # place, emptying the file first, has a test of its own.)
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


def test_a_page_with_a_mistake_shows_it_at_its_address_and_the_others_keep_working(preview):
    site, url = preview
    edit_title(site, "Mezoterapi Rehberi")
    wait_until(lambda: "<h1>Mezoterapi Rehberi</h1>" in fetch(url + URL)[1], timeout=10)

    edit_title(site, '"unclosed')
    wait_until(lambda: fetch(url + URL)[0] == 500, timeout=10)
    status, html = fetch(url + URL)
    # In the page's language, with the file's lines around the mistake and the faulty one marked.
    assert '<html lang="tr">' in html and "<h1>Bu sayfada bir hata var</h1>" in html
    assert f"<code>{PAGE}:2</code>" in html and "a quote opened on this line is never closed" in html
    assert '<span class="faulty"><span class="n">2</span>&#9654; title: &quot;unclosed</span>' in html
    assert '<span class="line"><span class="n">1</span>  ---</span>' in html
    assert "Ne yapmalısınız:" in html
    # Every other page is built and served, with a banner naming the page left out.
    status, other = fetch(url + "/en/treatments/mesotherapy/")
    assert status == 200 and "<h1>Mesotherapy</h1>" in other
    assert "Pages not shown until their mistake is fixed:" in other
    assert f'<a href="{URL}">{PAGE}</a>' in other
    status, home = fetch(url + "/tr/")
    assert status == 200 and "Hataları düzeltilene kadar gösterilmeyen sayfalar:" in home

    edit_title(site, "Mezoterapi")
    wait_until(lambda: "<h1>Mezoterapi</h1>" in fetch(url + URL)[1], timeout=10)
    assert "Pages not shown until" not in fetch(url + "/en/treatments/mesotherapy/")[1]


def test_a_mistake_of_the_whole_site_is_shown_on_every_page_in_its_language(preview):
    site, url = preview
    template = site.root / "templates/page.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    wait_until(lambda: fetch(url + "/en/")[0] == 500, timeout=10)
    status, english = fetch(url + "/en/")
    assert '<html lang="en">' in english and "<h1>The site could not be built</h1>" in english
    assert "<code>templates/page.html:5</code>" in english
    status, turkish = fetch(url + URL)
    assert status == 500 and "<h1>Site oluşturulamadı</h1>" in turkish
    template.write_text(good, encoding="utf-8")
    wait_until(lambda: fetch(url + "/en/")[0] == 200, timeout=10)


def test_a_warning_shows_as_a_banner_on_its_page_only_and_in_the_terminal_once(preview):
    site, url = preview
    site.write(
        {"content/rules.yaml": "rules:\n  - why: promises a result\n    tr: [garanti]\n    en: [guarantee]\n"}
    )
    path = site.root / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nSonuç garantisi yoktur.\n", encoding="utf-8")
    line = text.count("\n") + 2
    # The phrase at once (the save's build lints the page); the scratch site's short description
    # once saves pause, with the site-wide checks, which the open page reloads to show.
    wait_until(lambda: "garanti" in fetch(url + URL)[1], timeout=10)
    wait_until(lambda: "<strong>Bu sayfayla ilgili 2 uyarı</strong>" in fetch(url + URL)[1], timeout=10)
    html = fetch(url + URL)[1]
    assert (f"<li><code>{PAGE}:{line}</code> &#x27;garantisi&#x27; — promises a result <em>Ne yapmalısınız:"
            " rephrase it; content/rules.yaml lists what the rules forbid</em></li>") in html  # fmt: skip
    assert '<link rel="stylesheet" href="/_preview/overlay.css">' in html
    assert fetch(url + "/_preview/overlay.css")[0] == 200
    assert "garanti" not in fetch(url + "/en/treatments/mesotherapy/")[1]  # on its own page only
    log = site.root.parent / "serve.log"
    said = log.read_text().count(f"{PAGE}:{line}: warning:")
    edit_title(site, "Mezoterapi Rehberi")  # another save: the warning is not said again
    wait_until(lambda: "<h1>Mezoterapi Rehberi</h1>" in fetch(url + URL)[1], timeout=10)
    time.sleep(0.3)
    assert said == 1 and log.read_text().count(f"{PAGE}:{line}: warning:") == 1


def builds_in_log(site) -> int:
    return (site.root.parent / "serve.log").read_text().count("\nBuilt ")


def test_many_quick_saves_give_one_build_after_them_and_the_server_keeps_answering(preview):
    site, url = preview
    builds_before = builds_in_log(site)
    answers: list[int] = []
    saving = threading.Event()

    def ask() -> None:
        while saving.is_set():
            answers.append(fetch(url + "/en/")[0])

    saving.set()
    asker = threading.Thread(target=ask)
    asker.start()
    saved_at = []
    try:
        for n in range(50):
            edit_title(site, f"Mezoterapi {n}")
            saved_at.append(time.monotonic())
            time.sleep(0.005)
    finally:
        saving.clear()
        asker.join()
    wait_until(lambda: "<h1>Mezoterapi 49</h1>" in fetch(url + URL)[1], timeout=15)
    time.sleep(0.5)  # the build's summary is printed just after site/ is swapped; and any later build
    rebuilds = builds_in_log(site) - builds_before
    # Saves come every 10 ms or so. A build starts only once the files have been quiet for
    # SETTLE_SECONDS: after the last save; and in a pause between two saves, should a busy machine
    # make one that long (counted generously, as the watcher sees each save a little later).
    pauses = [round(b - a, 3) for a, b in pairwise(saved_at) if b - a >= SETTLE_SECONDS / 2]
    assert 1 <= rebuilds <= 1 + len(pauses), (rebuilds, pauses)
    assert answers and set(answers) == {200}, answers


def save_in_place(path, text: str, empty_for: float) -> float:
    """Save *text* as editors that write in place do: empty the file, then write it (after
    *empty_for* seconds, as a slow disk or a large file would). Return how long it was empty."""
    with path.open("w", encoding="utf-8") as file:
        emptied = time.monotonic()
        time.sleep(empty_for)
        file.write(text)
        file.flush()
        return time.monotonic() - emptied


def page_shows(url: str, title: str, statuses: list[int]) -> bool:
    """Whether the page at *url* has the heading *title*; note the status it was answered with."""
    status, html = fetch(url)
    statuses.append(status)
    return f"<h1>{title}</h1>" in html


def test_a_save_that_empties_the_file_before_writing_it_never_shows_an_error(preview):
    site, url = preview
    path = site.root / PAGE
    text = path.read_text(encoding="utf-8")
    checked = 0
    for n in range(10):
        title = f"Mezoterapi {n}"
        errors_before = (site.root.parent / "serve.log").read_text().count("the file is empty")
        empty_for = save_in_place(path, text.replace("title: Mezoterapi", f"title: {title}"), 0.025)
        statuses: list[int] = []
        wait_until(partial(page_shows, url + URL, title, statuses), timeout=10, interval=0.01)
        time.sleep(0.2)  # the build's report is printed after site/ is swapped
        errors = (site.root.parent / "serve.log").read_text().count("the file is empty") - errors_before
        if empty_for < SETTLE_SECONDS * 0.6:  # not when this process was kept waiting longer than that
            assert (set(statuses), errors) == ({200}, 0), (title, statuses, empty_for)
            checked += 1
        if checked == 3:
            break
    assert checked == 3


# A reload is sent to the pages connected when a build ends: wait for that before saving.
CONNECTED = "window.LiveReload && window.LiveReload.connector._isSocketConnected()"


def wait_in_page(page, expression: str, timeout: float = 10) -> None:
    """Wait until *expression* holds in *page*. Playwright's wait_for_function would run eval()
    in the page, which the site's Content-Security-Policy forbids; evaluate() is not a page script."""
    from playwright.sync_api import Error

    def holds() -> bool:
        try:
            return bool(page.evaluate(expression))
        except Error:  # the page is reloading
            return False

    wait_until(holds, timeout)


@pytest.mark.browser
def test_saving_a_turkish_page_reloads_the_browser(preview, capsys):
    site, url = preview
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, violations):
            page.goto(url + URL)
            # the site's policy, admitting livereload's script and socket, and nothing else
            assert page.evaluate("document.head.children[1].content") == (
                "default-src 'none'; style-src 'self'; img-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self';"
                " script-src 'self'; connect-src 'self'"
            )
            timings = []
            for title in ("Mezoterapi Şişlik", "Mezoterapi İğne"):
                wait_in_page(page, CONNECTED)
                saved = time.monotonic()
                edit_title(site, title)
                wait_in_page(page, f"document.querySelector('h1').textContent === {title!r}")
                timings.append(time.monotonic() - saved)
            # a catalog change reloads the browser too
            wait_in_page(page, CONNECTED)
            catalog = site.root / "locales/tr/LC_MESSAGES/messages.po"
            catalog.write_text(
                catalog.read_text(encoding="utf-8").replace('"Ana sayfa"', '"Anasayfa"'), "utf-8"
            )
            wait_in_page(page, "document.querySelector('.main-nav a').textContent === 'Anasayfa'")
            # so does the stylesheet, although its published name changes with its content
            wait_in_page(page, CONNECTED)
            css = site.root / "templates/static/style.css"
            css.write_text(
                css.read_text(encoding="utf-8") + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n", "utf-8"
            )
            wait_in_page(page, "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'")
            # and a mistake shows the error page, which reloads by itself once it is fixed
            wait_in_page(page, CONNECTED)
            edit_title(site, '"unclosed')
            wait_in_page(page, "document.title === 'Bu sayfada bir hata var'")
            wait_in_page(page, CONNECTED)
            edit_title(site, "Mezoterapi")
            wait_in_page(page, "document.querySelector('h1').textContent === 'Mezoterapi'")
        browser.close()
    assert violations == []
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


def request(url: str, path: str, method: str = "GET", host: str | None = None, **headers: str):
    """Send one request with exactly the Host given (None: the preview's own); return status,
    content type and body."""
    connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=5)
    connection.putrequest(method, path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), body


def assert_no_traceback(site) -> None:
    log = (site.root.parent / "serve.log").read_text()
    assert "Traceback" not in log and "Uncaught exception" not in log and "Content-Length" not in log, log


def test_only_requests_that_name_the_preview_s_own_address_are_answered(scratch_site):
    """A page elsewhere cannot read the preview (drafts included) through a DNS name rebound to 127.0.0.1."""
    scratch_site.write(
        {
            "content/about.en.md": "---\ntitle: About\ndescription: About.\ndraft: true\n---\nOur secret plans.\n"
        }
    )
    with preview_server(scratch_site.root) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"):
            status, _, body = request(url, "/en/about/", host=host)
            assert status == 200 and b"Our secret plans." in body, host
        refused = f"This preview answers only at http://127.0.0.1:{port}/\n".encode()
        for host in ("evil.example", f"evil.example:{port}", f"rebound.attacker.example:{port}",
                     f"127.0.0.1.nip.io:{port}", f"localhost.:{port}", f"localhost:{port}.evil.example",
                     "127.0.0.1", "localhost", f"127.0.0.1:{port + 1}", f"127.0.0.2:{port}", f"[::1]:{port}",
                     f"0.0.0.0:{port}", ""):  # fmt: skip
            for path in ("/en/about/", "/livereload.js", "/static/", "/nothing-here"):
                assert request(url, path, host=host) == (421, "text/plain; charset=utf-8", refused), (
                    host,
                    path,
                )
            assert request(url, "/en/about/", "HEAD", host=host) == (421, "text/plain; charset=utf-8", b"")
        # tornado itself refuses a Host that is not a host name
        assert request(url, "/en/about/", host=f"127.0.0.1:{port}@evil.example")[0] == 400
    assert_no_traceback(scratch_site)


def open_socket(url: str, host: str | None = None, origin: str | None = None) -> tuple[int, bytes]:
    """Ask for livereload's WebSocket as a browser does; return the status and the body of a refusal."""
    port = int(url.rsplit(":", 1)[1])
    lines = [
        "GET /livereload HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer or (b" 101 " not in answer and not answer.endswith(b"\n")):
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_the_live_reload_socket_opens_only_to_the_preview_s_own_pages(preview):
    site, url = preview
    port = int(url.rsplit(":", 1)[1])
    assert open_socket(url, origin=f"http://127.0.0.1:{port}") == (101, b"")
    assert open_socket(url, origin=f"http://localhost:{port}") == (101, b"")
    assert open_socket(url, host=f"localhost:{port}", origin=f"http://localhost:{port}") == (101, b"")
    refused = (403, f"Only the pages of http://127.0.0.1:{port}/ may connect to its live reload\n".encode())
    for origin in ("http://evil.example", f"http://evil.example:{port}", f"http://127.0.0.1:{port + 1}",
                   f"https://127.0.0.1:{port}", f"http://127.0.0.1:{port}.evil.example", "null", "",
                   f"ws://127.0.0.1:{port}", None):  # fmt: skip
        assert open_socket(url, origin=origin) == refused, origin
    # DNS rebinding: the attacker's name, now pointing to 127.0.0.1, in both Host and Origin
    misdirected = (421, f"This preview answers only at http://127.0.0.1:{port}/\n".encode())
    assert open_socket(url, host=f"evil.example:{port}", origin=f"http://evil.example:{port}") == misdirected
    assert_no_traceback(site)


def test_a_reload_names_no_file_and_only_a_save_causes_one(preview):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    site, url = preview
    port = int(url.rsplit(":", 1)[1])

    async def listen() -> tuple[str | None, str | None]:
        socket_url = f"ws://127.0.0.1:{port}/livereload"
        connection = await websocket_connect(
            HTTPRequest(socket_url, headers={"Origin": f"http://127.0.0.1:{port}"})
        )
        connection.write_message(json.dumps({"command": "hello", "protocols": []}))
        hello = await connection.read_message()
        connection.write_message(json.dumps({"command": "info", "url": url + URL}))
        await asyncio.sleep(0.3)
        # livereload's /forcereload let any page reload every browser: it is gone
        assert (await asyncio.to_thread(fetch, url + "/forcereload"))[0] == 404
        try:
            early = await asyncio.wait_for(connection.read_message(), 1)
        except TimeoutError:
            early = None
        edit_title(site, "Mezoterapi Yeni")
        reload = await asyncio.wait_for(connection.read_message(), 10)
        connection.close()
        return hello, early, reload

    hello, early, reload = asyncio.run(listen())
    assert json.loads(hello)["command"] == "hello"
    assert early is None
    assert json.loads(reload) == {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}
    assert_no_traceback(site)


def test_head_requests_get_the_headers_of_get_and_no_body(preview):
    site, url = preview
    css = "/static/" + next((site.root / "site/static").glob("style.*.css")).name
    wait_until(lambda: fetch(url + URL)[0] == 200, timeout=10)

    def compare(path: str, status: int) -> None:
        # One connection for both: a body sent after HEAD would be read as the next response.
        connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=5)
        answers = []
        for method in ("HEAD", "GET", "HEAD"):
            connection.request(method, path)
            response = connection.getresponse()
            answers.append((response.status, response.getheader("Content-Type"),
                            response.getheader("Content-Length"), response.read()))  # fmt: skip
        connection.close()
        (head_status, head_type, head_length, head_body), (get_status, get_type, get_length, body) = answers[
            :2
        ]
        assert (head_status, head_type, head_length, head_body) == (status, get_type, str(len(body)), b""), (
            path
        )
        assert (get_status, get_length) == (status, str(len(body))) and answers[2] == answers[0], path

    compare(URL, 200)
    compare(css, 200)
    compare("/tr/yok/", 404)
    compare("/livereload.js", 200)
    compare("/tr/tedaviler", 301)
    edit_title(site, '"unclosed')
    wait_until(lambda: fetch(url + URL)[0] == 500, timeout=10)
    compare(URL, 500)
    assert_no_traceback(site)


@pytest.mark.parametrize(
    "listening, accepted, refused",
    [
        ("127.0.0.1", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000"],
         ["[::1]:8000", "127.0.0.1:8001", "127.0.0.1", "evil.example:8000", "192.168.1.5:8000", "localhost.:8000"]),
        ("::1", ["[::1]:8000", "localhost:8000", "127.0.0.1:8000"], ["::1:8000", "[::2]:8000", "evil.example:8000"]),
        ("localhost", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000"], ["evil.example:8000", "localhost:80"]),
        ("0.0.0.0", ["192.168.1.5:8000", "10.0.0.2:8000", "localhost:8000", "127.0.0.1:8000"],
         ["my-laptop.local:8000", "192.168.1.5.nip.io:8000", "192.168.1.5:8001", "[::1:8000"]),
        ("192.168.1.5", ["192.168.1.5:8000"], ["127.0.0.1:8000", "localhost:8000", "10.0.0.2:8000"]),
        ("my-laptop.local", ["my-laptop.local:8000", "MY-LAPTOP.local:8000"], ["localhost:8000", "other.local:8000"]),
    ],
)  # fmt: skip
def test_the_preview_s_address_is_spelled_a_few_ways_and_no_other(listening, accepted, refused):
    address = Address(listening, 8000)
    assert [host for host in accepted if not address.accepts_host(host)] == []
    assert [host for host in refused if address.accepts_host(host)] == []
    assert [h for h in accepted if not address.accepts_origin(f"http://{h}")] == []
    assert [h for h in accepted if address.accepts_origin(f"https://{h}") or address.accepts_origin(h)] == []
    assert [h for h in refused if address.accepts_origin(f"http://{h}")] == []
    assert not address.accepts_host(None) and not address.accepts_origin(None)
    assert Address("127.0.0.1", 80).accepts_host("localhost") and Address("::1", 80).accepts_host("[::1]")


class Builds:
    """Stands in for PreviewApp: records what each build was told changed, and the page's text
    when it read it; with *gate*, each build waits until the test opens it."""

    def __init__(self, page: Path | None = None, gate: threading.Event | None = None) -> None:
        self.page = page
        self.gate = gate
        self.changed: list[frozenset[Path] | None] = []
        self.read: list[str] = []
        self.lagging = False  # no search index or checks to bring up to date

    def rebuild(self, changed: frozenset[Path] | None = None) -> None:
        self.changed.append(changed)
        if self.page is not None:
            self.read.append(self.page.read_text(encoding="utf-8"))
        if self.gate is not None:
            assert self.gate.wait(30)


def watched_project(tmp_path: Path, site_dir: Path | None = None) -> Project:
    for folder in ("content", "templates/static", "locales/tr/LC_MESSAGES"):
        (tmp_path / folder).mkdir(parents=True)
    return Project.at(tmp_path, site_dir)


@asynccontextmanager
async def watching(app: Builds, project: Project, settle: float = SETTLE_SECONDS):
    """Watch *project* for *app* (its watcher in place) until the block ends; then see it stop."""
    live = serve.LiveReload(app, project, settle)  # type: ignore[arg-type]
    task = asyncio.create_task(live.watch())
    await asyncio.wait_for(live.watching.wait(), 10)
    try:
        yield live
    finally:
        live.stop()
        await asyncio.wait_for(task, 10)


async def until(condition, timeout: float = 10) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"not true after {timeout} s"
        await asyncio.sleep(0.01)


async def quiet_after(app: Builds, builds: int) -> None:
    """Wait for build number *builds*, then long enough for any build after it to have started."""
    await until(lambda: len(app.changed) >= builds)
    await asyncio.sleep(SETTLE_SECONDS * 6)


def test_a_save_in_two_folders_at_once_gives_one_build_told_of_both_files(tmp_path):
    project = watched_project(tmp_path)
    app = Builds()
    page, template = tmp_path / "content/page.en.md", tmp_path / "templates/page.html"

    async def scenario() -> None:
        async with watching(app, project):
            page.write_text("---\ntitle: Page\n---\n", encoding="utf-8")
            template.write_text("{{ content }}", encoding="utf-8")
            await quiet_after(app, 1)

    asyncio.run(scenario())
    assert app.changed == [frozenset({page, template})]


def test_a_build_is_told_exactly_which_files_were_saved_added_renamed_or_removed(tmp_path):
    project = watched_project(tmp_path)
    content = tmp_path / "content"
    old, new, gone = content / "old.en.md", content / "new.en.md", content / "gone.en.md"
    for path in (old, gone):
        path.write_text("---\ntitle: Page\n---\n", encoding="utf-8")
    catalog = tmp_path / "locales/tr/LC_MESSAGES/messages.po"
    style = tmp_path / "templates/static/style.css"
    folder = content / "blog"
    app = Builds()

    async def scenario() -> None:
        async with watching(app, project):
            old.rename(new)
            gone.unlink()
            catalog.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
            style.write_text("body {}", encoding="utf-8")
            folder.mkdir()
            await quiet_after(app, 1)
            (folder / "first.en.md").write_text("---\ntitle: First\n---\n", encoding="utf-8")
            await quiet_after(app, 2)

    asyncio.run(scenario())
    assert app.changed == [
        frozenset({old, new, gone, catalog, style, folder}),
        frozenset({folder / "first.en.md"}),
    ]


# What editors and tools leave beside the files they save, and the folders the build never reads.
IGNORED = [
    "content/.mesotherapy.tr.md.swp", "content/.mesotherapy.tr.md.swx", "content/mesotherapy.tr.md~",
    "content/#mesotherapy.tr.md#", "content/.#mesotherapy.tr.md", "content/4913", "content/5036",
    "templates/base.html___jb_tmp___", "templates/base.html___jb_old___", "templates/.goutputstream-Z1X2",
    "content/.saving-mesotherapy.tr.md", "content/page.tmp", "locales/tr/LC_MESSAGES/messages.mo",
    "content/.obsidian/workspace.json", "templates/.git/HEAD", "content/.cache/x",
]  # fmt: skip
READ = [
    "content/treatments/mesotherapy.tr.md", "content/site.yaml", "content/rules.yaml", "content/4914",
    "content/a~b.en.md", "templates/static/style.css", "templates/base.html",
    "locales/tr/LC_MESSAGES/messages.po", "locales/messages.pot", "content/treatments/swp.en.md",
]  # fmt: skip


def test_what_the_build_never_reads_is_left_out_and_causes_no_build(tmp_path):
    project = watched_project(tmp_path, site_dir=tmp_path / "content/preview-site")
    page = tmp_path / "content/page.en.md"
    unread = [tmp_path / name for name in IGNORED] + [tmp_path / "content/preview-site/en/index.html"]
    folder = tmp_path / "content/treatments"
    folder.mkdir()
    app = Builds()

    async def scenario() -> None:
        async with watching(app, project):
            for path in [*unread, page]:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("x", encoding="utf-8")
            await quiet_after(app, 1)
            for path in unread:
                path.write_text("y", encoding="utf-8")
            folder.chmod(0o750)  # a folder "modified": what is added or removed in it is reported itself
            await asyncio.sleep(SETTLE_SECONDS * 6)

    asyncio.run(scenario())
    assert app.changed == [frozenset({page})]


@pytest.mark.parametrize("name", IGNORED)
def test_editors_files_and_hidden_folders_are_ignored(tmp_path, name):
    assert serve.ignored(tmp_path / name, Project.at(tmp_path))


@pytest.mark.parametrize("name", READ)
def test_the_files_the_build_reads_are_not_ignored(tmp_path, name):
    assert not serve.ignored(tmp_path / name, Project.at(tmp_path))


def test_a_project_in_a_hidden_folder_is_watched(tmp_path):
    root = tmp_path / ".projects/clinic"
    assert not serve.ignored(root / "content/index.en.md", Project.at(root))
    assert serve.ignored(root / "content/.index.en.md.swp", Project.at(root))


def test_a_file_emptied_and_then_written_is_built_once_written(tmp_path):
    """An editor that saves in place empties the file, then writes it: the build waits until the
    file has been quiet for the settle time. (Timings here are wide: the machine may be busy.)"""
    project = watched_project(tmp_path)
    page = tmp_path / "content/page.en.md"
    page.write_text("old text", encoding="utf-8")
    app = Builds(page)
    settle = 0.3

    async def scenario() -> None:
        async with watching(app, project, settle):
            with page.open("w", encoding="utf-8") as file:
                await asyncio.sleep(settle / 3)
                file.write("new text")
            await until(lambda: app.changed)
            await asyncio.sleep(settle * 2)

    asyncio.run(scenario())
    assert (app.changed, app.read) == ([frozenset({page})], ["new text"])


def test_a_build_runs_beside_the_server_and_saves_meanwhile_give_one_more_build(tmp_path, monkeypatch):
    """The server goes on answering while a page is built; the reload comes when the build is done."""
    project = watched_project(tmp_path)
    gate = threading.Event()
    app = Builds(gate=gate)
    one, two = tmp_path / "content/one.en.md", tmp_path / "templates/two.html"
    reloads: list[int] = []

    async def scenario() -> None:
        async with watching(app, project) as live:
            monkeypatch.setattr(live, "reload_pages", lambda: reloads.append(len(app.changed)))
            first = live.start_build(None)  # the first build, of everything
            await until(lambda: app.changed == [None])
            one.write_text("one", encoding="utf-8")
            await asyncio.sleep(SETTLE_SECONDS * 4)  # quiet, but a build runs: the loop is free meanwhile
            two.write_text("two", encoding="utf-8")
            one.write_text("one, again", encoding="utf-8")
            await asyncio.sleep(SETTLE_SECONDS * 4)
            assert (app.changed, reloads, live.changed) == ([None], [], {one, two})
            gate.set()
            await asyncio.wait_for(first, 10)
            await quiet_after(app, 2)

    asyncio.run(scenario())
    assert app.changed == [None, frozenset({one, two})]
    assert reloads == [1, 2]


TOO_MANY = "Error creating recommended watcher: Too many open files (os error 24)"


def failing_file_events(monkeypatch, polling_fails: bool = False) -> list[bool]:
    """Make watchfiles fail as where the system allows no more file watchers; return the modes tried."""
    real = watchfiles.awatch
    tried: list[bool] = []

    async def awatch(*paths, force_polling: bool, **options):
        tried.append(force_polling)
        if polling_fails or not force_polling:
            raise OSError(TOO_MANY) if force_polling else RuntimeError(TOO_MANY)
        async for batch in real(*paths, force_polling=True, **options):
            yield batch

    monkeypatch.setattr(watchfiles, "awatch", awatch)
    return tried


def test_where_file_events_fail_the_files_are_polled_and_the_terminal_says_so(tmp_path, monkeypatch, capsys):
    tried = failing_file_events(monkeypatch)
    project = watched_project(tmp_path)
    page = tmp_path / "content/page.en.md"
    app = Builds()

    async def scenario() -> None:
        async with watching(app, project):
            page.write_text("saved", encoding="utf-8")
            await quiet_after(app, 1)

    asyncio.run(scenario())
    assert (tried, app.changed) == ([False, True], [frozenset({page})])
    assert capsys.readouterr().err == (
        f"The preview cannot use the system's file events ({TOO_MANY}); it looks at every file every 100 ms"
        " instead.\n  hint: on Linux, raise the limits fs.inotify.max_user_watches and max_user_instances"
        " (sysctl), or close other programs that watch many files\n"
    )


def test_where_no_watching_works_the_watcher_ends_and_the_terminal_says_so(tmp_path, monkeypatch, capsys):
    tried = failing_file_events(monkeypatch, polling_fails=True)
    live = serve.LiveReload(Builds(), watched_project(tmp_path))  # type: ignore[arg-type]
    asyncio.run(asyncio.wait_for(live.watch(), 10))
    assert tried == [False, True] and not live.stopping
    assert capsys.readouterr().err.splitlines()[2:] == [
        f"The preview cannot watch the files ({TOO_MANY}): saves are not seen, the browser does not reload.",
        "  hint: stop the preview (Ctrl+C) and start it again",
    ]


def inotify_instances() -> int:
    """How many inotify instances this process holds open (Linux), or 0 elsewhere."""
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        return 0
    return sum(1 for fd in folder.iterdir() if _link(fd) == "anon_inode:inotify")


def _link(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def test_watching_stops_cleanly_however_often_it_starts(tmp_path):
    project = watched_project(tmp_path)
    page = tmp_path / "content/page.en.md"
    threads, instances = threading.active_count(), inotify_instances()

    async def once(n: int) -> None:
        app = Builds()
        async with watching(app, project):
            assert inotify_instances() == instances + (instances or sys.platform == "linux")
            page.write_text(f"save {n}", encoding="utf-8")
            await until(lambda: app.changed == [frozenset({page})])

    for n in range(10):
        asyncio.run(once(n))
    # The watcher's threads close the file events' handle and end just after it stops.
    wait_until(lambda: (inotify_instances(), threading.active_count()) == (instances, threads), timeout=10)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl+C", "terminate"])
def test_the_preview_stops_cleanly_and_keeps_its_cache(scratch_site, stop):
    cache = scratch_site.root / ".cache/build.pickle"
    with preview_server(scratch_site.root) as (url, process):
        edit_title(scratch_site, "Mezoterapi Yeni")
        wait_until(lambda: "<h1>Mezoterapi Yeni</h1>" in fetch(url + URL)[1], timeout=10)
        assert not cache.exists()  # the preview keeps it in memory until it stops
        process.send_signal(stop)
        assert process.wait(timeout=10) == 0
    assert cache.is_file()
    assert_no_traceback(scratch_site)
