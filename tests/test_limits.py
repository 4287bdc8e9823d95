"""Inputs built to exhaust time or memory are refused at their line, at once.

The time each worst case takes is a figure of the benchmark (bench/limits.py), not asserted here.
"""

from __future__ import annotations

import pytest

from tests.conftest import SITE_YAML

PAGE = "content/extra.en.md"
FRONT = "---\ntitle: Extra\ndescription: A page of the tests.\n"
HINT = "  hint: split the paragraph, or write a bracket or mark that is not Markdown as \\[ or \\*"
ALIAS = (
    "YAML anchors and aliases (&name, *name) are not allowed here\n"
    "  hint: write each value out in full; to start a value with & or *, put it in double quotes"
)


def laughs(indent: str = "") -> str:
    """Nine levels of nine aliases: a few hundred bytes that expand to 387 million strings."""
    lines = [f"{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{indent}{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("extra:\n" + laughs("  "), 5, ALIAS),  # the first anchor
        ("tags: &x [*x]\n", 4, ALIAS),  # an alias to itself
        ("nav_title: &short Extra\nweight: 1\n", 4, ALIAS),  # an anchor alone
        ("title2: *missing\n", 4, ALIAS),
        (
            "extra:\n" + "".join("  " * (i + 1) + "-\n" for i in range(300)),
            16,
            "the values are nested more than 12 levels deep\n"
            "  hint: check the indentation and the brackets: fields are at most a few levels deep",
        ),
        (
            "extra: " + "[" * 5000 + "]" * 5000 + "\n",
            4,
            "the values are nested more than 12 levels deep\n"
            "  hint: check the brackets: fields are at most a few levels deep",
        ),
        (
            "extra: " + "{a: " * 40 + "1" + "}" * 40 + "\n",
            4,
            "the values are nested more than 12 levels deep\n"
            "  hint: check the indentation and the brackets: fields are at most a few levels deep",
        ),
    ],
    ids=["billion laughs", "self alias", "anchor", "alias", "deep block", "deep flow", "deep mapping"],
)
def test_yaml_built_to_exhaust_the_parser_is_refused_at_its_line(scratch_site, front, line, message):
    scratch_site.write({PAGE: FRONT + front + "---\nText.\n"})
    assert scratch_site.errors() == f"{PAGE}:{line}: {message}"


def test_the_site_data_refuses_aliases_too(scratch_site):
    scratch_site.write({"content/site.yaml": SITE_YAML + "x-defaults:\n" + laughs("  ")})
    assert scratch_site.errors() == f"content/site.yaml:{SITE_YAML.count(chr(10)) + 2}: {ALIAS}"


def test_ampersands_and_stars_in_values_are_plain_text(scratch_site):
    front = 'nav_title: "*Cilt* & saç"\nslug: extra\n'
    scratch_site.write({PAGE: FRONT.replace("Extra", "Saç & cilt * bakım") + front + "---\nText.\n"})
    html = scratch_site.html("en/extra/index.html")
    assert "<h1>Saç &amp; cilt * bakım</h1>" in html


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("[" * 40_000, 7, "this paragraph is 40,000 characters long, more than 20,000\n  hint: split it with blank lines"),
        ("[" * 800, 7, f"this page has too many '[' and '(' brackets, or unclosed ones, to be read in good time\n{HINT}"),
        ("\n\n".join(["![" * 250] * 8), 15, f"this page has too many '[' and '(' brackets, or unclosed ones, to be read in good time\n{HINT}"),
        ("[a](" * 500, 7, f"this page has too many '[' and '(' brackets, or unclosed ones, to be read in good time\n{HINT}"),
        ("\n\n".join(["[" * 300] * 8), 19, f"this page has too many '[' and '(' brackets, or unclosed ones, to be read in good time\n{HINT}"),
        ("`a " * 2000, 7, f"this paragraph has more than 1,000 Markdown marks (` * _ [ < & ! \\)\n{HINT}"),
        ("&amp;" * 1500, 7, f"this paragraph has more than 1,000 Markdown marks (` * _ [ < & ! \\)\n{HINT}"),
        ("*a " * 3000 + "b" + " a*" * 3000, 7, f"this paragraph has more than 1,000 Markdown marks (` * _ [ < & ! \\)\n{HINT}"),
        ("Text **" + "*" * 50 + "x**", 7, f"'********': a run of more than three emphasis marks\n{HINT}"),
        ("".join("    " * i + "- item\n" for i in range(30)), 19, "lists or quotes are nested more than 12 levels deep\n  hint: nested lists are indented 4 spaces a level"),
        ("\n\n".join(["*a* " * 450] * 12), 5, "this page has 10,800 Markdown marks (` * _ [ < & ! \\), more than 10,000\n  hint: split it into several pages"),
        ("> " * 3000 + "x", 7, "lists or quotes are nested more than 12 levels deep\n  hint: nested lists are indented 4 spaces a level"),
        ("- " * 100 + "x", 7, "lists or quotes are nested more than 12 levels deep\n  hint: nested lists are indented 4 spaces a level"),
    ],
    ids=["40 KB of [", "unclosed [", "unclosed ![", "unclosed (", "brackets over paragraphs", "backticks",
         "entities", "nested emphasis", "run of stars", "30-level list", "marks over the page", "3000-level quote", "one-line list"],
)  # fmt: skip
def test_markdown_built_to_be_slow_is_refused_at_its_line(scratch_site, body, line, message):
    scratch_site.write({PAGE: FRONT + "---\nIntro.\n\n" + body + "\n"})
    assert scratch_site.errors() == f"{PAGE}:{line}: {message}"


def test_real_pages_are_far_from_the_limits(scratch_site):
    """A long page with many links, lists, a table, code and emphasis builds as usual."""
    paragraph = " ".join(
        f"See [the page {i}](#part-{i % 5}), *this* and **that**, `code {i}` and <https://e.example/{i}>."
        for i in range(40)
    )
    table = "| a | b |\n|---|---|\n" + "".join(f"| *x{i}* | [y](#part-1) |\n" for i in range(60))
    lists = "".join("    " * (i % 5) + f"- item {i} with _emphasis_\n" for i in range(80))
    parts = "\n\n".join(f"## Part {i}\n\n{paragraph}\n\n{table}\n\n{lists}" for i in range(5))
    scratch_site.write({PAGE: FRONT + "---\n" + parts + "\n"})
    html = scratch_site.html("en/extra/index.html")
    assert html.count('href="#part-1"') == 5 * (8 + 60) + 1  # and the table of contents'


def test_emphasis_nested_too_deeply_for_the_interpreter_is_an_error_not_a_crash(scratch_site, monkeypatch):
    """The last guard: a nesting Python-Markdown cannot read is the editor's error at a line."""
    import markdown

    def too_deep(self, source):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", too_deep)
    scratch_site.write({PAGE: FRONT + "---\nIntro.\n\n*a *a *a [b [c x] y] z* a* a*\n"})
    assert (
        f"{PAGE}:7: emphasis, links or quotes are nested inside one another too deeply to be read\n{HINT}"
        in scratch_site.errors()
    )


@pytest.mark.parametrize(
    "before",
    ['w: "\\ud800"\n', "x: 1\n\ufeffy: 2\n", 'w: "a\\q"\n'],
    ids=["surrogate escape", "BOM inside", "bad escape"],
)
def test_text_libyaml_refuses_cannot_smuggle_an_alias_bomb_past_the_check(scratch_site, before):
    """When libyaml cannot read the front matter, the Python parser's events are checked as well."""
    scratch_site.write({PAGE: FRONT + before + "extra:\n" + laughs("  ") + "---\nText.\n"})
    errors = scratch_site.errors()
    assert ALIAS in errors or "YAML" in errors or "half of a character" in errors, errors
    assert "Internal error" not in errors


def test_a_directive_cannot_smuggle_an_alias_bomb_into_the_site_data(scratch_site):
    scratch_site.write({"content/site.yaml": "%YAML 1.3\n---\n" + SITE_YAML + "x-defaults:\n" + laughs("  ")})
    errors = scratch_site.errors()
    assert f"content/site.yaml:{SITE_YAML.count(chr(10)) + 4}: {ALIAS}" in errors, errors


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\U0000d83d"])
def test_an_escape_for_half_a_character_is_refused_at_its_line(scratch_site, escape):
    scratch_site.write({PAGE: FRONT.replace("title: Extra", f'title: "Extra {escape} x"') + "---\nText.\n"})
    assert scratch_site.errors() == (
        f"{PAGE}:2: the escape {escape!r} is half of a character and cannot be written\n"
        "  hint: type the character itself instead of its \\u code"
    )


@pytest.mark.parametrize(
    "body",
    ["## a\n\n" * 40_000, "- item\n\n" * 4_000, "a\n\n" * 7_000],
    ids=["headings", "list items", "paragraphs"],
)
def test_a_page_of_too_many_blocks_is_refused(scratch_site, body):
    scratch_site.write({PAGE: FRONT + "---\n" + body})
    message = scratch_site.errors().split("\n")[0]
    assert message.startswith(f"{PAGE}:5: this page has ")
    assert message.endswith(" paragraphs, headings, list items or rows, more than 6,000")
