"""The front matter fields of each page layout: their types, and checking them."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import addresses
from .addresses import unsafe_reason
from .config import MEDICAL_SPECIALTIES, PROFILE_LAYOUT
from .content import PAGE, SourceFile
from .errors import Problem
from .slugs import slug_problem
from .yamltext import Key, YamlDoc

# The default layouts are named after the kinds of page they are for (see content.SourceFile.kind).


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
class Procedure:
    """What search engines are told about a treatment (schema.org MedicalProcedure)."""

    type: str  # one of PROCEDURE_TYPES
    how_performed: str
    preparation: str
    followup: str
    body_location: str


PROCEDURE_TYPES = {"percutaneous": "PercutaneousProcedure", "noninvasive": "NoninvasiveProcedure"}


@dataclass(frozen=True)
class Certificate:
    """A certificate a doctor holds, as the issuing body registered it."""

    title: str
    issuer: str
    number: str | None = None
    date: dt.date | None = None


# The longest a page may go unreviewed: the cycle of the NHS's pages. A later date is a typing slip
# (2207 for 2027) that the byline would publish.
MAX_REVIEW_YEARS = 3


def _years_after(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


# How many references a treatment page lists: enough to check it, few enough to be read.
MIN_REFERENCES, MAX_REFERENCES = 2, 4


@dataclass(frozen=True)
class PageMeta:
    """The checked front matter of one page."""

    title: str
    description: str
    layout: str
    lead: str | None = None  # the visible first paragraph; the description is for search engines
    image: str | None = None  # the page's picture: its card, its top and its share image (/media/...)
    image_alt: str | None = None  # what the picture shows, in the page's language
    slug: str | None = None
    nav_title: str | None = None
    menu: int | None = None
    weight: int | None = None
    at_a_glance: AtAGlance | None = None
    contraindications: tuple[str, ...] = ()
    preparation: tuple[str, ...] = ()
    results: str | None = None
    side_effects: tuple[str, ...] = ()
    warning_signs: tuple[str, ...] = ()
    aftercare: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    evidence: str | None = None
    authorisation: str | None = None
    faq: tuple[FaqItem, ...] = ()
    references: tuple[Reference, ...] = ()
    author: str | None = None  # a doctor's profile: its file name in the profiles' folder
    reviewed_by: str | None = None  # the same
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    updated: dt.date | None = None
    draft: bool = False
    previous_slugs: tuple[str, ...] = ()
    procedure: Procedure | None = None
    # A doctor's profile (the 'doctor' layout).
    specialty: str | None = None
    medical_specialty: str | None = None
    registration: str | None = None
    certificates: tuple[Certificate, ...] = ()
    languages: tuple[str, ...] = ()


class FieldError(ValueError):
    """A front matter value that does not fit its field, at *key* (a path into the YAML)."""

    def __init__(self, key: Key, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.key, self.hint = key, hint


Convert = Callable[[Any, Key, YamlDoc], Any]


@dataclass(frozen=True)
class Field:
    kind: str  # what the editor is told to write
    required: bool
    convert: Convert  # raises FieldError


def _text(value: Any, key: Key, doc: YamlDoc) -> str:
    typed = doc.typed(key, value) if value is not None else ""
    if typed is None:
        raise FieldError(key, f"must be text, found a {_kind(value)}", "write one line of text")
    if not typed.strip():  # "", or only spaces: a web editor's field left blank
        raise FieldError(key, "is empty", "write the text after the colon, or delete the line")
    return typed.strip()


def _integer(value: Any, key: Key, doc: YamlDoc) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        shown = doc.raw.get(key, value)
        raise FieldError(key, f"must be a whole number, found {shown!r}", "for example: 3")
    return value


_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_ISO_LIKE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date(value: Any, key: Key, doc: YamlDoc) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "":
        raise FieldError(key, "is empty", "write the date as year-month-day, for example 2026-11-24")
    typed = str(doc.typed(key, value) or value)
    raise FieldError(key, f"must be a date written as YYYY-MM-DD without quotes, found {typed!r}",
                     _date_hint(typed))  # fmt: skip


def _date_hint(typed: str) -> str:
    """Suggest the editor's own date in the right form: '24.11.2026' -> '2026-11-24'."""
    for pattern, order in ((_DAY_FIRST, (2, 1, 0)), (_ISO_LIKE, (0, 1, 2))):
        match = pattern.match(typed.strip())
        if match:
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                return f"write it as {dt.date(year, month, day).isoformat()} (year-month-day), without quotes"
            except ValueError:
                break
    return "write it as year-month-day without quotes, for example 2026-11-24"


def _yes_no(value: Any, key: Key, doc: YamlDoc) -> bool:
    if not isinstance(value, bool):
        raise FieldError(key, f"must be true or false, found {doc.typed(key, value)!r}")
    return value


MAX_PREVIOUS_SLUGS = 10  # each is a page left at the old address, in every folder below it


def _slugs(value: Any, key: Key, doc: YamlDoc) -> tuple[str, ...]:
    slugs = _texts(value, key, doc)
    if len(slugs) > MAX_PREVIOUS_SLUGS:
        raise FieldError(key, f"lists {len(slugs)} old slugs, more than {MAX_PREVIOUS_SLUGS}: keep the"
                         " addresses that were really published and linked to")  # fmt: skip
    for index, slug in enumerate(slugs):
        if why := slug_problem(slug):
            raise FieldError((*key, index), why.replace("the slug ", "the old slug ", 1))
        if slug in slugs[:index]:
            raise FieldError((*key, index), f"the old slug {slug!r} is listed twice: keep one")
    return slugs


def _procedure_type(value: Any, key: Key, doc: YamlDoc) -> str:
    text = _text(value, key, doc)
    if text not in PROCEDURE_TYPES:
        hint = "percutaneous: through the skin, such as injections; noninvasive: without a needle"
        raise FieldError(key, f"must be one of {', '.join(PROCEDURE_TYPES)}, found {text!r}", hint)
    return text


def _url(value: Any, key: Key, doc: YamlDoc) -> str:
    text = _text(value, key, doc)
    if unsafe_reason(text):
        raise FieldError(key, f"is not an allowed address: {text[:60]!r}", addresses.HINT)
    return text


_MEDIA_NAME = re.compile(r"^/media/(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def _image(value: Any, key: Key, doc: YamlDoc) -> str:
    """An image of content/media/, named as the page shows it: /media/photo.jpg."""
    text = _text(value, key, doc)
    if not _MEDIA_NAME.match(text) or "/../" in text or "/./" in text:
        raise FieldError(key, f"must name an image in content/media/, found {text[:60]!r}",
                         "put the picture in content/media/ and write /media/ and its file name, such as"
                         " /media/mesotherapy.jpg (letters, digits, - and _ only)")  # fmt: skip
    return text


_PROFILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _profile(value: Any, key: Key, doc: YamlDoc) -> str:
    """A doctor's profile, named by its file: 'ad-soyad' for content/doctors/ad-soyad.tr.md."""
    text = _text(value, key, doc)
    if not _PROFILE_NAME.match(text):
        raise FieldError(key, f"must name a doctor's profile by its file name, found {text!r}",
                         "write the name of the profile's file without the language and .md, such as"
                         " ad-soyad for doctors/ad-soyad.tr.md")  # fmt: skip
    return text


def _medical_specialty(value: Any, key: Key, doc: YamlDoc) -> str:
    text = _text(value, key, doc)
    if text not in MEDICAL_SPECIALTIES:
        hint = _did_you_mean(text, MEDICAL_SPECIALTIES) or "leave the line out unless the doctor holds one"
        raise FieldError(key, f"is not one of schema.org's medical specialties: {text!r}", hint)
    return text


_SOURCE_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", re.IGNORECASE)


def _source_url(value: Any, key: Key, doc: YamlDoc) -> str:
    """The address of a source a reader can open: a whole web address, not a page of the site."""
    text = _url(value, key, doc)
    if not _SOURCE_URL.fullmatch(text):
        raise FieldError(key, f"must be the whole web address of the source, found {text[:60]!r}",
                         "copy it from the browser's address bar: https://...")  # fmt: skip
    return text


def _distinct_references(found: tuple[Reference, ...], key: Key) -> None:
    for index, reference in enumerate(found):  # the same source twice would count as two
        for earlier, other in enumerate(found[:index]):
            if reference.title.casefold() == other.title.casefold() or (
                reference.url and reference.url == other.url
            ):
                raise FieldError((*key, index), f"repeats references[{earlier + 1}]: each reference is a"
                                 " different source", "delete it, or name another source")  # fmt: skip
    if not MIN_REFERENCES <= len(found) <= MAX_REFERENCES:
        what = f"lists {len(found)} references; a treatment page lists {MIN_REFERENCES} to {MAX_REFERENCES}"
        raise FieldError(key, what, "name the sources a reader can check the page against: guidance,"
                         " reviews, a medicine's label, each with its title and address")  # fmt: skip


def _texts(value: Any, key: Key, doc: YamlDoc) -> tuple[str, ...]:
    if not isinstance(value, list):
        shown = doc.typed(key, value) if value is not None else "nothing"
        raise FieldError(key, f"must be a list (one '- item' per line), found {shown!r}",
                         "put each item on its own line under the field, starting with '- '")  # fmt: skip
    return tuple(_text(item, (*key, index), doc) for index, item in enumerate(value))


@dataclass(frozen=True)
class Record:
    """A converter of a set of keys, each with its own converter; *many*: of a list of such sets.

    The keys are data, not only code, so that the web editor's forms are made from them (sitegen/cms.py).
    """

    cls: type
    fields: dict[str, Convert]
    optional: tuple[str, ...] = ()
    many: bool = False
    check: Callable[[Any, Key], None] | None = None  # a check of the whole value once converted

    def __call__(self, value: Any, key: Key, doc: YamlDoc) -> Any:
        if self.many:
            if not isinstance(value, list):
                raise FieldError(key, "must be a list: each entry starts with '- '")
            found: Any = tuple(self.one(item, (*key, index), doc) for index, item in enumerate(value))
        else:
            found = self.one(value, key, doc)
        if self.check is not None:
            self.check(found, key)
        return found

    def one(self, value: Any, key: Key, doc: YamlDoc) -> Any:
        fields = self.fields
        if not isinstance(value, dict):
            raise FieldError(key, f"must be a set of 'key: value' lines ({', '.join(fields)})",
                             "indent them by two spaces under the field name")  # fmt: skip
        for name in value:
            if name not in fields:
                hint = _did_you_mean(str(name), tuple(fields)) or f"the keys are: {', '.join(fields)}"
                raise FieldError((*key, name), "is not a known key", hint)
        missing = [name for name in fields if name not in value and name not in self.optional]
        if missing:
            raise FieldError(key, f"needs {', '.join(repr(m) for m in missing)}",
                             f"add '{missing[0]}: ...' indented under it")  # fmt: skip
        return self.cls(**{name: fields[name](item, (*key, name), doc) for name, item in value.items()})


_references = Record(Reference, {"title": _text, "url": _source_url}, optional=("url",), many=True,
                     check=_distinct_references)  # fmt: skip


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no value (put the text in quotes)"
    if isinstance(value, (dict, list)):
        return "list or indented keys"
    return "value that is not text (put it in quotes)"


COMMON: dict[str, Field] = {
    "title": Field("text", True, _text),
    "description": Field("text", True, _text),
    "slug": Field("text", False, _text),
    "layout": Field("text", False, _text),
    "nav_title": Field("text", False, _text),
    "menu": Field("whole number", False, _integer),
    "weight": Field("whole number", False, _integer),
    "updated": Field("date", False, _date),
    "draft": Field("true or false", False, _yes_no),
    "previous_slugs": Field("list of the page's old slugs", False, _slugs),
    "lead": Field("text", False, _text),
    "image": Field("an image of content/media/, such as /media/mesotherapy.jpg", False, _image),
    "image_alt": Field("text: what the image shows, for visitors who cannot see it", False, _text),
}

_GLANCE: dict[str, Convert] = {
    "session_length": _text,
    "sessions": _text,
    "downtime": _text,
    "anaesthesia": _text,
}
_LIST = "one '- ...' line per item"
TREATMENT: dict[str, Field] = {
    **COMMON,
    "lead": Field("text: the first paragraph visitors read", True, _text),
    "at_a_glance": Field("indented lines: session_length, sessions, downtime, anaesthesia", True,
                         Record(AtAGlance, _GLANCE)),
    "contraindications": Field(f"{_LIST}: who should not have the treatment", True, _texts),
    "preparation": Field(f"{_LIST}: how to prepare", True, _texts),
    "results": Field("text: how many sessions, when changes may show, how long they last", True, _text),
    "side_effects": Field("one '- ...' line per side effect", True, _texts),
    "warning_signs": Field(f"{_LIST}: signs that need the clinic or a doctor at once", True, _texts),
    "aftercare": Field("one '- ...' line per instruction", False, _texts),
    "alternatives": Field(f"{_LIST}: other options, described neutrally", True, _texts),
    "evidence": Field("text: one honest line on how strong the evidence is", True, _text),
    "authorisation": Field("text: who may perform it, and where, and how to check", True, _text),
    "faq": Field("list of question/answer", False,
                 Record(FaqItem, {"question": _text, "answer": _text}, many=True)),
    "references": Field(f"list of {MIN_REFERENCES} to {MAX_REFERENCES} title/url", True, _references),
    "author": Field("a doctor's profile (its file name)", False, _profile),
    "reviewed_by": Field("a doctor's profile (its file name), such as ad-soyad", True, _profile),
    "last_reviewed": Field("date, such as 2026-11-24", True, _date),
    "next_review": Field("date, such as 2027-11-24", True, _date),
    "procedure": Field("indented lines: type, how_performed, preparation, followup, body_location", True,
                       Record(Procedure, {"type": _procedure_type, "how_performed": _text,
                                           "preparation": _text, "followup": _text, "body_location": _text})),
}  # fmt: skip

DOCTOR: dict[str, Field] = {
    **COMMON,
    "specialty": Field("text: the specialty as the diploma names it", True, _text),
    "medical_specialty": Field("one of schema.org's medical specialties, such as Dermatologic", False,
                               _medical_specialty),
    "registration": Field("text: the diploma or registration number", True, _text),
    "certificates": Field("list of title/issuer/number/date", False,
                          Record(Certificate, {"title": _text, "issuer": _text, "number": _text,
                                               "date": _date}, optional=("number", "date"), many=True)),
    "languages": Field(f"{_LIST}: the languages the doctor speaks with patients", True, _texts),
}  # fmt: skip

SCHEMAS: dict[str, dict[str, Field]] = {"treatment": TREATMENT, PROFILE_LAYOUT: DOCTOR}

# What each converter of a single value takes, named for the tools that write front matter (the web
# editor's forms, sitegen/cms.py); a Record names its keys itself. A converter missing here is an
# error of the generator, so a new kind of field cannot reach the web editor untyped.
VALUE_TYPES: dict[Convert, str] = {
    _text: "text", _url: "text", _source_url: "text", _integer: "integer", _date: "date",
    _yes_no: "boolean", _texts: "texts", _slugs: "texts", _image: "image", _profile: "profile",
    _medical_specialty: "choice", _procedure_type: "choice",
}  # fmt: skip
CHOICES: dict[Convert, tuple[str, ...]] = {
    _medical_specialty: MEDICAL_SPECIALTIES,
    _procedure_type: tuple(PROCEDURE_TYPES),
}


def default_layout(source: SourceFile, section_layout: str | None) -> str:
    """Return the layout a page gets when its front matter names none."""
    if source.kind != PAGE:  # the home page, a folder's page, the 'page not found' page
        return source.kind
    return section_layout or PAGE


def check_front_matter(
    source: SourceFile, section_layout: str | None
) -> tuple[PageMeta | None, list[Problem]]:
    """Check the front matter of *source* against its layout's fields."""
    doc = source.front
    data = doc.data
    layout = data.get("layout") if isinstance(data.get("layout"), str) else None
    layout = layout or default_layout(source, section_layout)
    schema = SCHEMAS.get(layout, COMMON)
    problems = []
    values: dict[str, Any] = {"layout": layout}
    suggested = set()
    for name, value in data.items():
        field = schema.get(name)
        if field is None:
            close = _closest(str(name), tuple(schema))
            hint = _did_you_mean(str(name), tuple(schema))
            if close:
                suggested.add(close)
            problems.append(
                Problem(source.shown, doc.line_of(name), f"unknown field {name!r} for a {layout!r} page",
                        hint or f"the fields are: {', '.join(schema)}")
            )  # fmt: skip
            continue
        try:
            values[name] = field.convert(value, (name,), doc)
        except FieldError as error:
            problems.append(Problem(source.shown, doc.line_of(*error.key), f"{_name(error.key)!r} {error}",
                                    error.hint))  # fmt: skip
    for name, field in schema.items():
        if field.required and values.get(name) == ():  # "warning_signs: []", as a web editor writes none
            problems.append(
                Problem(
                    source.shown,
                    doc.line_of(name),
                    f"{name!r} lists nothing: a {layout!r} page needs at least one",
                    f"under it, write {field.kind}",
                )
            )
        if field.required and name not in data and name not in suggested:
            problems.append(
                Problem(source.shown, doc.first_line, f"{name!r} is required on a {layout!r} page",
                        f"add a line '{name}: ...' ({field.kind}) to the front matter")
            )  # fmt: skip
    if "image" in values and "image_alt" not in data:
        problems.append(Problem(source.shown, doc.line_of("image"), "'image' has no 'image_alt': a"
                                " description of the picture for visitors who cannot see it",
                                "add a line 'image_alt: ...' saying what the picture shows, in the page's"
                                " language"))  # fmt: skip
    elif "image_alt" in values and "image" not in data:
        problems.append(Problem(source.shown, doc.line_of("image_alt"), "'image_alt' describes an image,"
                                " but the page names no 'image'",
                                "add 'image: /media/...', or delete the line"))  # fmt: skip
    last, following = values.get("last_reviewed"), values.get("next_review")
    if last and following and following <= last:
        problems.append(Problem(source.shown, doc.line_of("next_review"),
                                f"'next_review' ({following.isoformat()}) must come after 'last_reviewed'"
                                f" ({last.isoformat()})",
                                "a page is usually reviewed again within a year"))  # fmt: skip
    elif last and following and following > _years_after(last, MAX_REVIEW_YEARS):
        problems.append(Problem(source.shown, doc.line_of("next_review"),
                                f"'next_review' ({following.isoformat()}) is more than {MAX_REVIEW_YEARS}"
                                f" years after 'last_reviewed' ({last.isoformat()})",
                                f"a page is usually reviewed again within a year, such as"
                                f" {_years_after(last, 1).isoformat()}"))  # fmt: skip
    if problems:
        return None, problems
    return PageMeta(**values), []


def _name(key: Key) -> str:
    """Return a key path as an editor reads it: faq[2].answer (entries counted from 1)."""
    text = ""
    for part in key:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _closest(name: str, choices: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(name: str, choices: tuple[str, ...]) -> str:
    close = _closest(name, choices)
    return f"did you mean {close!r}?" if close else ""
