"""Template mistakes are reported with the template's file and line."""

import pytest


def test_undefined_variable_names_template_line_and_page(scratch_site):
    path = scratch_site.root / "templates/not_found.html"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "<p>{{ page.titel }}</p>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert scratch_site.errors() == (
        "templates/not_found.html:4: the page has no field 'titel' (while rendering content/404.en.md and 1"
        " other page)\n  hint: did you mean 'title'?"
    )


def test_misspelt_variable_is_an_error_not_an_empty_string(scratch_site):
    scratch_site.write({"templates/partials/hours.html": "<p>{{ opening_houres }}</p>\n"})
    assert scratch_site.errors() == (
        "templates/partials/hours.html:1: the name 'opening_houres' is not known in templates (while rendering"
        " content/404.en.md and 19 other pages)\n  hint: did you mean 'opening_hours'?"
    )


def test_an_unknown_filter_gets_a_suggestion(scratch_site):
    scratch_site.write({"templates/partials/hours.html": "<p>{{ clinic.name|upperr }}</p>\n"})
    assert scratch_site.errors() == (
        "templates/partials/hours.html:1: template syntax error: No filter named 'upperr'.\n"
        "  hint: did you mean 'upper'?"
    )


def test_syntax_error_names_template_and_line_even_if_unused(scratch_site):
    scratch_site.write({"templates/unused.html": "<p>\n{% if x %}\n<p>never closed</p>\n"})
    assert scratch_site.errors() == (
        "templates/unused.html:3: template syntax error: Unexpected end of template. Jinja was looking"
        " for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be"
        " closed is 'if'.\n"
        "  hint: check that every {% ... %} block is closed with its {% end... %}"
    )


def test_layout_without_template(scratch_site):
    scratch_site.write({"content/privacy.en.md": "---\ntitle: P\ndescription: x\nlayout: legal\n---\n"})
    assert (
        "content/privacy.en.md:4: there is no template templates/legal.html for the layout 'legal'\n"
        "  hint: the layouts are: contact, doctor, home, not_found, page, privacy, search, section, treatment"
    ) in scratch_site.errors()


def test_autoescape_is_on_and_raw_html_in_markdown_is_shown_as_text(scratch_site):
    scratch_site.write(
        {
            "content/privacy.en.md": '---\ntitle: "<b>P</b>"\ndescription: x\n---\n'
            "<div class=x>Some <b>bold</b> text</div>\n\nCode: `<script>` is fine.\n"
        }
    )
    html = scratch_site.html("en/b-p-b/index.html")
    assert "<h1>&lt;b&gt;P&lt;/b&gt;</h1>" in html
    assert "<p>&lt;div class=x&gt;Some &lt;b&gt;bold&lt;/b&gt; text&lt;/div&gt;</p>" in html
    assert "<p>Code: <code>&lt;script&gt;</code> is fine.</p>" in html


def test_the_switcher_links_a_missing_translation_to_that_languages_home_without_hreflang(scratch_site):
    scratch_site.write({"content/about.en.md": "---\ntitle: About\ndescription: About us.\n---\n"})
    html = scratch_site.html("en/about/index.html")
    assert '<li><a href="/tr/" lang="tr">Türkçe</a></li>' in html
    assert 'hreflang="tr"' not in html.split("<body>")[1]


# Templates can come from a pull request: they run in Jinja's sandbox, bounded in time and size.
UNSAFE = [
    ("{{ page.__class__.__mro__ }}", "access to attribute '__class__' of 'Page' object is unsafe."),
    ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__' of 'type' object is unsafe."),
    ("{{ lipsum.__globals__['os'] }}", "access to attribute '__globals__' of 'function' object is unsafe."),
    ("{{ ''.__class__.__subclasses__() }}", "access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ 'x' * 10000000 }}", "repeating 1 items 10000000 times is too large for a template"),
    ("{{ [1, 2] * 1000000 }}", "repeating 2 items 1000000 times is too large for a template"),
    ("{{ 9 ** 99999999 }}", "the power 9 ** 99999999 is too large for a template"),
    ('{{ range(100000)|join("x" * 100000) }}', "the text this join would make is too large for a template"),
    (
        '{{ ("x" * 99999)|replace("x", "y" * 99999) }}',
        "the text this replace would make is too large for a template",
    ),
    ('{{ "x".ljust(400000000) }}', "the number 400000000 is too large to give to ljust in a template"),
    (
        '{{ "x"|center(400000000) }}',
        "the number 400000000 is too large to give to the filter 'center' in a template",
    ),
    (
        '{{ "%400000000s"|format("x") }}',
        "a format with a width of a million or more is too large for a template",
    ),
    (
        '{{ "{:>400000000}".format("x") }}',
        "a format with a width of a million or more is too large for a template",
    ),
    ('{{ "%400000000s" % "x" }}', "a format with a width of a million or more is too large for a template"),
    (
        '{{ "x"|indent(400000000) }}',
        "the number 400000000 is too large to give to the filter 'indent' in a template",
    ),
    (
        '{% set ns = namespace(s="x" * 99999) %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}',
        "a text or list of 6,399,936 items is too large for a template",
    ),
    (
        '{% set ns = namespace(s="x" * 99999) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}',
        "a text or list of 6,399,936 items is too large for a template",
    ),
]


@pytest.mark.parametrize(("expression", "reason"), UNSAFE, ids=[u[0] for u in UNSAFE])
def test_a_template_cannot_reach_python_or_make_huge_values(scratch_site, expression, reason):
    scratch_site.write(
        {
            "templates/page.html": '{% extends "base.html" %}{% block main %}\n'
            + expression
            + "\n{% endblock %}"
        }
    )
    message, hint = scratch_site.errors().split("\n")
    assert message.startswith(
        f"templates/page.html:2: the template may not do this: {reason} (while rendering "
    )
    assert hint == "  hint: templates reach only the values given to them, not Python's internals"


def test_a_range_too_large_is_refused(scratch_site):
    scratch_site.write(
        {
            "templates/page.html": '{% extends "base.html" %}{% block main %}\n{% for i in range(10**9) %}{% endfor %}\n{% endblock %}'
        }
    )
    assert scratch_site.errors().startswith(
        "templates/page.html:2: the template may not do this: the number 1000000000 is too large to give"
        " to safe_range in a template"
    )


def test_a_template_that_renders_for_too_long_is_stopped_at_its_line(scratch_site):
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    scratch_site.write(
        {"templates/page.html": '{% extends "base.html" %}{% block main %}\n\n' + loop + "\n{% endblock %}"}
    )
    message, hint = scratch_site.errors().split("\n")
    assert message.startswith(
        "templates/page.html:3: the template took more than 1 s to render a page (while rendering"
    )
    assert hint == "  hint: look for a loop that runs too long (a loop inside a loop over a long range)"


def test_after_a_slow_template_the_next_build_has_the_full_time_again(scratch_site):
    from sitegen.errors import BuildError

    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    scratch_site.write(
        {"templates/page.html": '{% extends "base.html" %}{% block main %}' + loop + "{% endblock %}"}
    )
    with pytest.raises(BuildError):
        scratch_site.build()
    slow_but_fine = "{% for i in range(100000) %}{% endfor %}{{ content }}"  # some milliseconds a page
    scratch_site.write(
        {
            "templates/page.html": '{% extends "base.html" %}{% block main %}'
            + slow_but_fine
            + "{% endblock %}"
        }
    )
    assert "en/cookies/index.html" in scratch_site.build().outputs


def test_a_missing_share_image_names_the_file(scratch_site):
    scratch_site.remove("templates/static/share-en.png")
    assert scratch_site.errors() == (
        "templates/static/share-en.png: this file is missing\n"
        "  hint: restore it from git; the share images are drawn by: python build.py share-images"
    )
