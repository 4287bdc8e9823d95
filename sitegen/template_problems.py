"""What went wrong in a template, told at its line: Jinja's errors in the editor's words, with a hint."""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import re
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError

from .errors import Problem
from .files import Unreadable
from .model import Page
from .project import Project
from .sandbox import RENDER_SECONDS
from .timelimit import TimeLimitExceeded


class Explain:
    """Turn an exception raised by a template into the editor's Problem."""

    def __init__(self, project: Project, env: jinja2.Environment, names: Callable[[Page | None], list[str]]):
        self.project = project
        self.env = env
        self.names = names  # the names a template of a page can use, for "did you mean"

    def __call__(self, exc: Exception, page: Page | None) -> Problem:
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
            message, hint = _explain_undefined(exc.message or str(exc), self.names(page))
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
        env = self.env
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
