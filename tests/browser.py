"""Helpers for the tests that drive Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Return Debian's chromium, or skip (fail in CI) when it is not installed."""
    found = (
        os.environ.get("SITEGEN_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if found:
        return found
    if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
        pytest.fail("chromium is required here (SITEGEN_REQUIRE_TOOLS is set) but not installed")
    pytest.skip("Debian's chromium is not installed (make test installs it when run as root)")


@contextmanager
def csp_watch(browser) -> Iterator[tuple[object, list[str]]]:
    """Yield a new page and the list of Content-Security-Policy complaints seen while it browses.

    Chromium says each one twice: on the console ("Refused to ...", also "... is ignored when
    delivered via a <meta> element") and as a securitypolicyviolation event, which is caught
    here on every document, including those that leave at once (a redirect page).
    """
    context = browser.new_context()
    seen: list[str] = []
    context.expose_function("reportViolation", lambda report: seen.append(report))
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " reportViolation(`event: ${location.pathname} ${e.violatedDirective} ${e.blockedURI}`))"
    )
    page = context.new_page()

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    try:
        yield page, seen
    finally:
        context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve *folder* with Python's own static server; yield its base URL."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def plain_static_server(folder: Path) -> Iterator[str]:
    """Run ``python -m http.server`` in *folder*: a host that sends no security headers at all."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=folder,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), timeout=10)
        yield url
    finally:
        server.terminate()
        server.wait()


@contextmanager
def preview_server(root: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``build.py serve`` (with *options*) for the project at *root*; yield its URL and process."""
    port = free_port()
    env = {**os.environ, "SITEGEN_NO_BOOTSTRAP": "1", "PYTHONUNBUFFERED": "1"}
    log_path = root.parent / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "build.py"),
                "--root",
                str(root),
                "serve",
                "--port",
                str(port),
                *options,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), timeout=20)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/", timeout=1).close()
        return True
    except OSError:
        return False


def wait_until(condition, timeout: float, interval: float = 0.05) -> float:
    """Wait until *condition()* is true; return the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s: {condition}")
