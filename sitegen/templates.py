"""Render pages through the Jinja templates, one environment per language."""

from __future__ import annotations

import functools
import gettext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import hosting, i18n, search, seo, share_images, textcase
from .assets import Assets, MissingAsset
from .config import SEARCH_LAYOUT
from .content import SECTION
from .errors import Problem
from .files import NOT_PROJECT_FILES, Listing, Reader, Unreadable
from .images import picture_html
from .markup import RenderedBody
from .model import PROFILE_LAYOUT, Page, Site
from .sandbox import RENDER_SECONDS, RETRY_SECONDS, Sandbox, bounded_filter, install_gettext
from .slugs import slugify
from .template_problems import Explain
from .timelimit import TimeLimitExceeded, time_limit

CHOOSER_TEMPLATE = "chooser.html"
REDIRECT_TEMPLATE = "redirect.html"
ROOT_NOT_FOUND_TEMPLATE = "not_found_root.html"


@dataclass(frozen=True)
class Alternate:
    """One language version of a page, for hreflang links and the switcher."""

    lang: str
    name: str  # the language's name in itself: "Türkçe"
    url: str
    permalink: str
    is_translation: bool  # False when the page is missing and this links to that language's home


@dataclass(frozen=True)
class Share:
    """The image a page is shown with when shared (Open Graph)."""

    url: str  # absolute
    width: int
    height: int
    alt: str


class ProjectLoader(jinja2.BaseLoader):
    """Load templates from templates/ through the project's one reader (no links out, no devices)."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.folder = reader.project.templates_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if not path.is_file() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        text, _ = self.reader.read_text(path)  # Unreadable: reported by check_templates
        return text, str(path), lambda: True

    def exists(self, template: str) -> bool:
        try:
            path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        except jinja2.TemplateNotFound:
            return False
        return path.is_file() or path.is_symlink()

    def list_templates(self) -> list[str]:
        return [path.relative_to(self.folder).as_posix() for path in self.listing().files]

    def listing(self) -> Listing:
        return self.reader.list_files(self.folder, skip=NOT_PROJECT_FILES)


@functools.lru_cache(maxsize=512)
def referenced_templates(source: str) -> tuple[str | None, ...]:
    """The templates that the template *source* extends, includes or imports (None: a computed name)."""
    return tuple(jinja2.meta.find_referenced_templates(_PARSER.parse(source)))


_PARSER = jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)


class TemplateRenderer:
    """Render pages of a checked site; template mistakes become Problems."""

    def __init__(
        self,
        reader: Reader,
        site: Site,
        translations: dict[str, gettext.NullTranslations],
        assets: Assets,
        compiled_dir: Path | None = None,
    ) -> None:
        # Compiled templates are kept in *compiled_dir* (checked against each template's text).
        self.bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled_dir)) if compiled_dir else None
        if compiled_dir:
            compiled_dir.mkdir(parents=True, exist_ok=True)
        self.project = reader.project
        self.site = site
        self.translations = translations
        self.assets = assets
        self.loader = ProjectLoader(reader)
        self.timed_out = False  # a page of this build (in this process) ran out of time
        self.envs = {lang.code: self._environment(lang.code) for lang in site.config.languages}
        # The search page's own policy: the site's, and what Pagefind needs (sitegen/hosting.py).
        self._search_policy = hosting.content_security_policy(
            meta=True, image_hosts=site.config.image_hosts, search=True
        )
        self.explain = Explain(self.project, next(iter(self.envs.values())), self._names)

    def template_files(self, name: str) -> list[str] | None:
        """Return *name* and every template it extends, includes or imports, or None if unknown."""
        found: list[str] = []
        todo = [name]
        env = next(iter(self.envs.values()))
        while todo:
            current = todo.pop()
            if current in found:
                continue
            found.append(current)
            try:
                source, _, _ = self.loader.get_source(env, current)
                references = referenced_templates(source)
            except (jinja2.TemplateError, Unreadable):
                return None  # reported by check_templates
            if None in references:  # a name computed while rendering: any template may be used
                return None
            todo.extend(name for name in references if name is not None)
        return sorted(found)

    def check_templates(self) -> list[Problem]:
        """Compile every template once, so a syntax error is found even if unused."""
        env = next(iter(self.envs.values()))
        problems = list(self.loader.listing().problems)
        for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
            try:
                env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(self.explain(exc, None))
            except Unreadable as exc:
                problems.append(exc.problem)
            except (RecursionError, SyntaxError, MemoryError):  # Python cannot compile what Jinja made
                problems.append(Problem(f"templates/{name}", None, "the template is nested too deeply (blocks"
                                        " inside blocks, or one long expression) to be compiled",
                                        "split it into smaller templates or macros"))  # fmt: skip
        return problems

    def render_page(self, page: Page, body: RenderedBody) -> tuple[str | None, Problem | None]:
        """Return the HTML of *page*, or the problem that stopped it."""
        env = self.envs[page.lang]
        name = f"{page.layout}.html"
        if page.layout not in self.layouts() and self.loader.exists(name):
            # A partial or a special page would publish a fragment, or the wrong page, as this one.
            line = page.source.front.line_of("layout") if "layout" in page.source.front.data else None
            return None, Problem(page.source.shown, line, f"templates/{name} is not a page layout",
                                 f"the layouts are: {', '.join(self.layouts())}")  # fmt: skip
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            line = page.source.front.line_of("layout") if "layout" in page.source.front.data else None
            return None, Problem(page.source.shown, line, f"there is no template templates/{name}"
                                 f" for the layout {page.layout!r}",
                                 f"the layouts are: {', '.join(self.layouts())}")  # fmt: skip
        except jinja2.TemplateSyntaxError as exc:
            return None, self.explain(exc, page)
        try:
            context = self._page_context(page, body)
        except MissingAsset as exc:  # the share image
            return None, Problem(f"templates/static/{exc.name}", None, "this file is missing",
                                 "restore it from git; the share images are drawn by: python build.py"
                                 " share-images")  # fmt: skip
        try:
            return self._render(template, context), None
        except Exception as exc:  # any failure while rendering is reported at its template line
            return None, self.explain(exc, page)

    def render_chooser(self) -> tuple[str | None, Problem | None]:
        """Return the root language chooser page, written in every language."""
        first = self.site.config.languages[0].code
        homes = [self.site.home(lang.code) for lang in self.site.config.languages]
        choices = [
            {
                "lang": lang,
                "url": self.site.home_url(lang.code),
                # TRANSLATORS: the language chooser's button: "Continue in <this language>".
                "prompt": self.translations[lang.code].gettext("Continue in English"),
            }
            for lang in self.site.config.languages
        ]
        context = {
            "choices": choices,
            "canonical": self.site.absolute("/"),
            "alternates": [self._alternate(home) for home in homes if home],
            # Described, and shared, as the home page of the site's first language.
            "page": homes[0],
            "share": self._share(homes[0], first),
        }
        try:
            return self._render(self.envs[first].get_template(CHOOSER_TEMPLATE), context), None
        except Exception as exc:
            return None, self.explain(exc, None)

    def render_redirect(self, old_url: str, page: Page) -> tuple[str | None, Problem | None]:
        """Return the page left at a previous address, pointing to *page*'s current one."""
        context = {"page": page, "target": self.site.permalink(page), "old_url": old_url}
        try:
            return self._render(self.envs[page.lang].get_template(REDIRECT_TEMPLATE), context), None
        except Exception as exc:
            return None, self.explain(exc, page)

    def _render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """Render *template*, stopping a loop that would run for hours (templates may come from anyone).

        After one page ran out of time, the build has failed: the other pages get a short limit,
        so that a slow template costs a second, not a second for every page.
        """
        try:
            with time_limit(RETRY_SECONDS if self.timed_out else RENDER_SECONDS):
                return template.render(context)
        except TimeLimitExceeded:
            self.timed_out = True
            raise

    @functools.cache  # noqa: B019  (one renderer per build)
    def layouts(self) -> list[str]:
        env = next(iter(self.envs.values()))
        names = env.list_templates(filter_func=lambda n: n.endswith(".html") and "/" not in n)
        special = ("base.html", CHOOSER_TEMPLATE, REDIRECT_TEMPLATE, ROOT_NOT_FOUND_TEMPLATE)
        return [n[: -len(".html")] for n in names if n not in special]

    def _environment(self, lang: str) -> jinja2.Environment:
        language = self.site.config.language(lang)
        env = Sandbox(
            loader=self.loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=self.bytecode_cache,
            auto_reload=False,  # an environment lives for one build: templates do not change in it
        )
        install_gettext(env, self.translations[lang])
        env.filters = {name: bounded_filter(env, name, f) for name, f in env.filters.items()}
        env.filters.update(
            upper=partial(textcase.upper, lang=lang),
            lower=partial(textcase.lower, lang=lang),
            capitalize=partial(textcase.capitalize, lang=lang),
            title=partial(textcase.title, lang=lang),
            date=partial(i18n.long_date, language=language),
            number=partial(i18n.number, language=language),
            slugify=slugify,
        )
        env.globals.update(
            lang=language,
            languages=self.site.config.languages,
            clinic=self.site.config.clinic,
            opening_hours=i18n.opening_hours(self.site.config.clinic.opening_hours, language),
            home_url=self.site.home_url(lang),
            # The clinic's name and address are written in the site's first language.
            clinic_lang_attr=Markup(f' lang="{self.site.config.languages[0].code}"')
            if lang != self.site.config.languages[0].code
            else "",
            menu=self.site.menu(lang),
            # The header's search box sends its query to this page (None: the site has no search page).
            search_url=search_page.url if (search_page := self.site.search_page(lang)) else None,
            search_bundle=search.BUNDLE_URL,
            editor=self.site.config.editor,
            url_for=partial(self._url_for, lang),
            static_url=self._static_url,
            picture=self._picture,
            logo_url=self._static_url(self.site.config.logo) if self.site.config.logo else None,
            icons=self.site.config.icon is not None,
            # Every page's <head> carries the policy, for hosts that send no headers.
            content_security_policy=hosting.content_security_policy(
                meta=True, image_hosts=self.site.config.image_hosts
            ),
        )
        return env

    def _page_context(self, page: Page, body: RenderedBody) -> dict[str, Any]:
        site = self.site
        versions = {p.lang: p for p in site.translations(page)}
        switcher = []
        for language in site.config.languages:
            other = versions.get(language.code)
            url = other.url if other else site.home_url(language.code)
            switcher.append(Alternate(language.code, language.name, url, site.absolute(url),
                                      other is not None))  # fmt: skip
        indexable = seo.indexable(page)
        return {
            "page": page,
            "content": body.html,
            "toc": [entry for entry in body.toc if entry.level == 2],
            "canonical": site.permalink(page) if indexable else None,
            "alternates": [self._alternate(p) for p in versions.values()] if indexable else [],
            "x_default": site.absolute("/"),
            "switcher": switcher,
            "breadcrumbs": site.breadcrumbs(page),
            "children": site.children(page) if page.kind == SECTION else [],
            "child_layout": site.config.layout_for_section(page.section.split("/")[0]),
            "pages_in": partial(self._pages_in, page.lang),
            "json_ld": seo.json_ld_script(
                seo.structured_data(site, page, self.translations[page.lang].gettext("Home"))
            ),
            "share": self._share(page, page.lang),
            "updated": page.date,
            "reviewer": self._profile(page, page.meta.reviewed_by),
            "author": self._profile(page, page.meta.author),
            "reviewed": site.reviewed_by(page) if page.layout == PROFILE_LAYOUT else [],
            **({"content_security_policy": self._search_policy} if page.layout == SEARCH_LAYOUT else {}),
        }

    def _share(self, page: Page | None, lang: str) -> Share:
        """The image shown when *page* is shared: its own picture, or the language's share card."""
        picture = self.site.picture(page.meta.image) if page and page.meta.image else None
        if page and picture:
            shown = picture.fallback
            return Share(self.site.absolute(shown.url), shown.width, shown.height, page.meta.image_alt or "")
        card = self.site.absolute(self.assets.url(f"share-{lang}.png"))
        return Share(card, share_images.WIDTH, share_images.HEIGHT, self.site.config.clinic.name)

    def _picture(self, name: str, alt: str, sizes: str = "100vw", main: bool = False) -> Markup:
        """The <picture> of the picture pages name *name*, for templates: picture(page.meta.image, ...)."""
        found = self.site.picture(name)
        if found is None:
            raise jinja2.TemplateRuntimeError(f"picture({name!r}): there is no picture content{name}")
        return picture_html(found, alt, sizes, main)

    def _profile(self, page: Page, name: str | None) -> Page | None:
        return self.site.profile(name, page.lang) if name else None

    def _alternate(self, page: Page) -> Alternate:
        language = self.site.config.language(page.lang)
        return Alternate(page.lang, language.name, page.url, self.site.permalink(page), True)

    def _static_url(self, name: str) -> str:
        try:
            return self.assets.url(name)
        except LookupError as exc:
            raise jinja2.TemplateRuntimeError(f"static_url({name!r}): {exc}") from None

    def render_root_not_found(self) -> tuple[str | None, Problem | None]:
        """Return /404.html, for hosts that have one 404 page: it speaks every language."""
        first = self.site.config.languages[0].code
        versions = []
        for language in self.site.config.languages:
            page = self.site.not_found_page(language.code)
            if page is not None:
                gettext = self.translations[language.code].gettext
                versions.append({"lang": language, "page": page, "home": self.site.home_url(language.code),
                                 "home_label": gettext("Home")})  # fmt: skip
        try:
            template = self.envs[first].get_template(ROOT_NOT_FOUND_TEMPLATE)
            return self._render(template, {"versions": versions}), None
        except Exception as exc:
            return None, self.explain(exc, None)

    def _url_for(self, lang: str, key: str) -> str:
        """Return the URL of page *key* ("contact", "treatments/_index") in *lang*."""
        found = self.site.page(key, lang)
        if found is None:
            if (key, lang) in self.site.drafts:
                raise jinja2.TemplateRuntimeError(
                    f"url_for({key!r}): content/{key}.{lang}.md is a draft (draft: true), so it is not"
                    " published, but this template links to it; publish it, or remove the link"
                )
            raise jinja2.TemplateRuntimeError(f"url_for({key!r}): there is no page content/{key}.{lang}.md")
        return found.url

    def _pages_in(self, lang: str, folder: str) -> list[Page]:
        section = self.site.section_page(folder, lang)
        if section is None:
            raise jinja2.TemplateRuntimeError(f"pages_in({folder!r}): no content/{folder}/_index.{lang}.md")
        return self.site.children(section)

    def _names(self, page: Page | None) -> list[str]:
        env = next(iter(self.envs.values()))
        context = self._page_context(page, _EMPTY_BODY) if page else {}
        return sorted({*env.globals, *context})


_EMPTY_BODY = RenderedBody(Markup(""), (), ())
