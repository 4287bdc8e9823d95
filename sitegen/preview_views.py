"""The preview's own views of a page: its languages side by side, and how it looks in search
results and when shared.

They are served by the preview only, under /_preview/ (no page can have that address: page
addresses start with a language code and slugs are a-z, 0-9 and hyphens), in the language of the
page they are about, from the project's catalogs. Each view is a small page of its own with its
own stylesheet (/_preview/preview.css): no inline style or script, so that the policy the preview
sends with it (POLICY) needs nothing beyond 'self'.

- /_preview/compare/<page address>: the language versions of the page, section by section, with
  what one has and the other lacks (sitegen/compare.py), and which changed last.
- /_preview/snippet/<page address>: the page's search result and share card in each language,
  read from the head of the pages the preview built (what is published), cut as search engines
  and social sites cut them.

A page's own view links to them through `preview_links`, which the preview adds to its pages.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from . import compare
from .compare import N_
from .config import SiteConfig, load_config
from .content import load_sources
from .errors import BuildError
from .files import Reader
from .i18n import catalog_path, load_translations, long_date
from .model import Page, Site, build_site
from .project import Project

PREFIX = "/_preview/"
COMPARE, SNIPPET = "compare", "snippet"
STYLESHEET = PREFIX + "preview.css"
# What a view may load: its stylesheet, the site's pictures, and the preview's live-reload script
# and socket (the views reload after a save, as pages do).
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self';"
    " base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

# Where search engines and social sites cut what they show (they measure in pixels; these are the
# usual lengths in characters, as the guides of search engines give them).
SEARCH_TITLE = 60
SEARCH_DESCRIPTION = 158
SHARE_TITLE = 70  # about two lines of a share card
SHARE_DESCRIPTION = 110  # about two lines
EXCERPT = 1_500  # characters of a section's text shown in the side-by-side view
MAX_HEAD = 200_000  # characters of a built page read for its head


NO_VIEW = N_("There is no such view of the preview.")
NO_DATA = N_("The site's data cannot be read: open a page of the preview to see what to fix.")
NO_PAGE = N_("There is no page at this address, or it has a mistake: open it to see what to fix.")


@dataclass(frozen=True)
class ViewResponse:
    status: int
    content_type: str
    body: bytes


Gettext = Callable[[str], str]


def cut(text: str, limit: int) -> str:
    """Return *text* cut at a word before *limit* characters, with "…", as search results cut it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if text[limit - 1] != " " and space > 0:  # the last word is cut: leave it out
        head = head[:space]
    return head.rstrip(" ,;:.-–—|") + "…"


# -- what is read: the site, the catalogs, the built pages ----------------------------------------


@dataclass(frozen=True)
class State:
    config: SiteConfig
    site: Site
    translations: dict[str, gettext.NullTranslations]


def load_state(project: Project) -> State:
    """Read the site as the preview builds it (drafts too), and its catalogs; raise BuildError
    when the site data cannot be read."""
    reader = Reader(project)
    config, _ = load_config(reader)
    sources, _ = load_sources(reader, config)
    site, _ = build_site(config, sources, include_drafts=True)
    translations, _ = load_translations(reader, config)
    return State(config, site, translations)


_catalogs: dict[str, tuple[tuple[int, int], gettext.NullTranslations]] = {}


def translations_for(project: Project, lang: str) -> Gettext:
    """The gettext of *lang*, kept while its catalog is unchanged (for `preview_links`)."""
    path = catalog_path(project.locales_dir, lang)
    try:
        stat = path.stat()
    except OSError:
        return str
    key, stamp = str(path), (stat.st_mtime_ns, stat.st_size)
    known = _catalogs.get(key)
    if known is None or known[0] != stamp:
        try:
            config, _ = load_config(Reader(project))
        except BuildError:
            return str
        if lang not in config.language_codes:
            return str
        translations, _ = load_translations(Reader(project), config)
        known = _catalogs[key] = (stamp, translations[lang])
    return known[1].gettext


def preview_links(url_path: str, lang: str, project: Project | None = None) -> str:
    """The links from a previewed page to its views, as HTML, in the page's language (from the
    catalog of *project*; without it, in English)."""
    _ = translations_for(project, lang) if project is not None else str
    path = quote(url_path.lstrip("/"), safe="/")
    compare_text, snippet_text = _("Compare languages"), _("Search result and share card")
    return (
        f'<a href="{PREFIX}{COMPARE}/{path}">{escape(compare_text)}</a>'
        f' <a href="{PREFIX}{SNIPPET}/{path}">{escape(snippet_text)}</a>'
    )


class _Head(HTMLParser):
    """What a built page's head tells search engines and social sites."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self._in_title = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        a = {k: v or "" for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a.get("name", ""), a.get("content", ""))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        elif tag == "body":
            self._done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title and not self._done:
            self.title += data


@dataclass(frozen=True)
class Head:
    title: str
    description: str
    canonical: str
    meta: dict[str, str] = field(default_factory=dict)


def read_head(html: str) -> Head:
    parsed = _Head()
    parsed.feed(html[:MAX_HEAD])
    return Head(" ".join(parsed.title.split()), parsed.meta.get("description", ""), parsed.canonical,
                parsed.meta)  # fmt: skip


# -- the views ------------------------------------------------------------------------------------


class PreviewViews:
    """Answer the requests under PREFIX for the project's preview."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def respond(self, path: str) -> ViewResponse:
        """Answer *path*, the part of the address after PREFIX ("compare/tr/tedaviler/mezoterapi/")."""
        if path == STYLESHEET.removeprefix(PREFIX):
            return ViewResponse(200, "text/css", STYLE.encode())
        view, _, url = path.partition("/")
        url = "/" + url
        lang = url.strip("/").split("/")[0]
        try:
            state = load_state(self.project)
        except BuildError:
            return self._message(500, lang, None, NO_DATA)
        if view not in (COMPARE, SNIPPET):
            return self._message(404, lang, state, NO_VIEW)
        page = state.site.page_at(url)
        if page is None:
            return self._message(404, lang, state, NO_PAGE)
        render = self._compare if view == COMPARE else self._snippet
        return ViewResponse(200, "text/html", render(state, page).encode())

    def _message(self, status: int, lang: str, state: State | None, message: str) -> ViewResponse:
        known = state is not None and lang in state.config.language_codes
        translations = state.translations.get(lang) if state and known else None
        _ = (translations or gettext.NullTranslations()).gettext
        lang = lang if known else "en"
        home = f"/{lang}/" if known else "/"
        home_text = _("Home")
        body = (
            f'<main class="wrap"><h1>{escape(_(message))}</h1>'
            f'<p><a href="{escape(home)}">{escape(home_text)}</a></p></main>'
        )
        return ViewResponse(status, "text/html", _document(lang, _(message), body).encode())

    # -- compare ----------------------------------------------------------------------------------

    def _compare(self, state: State, page: Page) -> str:
        site, config = state.site, state.config
        _ = state.translations.get(page.lang, gettext.NullTranslations()).gettext
        ngettext = state.translations.get(page.lang, gettext.NullTranslations()).ngettext
        language = config.language(page.lang)
        others = [p for p in site.translations(page) if p is not page]
        parts = [_bar(page, _, COMPARE)]
        title = _("Compare languages: %(title)s") % {"title": page.title}
        parts.append(f'<main class="wrap"><h1>{escape(title)}</h1>')
        if not others:
            parts.append(_tag("p", _("This page is written in one language only.")) + "</main>")
            return _document(page.lang, title, "".join(parts))
        for other in others:
            comparison = compare.compare_pages(page, other, self._modified)
            count = len(comparison.differences)
            summary = (
                ngettext("%(num)d difference in structure", "%(num)d differences in structure", count)
                % {"num": count}
                if count
                else _(
                    "No difference in structure: the same sections, list items, links, pictures and numbers."
                )
            )
            parts.append(f'<p class="summary{" ok" if not count else ""}">{escape(summary)}</p>')
            parts.append(_index(comparison, config, _))
            parts.append(f'<p class="newer">{escape(_newer(comparison, config, _))}</p>')
            parts.append('<div class="pair heads">')
            for version in (comparison.a, comparison.b):
                name = config.language(version.lang).name
                date = long_date(version.date, language) if version.date else _("no date")
                parts.append(
                    f'<div class="cell" lang="{escape(version.lang)}"><h2>{escape(name)}</h2>'
                    f'<p class="file">{escape(version.path)} · {escape(date)}</p></div>'
                )
            parts.append("</div>")
            parts.append(_tag("h2", _("The text"), "group"))
            parts += _rows(comparison, comparison.rows, False, _)
            parts.append(_tag("h2", _("The fixed sections of the page"), "group"))
            parts += _rows(comparison, comparison.fields, True, _)
            if comparison.truncated:
                parts.append(_tag("p", _("There are more differences than are shown here.")))
        parts.append("</main>")
        return _document(page.lang, title, "".join(parts))

    def _modified(self, page: Page) -> dt.datetime | None:
        try:
            return dt.datetime.fromtimestamp((self.project.root / page.source.shown).stat().st_mtime)
        except OSError:
            return None

    # -- snippet ----------------------------------------------------------------------------------

    def _snippet(self, state: State, page: Page) -> str:
        site, config = state.site, state.config
        _ = state.translations.get(page.lang, gettext.NullTranslations()).gettext
        title = _("Search result and share card: %(title)s") % {"title": page.title}
        parts = [_bar(page, _, SNIPPET), f'<main class="wrap"><h1>{escape(title)}</h1>']
        # TRANSLATORS: under the title of the preview's view of a page's search result and share card.
        about = _("As the published pages give them to search engines and social sites, cut where they cut.")
        parts.append(f"<p>{escape(about)}</p>")
        parts.append('<div class="pair">')
        for version in site.translations(page):
            file = self.project.site_dir / version.output_path
            try:
                head = read_head(file.read_text(encoding="utf-8", errors="replace")[:MAX_HEAD])
            except OSError:
                head = None
            name = config.language(version.lang).name
            parts.append(f'<div class="cell" lang="{escape(version.lang)}"><h2>{escape(name)}</h2>')
            if head is None:
                parts.append(_tag("p", _("This page has not been built yet.")) + "</div>")
                continue
            parts.append(_search_result(head, config, _))
            parts.append(_share_card(head, config, _))
            parts.append("</div>")
        parts.append("</div></main>")
        return _document(page.lang, title, "".join(parts))


def _newer(comparison: compare.Comparison, config: SiteConfig, _: Gettext) -> str:
    a, b = comparison.a, comparison.b
    basis = {
        compare.UPDATED: _("by the date in 'updated'"),
        compare.REVIEWED: _("by the date in 'last_reviewed'"),
        compare.MODIFIED: _("by the time the file was saved"),
    }
    if comparison.newer is None:
        if a.date and a.date == b.date:
            return _("Both versions have the same date.")
        return _("It cannot be told which version changed last: give both an 'updated' date.")
    newer = comparison.version(comparison.newer)
    return _("Changed last: %(language)s (%(how)s).") % {
        "language": config.language(newer.lang).name,
        "how": basis.get(newer.dated_by, ""),
    }


def _rows(comparison: compare.Comparison, rows: Sequence[compare.Row], fields: bool, _: Gettext) -> list[str]:
    out = []
    differences = [d for d in comparison.differences if d.in_fields == fields]

    def label(name: str) -> str:
        return compare.field_label(name, _)

    for index, row in enumerate(rows):
        found = [d for d in differences if d.row == index]
        out.append(f'<div class="pair{" differs" if found else ""}" id="{_row_id(fields, index)}">')
        for version, part in ((comparison.a, row.a), (comparison.b, row.b)):
            mine = [d for d in found if d.lang == version.lang]
            out.append(f'<div class="cell" lang="{escape(version.lang)}">')
            if part is None:
                out.append(_tag("p", _("Missing in this version."), "missing"))
            else:
                heading = (
                    label(part.name)
                    if part.kind == compare.FIELD
                    else part.name or _("Before the first heading")
                )
                at = _("line %(line)s") % {"line": part.line}
                out.append(f'<h3>{escape(heading)} <span class="line">{escape(at)}</span></h3>')
                out.append(_part_text(part))
                out.append(_facts(part, _))
            for difference in mine:
                message, hint = _describe(difference, _)
                at = _("line %(line)s") % {"line": difference.line}
                out.append(f'<p class="difference"><strong>{escape(at)}:</strong> {escape(message)}<br>'
                           f'<span class="hint">{escape(hint)}</span></p>')  # fmt: skip
            out.append("</div>")
        out.append("</div>")
    return out


def _row_id(fields: bool, index: int) -> str:
    return f"{'f' if fields else 't'}-{index}"


def _describe(difference: compare.Difference, _: Gettext) -> tuple[str, str]:
    """The message and hint of *difference*, a field named as the page shows it."""
    return compare.describe(difference, _, label=lambda name: f"'{compare.field_label(name, _)}'")


def _index(comparison: compare.Comparison, config: SiteConfig, _: Gettext) -> str:
    """Every difference, one a line, each linking to its row below."""
    items = []
    for difference in comparison.differences:
        message, _hint = _describe(difference, _)
        where = _("line %(line)s") % {"line": difference.line}
        name = config.language(difference.lang).name
        row = _row_id(difference.in_fields, difference.row)
        items.append(f'<li><a href="#{row}">{escape(name)}, {escape(where)}</a>: {escape(message)}</li>')
    return f'<ol class="index">{"".join(items)}</ol>' if items else ""


_EMPHASIS = re.compile(r"\*\*|__")


def _part_text(part: compare.Part) -> str:
    if part.items and part.kind == compare.FIELD:
        items = "".join(f"<li>{escape(cut(item, 240))}</li>" for item in part.items[:50])
        return f'<ol class="items">{items}</ol>'
    text = _EMPHASIS.sub("", part.text)  # the text's marks for bold, which only make it harder to read
    text = text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
    return f'<div class="text">{escape(text)}</div>' if text else ""


def _facts(part: compare.Part, _: Gettext) -> str:
    facts = []
    if part.items:
        facts.append(_("list items: %(n)s") % {"n": len(part.items)})
    if part.links:
        facts.append(_("links: %(n)s") % {"n": len(part.links)})
    if part.images:
        facts.append(_("pictures: %(names)s") % {"names": ", ".join(f.shown for f in part.images)})
    if part.numbers:
        facts.append(_("numbers: %(numbers)s") % {"numbers": ", ".join(f.shown for f in part.numbers[:30])})
    return f'<p class="facts">{escape(" · ".join(facts))}</p>' if facts else ""


def _crumbs(url: str) -> str:
    """The address as a search result shows it: "klinik.com.tr › tr › tedaviler › mezoterapi"."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s and s != "index.html"]
    return " › ".join([parts.hostname or url, *segments])


def _search_result(head: Head, config: SiteConfig, _: Gettext) -> str:
    title, description = head.title, head.description
    lengths = [
        (_("Title"), len(title), SEARCH_TITLE),
        (_("Description"), len(description), SEARCH_DESCRIPTION),
    ]
    return (
        _tag("h3", _("In search results")) + f'<div class="serp"><p class="serp-site">'
        f'<span class="serp-name">{escape(head.meta.get("og:site_name") or config.clinic.name)}</span>'
        f'<span class="serp-url">{escape(_crumbs(head.canonical or config.base_url))}</span></p>'
        f'<p class="serp-title">{escape(cut(title, SEARCH_TITLE))}</p>'
        f'<p class="serp-description">{escape(cut(description, SEARCH_DESCRIPTION))}</p></div>'
        + _lengths(lengths, _)
    )


def _lengths(lengths: list[tuple[str, int, int]], _: Gettext) -> str:
    items = []
    for name, length, limit in lengths:
        if length > limit:
            text = _("%(what)s: %(n)s characters; about %(limit)s are shown, the rest is cut") % {
                "what": name, "n": length, "limit": limit}  # fmt: skip
        else:
            text = _("%(what)s: %(n)s characters; all of it is shown") % {"what": name, "n": length}
        kind = ' class="long"' if length > limit else ""
        items.append(f"<li{kind}>{escape(text)}</li>")
    return f'<ul class="lengths">{"".join(items)}</ul>'


def _share_card(head: Head, config: SiteConfig, _: Gettext) -> str:
    meta = head.meta
    image = meta.get("og:image", "")
    local = image.removeprefix(config.base_url) if image.startswith(config.base_url + "/") else None
    picture = (
        f'<img src="{escape(local)}" alt="{escape(meta.get("og:image:alt", ""))}" width="600" height="315">'
        if local
        else _tag("p", image or _("no picture"), "no-image")
    )
    host = urlsplit(meta.get("og:url") or head.canonical or config.base_url).hostname or ""
    title, description = meta.get("og:title", ""), meta.get("og:description", "")
    lengths = [(_("Title"), len(title), SHARE_TITLE), (_("Description"), len(description), SHARE_DESCRIPTION)]
    return (
        _tag("h3", _("When the page is shared"))
        + f'<div class="card">{picture}<div class="card-text"><p class="card-host">{escape(host.upper())}</p>'
        f'<p class="card-title">{escape(cut(title, SHARE_TITLE))}</p>'
        f'<p class="card-description">{escape(cut(description, SHARE_DESCRIPTION))}</p></div></div>'
        + _lengths(lengths, _)
    )


CURRENT = ' aria-current="page"'


def _bar(page: Page, _: Gettext, current: str) -> str:
    path = quote(page.url.lstrip("/"), safe="/")
    links = [
        (page.url, _("Back to the page"), False),
        (f"{PREFIX}{COMPARE}/{path}", _("Compare languages"), current == COMPARE),
        (f"{PREFIX}{SNIPPET}/{path}", _("Search result and share card"), current == SNIPPET),
    ]
    shown = "".join(
        f'<a href="{escape(href)}"{CURRENT if here else ""}>{escape(text)}</a>' for href, text, here in links
    )
    title = _tag("p", _("Preview"), "bar-title")
    return f'<header class="bar">{title}<nav>{shown}</nav></header>'


def _tag(name: str, text: str, kind: str = "") -> str:
    """An element holding *text*, escaped (a translated string is written outside f-strings, where
    the catalogs' extraction finds it)."""
    attribute = f' class="{kind}"' if kind else ""
    return f"<{name}{attribute}>{escape(text)}</{name}>"


def _document(lang: str, title: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{STYLESHEET}"></head><body>{body}</body></html>\n'
    )


STYLE = """\
:root { --ink: #1f2a30; --muted: #55636b; --accent: #1d6b6a; --soft: #e7f2f1; --line: #d8e0e2;
  --warn: #fdf6e7; --warn-line: #d9a31a; font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", Arial,
  sans-serif; color: var(--ink); line-height: 1.5; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8f8; font-size: 1rem; }
a { color: var(--accent); }
.wrap { max-width: 80rem; margin: 0 auto; padding: 0 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 1.2rem 0 0.6rem; }
h2 { font-size: 1.15rem; margin: 0 0 0.2rem; }
h2.group { margin: 1.6rem 0 0.6rem; padding-top: 0.6rem; border-top: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 0 0 0.4rem; }
.bar { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; padding: 0.5rem 1rem;
  background: var(--ink); color: #fff; }
.bar-title { margin: 0; font-weight: 700; }
.bar nav { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; }
.bar a { color: #fff; }
.bar a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
.summary { font-weight: 700; padding: 0.5rem 0.8rem; border-left: 4px solid var(--warn-line);
  background: var(--warn); }
.summary.ok { border-color: var(--accent); background: var(--soft); }
.newer { color: var(--muted); }
.index { padding-left: 1.4rem; overflow-wrap: anywhere; }
.index li { margin: 0.2rem 0; }
.pair:target .cell { box-shadow: 0 0 0 3px var(--warn-line); }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.75rem; margin: 0 0 0.75rem; }
.cell { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; min-width: 0;
  overflow-wrap: anywhere; }
.heads .cell { background: var(--soft); }
.differs .cell { border-color: var(--warn-line); }
.line, .file, .facts { color: var(--muted); font-size: 0.85rem; font-weight: 400; }
.file { margin: 0; overflow-wrap: anywhere; }
.text { white-space: pre-line; overflow-wrap: anywhere; font-size: 0.95rem; max-height: 16rem;
  overflow: auto; }
.items { margin: 0; padding-left: 1.4rem; font-size: 0.95rem; }
.missing { color: var(--muted); font-style: italic; }
.difference { background: var(--warn); border-left: 4px solid var(--warn-line); padding: 0.4rem 0.6rem;
  margin: 0.6rem 0 0; font-size: 0.95rem; }
.hint { color: var(--muted); }
.serp { background: #fff; padding: 0.75rem; border: 1px solid var(--line); border-radius: 8px;
  font-family: Arial, sans-serif; max-width: 38rem; }
.serp p { margin: 0; }
.serp-site { display: flex; flex-direction: column; font-size: 0.85rem; }
.serp-url { color: #4d5156; overflow-wrap: anywhere; }
.serp .serp-title { color: #1a0dab; font-size: 1.25rem; line-height: 1.3; margin: 0.2rem 0; }
.serp-description { color: #4d5156; font-size: 0.9rem; }
.card { max-width: 32rem; border: 1px solid var(--line); border-radius: 8px; overflow: hidden;
  background: #fff; }
.card img { display: block; width: 100%; height: auto; aspect-ratio: 1200 / 630; object-fit: cover; }
.card-text { padding: 0.6rem 0.75rem; background: #f0f2f5; }
.card-text p { margin: 0; }
.card-host { color: #65676b; font-size: 0.8rem; }
.card-title { font-weight: 700; }
.card-description { color: #65676b; font-size: 0.9rem; }
.no-image { padding: 2rem 1rem; color: var(--muted); overflow-wrap: anywhere; }
.lengths { font-size: 0.85rem; color: var(--muted); padding-left: 1.2rem; }
.lengths .long { color: #8a5a00; }
.cell h3 + .serp, .cell h3 + .card { margin-bottom: 0.5rem; }
.cell > h3:not(:first-child) { margin-top: 1rem; }
@media (max-width: 44rem) {
  .pair { grid-template-columns: 1fr; gap: 0.4rem; margin-bottom: 1.5rem; }
  .cell[lang]::before { content: attr(lang); float: right; font-size: 0.75rem; font-weight: 700;
    text-transform: uppercase; color: var(--muted); }
}
"""
