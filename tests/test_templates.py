"""Template mistakes are reported with the template's file and line."""


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
        " content/404.en.md and 15 other pages)\n  hint: did you mean 'opening_hours'?"
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
        "  hint: the layouts are: contact, home, not_found, page, section, treatment"
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
