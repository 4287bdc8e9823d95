"""Ways around the site's promises: images from other hosts, hidden phrases, layouts, old slugs."""

from __future__ import annotations

import pytest

from sitegen import lint
from sitegen.errors import BuildError
from sitegen.files import Reader
from sitegen.lint import lint_text, load_rules
from tests.conftest import ROOT, SITE_YAML, TREATMENT_FIELDS

PAGE = "content/extra.en.md"
FRONT = "---\ntitle: Extra\ndescription: A page of the tests.\n---\nIntro.\n\n"
FOREIGN = (
    "every visitor's browser would contact it, and the privacy notice says the site loads nothing from"
    " elsewhere\n  hint: save the image in the project and show it from there; or, if the clinic agrees"
    " that visitors' browsers contact that host, add it to image_hosts in content/site.yaml and name it"
    " in the privacy notice"
)


@pytest.mark.parametrize(
    ("markdown", "host", "line"),
    [
        ("![A pixel](https://tracker.example/p.gif)", "tracker.example", 7),
        ("![A pixel](http://tracker.example/p.gif)", "tracker.example", 7),
        ("![A pixel](//tracker.example/p.gif)", "tracker.example", 7),
        (
            "![A pixel][ref]\n\n[ref]: https://TRACKER.example/p.gif",
            "tracker.example",
            9,
        ),  # the address's line
        ("[![A linked pixel](https://cdn.example/x.png)](https://klinik.test/)", "cdn.example", 7),
    ],
    ids=["https", "http", "protocol-relative", "reference", "inside a link"],
)
def test_an_image_from_another_host_is_refused(scratch_site, markdown, host, line):
    scratch_site.write({PAGE: FRONT + markdown + "\n"})
    assert f"{PAGE}:{line}: the image comes from another host ({host}): {FOREIGN}" in scratch_site.errors()


def _allow(site, *hosts: str, privacy: str = "") -> None:
    site.write({"content/site.yaml": SITE_YAML + f"image_hosts: [{', '.join(hosts)}]\n"})
    for lang in ("en", "tr"):
        path = site.root / f"content/privacy.{lang}.md"
        path.write_text(path.read_text(encoding="utf-8") + privacy, encoding="utf-8")


def test_an_allowed_host_must_be_named_in_the_privacy_notice_of_every_language(scratch_site):
    _allow(scratch_site, "images.klinik.test", privacy="")
    errors = scratch_site.errors()
    for lang in ("en", "tr"):
        assert (
            f"content/privacy.{lang}.md: the privacy notice does not name images.klinik.test, which serves"
            " images of the site (image_hosts in content/site.yaml)\n  hint: say in the notice that visitors'"
            " browsers load images from images.klinik.test, and what that host learns"
        ) in errors


def test_an_allowed_and_named_host_may_serve_images_and_the_policy_admits_it(scratch_site):
    _allow(scratch_site, "images.klinik.test", privacy="\nImages are served by images.klinik.test.\n")
    scratch_site.write({PAGE: FRONT + "![The clinic's door](https://images.klinik.test/door.jpg)\n"})
    result = scratch_site.build()
    html = result.outputs["en/extra/index.html"].decode()
    assert '<img alt="The clinic\'s door" src="https://images.klinik.test/door.jpg">' in html
    policy = "default-src &#39;none&#39;; style-src &#39;self&#39;; img-src &#39;self&#39; https://images.klinik.test;"
    assert policy in html
    assert "img-src 'self' https://images.klinik.test;" in result.outputs["_headers"].decode()
    # http is never allowed: the page would be mixed content, and the host could be anyone on the way.
    scratch_site.write({PAGE: FRONT + "![The door](http://images.klinik.test/door.jpg)\n"})
    assert "the image comes from another host (images.klinik.test)" in scratch_site.errors()


@pytest.mark.parametrize(
    "host", ["https://images.example", "images.example/path", "localhost", "a b.example"]
)
def test_an_image_host_must_be_a_host_name(scratch_site, host):
    scratch_site.write({"content/site.yaml": SITE_YAML + f'image_hosts: ["{host}"]\n'})
    line = SITE_YAML.count("\n") + 1
    assert scratch_site.errors() == (
        f"content/site.yaml:{line}: {host!r} is not a host name\n"
        "  hint: write the name alone, without https:// or a path: images.klinik.com.tr"
    )


@pytest.fixture(scope="module")
def rules():
    from sitegen.project import Project

    return load_rules(Reader(Project.at(ROOT)))[0]


@pytest.mark.parametrize(
    ("lang", "text", "phrase"),
    [
        ("tr", "Sonuç gar\u00adanti edilir.", "garanti"),  # a soft hyphen
        ("tr", "Sonuç gar\u200banti edilir.", "garanti"),  # a zero-width space
        ("tr", "Sonuç g\u0430ranti edilir.", "garanti"),  # a Cyrillic а
        ("en", "The b\u0435st clinic.", "best"),  # a Cyrillic е
        ("en", "A p\u03bfinless procedure.".replace("\u03bfin", "\u0430in"), "painless"),  # Cyrillic а
        ("en", "Results are guar\u200danteed.", "guaranteed"),  # a zero-width joiner
        (
            "en",
            "\uff47\uff55\uff41\uff52\uff41\uff4e\uff54\uff45\uff45\uff44 results",
            "guaranteed",
        ),  # full width
        (
            "tr",
            "Ağr\u0131s\u0131z bir \u0456şlem.".replace("\u0456ş", "iş"),
            "ağrısız",
        ),  # plain Turkish still found
    ],
)
def test_a_forbidden_phrase_is_found_behind_invisible_or_look_alike_characters(rules, lang, text, phrase):
    problems = lint_text(text, lang, PAGE, rules)
    assert len(problems) == 1, problems
    assert problems[0].line == 1
    written = problems[0].message.split("'")[1]  # as the editor wrote it, look-alikes and all
    assert lint.plain_text(written).lower() == phrase


def test_words_with_dotless_i_and_real_cyrillic_text_are_not_flagged(rules):
    assert lint_text("Işık ve ılık su; Москва", "tr", PAGE, rules) == []


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2069"])
def test_bidirectional_overrides_are_refused(scratch_site, char):
    scratch_site.write({PAGE: f"---\ntitle: Safe{char}efas\ndescription: x\n---\n"})
    assert scratch_site.errors() == (
        f"{PAGE}:2: the text holds an invisible control character (#x{ord(char):04x})\n"
        "  hint: delete it: retype the line, or copy it from a plain-text editor"
    )


@pytest.mark.parametrize("layout", ["partials/cta", "base", "chooser", "redirect", "not_found_root"])
def test_a_layout_must_be_a_page_template(scratch_site, layout):
    scratch_site.write({PAGE: f"---\ntitle: Extra\ndescription: x\nlayout: {layout}\n---\n"})
    assert scratch_site.errors() == (
        f"{PAGE}:4: templates/{layout}.html is not a page layout\n"
        "  hint: the layouts are: contact, doctor, home, not_found, page, privacy, search, section, treatment"
    )


def test_a_page_lists_at_most_ten_old_slugs(scratch_site):
    slugs = ", ".join(f"old-{i}" for i in range(11))
    scratch_site.write({PAGE: f"---\ntitle: Extra\ndescription: x\nprevious_slugs: [{slugs}]\n---\n"})
    assert scratch_site.errors().startswith(
        f"{PAGE}:4: 'previous_slugs' lists 11 old slugs, more than 10: keep the addresses that were really"
        " published and linked to"
    )


def test_old_slugs_of_a_folder_and_its_pages_cannot_multiply_without_bound(scratch_site):
    folder = ", ".join(f"behandlungen-{i}" for i in range(10))
    index = scratch_site.root / "content/treatments/_index.en.md"
    index.write_text(
        f"---\ntitle: Treatments\ndescription: All.\nslug: treatments\nmenu: 1\nprevious_slugs: [{folder}]\n---\n",
        encoding="utf-8",
    )
    pages = {
        f"content/treatments/t{n}.en.md": "---\ntitle: T\ndescription: x\n"
        + TREATMENT_FIELDS
        + "slug: t"
        + str(n)
        + "\nprevious_slugs: ["
        + ", ".join(f"t{n}-old-{i}" for i in range(10))
        + "]\n---\n"
        for n in range(45)
    }
    scratch_site.write(pages)
    with pytest.raises(BuildError) as caught:
        scratch_site.build()
    assert str(caught.value).startswith(
        "content/treatments/_index.en.md:6: the old addresses of the pages come to"
    )
    assert "redirect pages, more than 5,000: a folder's old slugs count once for every page in it" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("markdown", "host"),
    [
        ("![x](&#47;&#47;evil.example/p.gif)", "evil.example"),
        ("![x](&#x2F;&#x2F;evil.example/p.gif)", "evil.example"),
        ("![x](&sol;&sol;evil.example/p.gif)", "evil.example"),
        ("![x](https&#58;//evil.example/p.gif)", "evil.example"),
    ],
)
def test_an_image_from_another_host_written_with_character_references_is_refused(
    scratch_site, markdown, host
):
    scratch_site.write({PAGE: FRONT + markdown + "\n"})
    assert f"{PAGE}:7: the image comes from another host ({host}): {FOREIGN}" in scratch_site.errors()


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("garan&#116;i", "garanti"),
        ("garan&shy;ti", "garanti"),
        ("gar&#8203;anti", "garanti"),
        ("&#37;100 memnuniyet", "%100"),
        ("en&nbsp;iyi klinik", "en iyi"),
        ("garan**t**i", "garanti"),
        ("**garan**ti", "garanti"),
        ("gar*a*nti", "garanti"),
        ("__garan__ti", "garanti"),
        ("***garan***ti", "garanti"),
        ("garan_t_i", "garanti"),
        ("**ü**cretsiz muayene", "ücretsiz muayene"),
        ("gar\u200eanti", "garanti"),  # a left-to-right mark
        ("gar\ufe00anti", "garanti"),  # a variation selector
        ("gar\U000e0061anti", "garanti"),  # a tag character
        ("\u0261aranti", "garanti"),  # Latin script g
    ],
)
def test_a_forbidden_phrase_behind_references_marks_or_format_characters_is_found(rules, text, phrase):
    problems = lint_text(f"Sonuç {text} edilir.", "tr", PAGE, rules)
    assert len(problems) == 1, problems
    assert lint.plain_text(problems[0].message.split("'")[1]).lower().startswith(phrase)


def test_a_rule_for_a_language_the_site_does_not_have_is_reported(scratch_site):
    scratch_site.write({"content/rules.yaml": "rules:\n  - why: not our style\n    Tr: [harika]\n"})
    assert scratch_site.errors() == (
        "content/rules.yaml:3: unknown language 'Tr': its phrases would never be looked for\n"
        "  hint: did you mean 'tr'? the site's languages are tr, en"
    )


@pytest.mark.parametrize("target", [".git/config", ".venv/secret.txt", "site/en/index.html"])
def test_a_link_into_the_project_s_hidden_folders_or_its_output_is_refused(scratch_site, target):
    hidden = scratch_site.root / target
    hidden.parent.mkdir(parents=True, exist_ok=True)
    hidden.write_text("[remote] token = secret\n", encoding="utf-8")
    link = scratch_site.root / "templates/static/config.txt"
    link.symlink_to(hidden)
    errors = scratch_site.errors()
    assert errors.startswith("templates/static/config.txt: this is a link that leads outside the project")
    assert "secret" not in errors


def test_a_template_nested_too_deeply_to_compile_is_reported_at_its_file(scratch_site):
    nested = "{% if true %}" * 120 + "x" + "{% endif %}" * 120
    scratch_site.write(
        {"templates/page.html": '{% extends "base.html" %}{% block main %}' + nested + "{% endblock %}"}
    )
    assert scratch_site.errors() == (
        "templates/page.html: the template is nested too deeply (blocks inside blocks, or one long expression)"
        " to be compiled\n  hint: split it into smaller templates or macros"
    )


def test_an_include_of_a_template_that_does_not_exist_says_so(scratch_site):
    scratch_site.write(
        {
            "templates/page.html": '{% extends "base.html" %}{% block main %}\n{% include "../../etc/passwd" %}{% endblock %}'
        }
    )
    assert scratch_site.errors().startswith(
        "templates/page.html:2: there is no template '../../etc/passwd' in templates/ (while rendering"
    )


def test_a_link_from_the_templates_to_a_draft_names_the_draft(scratch_site):
    path = scratch_site.root / "content/cookies.en.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8"
    )
    assert (
        "url_for('cookies'): content/cookies.en.md is a draft (draft: true), so it is not published, but this template links to it; publish it, or remove the link"
        in scratch_site.errors()
    )


@pytest.mark.parametrize(
    ("slugs", "message"),
    [
        (
            "[old, old]",
            "content/extra.en.md:4: 'previous_slugs[2]' the old slug 'old' is listed twice: keep one",
        ),
        (
            '[old, " old"]',
            "content/extra.en.md:4: 'previous_slugs[2]' the old slug 'old' is listed twice: keep one",
        ),
        (
            "[extra]",
            "content/extra.en.md:4: previous_slugs lists 'extra', the page's own slug\n"
            "  hint: list only the addresses the page had before",
        ),
    ],
)
def test_old_slugs_listed_twice_or_the_page_s_own_are_refused(scratch_site, slugs, message):
    scratch_site.write({PAGE: f"---\ntitle: Extra\ndescription: x\nprevious_slugs: {slugs}\n---\n"})
    assert scratch_site.errors() == message
