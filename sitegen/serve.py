"""The live preview: serve site/, rebuild on every save, reload the browser.

A mistake made while editing is printed in the terminal and shown in the
browser instead of the page; the server keeps running, and the next good save
shows the real page again.

The preview shows drafts, so it answers only to its own address: a request
whose Host names anything else (another site's page, or a DNS name rebound to
127.0.0.1) is refused, and the live-reload WebSocket accepts only the
preview's own pages. It is wired from livereload's browser side (its script
and its WebSocket handler) on a tornado application of its own, without changing
any of livereload's classes. The files are watched with watchfiles: the
system's file events (inotify on Linux), so that a save is seen at once
without looking at every file, and the build is told which files changed.
"""

from __future__ import annotations

import asyncio
import gettext
import html
import ipaddress
import logging
import mimetypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from markupsafe import escape
from tornado import web
from tornado.log import LogFormatter
from tornado.websocket import WebSocketClosedError

from . import overlay, preview_views
from .config import SiteConfig, load_config
from .engine.incremental import BuildStopped
from .engine.session import Session
from .errors import WARNING, BuildError, Problem, format_problems
from .files import EDITORS_FILES, Reader
from .i18n import load_translations
from .overlay import language_of
from .pipeline import BuildOptions, BuildResult
from .preview_views import PreviewViews
from .project import Project
from .report import figures, internal_error, report_failure, report_problems, summary

# A save is built once its files have been quiet this long: an editor that empties a file and
# then writes it must not show "the file is empty" for the whole site. Small, as it is part of
# every save's wait.
SETTLE_SECONDS = 0.05
CATCH_UP_IDLE = 1.0  # seconds without a save before the search index and the site-wide checks catch up
STEP_MS = 5  # how often the watcher's thread looks at the events gathered meanwhile
POLL_MS = 100  # where the system gives no file events: how often every file is looked at
WATCH_FAILED = {
    False: "The preview cannot use the system's file events ({exc}); it looks at every file every {ms} ms"
    " instead.\n  hint: on Linux, raise the limits fs.inotify.max_user_watches and max_user_instances"
    " (sysctl), or close other programs that watch many files",
    True: "The preview cannot watch the files ({exc}): saves are not seen, the browser does not reload."
    "\n  hint: stop the preview (Ctrl+C) and start it again",
}
# What the preview's pages may do beyond the site's policy: load livereload.js and open its socket.
LIVE_RELOAD_POLICY = {"script-src": "'self'", "connect-src": "'self'"}
# Reload the whole page, and name no file: a stylesheet or an image has a new fingerprinted name.
RELOAD_MESSAGE = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}


@dataclass(frozen=True)
class Response:
    """What the preview answers to one request for a path."""

    status: int
    content_type: str
    body: bytes
    reason: str | None = None
    location: str | None = None


class PreviewApp:
    """Answer a path with a file under site/ (nothing outside it), or with the current build error."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.error: str | None = None
        self.error_problems: list[Problem] = []
        self.shown_notes: set[Problem] = set()
        # The preview shows drafts (marked), runs the site-wide checks for the banners (once saves
        # pause), and leaves out a page with a mistake, showing the error at its address; the store
        # stays in memory.
        self.session = Session(project, BuildOptions(drafts=True, check=True, hold_back_pages=True))
        self.translations: dict[str, gettext.NullTranslations] = {}
        self.languages: tuple[str, ...] = ()
        self.known_urls: dict[str, str] = {}  # page file -> its address in the last build that had it
        self.held: dict[str, tuple[str, tuple[Problem, ...]]] = {}  # address -> (page file, its errors)
        self.held_files: dict[str, str | None] = {}  # page file left out -> its address, where known
        self.warnings: dict[str, list[Problem]] = {}  # address -> the warnings about that page
        self.refresh_failed = False  # catching up failed: wait for the next save
        self.stop_catching_up = threading.Event()  # set by a save that comes while it runs

    def rebuild(self, changed: frozenset[Path] | None = None) -> None:
        """Build and write the site; remember the error to show if it fails.

        *changed* holds the files and folders saved, added or removed since the last build
        began (absolute; a folder stands for everything in it), without the ones the build
        never reads (see `ignored`); None for the first build: everything.
        """
        started = time.perf_counter()
        self.refresh_failed = False
        try:
            # A save's build is quick: the search index and the site-wide checks wait (catch_up).
            result, changes = self.session.build(changed, quick=changed is not None)
        except BuildError as error:
            self._failed(error)
            print("Fix the file and save: the browser reloads by itself.", file=sys.stderr, flush=True)
            self._load_translations()
            return
        except Exception as exc:  # a bug of ours must not stop the preview; say it in both places
            self.error = internal_error(exc)
            self.error_problems = [Problem("sitegen", None, self.error)]
            print(self.error, file=sys.stderr, flush=True)
            return
        self.error = None
        self.error_problems = []
        self._remember(result)
        self._report(result)
        for path, found in sorted(result.held_back.items()):
            print(f"Not shown until fixed: {path} ({len(found)} mistake{'s' if len(found) != 1 else ''})",
                  file=sys.stderr)  # fmt: skip
            print(format_problems(found), file=sys.stderr)
        print(summary(figures(result), changes, self.project, time.perf_counter() - started), flush=True)

    def _failed(self, error: BuildError) -> None:
        """Remember the errors to show on every page, and say them (without the notes already said)."""
        self.error = format_problems(error.errors)
        self.error_problems = list(error.errors)
        report_failure(BuildError(p for p in error.problems if p not in self.shown_notes), self.project)

    def _report(self, result: BuildResult) -> None:
        """Say the build's warnings and notes, each once per session (errors every time)."""
        fresh = [p for p in result.problems if p.is_error or p not in self.shown_notes]
        self.shown_notes.update(p for p in result.problems if not p.is_error)
        report_problems(tuple(fresh))

    @property
    def lagging(self) -> bool:
        """Whether the last save's build left the search index or the site-wide checks to do."""
        return self.error is None and not self.refresh_failed and self.session.lagging

    def catch_up(self) -> bool:
        """Once saves pause: index again the languages whose pages changed, and run the site-wide
        checks (the other files are as the last build left them). Return whether the warnings of
        some page changed, so that the open pages reload to show them."""
        started = time.perf_counter()
        before = self.warnings
        self.stop_catching_up.clear()
        try:
            result, _ = self.session.build(frozenset(), quick=False, stop=self.stop_catching_up)
        except BuildStopped:  # a save came: its build runs now, and this one again when saves pause
            return False
        except BuildError as error:
            self.refresh_failed = True  # a check's error: shown on the pages, as any build's
            self._failed(error)
            return True
        except Exception as exc:
            self.refresh_failed = True
            print(internal_error(exc), file=sys.stderr, flush=True)
            return False
        self._remember(result)
        self._report(result)
        print(f"Search index and checks brought up to date in {time.perf_counter() - started:.2f} s.",
              flush=True)  # fmt: skip
        return self.warnings != before

    def _load_translations(self, config: SiteConfig | None = None) -> None:
        """The catalogs the preview's own pages speak (the error page, the banner)."""
        reader = Reader(self.project)
        if config is None:
            try:
                config, _ = load_config(reader)
            except Exception:
                return
        self.languages = config.language_codes
        self.translations, _ = load_translations(reader, config)

    def _remember(self, result: BuildResult) -> None:
        """Where each page is, which pages were left out for their mistakes, the warnings of each page."""
        site = result.site
        self._load_translations(site.config)
        self.known_urls.update({page.source.shown: page.url for page in site.pages
                                if page.source.shown not in result.held_back})  # fmt: skip
        # A page left out is at the address it stands in under (which other pages link to) and at
        # the one it had when it was last built (which the browser may be showing).
        self.held_files = {path: self.known_urls.get(path) or result.held_urls.get(path)
                           for path in result.held_back}  # fmt: skip
        self.held = {}
        for path, found in result.held_back.items():
            for url in (result.held_urls.get(path), self.known_urls.get(path)):
                if url:
                    self.held[url] = (path, found)
        by_file = {page.source.shown: page for page in site.pages}
        self.warnings = {}
        for problem in result.problems:
            if problem.severity != WARNING:
                continue
            if problem.path in by_file:
                pages = [by_file[problem.path]]
            elif problem.pages:
                pages = [by_file[path] for path in problem.pages if path in by_file]
            elif problem.path.startswith("locales/"):  # a catalog: every page of its language
                lang = problem.path.split("/")[1]
                pages = [page for page in site.pages if page.lang == lang]
            else:  # site data, a template: every page
                pages = list(site.pages)
            for page in pages:
                self.warnings.setdefault(page.url, []).append(problem)

    def _speaking(self, path: str) -> tuple[str, gettext.NullTranslations]:
        lang = language_of(path, self.languages, self.languages[0] if self.languages else "en")
        return lang, self.translations.get(lang) or gettext.NullTranslations()

    def respond(self, path: str) -> Response:
        """Return the answer to a request for *path* (already percent-decoded)."""
        if path == overlay.BANNER_CSS:
            return Response(200, "text/css", overlay.BANNER_STYLE)
        page_path = path.removesuffix("index.html")
        if self.error is not None and (path.endswith("/") or path.endswith(".html")):
            lang, translations = self._speaking(path)
            body = overlay.error_page(self.project, self.error_problems, translations, lang, whole_site=True)
            return Response(500, "text/html", body, reason="Build Error")
        if page_path in self.held:
            source, problems = self.held[page_path]
            lang, translations = self._speaking(source)
            body = overlay.error_page(self.project, list(problems), translations, lang, whole_site=False)
            return Response(500, "text/html", body, reason="Mistake in the page")
        response = self._file(path)
        if response.content_type == "text/html" and response.status == 200:
            lang, translations = self._speaking(page_path)
            views = preview_views.preview_links(page_path, lang, self.project)
            shown = overlay.banner(self.warnings.get(page_path, []), self.held_files, translations, views)
            if shown:
                body = _BODY.sub(lambda m: m[0] + shown, response.body, count=1)
                response = Response(response.status, response.content_type, body, response.reason)
        return response

    def _file(self, path: str) -> Response:
        file = self._resolve(path)
        if file is None:
            return self._not_found(path)
        if file.is_dir():
            if not path.endswith("/"):
                # "//host" would send the browser to another host: keep one leading slash.
                return Response(301, "text/plain", b"", location="/" + path.lstrip("/") + "/")
            file = file / "index.html"
            if not file.is_file():
                return self._not_found(path)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return Response(200, content_type, file.read_bytes())

    def _resolve(self, path: str) -> Path | None:
        """Return the file or folder under site/ that *path* names, never anything outside it."""
        site = self.project.site_dir.resolve()
        if "\x00" in path:
            return None
        target = (site / path.lstrip("/")).resolve()
        if not target.is_relative_to(site) or not target.exists():
            return None
        return target

    def _not_found(self, path: str) -> Response:
        lang = path.strip("/").split("/")[0]
        page = self.project.site_dir / lang / "404.html"
        if not (lang and page.is_file() and page.resolve().is_relative_to(self.project.site_dir.resolve())):
            page = next(iter(sorted(self.project.site_dir.glob("*/404.html"))), page)
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404</h1>"
        return Response(404, "text/html", body)


_BODY = re.compile(rb"<body[^>]*>")


@dataclass(frozen=True)
class Address:
    """Where the preview listens, and the Host values that name it there."""

    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{_bracketed(self.host)}:{self.port}/"

    @property
    def names(self) -> frozenset[str]:
        """The host names, spelled as in a Host header, under which the preview is reached."""
        host = self.host.lower()
        names = {_bracketed(host)}
        ip = _ip_address(host)
        if host == "localhost" or (ip is not None and (ip.is_loopback or ip.is_unspecified)):
            names |= {"localhost", "127.0.0.1"}
            if ip is None or ip.version == 6:
                names.add("[::1]")
        return frozenset(names)

    def accepts_host(self, value: str | None) -> bool:
        """Whether a Host header names the preview: any other name may be one rebound to it by DNS."""
        if value is None:
            return False
        value = value.lower()
        name, colon, port = value.rpartition(":")
        if not colon or value.endswith("]"):  # no port: the default one
            name, port = value, "80"
        if port != str(self.port):
            return False
        if name in self.names:
            return True
        # Listening on every address (to preview on a phone): any address, but never a name.
        listening = _ip_address(self.host)
        return listening is not None and listening.is_unspecified and _is_ip_literal(name)

    def accepts_origin(self, value: str | None) -> bool:
        """Whether an Origin header is one of the preview's own pages."""
        scheme = "http://"
        return value is not None and value.startswith(scheme) and self.accepts_host(value[len(scheme) :])


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _ip_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _is_ip_literal(name: str) -> bool:
    """Whether *name* is an IPv4 address or a bracketed IPv6 address, as a Host header spells them."""
    bracketed = name.startswith("[") and name.endswith("]")
    ip = _ip_address(name[1:-1] if bracketed else name)
    return ip is not None and (ip.version == 6) == bracketed


class _OwnAddressOnly(web.RequestHandler):
    """Refuse, with a short plain message, a request whose Host is not the preview's address."""

    address: Address

    def prepare(self) -> None:
        refused = self.refusal()
        if refused is not None:
            status, message = refused
            self.clear()
            self.set_status(status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.set_header("X-Content-Type-Options", "nosniff")
            self.finish(message + "\n")

    def refusal(self) -> tuple[int, str] | None:
        """Return the status and message to refuse this request with, or None to answer it."""
        if not self.address.accepts_host(self.request.headers.get("Host")):
            return 421, f"This preview answers only at {self.address.url}"
        return None


class PageHandler(_OwnAddressOnly):
    """Serve what the PreviewApp answers, with livereload's script in every page."""

    def initialize(self, address: Address, app: PreviewApp) -> None:
        self.address = address
        self.app = app

    def get(self) -> None:
        response = self.app.respond(unquote(self.request.path, errors="replace"))
        content_type = response.content_type
        body = response.body
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        if response.content_type == "text/html":
            body = with_live_reload(body, self.address.port)
        self.set_status(response.status, response.reason)
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        if response.location is not None:
            self.set_header("Location", response.location)
        # Tornado counts the length for HEAD as for GET, and sends no body for it.
        self.finish(body)

    head = get

    def compute_etag(self) -> None:
        return None  # no-store: nothing is ever asked again with If-None-Match


class ScriptHandler(_OwnAddressOnly, LiveReloadJSHandler):  # type: ignore[misc]  # livereload has no type hints
    """livereload.js, the browser's side of live reload."""

    def initialize(self, address: Address) -> None:
        self.address = address

    def head(self) -> None:
        self.get()


class ReloadSocket(_OwnAddressOnly, LiveReloadHandler):  # type: ignore[misc]
    """livereload's WebSocket, open only to the preview's own pages."""

    def initialize(self, address: Address) -> None:
        self.address = address

    def refusal(self) -> tuple[int, str] | None:
        refused = super().refusal()
        if refused is None and not self.check_origin(self.request.headers.get("Origin")):
            return 403, f"Only the pages of {self.address.url} may connect to its live reload"
        return refused

    def check_origin(self, origin: str | None) -> bool:
        # Tornado lets a request without Origin through; a browser always sends one.
        return self.address.accepts_origin(origin)


# The policy element the templates write; the preview adds its live-reload directives to it.
_POLICY_ELEMENT = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')


def with_live_reload(page: bytes, port: int) -> bytes:
    """Return *page* with livereload's script, and the site's policy admitting it and its socket."""
    script = b'<script src="/livereload.js?port=%d" defer></script>' % port
    page = _POLICY_ELEMENT.sub(lambda m: m[1] + _admitting_live_reload(m[2]) + m[3], page, count=1)
    return page.replace(b"</head>", script + b"</head>", 1)


def _admitting_live_reload(policy: bytes) -> bytes:
    """The policy with livereload's sources added: to a directive the page has (the search page's
    script-src), or as a directive of its own; never a directive twice (the browser would warn)."""
    directives = [part.strip() for part in html.unescape(policy.decode()).split(";") if part.strip()]
    names = [part.split()[0] for part in directives]
    for name, value in LIVE_RELOAD_POLICY.items():
        if name in names:
            index = names.index(name)
            if value not in directives[index].split()[1:]:
                directives[index] += f" {value}"
        else:
            directives.append(f"{name} {value}")
    return escape("; ".join(directives)).encode()


class LiveReload:
    """Watch the project's folders; once a save has settled, rebuild once and tell the open pages to reload.

    The build runs beside the server, so pages keep being answered (from the site/ of the last
    build, which is swapped whole) while a long page is built. Saves seen while a build runs
    give one more build after it, of all the files they changed.
    """

    def __init__(self, app: PreviewApp, project: Project, settle: float = SETTLE_SECONDS) -> None:
        self.app = app
        self.project = project
        self.settle = settle
        self.changed: set[Path] = set()  # saved since the last build began
        self.last_change = 0.0  # when the latest of them was seen (the event loop's clock)
        self.building: asyncio.Future[Any] | None = None
        self.catching_up = False  # the build running is the one that catches up once saves pause
        self.watching = asyncio.Event()  # set once the watcher is in place
        self._stop = asyncio.Event()

    @property
    def folders(self) -> list[Path]:
        """The folders whose files the build reads (those that exist: the watcher needs them)."""
        folders = [self.project.content_dir, self.project.templates_dir, self.project.locales_dir]
        return [folder for folder in folders if folder.is_dir()]

    async def watch(self) -> None:
        """Watch the folders until `stop`; the watcher's thread and its file events end with it."""
        async for batch in self._batches():
            self.watching.set()
            self.saw(batch)
            self.build_if_settled()

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def stopped(self) -> None:
        await self._stop.wait()

    async def _batches(self) -> AsyncIterator[set[tuple[watchfiles.Change, str]]]:
        """Yield what changed, every few milliseconds while files change and every *settle*
        seconds while none do (an empty set), with file events or, where they fail, by polling."""
        for polling in (False, True):
            try:
                async for batch in watchfiles.awatch(
                    *self.folders, watch_filter=None, debounce=round(self.settle * 1000), step=STEP_MS,
                    rust_timeout=round(self.settle * 1000), yield_on_timeout=True, stop_event=self._stop,
                    force_polling=polling, poll_delay_ms=POLL_MS,
                ):  # fmt: skip
                    yield batch
                return
            except (OSError, RuntimeError) as exc:  # such as no more file events allowed (inotify's limits)
                print(WATCH_FAILED[polling].format(exc=exc, ms=POLL_MS), file=sys.stderr, flush=True)

    def saw(self, changes: Iterable[tuple[watchfiles.Change, str]]) -> None:
        """Note the files and folders changed, leaving out what the build never reads.

        A folder "modified" (by polling, which sees its time change) only had a file added or
        removed, which is reported as well, or its permissions changed: it is left out.
        """
        paths = (
            Path(path)
            for change, path in changes
            if change != watchfiles.Change.modified or not os.path.isdir(path)
        )
        seen = {path for path in paths if not ignored(path, self.project)}
        if seen:
            self.changed |= seen
            self.last_change = asyncio.get_running_loop().time()
            if self.catching_up:  # the save comes first: the catching up gives way
                self.app.stop_catching_up.set()

    def build_if_settled(self) -> None:
        """Build the files changed once none has changed for *settle* seconds, unless a build runs;
        once none has changed for SEARCH_IDLE seconds, bring a lagging search index up to date."""
        loop = asyncio.get_running_loop()
        idle = self.building is None or self.building.done()
        if not self.changed:
            if idle and self.app.lagging and loop.time() - self.last_change >= CATCH_UP_IDLE:
                self.catching_up = True
                self.building = loop.run_in_executor(None, self.app.catch_up)
                self.building.add_done_callback(self._caught_up)
            return
        if loop.time() - self.last_change < self.settle:
            return
        if idle:
            self.start_build(frozenset(self.changed))
            self.changed = set()

    def start_build(self, changed: frozenset[Path] | None) -> asyncio.Future[None]:
        """Build beside the server; then reload the pages (even after a failed build: they show the error)."""
        self.building = asyncio.get_running_loop().run_in_executor(None, self.app.rebuild, changed)
        self.building.add_done_callback(self._built)
        return self.building

    def _caught_up(self, done: asyncio.Future[bool]) -> None:
        self.catching_up = False
        if not done.cancelled() and done.exception() is None and done.result():
            self.reload_pages()
        self.build_if_settled()

    def _built(self, _: asyncio.Future[None]) -> None:
        self.reload_pages()
        self.build_if_settled()  # saves made meanwhile that are already quiet: at once

    @staticmethod
    def reload_pages() -> None:
        for waiter in list(ReloadSocket.waiters):
            try:
                waiter.write_message(RELOAD_MESSAGE)
            except WebSocketClosedError:
                ReloadSocket.waiters.discard(waiter)


class AdminHandler(_OwnAddressOnly):
    """The web editor at /admin/: its page, its configuration made now, and Decap's own files."""

    def initialize(self, address: Address, editor: WebEditor) -> None:
        self.address = address
        self.editor = editor

    def get(self, name: str) -> None:
        from . import cms

        if name in ("", "index.html"):
            body, content_type = cms.admin_page(self.editor.policy(meta=True)), "text/html; charset=utf-8"
        elif name == "config.yml":
            try:
                body = self.editor.config_yml()
            except BuildError as error:  # site.yaml has a mistake: the preview shows it too
                raise web.HTTPError(500, format_problems(error.problems)) from None
            content_type = "text/yaml; charset=utf-8"
        else:
            file = cms.dist_file(name)
            if file is None:
                raise web.HTTPError(404)
            body = file.read_bytes()
            content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if content_type.endswith("javascript") or content_type.startswith("text/"):
                content_type += "; charset=utf-8"
        self.set_header("Content-Type", content_type)
        self.set_header("Content-Security-Policy", self.editor.policy())
        self.set_header("X-Robots-Tag", "noindex, nofollow")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    def compute_etag(self) -> None:
        return None


@dataclass(frozen=True)
class WebEditor:
    """The web editor beside the preview: Decap CMS, saving through decap-server at *backend_port*."""

    project: Project
    backend_port: int

    @property
    def backend_origin(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    def policy(self, meta: bool = False) -> str:
        from .hosting import admin_content_security_policy

        return admin_content_security_policy(connect=[self.backend_origin], meta=meta)

    def config_yml(self) -> bytes:
        """Decap's configuration, made from the schema and the pages there are now."""
        from . import cms
        from .config import load_config
        from .files import Reader

        config, _ = load_config(Reader(self.project))
        backend = {"name": "proxy", "proxy_url": f"{self.backend_origin}/api/v1", "branch": "main"}
        return cms.config_yaml(cms.admin_config(self.project.content_dir, config, backend))


class PreviewViewHandler(_OwnAddressOnly):
    """The preview's views of a page under /_preview/ (sitegen/preview_views.py): its languages
    side by side, its search result and share card."""

    def initialize(self, address: Address, views: PreviewViews) -> None:
        self.address = address
        self.views = views

    def get(self, path: str) -> None:
        response = self.views.respond(unquote(path, errors="replace"))
        body = response.body
        if response.content_type == "text/html":
            body = with_live_reload(body, self.address.port)
        self.set_status(response.status)
        self.set_header("Content-Type", response.content_type + "; charset=utf-8")
        self.set_header("Content-Security-Policy", preview_views.POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("X-Robots-Tag", "noindex, nofollow")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    head = get

    def compute_etag(self) -> None:
        return None


def application(app: PreviewApp, address: Address, editor: WebEditor | None = None) -> web.Application:
    """Return the preview's tornado application: livereload's script and socket, the web editor if
    asked for, then the pages."""
    own = {"address": address}
    admin = [(r"/admin/([^/]*)", AdminHandler, {**own, "editor": editor})] if editor else []
    return web.Application(
        [
            (r"/livereload", ReloadSocket, own),
            (r"/livereload\.js", ScriptHandler, own),
            *admin,
            (re.escape(overlay.BANNER_CSS), PageHandler, {**own, "app": app}),  # the banner's stylesheet
            (r"/_preview/(.*)", PreviewViewHandler, {**own, "views": PreviewViews(app.project)}),
            (r".*", PageHandler, {**own, "app": app}),
        ]
    )


# Compiled catalogs: the build never reads them (it compiles the catalogs in memory).
_COMPILED = re.compile(r"\.mo$")


def ignored(path: Path, project: Project) -> bool:
    """Whether a change at *path* is none of the build's business.

    That is anything in a hidden folder (.git, .cache, an editor's settings) or hidden itself
    (Vim's swap files, Emacs' locks, the files editors write before renaming them over the
    page), the site the preview writes (should --output put it in a watched folder), anything
    outside the project, and the files editors leave beside a page.
    """
    if not path.is_relative_to(project.root) or path.is_relative_to(project.site_dir):
        return True
    if any(part.startswith(".") for part in path.relative_to(project.root).parts):
        return True
    name = path.name
    return bool(EDITORS_FILES.search(name) or _COMPILED.search(name)) or _is_vim_probe(name)


def _is_vim_probe(name: str) -> bool:
    """Whether *name* is the file Vim writes to learn whether it may write in a folder: 4913,
    or 4913 plus a multiple of 123 when that one exists."""
    return name.isascii() and name.isdigit() and int(name) >= 4913 and (int(name) - 4913) % 123 == 0


def _log_to_terminal() -> None:
    """Print what tornado and livereload warn about (a 404, a refused request, a bug of ours)."""
    channel = logging.StreamHandler()
    channel.setFormatter(LogFormatter(color=False))
    for name in ("tornado", "livereload"):
        logging.getLogger(name).addHandler(channel)


def serve(project: Project, host: str, port: int, cms_port: int | None = None) -> int:
    """Build, then serve site/ with live reload until Ctrl+C; with *cms_port*, also the web editor
    at /admin/ and its local backend (decap-server) on that port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            print(
                f"Cannot listen on {host}:{port}: {exc.strerror}. Another preview may be running;"
                f" stop it, or use another port: python build.py serve --port {port + 1}",
                file=sys.stderr,
            )
            return 1
    editor = backend = None
    if cms_port is not None:
        editor = WebEditor(project, cms_port)
        backend = start_backend(project, editor, Address(host, port))
        if backend is None:
            return 1
    app = PreviewApp(project)
    address = Address(host, port)
    _log_to_terminal()
    try:
        asyncio.run(_run(app, address, editor))
    except KeyboardInterrupt:
        pass
    finally:
        app.session.save()
        if backend is not None:
            stop_backend(backend)
    return 0


def start_backend(project: Project, editor: WebEditor, address: Address) -> subprocess.Popen[bytes] | None:
    """Start decap-server, the web editor's local backend: it writes the files the editor saves
    into the project (no commit), listening on loopback only, for the preview's pages only."""
    from . import cms

    node = shutil.which("node")
    if node is None or not cms.installed():
        what = "Node.js is not installed" if node is None else "the web editor is not installed"
        print(f"serve --cms: {what}; {cms.INSTALL_HINT}", file=sys.stderr)
        return None
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", editor.backend_port))
        except OSError as exc:
            print(f"serve --cms: cannot listen on 127.0.0.1:{editor.backend_port} for the web editor's"
                  f" backend: {exc.strerror}; use another port: --cms-port {editor.backend_port + 1}",
                  file=sys.stderr)  # fmt: skip
            return None
    origin = address.url.rstrip("/").replace("://0.0.0.0:", "://127.0.0.1:")
    env = {**os.environ, "PORT": str(editor.backend_port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(project.root), "ORIGIN": origin, "LOG_LEVEL": "warn"}  # fmt: skip
    process = subprocess.Popen([node, str(cms.SERVER_SCRIPT)], cwd=project.root, env=env)
    print(f"Web editor: {origin}{cms.ADMIN_PATH}  (saves write into {project.show(project.content_dir)}/)",
          flush=True)  # fmt: skip
    return process


def stop_backend(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _run(app: PreviewApp, address: Address, editor: WebEditor | None = None) -> None:
    """Watch, build, then serve until Ctrl+C or a termination signal; then stop watching."""
    live = LiveReload(app, app.project)
    watching = asyncio.create_task(live.watch())
    with suppress(NotImplementedError):  # Windows: Ctrl+C only
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, live.stop)
    try:
        # The watcher is in place before the first build: a save made during it gives one more.
        ready = asyncio.create_task(live.watching.wait())
        await asyncio.wait({watching, ready}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if live.stopping:
            return
        await live.start_build(None)
        application(app, address, editor).listen(address.port, address=address.host)
        print(f"Preview: {address.url}  (Ctrl+C stops it)", flush=True)
        await live.stopped()
    finally:
        live.stop()
        await watching
