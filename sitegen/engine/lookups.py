"""The recorder of look-ups: every question a page's rendering asks the site, with its answer.

A page is made from its own file, its templates, its language's catalog and the
site data, and from whatever its rendering asks the site model: its translations
(switcher, hreflang), its breadcrumbs, the pages it lists, the menu, where each
link of its text leads, ``url_for``, ``pages_in``... The templates and the
Markdown renderer are given a `RecordingSite` instead of the `Site`: it answers
every question as the site does and notes the question, with a digest of the
answer. The next build asks the same questions of the new site (`Replay`); if
every answer is the same, so is the page. No list of questions is kept by hand:
a template that starts asking something new is recorded by construction.

Of another page, an answer counts its front matter and URL (title, description,
slug...), not its text: editing a page's text renders that page again, editing
its title also renders the pages that show the title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from ..digest import digest
from ..model import Page, Site

Asked = tuple[str, tuple[Any, ...], str]  # (question, its arguments as plain data, digest of the answer)
_PLAIN = (str, int, float, bool, type(None))
_GONE = "!gone"  # an argument names a page the site no longer has


class Answers:
    """Digests of answers, each value's computed once per build."""

    def __init__(self, earlier: Answers | None = None, pages: Iterable[Page] = ()) -> None:
        """Start with what *earlier* knew of *pages* (the same page objects, kept from one build to
        the next by the preview)."""
        self._known: dict[int, tuple[object, str]] = {}
        if earlier is not None:
            for page in pages:
                known = earlier._known.get(id(page))
                if known is not None and known[0] is page:
                    self._known[id(page)] = known

    def of(self, value: object) -> str:
        if isinstance(value, _PLAIN):
            return repr(value)
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if isinstance(value, Page):
            source = value.source
            found = digest("page", source.shown, source.front_text, value.url, value.slug)
        elif isinstance(value, list):  # made anew by each question: not kept
            return digest("list", *(self.of(item) for item in value))
        elif isinstance(value, tuple):  # the site's pages: the same tuple every time
            found = digest("list", *(self.of(item) for item in value))
        elif isinstance(value, (set, frozenset)):  # the drafts: in an order that is the same every time
            found = digest("set", *sorted(repr(item) for item in value))
        else:  # the site data: what repr shows of it is all it holds
            found = digest(type(value).__name__, repr(value))
        self._known[id(value)] = (value, found)  # the value is kept alive, so its id is not reused
        return found


def as_data(value: object) -> Any:
    """An argument of a question as plain data, to keep and to ask again in another build."""
    if isinstance(value, Page):
        return ("page", value.key, value.lang)
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (list, tuple)):
        return ("list", tuple(as_data(item) for item in value))
    raise TypeError(f"a question to the site with an argument of type {type(value).__name__}")


def _from_data(site: Site, value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "page":
        page = site.page(value[1], value[2])
        if page is None:
            raise LookupError(_GONE)
        return page
    if isinstance(value, tuple) and value and value[0] == "list":
        return [_from_data(site, item) for item in value[1]]
    return value


class RecordingSite:
    """The site as templates and the Markdown renderer see it: each question is noted in `asked`."""

    def __init__(self, site: Site, answers: Answers) -> None:
        self._site = site
        self._answers = answers
        self._asked: list[Asked] | None = None

    @contextmanager
    def recording(self, asked: list[Asked]) -> Iterator[list[Asked]]:
        """Note the questions asked inside the block in *asked*."""
        previous, self._asked = self._asked, asked
        try:
            yield asked
        finally:
            self._asked = previous

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._site, name)
        if name.startswith("_"):
            return value
        if not callable(value):
            self._note(name, (), value)
            return value
        method = cast(Callable[..., Any], value)

        def ask(*args: Any) -> Any:
            answer = method(*args)
            self._note(name, args, answer)
            return answer

        return ask

    def _note(self, name: str, args: tuple[Any, ...], answer: object) -> None:
        if self._asked is not None:
            self._asked.append((name, tuple(as_data(a) for a in args), self._answers.of(answer)))


def recording_view(site: Site, answers: Answers) -> tuple[Site, RecordingSite]:
    """Return the recorder as the `Site` the renderers are typed to take, and as itself."""
    recorder = RecordingSite(site, answers)
    return cast(Site, recorder), recorder


class Replay:
    """Ask recorded questions again of this build's site; an answer is computed once per build."""

    def __init__(self, site: Site, answers: Answers) -> None:
        self.site = site
        self.answers = answers
        self._now: dict[tuple[str, tuple[Any, ...]], str] = {}

    def same(self, asked: Iterable[Asked]) -> bool:
        """Return whether every question in *asked* has the answer it had."""
        for name, args, answer in asked:
            key = (name, args)
            now = self._now.get(key)
            if now is None:
                now = self._now[key] = self._ask(name, args)
            if now != answer:
                return False
        return True

    def _ask(self, name: str, args: tuple[Any, ...]) -> str:
        try:
            value = getattr(self.site, name)
            if callable(value):
                value = value(*(_from_data(self.site, a) for a in args))
        except LookupError:  # a page named in the question is gone
            return _GONE
        except AttributeError:  # the site model no longer has this question (a newer generator)
            return _GONE
        return self.answers.of(value)
