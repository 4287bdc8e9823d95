"""The site model: every page with its URL, its translations and its section.

This module is the one owner of URLs: templates ask it for ``url_for`` and
``alternates``; nothing else builds a page's address.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .config import PROFILE_LAYOUT as PROFILE_LAYOUT  # the layout of a doctor's profile, for the templates
from .config import SEARCH_LAYOUT, SiteConfig
from .content import HOME, HOME_KEY, NOT_FOUND, NOT_FOUND_KEY, PAGE, SECTION, SECTION_NAME, SourceFile
from .errors import Problem
from .images import Media, Picture
from .schema import PageMeta, check_front_matter
from .slugs import MAX_SLUG, slug_problem, slugify
from .textcase import sort_key


@dataclass(frozen=True, eq=False)
class Page:
    """One page in one language (compared and hashed by identity: one object per page)."""

    source: SourceFile
    meta: PageMeta
    slug: str
    url: str  # site-relative: "/tr/tedaviler/mezoterapi/" (see page_url)
    kind: str = PAGE  # HOME, NOT_FOUND, SECTION or PAGE: where the page stands, and its URL's shape

    @property
    def key(self) -> str:
        return self.source.key

    @property
    def lang(self) -> str:
        return self.source.lang

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def layout(self) -> str:
        return self.meta.layout

    @property
    def section(self) -> str:
        """Return the content folder the page lists or belongs to ("" at the top)."""
        return self.source.folder

    @property
    def output_path(self) -> str:
        """Return the file the page is written to, relative to site/."""
        return output_path(self.url)

    @property
    def date(self) -> dt.date | None:
        """Return the date the page's text was last reviewed or updated."""
        dates = [d for d in (self.meta.last_reviewed, self.meta.updated) if d]
        return max(dates) if dates else None


def page_url(lang: str, kind: str, folders: Sequence[str] = (), slug: str = "") -> str:
    """Return the site-relative URL of a page: the one function that makes them.

    A page is /<lang>/<folder slugs>/<slug>/; a folder's page is /<lang>/<folder slugs>/;
    the home page is /<lang>/ and the 'page not found' page /<lang>/404.html.
    """
    if kind == HOME:
        return f"/{lang}/"
    if kind == NOT_FOUND:
        return f"/{lang}/404.html"
    path = "".join(segment + "/" for segment in folders)
    return f"/{lang}/{path}" if kind == SECTION else f"/{lang}/{path}{slug}/"


def output_path(url: str) -> str:
    """Return the file under site/ that serves the site-relative *url*: "/tr/" -> "tr/index.html"."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


@dataclass(frozen=True)
class Site:
    """All pages of all languages, with look-ups by key and language."""

    config: SiteConfig
    pages: tuple[Page, ...]
    drafts: frozenset[tuple[str, str]] = frozenset()  # (key, lang) of drafts left out of this build
    media: Media = field(default_factory=lambda: Media({}, {}), repr=False)  # the pictures of content/media/
    _by_key: dict[tuple[str, str], Page] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {(p.key, p.lang): p for p in self.pages})

    def page(self, key: str, lang: str) -> Page | None:
        """Return the page *key* in *lang*, or None if it is not written."""
        return self._by_key.get((key, lang))

    def translations(self, page: Page) -> list[Page]:
        """Return every language version of *page*, itself included, in site order."""
        found = (self.page(page.key, lang) for lang in self.config.language_codes)
        return [p for p in found if p is not None]

    def page_at(self, url: str) -> Page | None:
        """Return the page whose site-relative URL is *url* (with or without index.html)."""
        url = url.removesuffix("index.html")
        for candidate in (url, url + "/"):
            for page in self.pages:
                if page.url == candidate:
                    return page
        return None

    def permalink(self, page: Page) -> str:
        """Return the absolute URL of *page*."""
        return self.absolute(page.url)

    def absolute(self, url: str) -> str:
        """Return the absolute URL of the site-relative *url*."""
        return self.config.base_url + url

    def previous_urls(self, page: Page) -> list[str]:
        """Return the URLs *page* had under the old slugs of its folders and of itself."""
        if page.kind in (HOME, NOT_FOUND):
            return []
        options: list[list[str]] = []
        parts = page.section.split("/") if page.section else []
        for depth in range(1, len(parts) + 1):
            section = self.section_page("/".join(parts[:depth]), page.lang)
            if section is None:
                return []
            options.append([section.slug, *section.meta.previous_slugs])
        if page.kind != SECTION:
            options.append([page.slug, *page.meta.previous_slugs])
        current = [choices[0] for choices in options]
        urls = []
        for combination in itertools.product(*options):
            if list(combination) != current:
                urls.append(page_url(page.lang, SECTION, combination))  # every segment is a folder's
        return urls

    def breadcrumbs(self, page: Page) -> list[Page]:
        """Return the pages above *page*: home, then each section folder."""
        trail = []
        home = self.home(page.lang)
        if home and page is not home:
            trail.append(home)
        parts = page.section.split("/") if page.section else []
        for depth in range(1, len(parts) + 1):
            section = self.section_page("/".join(parts[:depth]), page.lang)
            if section and section is not page:
                trail.append(section)
        return trail

    def home(self, lang: str) -> Page | None:
        return self.page(HOME_KEY, lang)

    def not_found_page(self, lang: str) -> Page | None:
        return self.page(NOT_FOUND_KEY, lang)

    def search_page(self, lang: str) -> Page | None:
        """Return the search page of *lang* (the page with the 'search' layout), or None."""
        return next((p for p in self.pages if p.lang == lang and p.layout == SEARCH_LAYOUT), None)

    def home_url(self, lang: str) -> str:
        return page_url(lang, HOME)

    def children(self, section_page: Page) -> list[Page]:
        """Return what a section page lists: its pages and sub-sections, by weight then title."""
        folder = section_page.section
        found = [
            p for p in self.pages
            if p.lang == section_page.lang and p is not section_page and (
                (p.section == folder and p.kind != SECTION)
                or (p.kind == SECTION and p.section.rpartition("/")[0] == folder)
            )
        ]  # fmt: skip
        lang = section_page.lang
        return sorted(
            found, key=lambda p: (p.meta.weight is None, p.meta.weight or 0, sort_key(p.title, lang))
        )

    def section_page(self, folder: str, lang: str) -> Page | None:
        return self.page(f"{folder}/{SECTION_NAME}", lang)

    def picture(self, name: str) -> Picture | None:
        """Return the picture pages name *name* (/media/photo.jpg), or None if there is none to show."""
        return self.media.pictures.get(name)

    def profile(self, name: str, lang: str) -> Page | None:
        """Return the doctor's profile *name* ('ad-soyad') in *lang*, or None."""
        folder = self.config.folder_of_layout(PROFILE_LAYOUT)
        page = self.page(f"{folder}/{name}", lang) if folder else None
        return page if page is not None and page.layout == PROFILE_LAYOUT else None

    def reviewed_by(self, profile: Page) -> list[Page]:
        """Return the pages the doctor of *profile* reviewed, in its language, by title."""
        name = profile.key.rpartition("/")[2]
        found = [p for p in self.pages if p.lang == profile.lang and p.meta.reviewed_by == name]
        return sorted(found, key=lambda p: sort_key(p.title, p.lang))

    def menu(self, lang: str) -> list[Page]:
        """Return the pages shown in the main navigation of *lang*."""
        found = [p for p in self.pages if p.lang == lang and p.meta.menu is not None]
        return sorted(found, key=lambda p: (p.meta.menu, p.key))

    def resolve_link(self, from_page: Page, target: str) -> Page | str:
        """Return the page a relative link to a .md file means, or why there is none.

        ``hair-mesotherapy.md`` means the same-language version of that page;
        ``hair-mesotherapy.en.md`` names the language explicitly.
        """
        # "/contact.md" is written from the top of content/, anything else from the page's folder.
        base = "" if target.startswith("/") else from_page.section
        path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
        if path.startswith("../") or path == "..":
            return f"the link {target!r} points outside content/"
        stem = path[: -len(".md")]
        lang = from_page.lang
        base, dot, suffix = stem.rpartition(".")
        if dot and suffix in self.config.language_codes:
            stem, lang = base, suffix
        found = self.page(stem, lang)
        if found:
            return found
        if (stem, lang) in self.drafts:
            return f"the link {target!r} points to a draft page, which is not published"
        others = [p.lang for p in (self.page(stem, code) for code in self.config.language_codes) if p]
        if others:
            return (
                f"the link {target!r} points to a page with no {lang!r} version"
                f" (it exists in: {', '.join(others)})"
            )
        here = from_page.section or "."
        written = {posixpath.relpath(p.key, here) + ".md" for p in self.pages}
        near = difflib.get_close_matches(
            posixpath.relpath(stem, here) + ".md", sorted(written), n=1, cutoff=0.75
        )
        return f"the link {target!r} points to content/{stem}.{lang}.md, which does not exist" + (
            f" (did you mean {near[0]!r}?)" if near else ""
        )


MAX_REDIRECTS = 5_000  # pages left at old addresses, in the whole site


def build_site(
    config: SiteConfig,
    sources: list[SourceFile],
    include_drafts: bool = False,
    check: Callable[[SourceFile, str | None], tuple[PageMeta | None, list[Problem]]] = check_front_matter,
    same: Callable[[Page], Page] = lambda page: page,
    media: Media | None = None,
) -> tuple[Site, list[Problem]]:
    """Check every source's front matter (with *check*) and give each page its URL.

    Pages marked 'draft: true' are left out unless *include_drafts* (the preview). *same*
    may return, for a page, an equal one of an earlier build, to use in its place.
    """
    problems: list[Problem] = []
    metas: dict[tuple[str, str], tuple[SourceFile, PageMeta]] = {}
    drafts = set()
    for source in sources:
        section = source.folder.split("/")[0] if source.folder else ""
        meta, meta_problems = check(source, config.layout_for_section(section))
        problems.extend(meta_problems)
        if meta and meta.draft and not include_drafts:
            drafts.add((source.key, source.lang))
        elif meta:
            metas[(source.key, source.lang)] = (source, meta)

    existing = {(s.key, s.lang) for s in sources}
    pages: list[Page] = []
    for (_, lang), (source, meta) in sorted(metas.items()):
        slug = meta.slug or slugify(meta.title)
        if meta.slug is not None and (why := slug_problem(meta.slug)):
            problems.append(Problem(source.shown, source.front.line_of("slug"), why))
            continue
        if meta.slug is None and len(slug) > MAX_SLUG:
            what = f"the address made from the title would be {len(slug)} characters, more than {MAX_SLUG}"
            hint = "add a line 'slug: ...' with a short address: a-z, 0-9 and hyphens"
            problems.append(Problem(source.shown, source.front.line_of("title"), what, hint))
            continue
        if not slug and source.kind not in (HOME, NOT_FOUND):
            problems.append(
                Problem(source.shown, source.front.line_of("title"), f"the title {meta.title!r} gives no"
                        " letters for the page's address", "add a line 'slug: ...' with a-z, 0-9 and hyphens")
            )  # fmt: skip
            continue
        segments = _folder_segments(source, metas, existing, problems)
        if segments is None:
            continue
        kind = source.kind
        if kind in (HOME, NOT_FOUND) and meta.layout != kind:  # index.en.md written as a plain page
            kind = PAGE
        pages.append(same(Page(source, meta, slug, page_url(lang, kind, segments, slug), kind)))

    for code in config.language_codes:
        if (HOME_KEY, code) not in existing:
            problems.append(
                Problem(f"content/index.{code}.md", None, f"the home page of {config.language(code).name}"
                        " is missing", f"every language of content/site.yaml needs content/index.{code}.md")
            )  # fmt: skip
        if (NOT_FOUND_KEY, code) not in existing:
            problems.append(
                Problem(f"content/404.{code}.md", None, f"the 'page not found' page of"
                        f" {config.language(code).name} is missing", f"every language of content/site.yaml"
                        f" needs content/404.{code}.md: restore it from git, or write one with a title and"
                        " a link to the home page")
            )  # fmt: skip
    by_path: dict[str, Page] = {}
    for page in pages:
        other = by_path.setdefault(page.output_path, page)
        if other is not page:
            problems.append(
                Problem(page.source.shown, page.source.front.line_of("slug"),
                        f"this page has the same URL {page.url} as {other.source.shown}",
                        "give one of them a different 'slug'")
            )  # fmt: skip
    site = Site(config, tuple(pages), frozenset(drafts), media or Media({}, {}))
    by_url = {page.url: page for page in pages}
    claimed: dict[str, Page] = {}
    for page in pages:
        if page.slug in page.meta.previous_slugs:
            problems.append(Problem(page.source.shown, page.source.front.line_of("previous_slugs"),
                                    f"previous_slugs lists {page.slug!r}, the page's own slug",
                                    "list only the addresses the page had before"))  # fmt: skip
    troubled = {p.path for p in problems if p.is_error}
    problems += _profile_problems(site, {(s.key, s.lang): s.shown for s in sources}, troubled)
    moved = {page: site.previous_urls(page) for page in pages}
    if sum(map(len, moved.values())) > MAX_REDIRECTS:
        # Old slugs of a folder multiply with those of every page in it: name the folder that counts most.
        worst = max(pages, key=lambda p: (len(p.meta.previous_slugs) * (p.kind == SECTION), len(moved[p])))
        problems.append(
            Problem(worst.source.shown, worst.source.front.line_of("previous_slugs"),
                    f"the old addresses of the pages come to {sum(map(len, moved.values())):,} redirect"
                    f" pages, more than {MAX_REDIRECTS:,}: a folder's old slugs count once for every page"
                    " in it", "keep only the old slugs that were really published and linked to")
        )  # fmt: skip
        return site, problems
    for page in pages:
        for old in moved[page]:
            if old in claimed and claimed[old] is not page:
                problems.append(
                    Problem(page.source.shown, page.source.front.line_of("previous_slugs"),
                            f"the old address {old} is also listed by {claimed[old].source.shown};"
                            " it can lead to one page only", "keep it in one of the two files")
                )  # fmt: skip
            claimed.setdefault(old, page)
            if old in by_url:
                problems.append(
                    Problem(page.source.shown, page.source.front.line_of("previous_slugs"),
                            f"the old address {old} is now the address of {by_url[old].source.shown}",
                            "remove that slug from previous_slugs")
                )  # fmt: skip
    return site, problems


def _profile_problems(site: Site, sources: dict[tuple[str, str], str], troubled: set[str]) -> list[Problem]:
    """Check that every 'reviewed_by' and 'author' names a doctor's profile in the page's language.

    A profile whose file (*sources* gives each page file's path) has mistakes of its own (*troubled*
    holds the paths of the files with errors) is not built: those mistakes are reported, not once
    more for every page that names it."""
    problems = []
    folder = site.config.folder_of_layout(PROFILE_LAYOUT)
    for page in site.pages:
        for field_name in ("author", "reviewed_by"):
            name = getattr(page.meta, field_name)
            if name is None or site.profile(name, page.lang):
                continue
            if sources.get((f"{folder}/{name}", page.lang)) in troubled:
                continue
            line = page.source.front.line_of(field_name)
            if folder is None:
                problems.append(
                    Problem(
                        page.source.shown,
                        line,
                        f"{field_name!r} names the doctor {name!r},"
                        " but the site has no folder of doctors' profiles",
                        f"add '  doctors: {PROFILE_LAYOUT}' under section_layouts in"
                        " content/site.yaml, and a page per doctor in content/doctors/",
                    )
                )
                continue  # fmt: skip
            written = f"content/{folder}/{name}.{page.lang}.md"
            found = site.page(f"{folder}/{name}", page.lang)
            others = [code for code in site.config.language_codes if site.page(f"{folder}/{name}", code)]
            if (f"{folder}/{name}", page.lang) in site.drafts:
                what, hint = f"{written} is a draft, so it is not published", "publish the profile first"
            elif found is not None:
                what = f"{written} is not a doctor's profile: its layout is {found.layout!r}"
                hint = f"delete its 'layout: {found.layout}' line, or name a doctor's profile"
            elif others:
                language = site.config.language(page.lang).name
                what = f"the profile is not written in {language}: there is no {written}"
                hint = f"write {written}, the {language} version of content/{folder}/{name}.{others[0]}.md"
            else:
                names = sorted({p.key.rpartition("/")[2] for p in site.pages if p.section == folder
                                and p.layout == PROFILE_LAYOUT})  # fmt: skip
                near = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
                what = f"there is no doctor's profile {written}"
                hint = (
                    f"did you mean {near[0]!r}?"
                    if near
                    else (f"the profiles are: {', '.join(names)}" if names else f"write {written} first")
                )
            problems.append(Problem(page.source.shown, line, f"{field_name!r} names {name!r}: {what}", hint))
    return problems


def _folder_segments(
    source: SourceFile,
    metas: dict[tuple[str, str], tuple[SourceFile, PageMeta]],
    existing: set[tuple[str, str]],
    problems: list[Problem],
) -> list[str] | None:
    """Return the localized URL segments of the folders above *source*."""
    if not source.folder:
        return []
    segments = []
    parts = source.folder.split("/")
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        entry = metas.get((f"{folder}/{SECTION_NAME}", source.lang))
        if entry is None:
            if (f"{folder}/{SECTION_NAME}", source.lang) in existing:
                return None  # the _index file has errors of its own, reported already
            if source.kind != SECTION or depth < len(parts):
                problems.append(
                    Problem(source.shown, None,
                            f"the folder content/{folder}/ has no _index.{source.lang}.md,"
                            f" which gives the folder its URL in this language",
                            f"create content/{folder}/_index.{source.lang}.md with a title and a slug")
                )  # fmt: skip
            return None
        index_meta = entry[1]
        segments.append(index_meta.slug or slugify(index_meta.title))
    return segments
