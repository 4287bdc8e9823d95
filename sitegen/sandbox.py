"""The environment templates run in: Jinja's sandbox, bounded in time and size, with translations as text.

Templates may come from anyone (a pull request): they reach no Python internals,
make no text or list larger than the bounds below, and a translation is text,
never HTML.
"""

from __future__ import annotations

import functools
import gettext
import re
import types
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape


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
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)):
            return None  # as Jinja's own: every attribute a template reads comes here, so this is quick
        if value.__name__ in ("format", "format_map") and isinstance(value.__self__, str):
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


def bounded_filter(environment: Sandbox, name: str, function: Any) -> Any:
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
