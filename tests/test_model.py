"""URLs, slugs, translations and links between pages."""

import re


def urls(result):
    return sorted(page.url for page in result.site.pages)


def test_urls_use_each_languages_own_slugs(scratch_site):
    assert urls(scratch_site.build()) == [
        "/en/",
        "/en/404.html",
        "/en/contact/",
        "/en/cookies/",
        "/en/doctors/",
        "/en/doctors/dr-test/",
        "/en/privacy-notice/",
        "/en/treatments/",
        "/en/treatments/hair-mesotherapy/",
        "/en/treatments/mesotherapy/",
        "/tr/",
        "/tr/404.html",
        "/tr/cerezler/",
        "/tr/hekimlerimiz/",
        "/tr/hekimlerimiz/dr-test/",
        "/tr/iletisim/",
        "/tr/kvkk-aydinlatma-metni/",
        "/tr/tedaviler/",
        "/tr/tedaviler/mezoterapi/",
        "/tr/tedaviler/sac-mezoterapisi/",
    ]


def test_front_matter_slug_wins_over_the_title(scratch_site):
    scratch_site.write(
        {"content/privacy.tr.md": "---\ntitle: KVKK Aydınlatma Metni\ndescription: x\nslug: kvkk\n---\n"}
    )
    assert "/tr/kvkk/" in urls(scratch_site.build())


def test_two_pages_with_one_url_are_an_error(scratch_site):
    scratch_site.write({"content/privacy.en.md": "---\ntitle: P\ndescription: x\nslug: contact\n---\n"})
    assert (
        "content/privacy.en.md:4: this page has the same URL /en/contact/ as content/contact.en.md\n"
        "  hint: give one of them a different 'slug'"
    ) in scratch_site.errors()


def test_a_bad_slug_is_an_error(scratch_site):
    scratch_site.write({"content/privacy.en.md": "---\ntitle: P\ndescription: x\nslug: ../../etc\n---\n"})
    assert (
        "content/privacy.en.md:4: the slug '../../etc' may only contain lower-case letters a-z,"
        " digits and single hyphens (try 'etc')"
    ) in scratch_site.errors()


def test_a_section_folder_needs_its_index_in_each_language(scratch_site):
    scratch_site.remove("content/treatments/_index.tr.md")
    assert (
        "content/treatments/mesotherapy.tr.md: the folder content/treatments/ has no _index.tr.md,"
        " which gives the folder its URL in this language\n"
        "  hint: create content/treatments/_index.tr.md with a title and a slug"
    ) in scratch_site.errors()


def test_links_to_markdown_files_become_same_language_urls(scratch_site):
    en = scratch_site.html("en/treatments/mesotherapy/index.html")
    tr = scratch_site.html("tr/tedaviler/mezoterapi/index.html")
    assert '<a href="/en/treatments/hair-mesotherapy/">hair</a>' in en
    assert '<a href="/tr/tedaviler/sac-mezoterapisi/#olasi-yan-etkiler">saç</a>' in tr


def test_a_link_can_name_the_language_and_climb_folders(scratch_site):
    scratch_site.write(
        {
            "content/treatments/hair-mesotherapy.tr.md": scratch_site_body(
                "[c](../contact.md) [e](mesotherapy.en.md)"
            ),
        }
    )
    tr = scratch_site.html("tr/tedaviler/sac-mezoterapisi/index.html")
    assert '<a href="/tr/iletisim/">c</a> <a href="/en/treatments/mesotherapy/">e</a>' in tr


def test_a_link_to_a_missing_page_names_file_and_line(scratch_site):
    scratch_site.write(
        {"content/treatments/hair-mesotherapy.tr.md": scratch_site_body("Bkz.\n\n[x](botoks.md)")}
    )
    errors = scratch_site.errors()
    assert re.search(
        r"content/treatments/hair-mesotherapy\.tr\.md:29: the link 'botoks\.md' points to"
        r" content/treatments/botoks\.tr\.md, which does not exist\n  hint: links between pages",
        errors,
    ), errors


def test_a_link_to_a_page_missing_in_this_language(scratch_site):
    scratch_site.write({"content/about.en.md": "---\ntitle: About\ndescription: x\n---\n"})
    scratch_site.write({"content/index.tr.md": "---\ntitle: Ana\ndescription: x\n---\n[a](about.md)\n"})
    assert (
        "content/index.tr.md:5: the link 'about.md' points to a page with no 'tr' version (it exists in: en)"
    ) in scratch_site.errors()


def scratch_site_body(body: str) -> str:
    from tests.conftest import TREATMENT_FIELDS

    return f"---\ntitle: Saç Mezoterapisi\ndescription: Saç.\n{TREATMENT_FIELDS}---\n{body}\n"


def test_a_misspelt_link_gets_a_suggestion_relative_to_the_page(scratch_site):
    scratch_site.write({"content/treatments/hair-mesotherapy.tr.md": scratch_site_body("[x](mesoterapy.md)")})
    assert (
        "the link 'mesoterapy.md' points to content/treatments/mesoterapy.tr.md, which does not exist"
        " (did you mean 'mesotherapy.md'?)"
    ) in scratch_site.errors()


def test_query_strings_anchors_encoded_names_and_root_relative_links(scratch_site):
    body = "[a](../contact.md?ref=meso#main) [b](sa%C3%A7.md) [c](/contact.md) [d](#olasi-yan-etkiler) [e](/tr/iletisim/)"
    scratch_site.write(
        {
            "content/treatments/hair-mesotherapy.tr.md": scratch_site_body(body),
            "content/treatments/saç.tr.md": scratch_site_body("x").replace("Saç Mezoterapisi", "Saç bakımı"),
        }
    )
    html = scratch_site.html("tr/tedaviler/sac-mezoterapisi/index.html")
    assert '<a href="/tr/iletisim/?ref=meso#main">a</a>' in html
    assert '<a href="/tr/tedaviler/sac-bakimi/">b</a>' in html
    assert '<a href="/tr/iletisim/">c</a>' in html
    assert '<a href="/tr/iletisim/">e</a>' in html


def test_links_written_as_addresses_that_lead_nowhere_are_errors(scratch_site):
    scratch_site.write(
        {
            "content/treatments/hair-mesotherapy.tr.md": scratch_site_body(
                "[a](sac-mezoterapisi) [b](/tr/yok/)"
            )
        }
    )
    errors = scratch_site.errors()
    assert (
        "hair-mesotherapy.tr.md:27: the link 'sac-mezoterapisi' is not written as a page's file name\n"
        in errors
    )
    assert "hair-mesotherapy.tr.md:27: the link '/tr/yok/' leads to no page of this site\n" in errors
