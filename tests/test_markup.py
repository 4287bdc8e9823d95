"""The page body's Markdown: the fast inline pass must give exactly what Python-Markdown gives."""

import random
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.markup import MarkdownRenderer, _QuickInline, needed_by
from sitegen.slugs import slugify

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import body as generated_body  # noqa: E402


def reference() -> markdown.Markdown:
    """Python-Markdown as configured before the fast pass: smarty for dashes, every pattern tried."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "sane_lists", "smarty"],
        extension_configs={
            "toc": {"slugify": slugify, "toc_depth": "2-3"},
            "smarty": {"smart_quotes": False},
        },
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def ours() -> markdown.Markdown:
    md = MarkdownRenderer().md
    md.treeprocessors.deregister("sitegen_links")  # needs a site; links are tested with real builds
    return md


REFERENCE, OURS = reference(), ours()


def convert(md: markdown.Markdown, text: str) -> tuple[str, list[object]]:
    md.reset()
    return md.convert(text), md.toc_tokens  # type: ignore[attr-defined]


TRICKY = [
    "A -- B --- C ---- D ... E .... F",
    "Escaped \\-- dashes and \\... dots, \\\"quotes\\\" and \\'single\\'",
    "`code -- with ... dashes` and -- after",
    "    indented code -- ...\n\nthen text -- here",
    "*em -- dash* and **strong ... dots** and _under_ and __double__",
    "[a link -- text](other.md) and ![an image ... alt](photo.jpg)",
    "<https://example.com/a--b> and <someone@example.com> and 1 < 2 & 3 > 2",
    "&amp; &copy; &#169; &#xA9; &nope",
    "line with two spaces  \nbreak",
    "[ref] and [ref][] and [text][ref]\n\n[ref]: https://example.com/--x",
    "Türkçe metin — ş ğ ı İ ç ö ü -- tire ... üç nokta",
    "| a -- b | c |\n| --- | --- |\n| d ... | `e -- f` |",
    "## Başlık -- iki\n\n### Alt ... başlık\n\ntext",
    "- item -- one\n- item ... two\n\n1. first\n2. second",
    "a*b*c a_b_c snake_case_word 2*3*4",
    "<script>alert(1)</script> <b>bold</b>",
    "back\\`tick \\[not a link\\] \\*not em\\*",
    # one kind of mark alone in a text, so that only its own pattern can act
    "plain `code` here",
    "a \\- b",
    "see [this](other.md)",
    "![alt text](photo.jpg)",
    "go to <https://example.com/x>",
    "write to <someone@example.com>",
    "&copy; 2026",
    "two spaces  \nthen a new line",
    "an *emphasis*",
    "an _emphasis_",
    "a **strong** word",
    "a __strong__ word",
    "[ref]\n\n[ref]: https://example.com/",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_text_is_rendered_exactly_as_python_markdown_does(text):
    assert convert(OURS, text) == convert(REFERENCE, text)


def test_every_real_page_and_generated_pages_render_as_before():
    bodies = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "content").rglob("*.md"))]
    rng = random.Random(5)
    bodies += [generated_body(rng, lang, 50) for _ in range(20) for lang in ("en", "tr")]
    for text in bodies:
        assert convert(OURS, text) == convert(REFERENCE, text)


@pytest.mark.parametrize(
    "text",
    [
        "[TOC]\n\n## One\n\n### Two\n",
        "Intro.\n\n   [TOC]  \n\n## One\n",
        "- [TOC]\n\n## One\n",
        "> [TOC]\n\n## One\n",
        "## [TOC]\n\n[TOC]\n",
        "`[TOC]`\n\n## One\n",
        "[TOC] and more text\n\n## One\n",
        "*[TOC]*\n\n## One\n",
        "    [TOC]\n\n## One\n",
    ],
)
def test_the_toc_marker_is_replaced_as_python_markdown_does(text):
    assert convert(OURS, text) == convert(REFERENCE, text)


@pytest.mark.parametrize(
    "text",
    [
        "An ![image](a.png) and a [link](b.md) and **bold [link](c.md#x)** and *it*.",
        "A [ref][r] and [short] and ![img][i] and ![short img].\n\n[r]: /x\n[short]: /y\n[i]: /z.png",
        "Code `a*b*c` and \\*escaped\\* and <https://x.y> and <a@b.cd> and &amp; and a  \nbreak.",
        "_under_ and __strong__ and ***both*** and **[a](b.md)** [**c**](d.md) [![e](f.png)](g.md)",
        "Only text with a [bracket and an ! exclamation, nothing to match.",
        "Undefined [a][b] and [c] and ![d][e] and ![f], then [g](h.md) and [i] [j].",
        'Defined below: [a][b], [B], ![c][b], ![b] and [d](e.md).\n\n[b]: /x "Title"',
    ],
)
def test_texts_with_every_kind_of_inline_mark_render_as_python_markdown_does(text):
    assert convert(OURS, text) == convert(REFERENCE, text)


PLAIN = list("ab ığ-.();#:/@\"'|!\n") + ["--", "...", "---", "\n\n", "https://x.y", "a@b.c", "# "]
MARKS = list("`\\[]*_<>&") + ["  \n"]


def texts(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(alphabet, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts(st.sampled_from(PLAIN + MARKS)))
def test_random_markdown_renders_as_python_markdown_does(text):
    assert convert(OURS, text) == convert(REFERENCE, text)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(MARKS).flatmap(lambda mark: texts(st.sampled_from([*PLAIN, mark, mark * 2]))))
def test_random_text_with_one_kind_of_mark_renders_as_python_markdown_does(text):
    assert convert(OURS, text) == convert(REFERENCE, text)


def test_the_fast_inline_pass_is_used_with_our_extensions():
    md = MarkdownRenderer().md
    assert isinstance(md.treeprocessors["inline"], _QuickInline)
    assert "smarty" not in md.treeprocessors


def test_an_unknown_inline_pattern_turns_the_fast_pass_off():
    md = markdown.Markdown(extensions=["abbr"])
    md.inlinePatterns.register(md.inlinePatterns["entity"], "from_an_extension", 5)
    assert needed_by(md) is None
