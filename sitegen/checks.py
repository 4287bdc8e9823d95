"""Site-wide checks run by ``check`` and ``build --strict``: translations and the built HTML."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .content import NOT_FOUND
from .errors import WARNING, Problem
from .markup import RenderedBody
from .model import Page, Site, output_path
from .slugs import slugify

OK, MISSING, OUTDATED = "ok", "missing", "outdated"
DESCRIPTION_LENGTH = (50, 160)


@dataclass(frozen=True)
class TranslationStatus:
    """One page in every language: ok, missing or outdated, with each version's date."""

    key: str
    states: dict[str, str]
    dates: dict[str, dt.date | None]
    paths: dict[str, str]


def translation_status(site: Site) -> list[TranslationStatus]:
    """Return the status of every page in every language, in file order."""
    rows = []
    for key in sorted({page.key for page in site.pages}):
        versions = {lang: site.page(key, lang) for lang in site.config.language_codes}
        dates = {lang: p.date if p else None for lang, p in versions.items()}
        newest = max((d for d in dates.values() if d), default=None)
        states = {}
        for lang, page in versions.items():
            if page is None:
                states[lang] = MISSING
            elif newest and (dates[lang] is None or dates[lang] < newest):  # type: ignore[operator]
                states[lang] = OUTDATED
            else:
                states[lang] = OK
        paths = {lang: p.source.shown for lang, p in versions.items() if p}
        rows.append(TranslationStatus(key, states, dates, paths))
    return rows


def translation_problems(site: Site, rows: list[TranslationStatus]) -> list[Problem]:
    """Warn about pages missing in a language and translations older than their counterpart."""
    problems = []
    for row in rows:
        existing = next(iter(row.paths.values()))
        for lang, state in row.states.items():
            if state == MISSING:
                problems.append(
                    Problem(existing, None, f"this page has no {site.config.language(lang).name} version",
                            f"write {existing.rsplit('.', 2)[0]}.{lang}.md", WARNING)
                )  # fmt: skip
            elif state == OUTDATED:
                newer = max((d, other) for other, d in row.dates.items() if d)
                problems.append(
                    Problem(row.paths[lang], None,
                            f"this translation is older ({row.dates[lang] or 'no date'}) than"
                            f" {row.paths[newer[1]]} ({newer[0]})",
                            "bring the text in line with the newer version, then update"
                            " 'last_reviewed' (or 'updated')", WARNING)
                )  # fmt: skip
    return problems


def status_table(codes: tuple[str, ...], rows: list[TranslationStatus]) -> str:
    """Return the translation status as a text table: page x language."""
    width = max([len("page")] + [len(row.key) for row in rows])
    lines = ["page".ljust(width) + "".join(f"  {code:<8}" for code in codes)]
    for row in rows:
        lines.append(row.key.ljust(width) + "".join(f"  {row.states[code]:<8}" for code in codes))
    return "\n".join(line.rstrip() for line in lines)


def status_json(rows: list[TranslationStatus]) -> list[dict[str, object]]:
    return [
        {
            "page": row.key,
            "languages": {
                lang: {"status": state, "file": row.paths.get(lang), "date": _iso(row.dates[lang])}
                for lang, state in row.states.items()
            },
        }
        for row in rows
    ]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


PRIVACY_PAGE = "privacy"  # content/privacy.<lang>.md: the notice every image host must be named in


def image_host_problems(site: Site) -> list[Problem]:
    """Require the privacy notice, in every language, to name each host that serves images."""
    problems = []
    for host in site.config.image_hosts:
        for code in site.config.language_codes:
            notice = site.page(PRIVACY_PAGE, code)
            shown = notice.source.shown if notice else f"content/{PRIVACY_PAGE}.{code}.md"
            if notice is None or host not in notice.source.body.lower():
                problems.append(
                    Problem(shown, None, f"the privacy notice does not name {host}, which serves images of"
                            " the site (image_hosts in content/site.yaml)", f"say in the notice that"
                            f" visitors' browsers load images from {host}, and what that host learns")
                )  # fmt: skip
    return problems


def link_problems(
    site: Site, bodies: dict[Page, RenderedBody], ids: dict[str, set[str]], outputs: dict[str, bytes],
    unknown: frozenset[str] = frozenset(),
) -> list[Problem]:  # fmt: skip
    """Check links written in pages: anchors that exist (except on the pages *unknown*, output paths
    whose headings are not known: pages the preview left out), and the page's own language."""
    problems = []
    for page, body in bodies.items():
        for link in body.links:
            target = link.target
            if (
                link.fragment
                and target.output_path not in unknown
                and link.fragment not in ids.get(target.output_path, set())
            ):
                known = section_anchors(outputs[target.output_path].decode())
                problems.append(
                    Problem(page.source.shown, link.line,
                            f"the anchor #{link.fragment} does not exist on {target.source.shown}",
                            f"the anchors there are: {', '.join('#' + k for k in known) or 'none'}")
                )  # fmt: skip
            same = site.page(target.key, page.lang)
            if link.names_language and target.lang != page.lang and same is not None:
                problems.append(
                    Problem(page.source.shown, link.line,
                            f"this {page.lang!r} page links to the {target.lang!r} version of"
                            f" {target.key}.md although a {page.lang!r} version exists",
                            f"write the link without the language: ({target.key.rpartition('/')[2]}.md)",
                            WARNING)
                )  # fmt: skip
    return problems


class _Parsed(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.repeated_ids: list[str] = []
        self.hrefs: list[str] = []
        self.alternates: dict[str, str] = {}
        self.h1 = 0
        self.title = ""
        self.description: str | None = None
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            if a["id"] in self.ids:
                self.repeated_ids.append(a["id"])
            self.ids.add(a["id"])
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content", "")
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a.get("href", "")
        elif tag in ("a", "link") and "href" in a:
            self.hrefs.append(a["href"])
        elif tag in ("img", "script") and "src" in a:
            self.hrefs.append(a["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@dataclass(frozen=True)
class PageFacts:
    """What the checks of the built HTML read of one page."""

    ids: frozenset[str]
    hrefs: tuple[str, ...]  # of links, stylesheets, images and scripts
    alternates: tuple[tuple[str, str], ...]  # hreflang -> href
    h1: int
    title: str
    description: str | None


def page_facts(html: str) -> PageFacts:
    """Read *html* as a browser would (HTML's own parser) for the checks of the built HTML."""
    parsed = _Parsed(html)
    alternates = tuple(sorted(parsed.alternates.items()))  # compared as a set
    return PageFacts(frozenset(parsed.ids), tuple(parsed.hrefs), alternates, parsed.h1, parsed.title,
                     parsed.description)  # fmt: skip


def html_facts(outputs: dict[str, bytes]) -> dict[str, PageFacts]:
    """The facts of every HTML file of *outputs*."""
    return {
        path: page_facts(data.decode("utf-8")) for path, data in outputs.items() if path.endswith(".html")
    }


# An id attribute inside a tag. The pages are made by the templates (autoescaped, values in
# double quotes) and by Markdown (which escapes "<" in text), so a tag is never inside text.
# The first id="..." of each tag: <[a-zA-Z][^<>]*?\sid="([^"]*)", written to take the text of a tag a
# word at a time (and never step back) instead of one character at a time.
_ID_ATTRIBUTE = re.compile(r'<[a-zA-Z][^<>\s]*+(?:\s(?!id=")[^<>\s]*+)*+\sid="([^"]*)"')


_HEADING = re.compile(r'<h([2-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def section_anchors(html: str) -> list[str]:
    """Return the anchors an editor links to: the ids of headings made from their own text
    (#olasi-yan-etkiler), not the template's technical ids (#main, #toc-title, #glance-title)."""
    found = {
        unescape(anchor)
        for _, anchor, text in _HEADING.findall(html)
        if unescape(anchor) == slugify(unescape(_TAG.sub("", text)))
    }
    return sorted(found)


def element_ids(html: str) -> list[str]:
    """Return the id of every element of a built page, in order, repeats included."""
    return [unescape(value) for value in _ID_ATTRIBUTE.findall(html)]


def anchor_problems(
    site: Site,
    bodies: dict[Page, RenderedBody],
    outputs: dict[str, bytes],
    known: dict[str, list[str]] | None = None,
    unknown: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Check anchors: links to them exist, and no page has one anchor twice.

    *known* holds the ids of the pages whose ids were already read (output path -> ids); *unknown*
    the output paths of pages whose headings are not known (the preview's pages left out).
    """
    known = known or {}
    ids = {
        path: known[path] if path in known else element_ids(data.decode())
        for path, data in outputs.items()
        if path.endswith(".html")
    }
    sets = {path: set(found) for path, found in ids.items()}
    problems = link_problems(site, bodies, sets, outputs, unknown)
    for page in site.pages:
        found = ids[page.output_path]
        repeated = [anchor for anchor, times in Counter(found).items() if times > 1]
        for anchor in repeated:
            problems.append(
                Problem(page.source.shown, None, f"the anchor #{anchor} appears twice on this page: a heading"
                        " repeats another heading or a section the template adds (such as side effects)",
                        "rename or remove one of the two headings")
            )  # fmt: skip
    return problems


def html_problems(
    site: Site, outputs: dict[str, bytes], facts: dict[str, PageFacts] | None = None,
    unknown: frozenset[str] = frozenset(),
) -> list[Problem]:  # fmt: skip
    """Check the built pages: links and anchors resolve, hreflang is reciprocal, head is complete.

    *facts* holds what was read of each HTML file (html_facts), when it is already known; links to
    the anchors of the pages *unknown* (see anchor_problems) are not checked.
    """
    parsed = facts if facts is not None else html_facts(outputs)
    owner = {page.output_path: page.source.shown for page in site.pages}
    indexable = {page.output_path: page.layout != NOT_FOUND for page in site.pages}
    base = site.config.base_url
    problems: list[Problem] = []
    titles: dict[str, str] = {}

    def report(path: str, message: str, hint: str | None = None) -> None:
        where = owner.get(path, "templates/chooser.html")
        problems.append(Problem(where, None, f"in the built page /{path}: {message}", hint))

    for path, page in sorted(parsed.items()):
        for href in page.hrefs:
            try:
                parts = urlsplit(href)
                _ = parts.port
            except ValueError:
                report(path, f"the link {href!r} cannot be read")
                continue
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
                continue
            target = path if not parts.path else output_path(parts.path)
            if target not in outputs:
                report(path, f"the link {href!r} leads to no page")
            elif (
                parts.fragment
                and target not in unknown
                and parts.fragment not in (parsed[target].ids if target in parsed else ())
            ):
                report(path, f"the link {href!r} points to an anchor that does not exist")
        if path not in owner or not indexable[path]:
            continue  # the root pages (chooser, 404) and the 404 pages are not for search engines
        if page.h1 != 1:
            report(path, f"the page has {page.h1} <h1> headings instead of one")
        if page.title in titles:
            report(path, f"the title {page.title!r} is also the title of /{titles[page.title]}",
                   "give each page its own title")  # fmt: skip
        titles[page.title] = path
        low, high = DESCRIPTION_LENGTH
        if page.description is None or not low <= len(page.description) <= high:
            size = len(page.description or "")
            problems.append(
                Problem(owner.get(path, path), None, f"the description is {size} characters long;"
                        f" search engines show {low} to {high}", "rewrite 'description' to fit", WARNING)
            )  # fmt: skip
        for lang, href in page.alternates:
            other = output_path(href.removeprefix(base)) if href.startswith(base) else None
            if other is None or other not in parsed:
                report(path, f"the hreflang {lang!r} link {href!r} leads to no page")
            elif lang != "x-default" and parsed[other].alternates != page.alternates:
                report(path, f"the hreflang links of /{other} do not match this page's",
                       "every language version must list the same set of versions")  # fmt: skip
    return problems
