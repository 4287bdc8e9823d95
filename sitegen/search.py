"""The site's own search: one Pagefind index per language, made from the built pages in memory.

Pagefind (https://pagefind.app) indexes static pages and searches them in the browser with
WebAssembly, from files beside the pages: nothing is sent to another host. Its binary comes
from PyPI (the `pagefind_bin` package). It is run as its "service" (``pagefind --service``),
which takes pages and returns the index files over its standard input and output, so the
build gives it the HTML it holds in memory and adds the files it returns to its outputs
under ``pagefind/``; the binary reads and writes no file. It runs in an empty temporary
folder with an empty environment, so no ``pagefind.yml`` or ``PAGEFIND_*`` variable of the
machine changes what it does.

This module speaks the service's protocol itself (base64 JSON messages, each followed by a
comma): the `pagefind` package's Python client waits 0.1 s for every reply (200 s for
2,000 pages) and cannot read a reply of more than 2 MiB, which the index of a large site is.

Each language is indexed on its own, by its own process (the two run side by side), since
Pagefind searches only the pages of the language of the page it is loaded on (`<html lang>`)
anyway; the entry file that lists the languages is then merged. The pages indexed are those
search engines may list (not the 404 pages, drafts or the search page itself), and only their
``<main>``: the header, menu and footer that every page repeats would match every query.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import IO, Any

from . import seo
from .config import SEARCH_LAYOUT
from .errors import Problem
from .model import Site

BUNDLE = "pagefind/"  # the folder of site/ that holds the index and Pagefind's scripts
BUNDLE_URL = "/" + BUNDLE
# What Pagefind writes that the site does not use: other kinds of user interface, the
# highlighting script. The search page uses the default UI (pagefind-ui.js and .css).
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.js", "playground/")
# Of each page, its <main>, less the byline (the reviewer's name and dates) and the draft note.
CONFIG = {"root_selector": "main", "exclude_selectors": [".byline", ".draft-note"]}
ENTRY = "pagefind-entry.json"
_HINT = "install the locked dependencies again: delete .venv/ and run python3 build.py"

Document = tuple[str, str, bytes]  # the page's URL, its source file (for messages), its HTML
Files = dict[str, bytes]  # path under pagefind/ -> contents


def documents(site: Site, outputs: dict[str, bytes]) -> dict[str, list[Document]]:
    """Return, per language, the built pages to index; nothing when the site has no search page."""
    if not any(page.layout == SEARCH_LAYOUT for page in site.pages):
        return {}
    found: dict[str, list[Document]] = {}
    for page in site.pages:
        if seo.indexable(page) and page.output_path in outputs:
            found.setdefault(page.lang, []).append((page.url, page.source.shown, outputs[page.output_path]))
    return found


def index_languages(
    docs: dict[str, list[Document]], stop: threading.Event | None = None
) -> tuple[dict[str, Files], list[Problem]]:
    """Index each language's pages, each in its own Pagefind process; return the files of each.

    Setting *stop* ends the Pagefind processes at once (the preview, when a save comes while it
    catches up); what they return then is of no use and the caller must not keep it."""
    if not docs:
        return {}, []
    with ThreadPoolExecutor(max_workers=len(docs)) as pool:
        done = dict(zip(docs, pool.map(partial(index_language, stop=stop), docs.values()), strict=True))
    problems = [problem for _, found in done.values() for problem in found]
    return {lang: files for lang, (files, found) in done.items() if not found}, problems


def index_language(docs: list[Document], stop: threading.Event | None = None) -> tuple[Files, list[Problem]]:
    """Return the Pagefind files of *docs* (pages of one language), or the problems met."""
    try:
        import pagefind_bin

        executable = str(pagefind_bin.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        return {}, [
            Problem("pagefind", None, f"Pagefind, which makes the search index, is missing: {exc}", _HINT)
        ]
    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as empty, tempfile.TemporaryFile() as log:
        try:
            service = subprocess.Popen(
                [executable, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                cwd=empty, env={key: os.environ[key] for key in ("SYSTEMROOT",) if key in os.environ},
            )  # fmt: skip
        except OSError as exc:
            return {}, [Problem("pagefind", None, f"Pagefind could not be started: {exc}", _HINT)]
        with service:  # its pipes closed, and waited for, however it ends
            finished = threading.Event()
            if stop is not None:
                threading.Thread(target=_kill_on, args=(stop, finished, service), daemon=True).start()
            try:
                return _index(service, docs)
            except (OSError, EOFError, ValueError, KeyError) as exc:  # it stopped, or said what it should not
                service.kill()
                log.seek(0)
                said = log.read(2000).decode("utf-8", "replace").strip()
                what = f"Pagefind stopped while making the search index ({exc}{': ' + said if said else ''})"
                return {}, [Problem("pagefind", None, what, _HINT)]
            finally:
                finished.set()
                if service.stdin and not service.stdin.closed:
                    service.stdin.close()  # the service ends when its input does


def _kill_on(stop: threading.Event, finished: threading.Event, service: subprocess.Popen[bytes]) -> None:
    """End *service* as soon as *stop* is set, unless it *finished* first."""
    while not finished.is_set():
        if stop.wait(0.02):
            service.kill()
            return


def _index(service: subprocess.Popen[bytes], docs: list[Document]) -> tuple[Files, list[Problem]]:
    assert service.stdin is not None and service.stdout is not None
    replies = _messages(service.stdout)
    _send(service.stdin, 0, {"type": "NewIndex", "config": CONFIG})
    service.stdin.flush()
    index_id = _expect(next(replies), 0, "NewIndex")["index_id"]
    # Every request is written before the replies are read: the service reads its input in a
    # thread of its own and queues its replies, so neither side waits for the other.
    for number, (url, _, html) in enumerate(docs, 1):
        request = {"type": "AddFile", "index_id": index_id, "url": url, "file_path": None,
                   "file_contents": html.decode("utf-8")}  # fmt: skip
        _send(service.stdin, number, request)
    _send(service.stdin, len(docs) + 1, {"type": "GetFiles", "index_id": index_id})
    service.stdin.flush()
    problems = []
    for number, (_, shown, _) in enumerate(docs, 1):
        reply = next(replies)
        if reply["message_id"] != number:
            raise ValueError(f"reply {reply['message_id']} came for request {number}")
        if reply["payload"]["type"] != "IndexedFile":
            message = reply["payload"].get("message", reply["payload"]["type"])
            problems.append(Problem(shown, None, f"the search index cannot take this page: {message}"))
    files = _expect(next(replies), len(docs) + 1, "GetFiles")["files"]
    found = {item["path"]: base64.b64decode(item["content"]) for item in files}
    return {path: data for path, data in found.items() if not path.startswith(UNUSED)}, problems


def _send(stream: IO[bytes], number: int, payload: dict[str, Any]) -> None:
    stream.write(base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b",")


def _expect(reply: dict[str, Any], number: int, kind: str) -> dict[str, Any]:
    payload: dict[str, Any] = reply["payload"]
    if reply.get("message_id") != number or payload.get("type") != kind:
        raise ValueError(f"expected {kind}, got {payload.get('type')}: {payload.get('message', '')}")
    return payload


def _messages(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """The service's replies: base64 JSON, each ended by a comma (the index comes as one reply)."""
    parts: list[bytes] = []
    while chunk := stream.read1(1 << 16):  # type: ignore[attr-defined]
        start = 0
        while (end := chunk.find(b",", start)) >= 0:
            parts.append(chunk[start:end])
            yield json.loads(base64.b64decode(b"".join(parts)))
            parts, start = [], end + 1
        parts.append(chunk[start:])
    raise EOFError("Pagefind ended before it replied")


def bundle(indexes: dict[str, Files]) -> dict[str, bytes]:
    """Return the files of site/pagefind/ for the languages' indexes: their own files, the
    scripts they share, and one entry file listing every language."""
    outputs: dict[str, bytes] = {}
    entry: dict[str, Any] | None = None
    for files in indexes.values():
        for path, data in files.items():
            if path == ENTRY:
                own = json.loads(data)
                if entry is None:
                    entry = own
                else:
                    entry["languages"].update(own["languages"])
            elif outputs.setdefault(BUNDLE + path, data) != data:
                raise ValueError(f"two languages' indexes differ in {path}")  # the same Pagefind made both
    if entry is not None:
        entry["languages"] = dict(sorted(entry["languages"].items()))
        outputs[BUNDLE + ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(outputs.items()))
