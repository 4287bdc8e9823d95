"""Render pages through the Jinja templates, one environment per language."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import gettext
import importlib
import re
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import hosting, i18n, seo, textcase
from .assets import Assets, MissingAsset
from .content import SECTION
from .errors import Problem
from .files import Listing, Reader, Unreadable
from .markup import RenderedBody
from .model import Page, Site
from .slugs import slugify
from .timelimit import TimeLimitExceeded, time_limit

_HIDDEN = re.compile(r"^\.")
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


def install_gettext(env: jinja2.Environment, translations: gettext.NullTranslations) -> None:
    """Install gettext, _, ngettext, pgettext and npgettext: a translation is text, never HTML.

    Jinja's own new-style functions mark every translation safe under autoescape, which
    would let a catalog write tags into the pages. These return the translation
    %-formatted as text (escaped where it is output, like any value); only when a
    variable is markup that the template made ({% set link %}<a ...>{% endset %}) is
    the result markup: the translation escaped, then the variables put in, text ones
    escaped too. A msgid falls back through the same path, so it is escaped once.
    """
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    # {% trans %} blocks call these with their variables as keywords (newstyle).
    known: dict[str, str] = {}  # the same few strings are translated on every page

    def output(context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
        if context.eval_ctx.autoescape and any(hasattr(v, "__html__") for v in variables.values()):
            return escape(text) % variables
        return text % variables  # always a format string, as in Jinja: "100%%" is "100%"

    @jinja2.pass_context
    def gettext_(context: jinja2.runtime.Context, string: str, /, **variables: Any) -> str:
        text = known.get(string)
        if text is None:
            text = known[string] = translations.gettext(string)
        return output(context, text, variables)

    @jinja2.pass_context
    def pgettext_(context: jinja2.runtime.Context, msgctxt: str, string: str, /, **variables: Any) -> str:
        variables.setdefault("context", msgctxt)
        return output(context, translations.pgettext(msgctxt, string), variables)

    @jinja2.pass_context
    def ngettext_(
        context: jinja2.runtime.Context, singular: str, plural: str, n: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", n)
        return output(context, translations.ngettext(singular, plural, n), variables)

    @jinja2.pass_context
    def npgettext_(
        context: jinja2.runtime.Context, msgctxt: str, singular: str, plural: str, n: int, /, **variables: Any
    ) -> str:
        variables.setdefault("context", msgctxt)
        variables.setdefault("num", n)
        return output(context, translations.npgettext(msgctxt, singular, plural, n), variables)

    functions = {"gettext": gettext_, "_": gettext_, "pgettext": pgettext_, "ngettext": ngettext_}
    env.globals.update(functions, npgettext=npgettext_)


RENDER_SECONDS = 1.0  # a page renders in about a millisecond
RETRY_SECONDS = 0.05
MAX_REPEAT = 100_000  # characters or items that "x" * n or [..] * n may make, and widths or counts
MAX_TEXT = 4_000_000  # characters of any text a template makes (a page has about 50,000)


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every ``a ~ b`` joined through Sandbox.bounded (a loop of
    doublings would otherwise make gigabytes in a few steps)."""

    def visit_Concat(self, node: jinja2.nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox: a template reaches no Python internals (__class__, __globals__, ...), makes
    no range of more than 100,000 numbers, and no text or list larger than the bounds below: no
    number larger than MAX_REPEAT is given to a function or filter (widths, counts), and text
    that ``~``, ``*``, a filter or a function makes is at most MAX_TEXT characters."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    def bounded(self, value: Any) -> Any:
        """Return *value* if it is not too large a text or list for a template to make."""
        if isinstance(value, (str, list, tuple)) and len(value) > MAX_TEXT:
            raise SecurityError(f"a text or list of {len(value):,} items is too large for a template")
        return value

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _refuse_large_numbers(args, kwargs, getattr(__obj, "__name__", "a function"))
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Any:
        """Refuse "{:>400000000}".format(...) before the sandbox's own str.format runs it."""
        if getattr(value, "__name__", "") in ("format", "format_map") and isinstance(
            getattr(value, "__self__", None), str
        ):
            _refuse_wide_format(value.__self__)
        return super().wrap_str_format(value)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            _refuse_wide_format(left)
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the power {left!r} ** {right} is too large for a template")
        if operator == "*":
            sized, count = (left, right) if isinstance(right, int) else (right, left)
            repeatable = isinstance(sized, (str, list, tuple)) and isinstance(count, int)
            if repeatable and len(sized) * count > MAX_REPEAT:
                raise SecurityError(f"repeating {len(sized)} items {count} times is too large for a template")
        return self.bounded(super().call_binop(context, operator, left, right))


def _refuse_large_numbers(args: tuple[Any, ...], kwargs: dict[str, Any], name: str) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_REPEAT:
            raise SecurityError(f"the number {value} is too large to give to {name} in a template")


_WIDE = re.compile(r"[%{][^%{}\s]*?[0-9]{6,}")  # a width or precision of a million or more


def _refuse_wide_format(text: str) -> None:
    if _WIDE.search(text):
        raise SecurityError("a format with a width of a million or more is too large for a template")


_PASSED = (EvalContext, jinja2.runtime.Context, jinja2.Environment)  # what Jinja passes before the value


def _bounded_filter(environment: Sandbox, name: str, function: Any) -> Any:
    """Wrap filter *function* so that it refuses huge widths and results, and huge joins and replaces."""

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _refuse_large_numbers(args, kwargs, f"the filter {name!r}")
        if name == "format" and args and isinstance(args[0], str):
            _refuse_wide_format(args[0])
        values = [
            a for a in args if not isinstance(a, (EvalContext, jinja2.runtime.Context, jinja2.Environment))
        ]
        if name == "join" and values and hasattr(values[0], "__len__"):
            separator = kwargs.get("d", values[1] if len(values) > 1 else "")
            if isinstance(separator, str) and len(values[0]) * len(separator) > MAX_TEXT:
                raise SecurityError("the text this join would make is too large for a template")
        if name == "replace" and len(values) >= 3 and all(isinstance(a, str) for a in values[:3]):
            if values[0].count(values[1]) * len(values[2]) > MAX_TEXT:
                raise SecurityError("the text this replace would make is too large for a template")
        return environment.bounded(function(*args, **kwargs))

    return bounded


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
        return self.reader.list_files(self.folder, skip=_HIDDEN)


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
                problems.append(self._problem(exc, None))
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
            return None, self._problem(exc, page)
        try:
            context = self._page_context(page, body)
        except MissingAsset as exc:  # the share image
            return None, Problem(f"templates/static/{exc.name}", None, "this file is missing",
                                 "restore it from git; the share images are drawn by: python build.py"
                                 " share-images")  # fmt: skip
        try:
            return self._render(template, context), None
        except Exception as exc:  # any failure while rendering is reported at its template line
            return None, self._problem(exc, page)

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
        }
        try:
            return self._render(self.envs[first].get_template(CHOOSER_TEMPLATE), context), None
        except Exception as exc:
            return None, self._problem(exc, None)

    def render_redirect(self, old_url: str, page: Page) -> tuple[str | None, Problem | None]:
        """Return the page left at a previous address, pointing to *page*'s current one."""
        context = {"page": page, "target": self.site.permalink(page), "old_url": old_url}
        try:
            return self._render(self.envs[page.lang].get_template(REDIRECT_TEMPLATE), context), None
        except Exception as exc:
            return None, self._problem(exc, page)

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
        env.filters = {name: _bounded_filter(env, name, f) for name, f in env.filters.items()}
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
            editor=self.site.config.editor,
            url_for=partial(self._url_for, lang),
            static_url=self._static_url,
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
            "share_image": site.absolute(self.assets.url(f"share-{page.lang}.png")),
            "updated": page.date,
        }

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
            return None, self._problem(exc, None)

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

    def _problem(self, exc: Exception, page: Page | None) -> Problem:
        """Describe what went wrong, at its template line, naming the page being rendered."""
        problem = self._template_problem(exc, page)
        if page is None or isinstance(exc, (Unreadable, jinja2.TemplateSyntaxError)):
            return problem
        return dataclasses.replace(problem, pages=(page.source.shown,))

    def _template_problem(self, exc: Exception, page: Page | None) -> Problem:
        if isinstance(exc, Unreadable):
            return exc.problem
        if isinstance(exc, jinja2.TemplateNotFound) and not isinstance(exc, jinja2.TemplatesNotFound):
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if Path(f.filename).is_relative_to(self.project.templates_dir)]  # fmt: skip
            where = self.project.show(Path(frames[-1].filename)) if frames else "templates"
            hint = "templates name each other from templates/, such as 'partials/cta.html'"
            line = frames[-1].lineno if frames else None
            return Problem(where, line, f"there is no template {exc.name!r} in templates/", hint)
        if isinstance(exc, jinja2.TemplateSyntaxError):
            shown = self.project.show(Path(exc.filename)) if exc.filename else f"templates/{exc.name}"
            message = exc.message or str(exc)
            return Problem(shown, exc.lineno, f"template syntax error: {message}", self._syntax_hint(message))
        frames = [
            frame for frame in traceback.extract_tb(exc.__traceback__)
            if Path(frame.filename).is_relative_to(self.project.templates_dir)
        ]  # fmt: skip
        shown = self.project.show(Path(frames[-1].filename)) if frames else "templates"
        line = frames[-1].lineno if frames else None
        if isinstance(exc, jinja2.UndefinedError):
            message, hint = _explain_undefined(exc.message or str(exc), self._names(page))
            return Problem(shown, line, message, hint)
        if isinstance(exc, TimeLimitExceeded):
            return Problem(shown, line, f"the template took more than {RENDER_SECONDS:g} s to render a page",
                           "look for a loop that runs too long (a loop inside a loop over"
                           " a long range)")  # fmt: skip
        if isinstance(exc, SecurityError):
            hint = "templates reach only the values given to them, not Python's internals"
            return Problem(shown, line, f"the template may not do this: {exc}", hint)
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        return Problem(shown, line, message)

    def _syntax_hint(self, message: str) -> str:
        env = next(iter(self.envs.values()))
        if match := re.search(r"No (filter|test) named '(\w+)'", message):
            known = env.filters if match.group(1) == "filter" else env.tests
            close = difflib.get_close_matches(match.group(2), list(known), n=1)
            return (
                f"did you mean {close[0]!r}?"
                if close
                else f"the {match.group(1)}s are: {', '.join(sorted(known))}"
            )
        if "end of template" in message or "unknown tag" in message:
            return "check that every {% ... %} block is closed with its {% end... %}"
        return "check the brackets: a value is written {{ ... }} and a tag {% ... %}"

    def _names(self, page: Page | None) -> list[str]:
        env = next(iter(self.envs.values()))
        context = self._page_context(page, _EMPTY_BODY) if page else {}
        return sorted({*env.globals, *context})


_EMPTY_BODY = RenderedBody(Markup(""), (), ())
_NO_ATTRIBUTE = re.compile(r"^'(?P<type>[\w.]+) object' has no attribute '(?P<name>\w+)'$")
_FRIENDLY = {"Page": "the page", "PageMeta": "page.meta", "Clinic": "clinic", "Language": "lang",
             "AtAGlance": "at_a_glance", "Alternate": "an alternate"}  # fmt: skip


def _explain_undefined(message: str, names: list[str]) -> tuple[str, str]:
    """Turn Jinja's message about an undefined name into words with a suggestion."""
    if match := _NO_ATTRIBUTE.match(message):
        module, _, cls_name = match["type"].rpartition(".")
        fields: list[str] = []
        try:
            cls = getattr(importlib.import_module(module), cls_name)
            fields = [name for name in dir(cls) if not name.startswith("_")]
            fields += list(getattr(cls, "__dataclass_fields__", {}))
        except (ImportError, AttributeError, ValueError):
            pass
        what = _FRIENDLY.get(cls_name, cls_name)
        close = difflib.get_close_matches(match["name"], sorted(set(fields)), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"{what} has: {', '.join(sorted(set(fields)))}"
        return f"{what} has no field {match['name']!r}", hint
    if match := re.match(r"^'(\w+)' is undefined$", message):
        close = difflib.get_close_matches(match.group(1), names, n=1)
        return f"the name {match.group(1)!r} is not known in templates", (
            f"did you mean {close[0]!r}?" if close else "check the spelling of the name"
        )
    return message, "check the spelling of the variable or field name in the template"
