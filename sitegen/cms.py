"""The web editor (Decap CMS): its configuration, made from the front matter schema, and its page.

Decap CMS is a single-page application installed from the npm registry into cms/node_modules
(cms/package.json and its lock pin it); it is served from the site's own address, /admin/,
never from a CDN. Its configuration is generated here, each time, from `schema.SCHEMAS`: a field
the schema gains is in the editor's forms at once, with the widget of its type, and a converter
this module cannot type stops the generator (see `widget`).

The editor writes front matter with its own YAML serialiser (the `yaml` package, version 1): keys in
the order of the configuration's fields, which is the schema's order, and the quoting and line folding
of that serialiser; YAML comments are not kept. The repository's pages are written in that style
(cms/format.mjs checks and rewrites them), so that a save changes only the lines of what was changed.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from . import images
from .config import SiteConfig
from .content import SECTION_NAME
from .images import MEDIA_URL
from .schema import CHOICES, COMMON, SCHEMAS, VALUE_TYPES, Convert, Field, Record

# The npm packages, beside the generator (like .venv): cms/node_modules, made by `npm ci` in cms/.
TOOL_DIR = Path(__file__).resolve().parent.parent / "cms"
DIST_DIR = TOOL_DIR / "node_modules" / "decap-cms" / "dist"
SERVER_SCRIPT = TOOL_DIR / "node_modules" / "decap-server" / "dist" / "index.js"
INSTALL_HINT = "install Node.js and npm (Debian: sudo apt-get install npm), then run: npm ci --prefix cms"

ADMIN_PATH = "/admin/"
MEDIA_FOLDER = f"content/{images.MEDIA_FOLDER}"  # the one media folder; pages name its files /media/NAME
# Long texts get a box of several lines; the others one line. Only the look of the form.
LONG_TEXTS = frozenset({"description", "lead", "results", "evidence", "authorisation", "answer",
                        "how_performed", "preparation", "followup"})  # fmt: skip
# Dates as the schema reads them: YYYY-MM-DD, which YAML reads as a date.
DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
# What the editor's own files may be called: the bundle, its chunks, styles and WebAssembly.
_DIST_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.(?:js|css|wasm)$")


class SchemaNotTyped(Exception):
    """A front matter field whose converter has no widget: the web editor cannot show it."""


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def widget(name: str, convert: Convert, config: SiteConfig) -> dict[str, Any]:
    """Return the Decap widget settings of a value converted by *convert* (no name, label, required)."""
    if isinstance(convert, Record):
        fields = [
            {
                "label": _label(key),
                "name": key,
                **widget(key, sub, config),
                "required": key not in convert.optional,
            }
            for key, sub in convert.fields.items()
        ]
        if convert.many:
            return {"widget": "list", "collapsed": False, "fields": fields}
        return {"widget": "object", "collapsed": False, "fields": fields}
    kind = VALUE_TYPES.get(convert)
    if kind == "text":
        return {"widget": "text" if name in LONG_TEXTS else "string"}
    if kind == "integer":
        return {"widget": "number", "value_type": "int"}
    if kind == "date":
        return dict(DATE)
    if kind == "boolean":
        return {"widget": "boolean"}
    if kind == "texts":
        item = {"label": _label(name), "name": "item", "widget": "text"}
        return {"widget": "list", "collapsed": False, "field": item}
    if kind == "image":
        return {"widget": "image", "choose_url": False}
    if kind == "profile":
        doctors = config.folder_of_layout("doctor")
        return {"widget": "relation", "collection": doctors, "value_field": "{{slug}}",
                "search_fields": ["title"], "display_fields": ["title"]}  # fmt: skip
    if kind == "choice":
        return {"widget": "select", "options": list(CHOICES[convert])}
    raise SchemaNotTyped(f"the front matter field {name!r} has no widget for the web editor: give its"
                         " converter a type in schema.VALUE_TYPES (or make it a schema.Record)")  # fmt: skip


def fields(schema: Mapping[str, Field], config: SiteConfig, translated: bool = True) -> list[dict[str, Any]]:
    """Return the editor's fields for a layout: every field of *schema* in its order, then the text.

    *translated*: for a collection whose entries hold every language (`i18n`)."""
    found = []
    for name, field in schema.items():
        entry = {"label": _label(name), "name": name, **widget(name, field.convert, config)}
        entry["required"] = field.required
        entry["hint"] = field.kind
        if translated:  # each language's own value: Decap's "duplicate" would write null where it has none
            entry["i18n"] = True
        found.append(entry)
    body = {"label": "Text", "name": "body", "widget": "markdown", "modes": ["raw"], "required": False,
            "hint": "the page's text, in Markdown"}  # fmt: skip
    found.append({**body, "i18n": True} if translated else body)
    return found


def _files(
    content: Path, folder: str, names: tuple[str, ...] | None, languages: tuple[str, ...]
) -> list[Path]:
    """The page files of *folder* (relative to content/) named *names* (None: every name), in order."""
    where = content / folder if folder else content
    found = [path for path in where.glob("*.md") if path.is_file() and path.name.count(".") == 2]
    order = {code: index for index, code in enumerate(languages)}
    found = [path for path in found if path.name.split(".")[1] in order]
    found = [path for path in found if names is None or path.name.split(".")[0] in names]
    return sorted(found, key=lambda path: (path.name.split(".")[0], order[path.name.split(".")[1]]))


def _title(path: Path) -> str:
    """The page's title for the editor's list: the title of its front matter, else its file name."""
    try:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        front = None
    title = front.get("title") if isinstance(front, dict) else None
    return title if isinstance(title, str) and title.strip() else path.name


def _one_file_each(content: Path, paths: list[Path], config: SiteConfig) -> list[dict[str, Any]]:
    """A files collection's entries: Decap translates only folder collections file by file, so a page
    that is not in a folder collection is one entry per language file, with the common fields."""
    entries = []
    for path in paths:
        relative = path.relative_to(content.parent).as_posix()
        lang = path.name.split(".")[1]
        entries.append({"label": f"{_title(path)} ({lang})", "name": relative.removeprefix("content/")
                        .removesuffix(".md").replace("/", "-").replace(".", "-"), "file": relative,
                        "fields": fields(COMMON, config, translated=False)})  # fmt: skip
    return entries


def admin_config(content: Path, config: SiteConfig, backend: Mapping[str, Any]) -> dict[str, Any]:
    """Return Decap's configuration for the site whose pages are in *content*, saving through *backend*.

    The pages of a folder with a layout of its own (treatments, doctors) are a folder collection,
    each page one entry with a form per language; the other pages (home, contact, privacy, 404, and
    each folder's _index page) are files collections, one entry per language file.
    """
    languages = config.language_codes
    folders = [folder for folder, _ in config.section_layouts]
    collections: list[dict[str, Any]] = []
    top = [path for path in _files(content, "", None, languages) if (content / path.name).is_file()]
    collections.append({"label": "Pages", "name": "pages", "format": "frontmatter", "extension": "md",
                        "files": _one_file_each(content, top, config)})  # fmt: skip
    sections = [path for folder in folders for path in _files(content, folder, (SECTION_NAME,), languages)]
    if sections:
        entries = _one_file_each(content, sections, config)
        collections.append({"label": "Sections", "name": "sections", "format": "frontmatter",
                            "extension": "md", "files": entries})  # fmt: skip
    for folder, layout in config.section_layouts:
        schema = SCHEMAS.get(layout, COMMON)
        collection_fields = fields(schema, config)
        for field in collection_fields:  # the layout written in each page: what tells them from _index
            if field["name"] == "layout":
                field.update({"widget": "hidden", "default": layout})
        collections.append({
            "label": _label(folder), "name": folder, "folder": f"content/{folder}", "create": True,
            "extension": "md", "format": "frontmatter", "i18n": True, "identifier_field": "title",
            "filter": {"field": "layout", "value": layout}, "summary": "{{title}}",
            "fields": collection_fields,
        })  # fmt: skip
    return {
        "backend": dict(backend),
        "media_folder": MEDIA_FOLDER,
        "public_folder": MEDIA_URL.rstrip("/"),
        "i18n": {"structure": "multiple_files", "locales": list(languages), "default_locale": languages[0]},
        "editor": {"preview": False},
        "collections": collections,
    }


def config_yaml(data: Mapping[str, Any]) -> bytes:
    """Return the configuration as Decap reads it (config.yml)."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=110).encode()


def admin_page(policy: str) -> bytes:
    """Return /admin/index.html: Decap's bundle and its configuration, both from the site itself,
    under the web editor's own *policy* (also given as a header where the host sends one)."""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Web editor</title>
<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
<script src="/admin/decap-cms.js"></script>
</body>
</html>
""".encode()


# What the published editor talks to: GitHub's API, and the avatars it shows for the signed-in editor.
GITHUB_CONNECT = ("https://api.github.com",)
GITHUB_IMAGES = ("https://avatars.githubusercontent.com",)


def write_admin(
    site_dir: Path, content: Path, config: SiteConfig, repo: str, branch: str, auth_url: str | None
) -> list[Path]:
    """Write the published web editor into the built site: site/admin/ (page, configuration, Decap's
    files), saving to the GitHub repository *repo* through GitHub's API; return the files written."""
    from .hosting import admin_content_security_policy

    backend: dict[str, Any] = {"name": "github", "repo": repo, "branch": branch}
    if auth_url:
        backend["base_url"] = auth_url.rstrip("/")
    policy = admin_content_security_policy(connect=GITHUB_CONNECT, images=GITHUB_IMAGES, meta=True)
    admin = site_dir / ADMIN_PATH.strip("/")
    admin.mkdir(parents=True, exist_ok=True)
    written = {admin / "index.html": admin_page(policy),
               admin / "config.yml": config_yaml(admin_config(content, config, backend))}  # fmt: skip
    for path in sorted(DIST_DIR.iterdir()):
        if dist_file(path.name) is not None:
            written[admin / path.name] = path.read_bytes()
    for path, data in written.items():
        path.write_bytes(data)
    return list(written)


def dist_file(name: str) -> Path | None:
    """Return the file of Decap's bundle that /admin/*name* names, or None (no source maps, nothing else)."""
    # cms.js (and its chunks N.cms.js, its cms.css) is the same application built under another name.
    if not _DIST_FILE.match(name) or name.startswith("cms.") or (name.endswith(".cms.js")):
        return None
    path = DIST_DIR / name
    return path if path.is_file() else None


def installed() -> bool:
    return (DIST_DIR / "decap-cms.js").is_file() and SERVER_SCRIPT.is_file()


def page_keys(root: Path, data: Mapping[str, Any]) -> dict[Path, list[str]]:
    """Return each page file the configuration *data* edits, with the order the editor writes its keys in."""
    found: dict[Path, list[str]] = {}
    for collection in data["collections"]:
        for file in collection.get("files", ()):
            found[root / file["file"]] = [
                field["name"] for field in file["fields"] if field["name"] != "body"
            ]
    for collection in data["collections"]:
        if "folder" in collection:
            keys = [field["name"] for field in collection["fields"] if field["name"] != "body"]
            for path in sorted((root / collection["folder"]).glob("*.md")):
                found.setdefault(path, keys)
    return found


STYLE_SCRIPT = TOOL_DIR / "format.mjs"


def restyle(root: Path, data: Mapping[str, Any], write: bool) -> list[Path]:
    """Return the page files not written as the web editor saves them; rewrite them if *write*.

    Raises OSError if Node.js cannot be run, RuntimeError if the script fails."""
    pages = [{"path": str(path), "keys": keys} for path, keys in page_keys(root, data).items()]
    command = ["node", str(STYLE_SCRIPT), *(["--write"] if write else [])]
    done = subprocess.run(command, input=json.dumps(pages), capture_output=True, text=True, cwd=TOOL_DIR,
                          check=False, timeout=120)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"{STYLE_SCRIPT.name} failed ({done.returncode})")
    return [Path(path) for path in json.loads(done.stdout)["differ"]]
