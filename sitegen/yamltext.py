"""Parse YAML and remember the line of every value, for error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML data plus the file line where each key or item starts."""

    data: Any
    path: str
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1
    raw: dict[Key, str] = field(default_factory=dict)  # unquoted scalars as typed: "010", "No"

    def typed(self, key: Key, value: Any) -> str | None:
        """Return what the editor typed for *key* if YAML read it as a non-text value."""
        return self.raw.get(key) if not isinstance(value, str) else value

    def line_of(self, *key: str | int) -> int:
        """Return the file line of *key*, or of its nearest parent that is known."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse *text* that starts on *first_line* of *path*.

    Return the document, or None and the problems that stopped parsing.
    Line numbers in problems are lines of the file, not of *text*.
    """
    if "\t" in text:
        offset = text[: text.index("\t")].count("\n")
        return None, [
            Problem(
                path,
                first_line + offset,
                "a tab character is used for indentation or spacing in YAML",
                "YAML only allows spaces: replace the tab with spaces",
            )
        ]
    shape = _shape_problem(text, path, first_line)
    if shape is not None:
        return None, [shape]
    fast = _parse_fast(text, path, first_line)
    if fast is not None:
        return fast, []
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:
        line = first_line + text[: exc.position].count("\n")
        return None, [
            Problem(path, line, f"the text holds an invisible control character (#x{exc.character:04x})",
                    "delete it: retype the line, or copy it from a plain-text editor")
        ]  # fmt: skip
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc({}, path, {}, first_line), []
        lines: dict[Key, int] = {}
        raw: dict[Key, str] = {}
        problems: list[Problem] = []
        _record_lines(node, (), lines, raw, problems, path, first_line)
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError):
            return None, [_impossible_value(node, path, first_line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "the YAML is not valid"
        line = first_line + mark.line if mark else first_line
        quote_line = _unclosed_quote_line(text)
        if quote_line is not None and first_line + quote_line <= line:
            # YAML notices a missing closing quote only further down; the mistake is where it opens.
            return None, [Problem(path, first_line + quote_line, "a quote opened on this line is never"
                                  " closed", "add the closing quote at the end of the value")]  # fmt: skip
        if exc.context:
            what = f"{exc.context}, {what}"
        return None, [Problem(path, line, f"YAML syntax error: {what}", _yaml_hint(what))]
    except yaml.YAMLError as exc:  # errors without a position
        return None, [Problem(path, first_line, f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    if problems:
        return None, problems
    return YamlDoc(data, path, lines, first_line, raw), []


MAX_DEPTH = 12  # front matter uses 3 levels (faq: - q: ...), site.yaml 4
_SURROGATE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_MAY_NEST = re.compile(r"^ {24}|- +-|[\[{]", re.M)


def _shape_problem(text: str, path: str, first_line: int) -> Problem | None:
    """Refuse anchors, aliases and deep nesting before anything is built from them.

    A few lines of aliases expand to billions of values ("billion laughs"), one that
    refers to itself never ends, and deep nesting exhausts the parser's stack: none
    has a use in front matter or site data. The check reads YAML's events, which
    costs little, and only when the text has a character that these need.
    """
    if match := _SURROGATE.search(text):
        return Problem(path, first_line + text.count("\n", 0, match.start()),
                       f"the escape {match[0]!r} is half of a character and cannot be written",
                       "type the character itself instead of its \\u code")  # fmt: skip
    if "&" not in text and "*" not in text and len(_MAY_NEST.findall(text)) < MAX_DEPTH:
        return None
    fast = getattr(yaml, "CSafeLoader", None)
    problem = _events_problem(text, path, first_line, fast) if fast else _UNREAD
    if problem is _UNREAD:
        # libyaml refuses some text that the Python parser reads (a BOM inside the text, an
        # unknown %directive): then look at that parser's events, as it is the one that builds.
        problem = _events_problem(text, path, first_line, yaml.SafeLoader)
    return None if problem is _UNREAD else problem


_UNREAD = Problem("", None, "")  # the events could not be read: the parser explains why


def _events_problem(text: str, path: str, first_line: int, loader_class: Any) -> Problem | None:
    """Return the first anchor, alias or too deep nesting in *text*'s events, read by *loader_class*."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader_class):
            line = first_line + (event.start_mark.line if event.start_mark else 0)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return Problem(path, line, "YAML anchors and aliases (&name, *name) are not allowed here",
                               "write each value out in full; to start a value with & or *, put it in"
                               " double quotes")  # fmt: skip
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return Problem(path, line, f"the values are nested more than {MAX_DEPTH} levels deep",
                                   "check the indentation and the brackets: fields are at most a few"
                                   " levels deep")  # fmt: skip
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting" in str(exc.problem) and exc.problem_mark is not None:
            line = first_line + exc.problem_mark.line
            return Problem(path, line, f"the values are nested more than {MAX_DEPTH} levels deep",
                           "check the brackets: fields are at most a few levels deep")  # fmt: skip
        return _UNREAD  # a syntax error: the parser explains it
    except (yaml.YAMLError, ValueError):
        return _UNREAD
    return None


def _parse_fast(text: str, path: str, first_line: int) -> YamlDoc | None:
    """Parse with libyaml when it is there; None on any problem, which the Python parser explains.

    Both parsers read the same YAML; libyaml is about ten times faster, and the
    Python one words its errors in the way the messages here are built on.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:
        return None
    try:
        loader = loader_class(text)
    except (yaml.YAMLError, ValueError):
        return None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc({}, path, {}, first_line)
        lines: dict[Key, int] = {}
        raw: dict[Key, str] = {}
        problems: list[Problem] = []
        _record_lines(node, (), lines, raw, problems, path, first_line)
        if problems:
            return None
        data = _construct(loader, node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None
    finally:
        loader.dispose()
    return YamlDoc(data, path, lines, first_line, raw)


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _construct(loader: Any, node: yaml.Node) -> Any:
    """Return the data of *node* as the loader's constructor makes it, the text, lists and mappings
    with text keys (nearly all of front matter) directly: the constructor takes many steps for each.

    Anything else (dates, numbers, other tags, the merge key <<) is left to the constructor.
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_construct(loader, item) for item in node.value]
    if (
        isinstance(node, yaml.MappingNode)
        and node.tag == _MAP
        and all(isinstance(key, yaml.ScalarNode) and key.tag == _STR for key, _ in node.value)
    ):
        return {key.value: _construct(loader, value) for key, value in node.value}
    return loader.construct_object(node, deep=True)


def _record_lines(
    node: yaml.Node,
    key: Key,
    lines: dict[Key, int],
    raw: dict[Key, str],
    problems: list[Problem],
    path: str,
    first_line: int,
) -> None:
    lines[key] = first_line + node.start_mark.line
    if isinstance(node, yaml.ScalarNode) and not node.style and node.value:
        raw[key] = node.value
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if name in seen:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"the key {name!r} is given twice",
                        "keep one of them: the second would silently replace the first",
                    )
                )
            seen.add(name)
            _record_lines(value_node, (*key, name), lines, raw, problems, path, first_line)
            lines[(*key, name)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*key, index), lines, raw, problems, path, first_line)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^:#'"]+:\s+)?(["'])(.*)$""")


def _unclosed_quote_line(text: str) -> int | None:
    """Return the index of the first line whose value opens a quote it does not close."""
    for index, line in enumerate(text.split("\n")):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, rest = match.groups()
        rest = rest.replace("\\\\", "").replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in rest:
            return index
    return None


def _impossible_value(root: yaml.Node, path: str, first_line: int) -> Problem:
    """Find the value YAML could read but not turn into data (a date such as 2026-02-30)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node, deep=True)
            except (ValueError, TypeError, OverflowError) as exc:
                return Problem(path, first_line + node.start_mark.line,
                               f"{node.value!r} is not a real date or value ({exc})",
                               "write an existing date as YYYY-MM-DD, for example 2026-11-24")  # fmt: skip
        elif isinstance(node, yaml.MappingNode):
            stack.extend(value for pair in reversed(node.value) for value in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return Problem(path, first_line, "a value in the front matter cannot be read")


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value contains ': ' — put the whole value in double quotes"
    if "could not find expected ':'" in problem:
        return "each line needs 'key: value'; check the line above for a missing colon or quote"
    if "found unexpected end of stream" in problem or "found unexpected" in problem:
        return "check that quotes are closed and indentation lines up"
    return "check the indentation (spaces only) and that text with ':' or '#' is quoted"
