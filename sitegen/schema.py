"""The front matter fields of each page layout: their types, and checking them."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .content import SourceFile
from .errors import Problem

HOME, SECTION, PAGE, NOT_FOUND = "home", "section", "page", "not_found"


@dataclass(frozen=True)
class AtAGlance:
    session_length: str
    sessions: str
    downtime: str
    anaesthesia: str


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str


@dataclass(frozen=True)
class Reference:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class PageMeta:
    """The checked front matter of one page."""

    title: str
    description: str
    layout: str
    slug: str | None = None
    nav_title: str | None = None
    menu: int | None = None
    weight: int | None = None
    at_a_glance: AtAGlance | None = None
    side_effects: tuple[str, ...] = ()
    aftercare: tuple[str, ...] = ()
    faq: tuple[FaqItem, ...] = ()
    references: tuple[Reference, ...] = ()
    reviewed_by: str | None = None
    last_reviewed: dt.date | None = None
    updated: dt.date | None = None


@dataclass(frozen=True)
class Field:
    kind: str  # what the editor is told to write
    required: bool
    convert: Callable[[Any], Any]  # raises ValueError with the reason


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"must be text, found {value!r}")
    if not str(value).strip():
        raise ValueError("must not be empty")
    return str(value).strip()


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number, found {value!r}")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ValueError(f"must be a date written as YYYY-MM-DD without quotes, found {value!r}")


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list (one '- item' per line), found {value!r}")
    return tuple(_text(item) for item in value)


def _record(cls: type, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"must be a set of 'key: value' lines ({', '.join(required)})")
        missing = [name for name in required if name not in value]
        unknown = [name for name in value if name not in required + optional]
        if missing:
            raise ValueError(f"needs {', '.join(repr(m) for m in missing)}")
        if unknown:
            raise ValueError(
                f"has unknown key {unknown[0]!r}{_did_you_mean(unknown[0], required + optional)}"
            )
        return cls(**{name: _text(item) for name, item in value.items()})

    return convert


def _records(cls: type, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> Callable[[Any], Any]:
    one = _record(cls, required, optional)

    def convert(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValueError("must be a list: each entry starts with '- '")
        return tuple(one(item) for item in value)

    return convert


COMMON: dict[str, Field] = {
    "title": Field("text", True, _text),
    "description": Field("text", True, _text),
    "slug": Field("text", False, _text),
    "layout": Field("text", False, _text),
    "nav_title": Field("text", False, _text),
    "menu": Field("whole number", False, _integer),
    "weight": Field("whole number", False, _integer),
    "updated": Field("date", False, _date),
}

TREATMENT: dict[str, Field] = {
    **COMMON,
    "at_a_glance": Field("mapping", True,
                         _record(AtAGlance, ("session_length", "sessions", "downtime", "anaesthesia"))),
    "side_effects": Field("list of text", True, _texts),
    "aftercare": Field("list of text", False, _texts),
    "faq": Field("list of question/answer", False, _records(FaqItem, ("question", "answer"))),
    "references": Field("list of title/url", False, _records(Reference, ("title",), ("url",))),
    "reviewed_by": Field("text", True, _text),
    "last_reviewed": Field("date", True, _date),
}  # fmt: skip

SCHEMAS: dict[str, dict[str, Field]] = {"treatment": TREATMENT}


def default_layout(source: SourceFile, section_layout: str | None) -> str:
    """Return the layout a page gets when its front matter names none."""
    if source.key == "index":
        return HOME
    if source.name == "_index":
        return SECTION
    if source.key == "404":
        return NOT_FOUND
    return section_layout or PAGE


def check_front_matter(
    source: SourceFile, section_layout: str | None
) -> tuple[PageMeta | None, list[Problem]]:
    """Check the front matter of *source* against its layout's fields."""
    data = source.front.data
    layout = data.get("layout") if isinstance(data.get("layout"), str) else None
    layout = layout or default_layout(source, section_layout)
    schema = SCHEMAS.get(layout, COMMON)
    problems = []
    values: dict[str, Any] = {"layout": layout}
    for name, value in data.items():
        line = source.front.line_of(name)
        field = schema.get(name)
        if field is None:
            hint = _did_you_mean(name, tuple(schema)).removeprefix(" (").removesuffix(")")
            problems.append(
                Problem(source.shown, line, f"unknown field {name!r} for a {layout!r} page",
                        hint or f"the fields are: {', '.join(schema)}")
            )  # fmt: skip
            continue
        try:
            values[name] = field.convert(value)
        except ValueError as exc:
            problems.append(Problem(source.shown, line, f"{name!r} {exc}", _FIELD_HINTS.get(name)))
    for name, field in schema.items():
        if field.required and name not in data:
            problems.append(
                Problem(source.shown, source.front.first_line, f"{name!r} is required on a {layout!r} page",
                        f"add a line '{name}: ...' ({field.kind}) to the front matter")
            )  # fmt: skip
    if problems:
        return None, problems
    return PageMeta(**values), []


def _did_you_mean(name: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


_FIELD_HINTS = {
    "last_reviewed": "write the date as 2026-11-24",
    "updated": "write the date as 2026-11-24",
    "side_effects": "write one '- ...' line per side effect under 'side_effects:'",
    "aftercare": "write one '- ...' line per item under 'aftercare:'",
    "faq": "each entry: '- question: ...' then '  answer: ...' on the next line",
    "at_a_glance": "give session_length, sessions, downtime and anaesthesia, indented under at_a_glance:",
}
