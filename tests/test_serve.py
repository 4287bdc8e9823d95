"""The live preview: serves only site/, rebuilds on save, shows mistakes, recovers, and answers
only to its own address and its own pages."""

import asyncio
import base64
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request

import pytest

from sitegen.serve import POLL_SECONDS, Address
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
                "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none';"
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
            wait_in_page(page, "document.title === 'Build error'")
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


def test_a_build_runs_beside_the_server_and_saves_meanwhile_give_one_more_build(tmp_path, monkeypatch):
    """The server goes on answering while a page is built; the reload comes when the build is done."""
    import threading

    from sitegen import serve

    class SlowApp:
        def __init__(self) -> None:
            self.release = threading.Event()
            self.builds = 0

        def rebuild(self) -> None:
            self.builds += 1
            assert self.release.wait(30)

    app = SlowApp()
    folder = tmp_path / "content"
    folder.mkdir()
    live = serve.LiveReload(app, [folder])  # type: ignore[arg-type]
    reloads: list[int] = []
    monkeypatch.setattr(live, "reload_pages", lambda: reloads.append(app.builds))

    async def scenario() -> None:
        live.poll()  # the first look at the folder
        (folder / "page.en.md").write_text("one", encoding="utf-8")
        live.poll()  # a save: the build starts in a worker thread ...
        assert app.builds == 1 and not reloads  # ... and poll came back at once, the loop is free
        (folder / "page.en.md").write_text("two, a second save while building", encoding="utf-8")
        live.poll()
        live.poll()
        assert app.builds == 1  # one build at a time
        app.release.set()
        await asyncio.wait_for(live.building, 10)
        await asyncio.sleep(0.05)
        live.poll()  # the save seen while building gives one more build, which finishes at once
        await asyncio.wait_for(live.building, 10)
        await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert app.builds == 2
    assert reloads == [1, 2]
