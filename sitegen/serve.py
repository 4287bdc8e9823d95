"""The live preview: serve site/, rebuild on every save, reload the browser.

A mistake made while editing is printed in the terminal and shown in the
browser instead of the page; the server keeps running, and the next good save
shows the real page again.
"""

from __future__ import annotations

import html
import mimetypes
import socket
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .cache import BuildCache
from .errors import NOTE, BuildError, Problem, format_problems
from .project import Project
from .runner import build_and_write, figures, internal_error, report_failure, report_problems, summary

POLL_SECONDS = 0.1  # a look at 2,000 pages' files takes about 10 ms
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class PreviewApp:
    """A WSGI app serving only the files under site/, or the current build error."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.error: str | None = None
        self.shown_notes: set[Problem] = set()
        # The build cache stays in memory between saves, and is written to .cache/ at the end.
        self.cache = BuildCache.for_project(project.root)

    def rebuild(self) -> None:
        """Build and write the site; remember the error to show if it fails."""
        started = time.perf_counter()
        try:
            self.cache.next_build()
            # The preview shows drafts (marked); one process renders, as the server runs threads.
            result, changes = build_and_write(self.project, drafts=True, cache=self.cache, jobs=1)
        except BuildError as error:
            self.error = format_problems(error.errors)
            report_failure(error, self.project)
            print("Fix the file and save: the browser reloads by itself.", file=sys.stderr, flush=True)
            return
        except Exception as exc:  # a bug of ours must not stop the preview; say it in both places
            self.error = internal_error(exc)
            print(self.error, file=sys.stderr, flush=True)
            return
        self.error = None
        # Notes (placeholders) are reminders: say them once per session, not on every save.
        fresh = [p for p in result.problems if p.is_error or p.severity != NOTE or p not in self.shown_notes]
        self.shown_notes.update(p for p in result.problems if p.severity == NOTE)
        report_problems(tuple(fresh))
        print(summary(figures(result), changes, self.project, time.perf_counter() - started), flush=True)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        raw_path = environ.get("PATH_INFO", "/")
        path = raw_path.encode("latin-1").decode("utf-8", "replace")
        if self.error is not None and (path.endswith("/") or path.endswith(".html")):
            return self._respond(start_response, "500 Build Error", "text/html", error_page(self.error))
        file = self._resolve(path)
        if file is None:
            return self._not_found(start_response, path)
        if file.is_dir():
            if not path.endswith("/"):
                # "//host" would send the browser to another host: keep one leading slash.
                start_response("301 Moved Permanently", [("Location", "/" + path.lstrip("/") + "/")])
                return [b""]
            file = file / "index.html"
            if not file.is_file():
                return self._not_found(start_response, path)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return self._respond(start_response, "200 OK", content_type, file.read_bytes())

    def _resolve(self, path: str) -> Path | None:
        """Return the file or folder under site/ that *path* names, never anything outside it."""
        site = self.project.site_dir.resolve()
        if "\x00" in path:
            return None
        target = (site / path.lstrip("/")).resolve()
        if not target.is_relative_to(site) or not target.exists():
            return None
        return target

    def _not_found(self, start_response: StartResponse, path: str) -> list[bytes]:
        lang = path.strip("/").split("/")[0]
        page = self.project.site_dir / lang / "404.html"
        if not (lang and page.is_file() and page.resolve().is_relative_to(self.project.site_dir.resolve())):
            page = next(iter(sorted(self.project.site_dir.glob("*/404.html"))), page)
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404</h1>"
        return self._respond(start_response, "404 Not Found", "text/html", body)

    @staticmethod
    def _respond(start_response: StartResponse, status: str, content_type: str, body: bytes) -> list[bytes]:
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "xml")):
            content_type += "; charset=utf-8"
        start_response(status, [("Content-Type", content_type), ("Cache-Control", "no-store")])
        return [body]


def error_page(problems: str) -> bytes:
    """Return the page the browser shows while the site has a mistake in it."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build error</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}}
pre{{background:#fff4f4;border:1px solid #d88;padding:1rem;white-space:pre-wrap;font-size:15px}}</style>
</head><body>
<h1>The site could not be built</h1>
<p>Fix the problem below and save the file: this page reloads by itself.</p>
<pre>{html.escape(problems)}</pre>
</body></html>
""".encode()


class FastWatcher(Watcher):  # type: ignore[misc]  # livereload ships no type hints
    """Livereload's polling watcher, checking every 0.1 s instead of 0.8 s."""

    def start(self, callback: Callable[[], None]) -> bool:
        ioloop.PeriodicCallback(callback, POLL_SECONDS * 1000).start()
        return True


def _ignored(path: str) -> bool:
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp", ".mo"))


def serve(project: Project, host: str, port: int) -> int:
    """Build, then serve site/ with live reload until Ctrl+C."""
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
    app = PreviewApp(project)
    app.rebuild()
    # Livereload skips a reload that comes less than 3 s after the previous one;
    # an editor saves more often than that, and every good save must show.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server(app=app, watcher=FastWatcher())
    for folder in (project.content_dir, project.templates_dir, project.locales_dir):
        server.watch(str(folder), app.rebuild, ignore=_ignored)
    print(f"Preview: http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    # live_css=False: a changed stylesheet has a new fingerprinted name, so reload the whole page.
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0, live_css=False)
    finally:
        app.cache.save()
    return 0
