"""The preview's build that leaves out a page with a mistake, and the error page and banner it shows."""

from __future__ import annotations

import gettext

import pytest

from sitegen import overlay
from sitegen.errors import WARNING, BuildError, Problem
from sitegen.pipeline import BuildOptions, build
from tests.conftest import BASE_FILES

PREVIEW = BuildOptions(drafts=True, hold_back_pages=True)
MESO_TR = "content/treatments/mesotherapy.tr.md"
HAIR_EN = "content/treatments/hair-mesotherapy.en.md"


def test_a_page_with_a_mistake_in_its_text_is_left_out_with_its_address(scratch_site):
    scratch_site.write({HAIR_EN: BASE_FILES[HAIR_EN].replace("Text.", "See [nowhere](missing.md).")})
    result = build(scratch_site.project, PREVIEW)
    assert list(result.held_back) == [HAIR_EN]
    assert [str(p) for p in result.held_back[HAIR_EN]] == [
        f"{HAIR_EN}:{BASE_FILES[HAIR_EN].count(chr(10))}: the link 'missing.md' points to"
        " content/treatments/missing.en.md, which does not exist\n  hint: links between pages are written as"
        " the other page's file name, without the language: [text](hair-mesotherapy.md)"
    ]
    assert result.held_urls == {HAIR_EN: "/en/treatments/hair-mesotherapy/"}
    assert "en/treatments/hair-mesotherapy/index.html" not in result.outputs
    assert "tr/tedaviler/sac-mezoterapisi/index.html" in result.outputs  # its translation is built
    with pytest.raises(BuildError):  # the build that publishes refuses it as before
        build(scratch_site.project)


def test_a_page_whose_header_cannot_be_read_is_left_out_and_the_rest_is_built(scratch_site):
    scratch_site.write({MESO_TR: BASE_FILES[MESO_TR].replace("title: Mezoterapi", 'title: "unclosed')})
    result = build(scratch_site.project, PREVIEW)
    assert list(result.held_back) == [MESO_TR]
    # It stands in under its file's name (its slug cannot be read), so that links to it work.
    assert result.held_urls == {MESO_TR: "/tr/tedaviler/mesotherapy/"}
    assert "tr/tedaviler/mesotherapy/index.html" not in result.outputs
    assert "en/treatments/mesotherapy/index.html" in result.outputs
    # Its English version is built, and no other page has an error because of it.
    assert not any(p.is_error for p in result.problems)


def test_a_template_mistake_still_stops_the_preview_s_build(scratch_site):
    template = scratch_site.root / "templates/page.html"
    template.write_text(template.read_text().replace("{% endblock %}", "{% endblok %}", 1))
    with pytest.raises(BuildError) as caught:
        build(scratch_site.project, PREVIEW)
    assert caught.value.errors[0].path == "templates/page.html"


def test_the_excerpt_marks_the_faulty_line_with_three_lines_around_it(scratch_site):
    lines = [f"line {n}" for n in range(1, 11)]
    scratch_site.write({"content/x.tr.md": "\n".join(lines)})
    project = scratch_site.project
    assert overlay.excerpt(project, Problem("content/x.tr.md", 5, "m")) == [
        (n, f"line {n}", n == 5) for n in range(2, 9)
    ]
    assert overlay.excerpt(project, Problem("content/x.tr.md", 1, "m"))[0] == (1, "line 1", True)
    assert overlay.excerpt(project, Problem("content/x.tr.md", 10, "m"))[-1] == (10, "line 10", True)
    assert overlay.excerpt(project, Problem("content/x.tr.md", None, "m")) == []
    assert overlay.excerpt(project, Problem("content/gone.tr.md", 3, "m")) == []
    assert overlay.excerpt(project, Problem("../../etc/passwd", 1, "m")) == []  # never outside the project


def test_the_error_page_escapes_what_the_file_holds_and_explains_only_the_words_it_uses(scratch_site):
    scratch_site.write({"content/x.tr.md": "---\ntitle: <script>alert(1)</script>\n---\n"})
    problem = Problem("content/x.tr.md", 2, "the front matter has <b>", "write it so")
    page = overlay.error_page(
        scratch_site.project, [problem], gettext.NullTranslations(), "tr", False
    ).decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "the front matter has &lt;b&gt;" in page
    assert "front matter: the fields between the two --- lines" in page
    assert "msgstr:" not in page and "anchor:" not in page


def test_the_banner_lists_warnings_and_the_pages_left_out_with_their_links():
    warning = Problem("content/x.en.md", 4, "'best' — a superlative", "<rephrase>", severity=WARNING)
    shown = overlay.banner([warning], {"content/y.en.md": "/en/y/", "content/z.en.md": None},
                           gettext.NullTranslations()).decode()  # fmt: skip
    assert shown == (
        '<link rel="stylesheet" href="/_preview/overlay.css"><aside class="preview-banner warn" role="status">'
        "<p><strong>1 warning on this page</strong></p><ul><li><code>content/x.en.md:4</code> &#x27;best&#x27;"
        " — a superlative <em>What to do: &lt;rephrase&gt;</em></li></ul>"
        "<p><strong>Pages not shown until their mistake is fixed:</strong></p><ul>"
        '<li><a href="/en/y/">content/y.en.md</a></li><li>content/z.en.md</li></ul></aside>'
    )
    assert overlay.banner([], {}, gettext.NullTranslations()) == b""


@pytest.mark.parametrize(
    ("path", "language"),
    [("content/x.tr.md", "tr"), ("content/a/b.en.md", "en"), ("/tr/tedaviler/", "tr"), ("/en/", "en"),
     ("/de/x/", "tr"), ("templates/base.html", "tr"), ("content/x.md", "tr")],
)  # fmt: skip
def test_the_language_of_a_file_or_an_address(path, language):
    assert overlay.language_of(path, ("tr", "en"), "tr") == language


def test_a_changed_slug_without_previous_slugs_gets_a_reminder_once(scratch_site):
    from sitegen.engine.run import build_and_write

    project = scratch_site.project
    build_and_write(project)
    text = BASE_FILES[MESO_TR]
    scratch_site.write({MESO_TR: text.replace("slug: mezoterapi", "slug: mezoterapi-rehberi")})
    result, _ = build_and_write(project)
    line = text.split("\n").index("slug: mezoterapi") + 1
    assert [str(p) for p in result.problems if "address changed" in p.message] == [
        f"{MESO_TR}:{line}: warning: the page's address changed from /tr/tedaviler/mezoterapi/ to"
        " /tr/tedaviler/mezoterapi-rehberi/: links and bookmarks to the old address will stop working\n"
        "  hint: if the old address was published, keep it working: add 'previous_slugs:' with"
        " '- mezoterapi' under it"
    ]
    again, _ = build_and_write(project)  # said once: the next build knows the new address
    assert not [p for p in again.problems if "address changed" in p.message]
    # With the old slug kept, a change is no mistake at all.
    scratch_site.write(
        {MESO_TR: text.replace("slug: mezoterapi", "slug: mezo\nprevious_slugs: [mezoterapi-rehberi]")}
    )
    kept, _ = build_and_write(project)
    assert not [p for p in kept.problems if "address changed" in p.message]
    # A title change that changes the address made from it is reminded at the title's line.
    hair = "content/treatments/hair-mesotherapy.en.md"
    scratch_site.write(
        {hair: BASE_FILES[hair].replace("title: Hair mesotherapy", "title: Scalp mesotherapy")}
    )
    renamed, _ = build_and_write(project)
    assert [(p.path, p.line, p.severity) for p in renamed.problems if "address changed" in p.message] == [
        (hair, 2, WARNING)
    ]


def test_pages_that_link_to_a_page_left_out_are_built_and_link_to_its_address(scratch_site):
    # Every Turkish page's menu, and the Turkish mesotherapy page's text, lead to the hair page.
    hair_tr = "content/treatments/hair-mesotherapy.tr.md"
    scratch_site.write({hair_tr: BASE_FILES[hair_tr].replace("reviewed_by: test", "reviewed_by: Dr. Test")})
    result = build(scratch_site.project, BuildOptions(drafts=True, check=True, hold_back_pages=True))
    assert list(result.held_back) == [hair_tr]
    assert result.held_urls == {hair_tr: "/tr/tedaviler/sac-mezoterapisi/"}
    meso = result.outputs["tr/tedaviler/mezoterapi/index.html"].decode()
    assert '<a href="/tr/tedaviler/sac-mezoterapisi/#olasi-yan-etkiler">' in meso
    english = result.outputs["en/treatments/hair-mesotherapy/index.html"].decode()
    assert 'hreflang="tr" href="https://klinik.test/tr/tedaviler/sac-mezoterapisi/"' in english
    assert not any(p.is_error for p in result.problems)
    assert not any(
        path.startswith("pagefind/") and b"sac-mezoterapisi" in data for path, data in result.outputs.items()
    )
