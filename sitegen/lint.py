"""The health-information lint: phrases Turkish rules forbid, from content/rules.yaml."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from dataclasses import dataclass

import jinja2

from .errors import WARNING, Problem
from .files import Reader, Unreadable
from .textcase import lower
from .yamltext import YamlDoc, parse_yaml

RULES_FILE = "rules.yaml"
_SIDES = ("before", "after")


@dataclass(frozen=True)
class Negation:
    """The words of one language that deny a phrase written right before or right after them."""

    before: re.Pattern[str] | None  # searched up to the phrase: "not", "cannot be"
    after: re.Pattern[str] | None  # matched from the end of the phrase: "edilmez", "değildir"

    def denies(self, text: str, start: int, end: int) -> bool:
        """Return whether the phrase found at text[start:end] is denied where it is written."""
        if self.before and self.before.search(text, max(0, start - 80), start):
            return True
        return bool(self.after and self.after.match(text, end))


@dataclass(frozen=True)
class Rule:
    phrase: str
    why: str
    pattern: re.Pattern[str]
    needle: str  # the phrase's first word in small letters: no match is possible without it
    negation: Negation | None = None


def load_rules(
    reader: Reader, languages: tuple[str, ...] = ()
) -> tuple[dict[str, list[Rule]], list[Problem]]:
    """Read the phrase lists per language (of *languages*, when given); a missing file means no rules."""
    path = reader.project.content_dir / RULES_FILE
    if not reader.exists(path):
        return {}, []
    shown = reader.show(path)
    try:
        text, problems = reader.read_text(path)
    except Unreadable as exc:
        return {}, [exc.problem]
    doc, found = parse_yaml(text, shown)
    problems += found
    if doc is None:
        return {}, problems
    rules: dict[str, list[Rule]] = {}
    negations, found = _negations(doc, shown, languages)
    problems += found
    entries = doc.data.get("rules") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list):
        hint = "keep the layout of the file: - why: ... then tr: [...] and en: [...]"
        return {}, [
            Problem(shown, doc.first_line, "'rules' must be a list of entries with 'why' and phrases", hint)
        ]
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("why"), str):
            problems.append(Problem(shown, doc.line_of("rules", index), "each rule needs a 'why: ...' line"))
            continue
        for lang, phrases in entry.items():
            if lang == "why":
                continue
            if languages and lang not in languages:
                problems.append(_unknown_language(shown, doc.line_of("rules", index, lang), lang, languages))
                continue
            if not isinstance(phrases, list):
                problems.append(Problem(shown, doc.line_of("rules", index, lang),
                                        f"{lang!r} must be a list of phrases in [brackets]"))  # fmt: skip
                continue
            for phrase in phrases:
                text = str(doc.typed(("rules", index, lang), phrase) or phrase)
                if not text.strip():
                    continue  # an empty phrase forbids nothing
                pattern, needle = _pattern(text, str(lang))
                rules.setdefault(str(lang), []).append(
                    Rule(text, entry["why"], pattern, needle, negations.get(str(lang)))
                )
    return rules, problems


def _unknown_language(shown: str, line: int, lang: object, languages: tuple[str, ...]) -> Problem:
    close = difflib.get_close_matches(str(lang).lower(), languages, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    hint += f"the site's languages are {', '.join(languages)}"
    return Problem(shown, line, f"unknown language {lang!r}: its phrases would never be looked for", hint)


def _negations(
    doc: YamlDoc, shown: str, languages: tuple[str, ...]
) -> tuple[dict[str, Negation], list[Problem]]:
    """Read the 'negations:' of the file: per language, the words that deny a phrase next to them."""
    data = doc.data.get("negations") if isinstance(doc.data, dict) else None
    if data is None:
        return {}, []
    layout = "write under each language before: [...] and/or after: [...], as the file shows"
    if not isinstance(data, dict):
        return {}, [
            Problem(shown, doc.line_of("negations"), "'negations' must list words per language", layout)
        ]
    negations: dict[str, Negation] = {}
    problems: list[Problem] = []
    for lang, sides in data.items():
        if languages and lang not in languages:
            problems.append(_unknown_language(shown, doc.line_of("negations", lang), lang, languages))
            continue
        if not isinstance(sides, dict):
            problems.append(Problem(shown, doc.line_of("negations", lang), f"{lang!r} must hold"
                                    " 'before:' and/or 'after:'", layout))  # fmt: skip
            continue
        found: dict[str, list[str]] = {}
        for side, words in sides.items():
            line = doc.line_of("negations", lang, side)
            if side not in _SIDES:
                close = difflib.get_close_matches(str(side), _SIDES, n=1)
                hint = (f"did you mean {close[0]!r}? " if close else "") + "the words are denials written"
                problems.append(Problem(shown, line, f"{side!r} is neither 'before' nor 'after'",
                                        hint + " right before or right after the phrase"))  # fmt: skip
            elif not isinstance(words, list):
                problems.append(Problem(shown, line, f"{side!r} must be a list of words in [brackets]"))
            else:
                typed = [str(doc.typed(("negations", lang, side, i), w) or w) for i, w in enumerate(words)]
                found[str(side)] = [word for word in typed if word.strip()]
        negations[str(lang)] = _negation(found, str(lang))
    return negations, problems


def _negation(words: dict[str, list[str]], lang: str) -> Negation:
    def either(side: str) -> str | None:
        forms = sorted((_words(word, lang) for word in words.get(side, [])), key=len)
        return "|".join(reversed(forms)) or None  # the longest first: "not be" before "not"

    before, after = either("before"), either("after")
    return Negation(
        re.compile(rf"(?<!\w)(?:{before})\s+\Z") if before else None,
        re.compile(rf"\s+(?:{after})") if after else None,
    )


def _words(phrase: str, lang: str) -> str:
    """Return the regex of the words of *phrase* with any spaces between them (' also as ’); a
    Turkish last word also with suffixes, even a short one: yok -> yoktur, değil -> değildir."""
    source = r"\s+".join(re.escape(word).replace("'", "['\u2019]") for word in lower(phrase, lang).split())
    if lang in _SUFFIXED and phrase[-1:].isalpha():
        source += r"\w*"
    return source + (r"(?!\w)" if phrase[-1:].isalnum() else "")


_SUFFIXED = ("tr", "az")  # languages whose words take suffixes: garanti -> garantili, garantisi


def _pattern(phrase: str, lang: str) -> tuple[re.Pattern[str], str]:
    """Match *phrase* as whole words, ignoring case; Turkish words also with suffixes, English ones
    also with the -s or -es of a plural or a verb. Return it with the text no match can lack."""
    words = lower(phrase, lang).split()
    ending = ""
    if lang == "en" and phrase[-1:].isalpha():
        words[-1], ending = _plural(words[-1])
    first, *rest = words
    # The pattern starts with the first word itself, so that the regex engine looks for it
    # as a string; "not after a letter" is checked behind it.
    source = re.escape(first)
    if phrase[:1].isalnum():
        source += rf"(?<!\w{re.escape(first)})"
    for word in rest:
        source += r"\s+" + re.escape(word)
    if lang in _SUFFIXED and phrase[-1:].isalpha() and len(phrase) > 3:
        ending = r"\w*"
    end = r"(?!\w)" if phrase[-1:].isalnum() else ""
    return re.compile(source + ending + end), first


def _plural(word: str) -> tuple[str, str]:
    """Split an English *word* into what each of its forms starts with and the regex of the endings
    of a plural or a verb's -s: guarantee(s), testimonial(s), pass(es), reach(es), safety/safeties."""
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiou":
        return word[:-1], "(?:y|ies)"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word, "(?:es)?"
    return word, "s?"


def lint_text(
    text: str, lang: str, shown: str, rules: dict[str, list[Rule]], first_line: int = 1, catalog: bool = False
) -> list[Problem]:
    """Return a problem for each forbidden phrase in *text*, at its line.

    In a *catalog*, only the translations are this language's text (not comments or msgids).
    """
    problems: list[Problem] = []
    language_rules = rules.get(lang, [])
    if not language_rules:
        return problems
    folded_text = lower(plain_text(text), lang)
    # A phrase can only match where its first word is written: a fast test of the whole text
    # leaves, on most pages, no rule to try line by line.
    candidates = [rule for rule in language_rules if rule.needle in folded_text]
    if not candidates:
        return problems
    lines = text.split("\n")
    found = []
    for rule in candidates:
        for match in rule.pattern.finditer(folded_text):
            index = folded_text.count("\n", 0, match.start())
            line = lines[index]
            if catalog and (line.startswith("#") or line.startswith("msgid")):
                continue
            if rule.negation and rule.negation.denies(folded_text, match.start(), match.end()):
                continue  # "garanti edilmez", "not guaranteed": a disclaimer, not a promise
            found.append((index, match, rule))
    # The longest phrase found at a place is the one reported: "guarantees" once, not for each of
    # "guarantee" and "guaranteed"; "en iyi" once, even where "en iyi sonuç" is listed too.
    found.sort(key=lambda item: (item[1].start(), -item[1].end()))
    kept: list[tuple[int, re.Match[str], Rule]] = []
    for item in found:
        if not kept or item[1].start() >= kept[-1][1].end():
            kept.append(item)
    for index, match, rule in kept:
        problems.append(
            Problem(shown, first_line + index, f"{_written(text, folded_text, match)!r} — {rule.why}",
                    "rephrase it; content/rules.yaml lists what the rules forbid", WARNING)
        )  # fmt: skip
    return problems


# What hides a phrase from a plain search without changing how it reads: invisible characters (Unicode's
# format characters, variation selectors, tags), character references (&#116; is "t"), emphasis marks
# inside a word (garan**t**i), and letters of other scripts that look like Latin ones.
_HIDDEN = re.compile(
    "[\u00ad\u034f\u061c\u0600-\u0605\u06dd\u070f\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e01ef]"
)
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Marks inside a word (garan**t**i), or around its first letters (**gar**anti): (?<=\w)[*_]+(?=\w) or
# (?<![\w*_])[*_]{1,3}(?=\w+[*_]{1,3}\w), written to start with the mark so that the regex engine
# looks only at marks, not at every character.
_MARK_IN_WORD = re.compile(r"[*_](?:(?<=\w[*_])[*_]*(?=\w)|(?<![\w*_][*_])[*_]{0,2}(?=\w+[*_]{1,3}\w))")
_LOOK_ALIKE_LETTERS = "аеорсухіјѕһԁԛԝӏАВЕКМНОРСТХУІЈЅαοριχνκτυΑΒΕΖΗΙΚΜΝΟΡΤΥΧɡɑɩℓ"
_LOOK_ALIKES = str.maketrans(_LOOK_ALIKE_LETTERS, "aeopcyxijshdqwlABEKMHOPCTXYIJSaopixvktuABEZHIKMNOPTYXgail")
_LOOK_ALIKE = re.compile(f"[{_LOOK_ALIKE_LETTERS}]")


def plain_text(text: str) -> str:
    """Return *text* as a reader sees it, for matching: compatibility forms (ｆｕｌｌ width), no
    invisible characters, look-alike letters as the Latin ones. Lines stay as they were."""
    # Each step only where it has something to do: a search is many times faster than a
    # translation or a substitution that changes nothing.
    if "&" in text:
        text = _REFERENCE.sub(lambda m: html.unescape(m[0]).replace("\n", " "), text)
    if not text.isascii():  # (a flag of the string: no reading)
        text = _HIDDEN.sub("", text)
    if "*" in text or "_" in text:
        text = _MARK_IN_WORD.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_LOOK_ALIKES) if _LOOK_ALIKE.search(text) else text


def _written(text: str, folded: str, match: re.Match[str]) -> str:
    """The phrase as written in *text*, where *match* found it in the small-letter *folded* text."""
    if len(text) == len(folded):
        return text[match.start() : match.end()]
    # Lines are kept: where this line kept its length too, read the phrase at the same columns.
    index = folded.count("\n", 0, match.start())
    line, folded_line = text.split("\n")[index], folded.split("\n")[index]
    if len(line) == len(folded_line):
        start = match.start() - (folded.rfind("\n", 0, match.start()) + 1)
        return line[start : start + len(match[0])]
    return match[0]  # hidden characters, or a capital that became two small letters ("İ"), moved them


# What a template shows as written: the text between its tags, and the attributes read aloud or shown
# as a tooltip. Code ({{ }}, {% %}, {# #}), tags, comments, scripts and styles are not read.
_LEXER = jinja2.Environment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True)
_CODE = "\x00"  # what code becomes: neither a letter nor a space, so no phrase is found across it
_NOT_SHOWN = re.compile(  # code inside a tag is _CODE: it is taken as a space, or as a tag's name
    r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<![^>]*>|</[A-Za-z\x00][^>]*>"
    r"""|<(?:[A-Za-z][^\s\x00/>]*|\x00+)(?:[\s\x00]+[^\s\x00"'>/=]+(?:[\s\x00]*=[\s\x00]*"""
    r"""(?:"[^"]*"|'[^']*'|[^\s\x00"'=<>`]+))?)*[\s\x00]*/?>""",
    re.DOTALL | re.IGNORECASE,
)
_SHOWN_ATTRIBUTE = re.compile(
    r"""(?<![\w-])(?:alt|title|aria-label|aria-description|placeholder)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)


def template_text(source: str) -> str:
    """Return what the template *source* shows as written, at its lines and columns, all else blanked.

    The strings of {% trans %} are blanked too: they are interface strings, linted as such.
    A template Jinja cannot read gives no text (its error is reported by the build).
    """
    code = _blank_code(source)
    if code is None:
        return ""

    def tag(match: re.Match[str]) -> str:
        text = _blank(match[0], " ")
        if match[1] or match[0].startswith(("</", "<!")):  # a script, a style, a comment, an end tag
            return text
        for attribute in _SHOWN_ATTRIBUTE.finditer(match[0]):
            value = attribute.lastindex or 0
            text = text[: attribute.start(value)] + attribute[value] + text[attribute.end(value) :]
        return text

    return _NOT_SHOWN.sub(tag, code)


def _blank_code(source: str) -> str | None:
    """Return *source* with its Jinja code (and the text of {% trans %} blocks) made _CODE."""
    try:
        tokens = list(_LEXER.lex(source))
    except jinja2.TemplateSyntaxError:
        return None
    parts: list[str] = []
    cursor, in_trans, after_begin = 0, False, False
    for _, kind, value in tokens:
        at = source.find(value, cursor)
        if at < 0 or source[cursor:at].strip(" \t\r\n-+"):  # only whitespace control is left out
            return None
        parts.append(_blank(source[cursor:at], _CODE))
        parts.append(value if kind == "data" and not in_trans else _blank(value, _CODE))
        if kind == "name" and after_begin:
            in_trans = value in ("trans", "pluralize") or (in_trans and value != "endtrans")
        if kind != "whitespace":
            after_begin = kind == "block_begin"
        cursor = at + len(value)
    return "".join(parts) + _blank(source[cursor:], _CODE)


def _blank(text: str, fill: str) -> str:
    """Return *text* with every character but line ends replaced by *fill*."""
    return re.sub(r"[^\n]", fill, text)
