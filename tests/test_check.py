"""`python build.py check`: translations, anchors, languages of links, built HTML, catalogs."""

import json
import re

import pytest

from sitegen.checks import element_ids, html_problems
from sitegen.cli import main
from tests.conftest import ROOT, TREATMENT_FIELDS

CHECK_TR = "content/treatments/mesotherapy.tr.md"


def check(site, capsys, *args):
    capsys.readouterr()
    code = main(["--root", str(site.root), "check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_real_site_passes_check_in_strict_mode(capsys):
    capsys.readouterr()
    assert main(["--root", str(ROOT), "check", "--strict", "--allow-placeholders"]) == 0
    output = capsys.readouterr()
    assert "error" not in output.err and "warning" not in output.err
    notes = int(re.fullmatch(r"check: (\d+) notes\.\n", output.out)[1])  # the clinic's data still to come
    listed = [line for line in output.err.splitlines() if line.startswith("  content/")]
    assert output.err.startswith(f"{notes} placeholders still to be replaced") and len(listed) == notes


def test_translation_status_table_and_json(scratch_site, capsys):
    scratch_site.write(
        {
            "content/about.en.md": "---\ntitle: About\ndescription: About us.\n---\n",
            "content/treatments/hair-mesotherapy.tr.md": "---\ntitle: Saç Mezoterapisi\ndescription: Saç.\n"
            + TREATMENT_FIELDS.replace("2026-11-24", "2026-10-01")
            + "---\n",
        }
    )
    code, out, _ = check(scratch_site, capsys, "--translations")
    assert code == 0
    assert out == (
        "page                         tr        en\n"
        "404                          ok        ok\n"
        "about                        missing   ok\n"
        "contact                      ok        ok\n"
        "cookies                      ok        ok\n"
        "doctors/_index               ok        ok\n"
        "doctors/test                 ok        ok\n"
        "index                        ok        ok\n"
        "privacy                      ok        ok\n"
        "treatments/_index            ok        ok\n"
        "treatments/hair-mesotherapy  outdated  ok\n"
        "treatments/mesotherapy       ok        ok\n"
    )
    code, out, _ = check(scratch_site, capsys, "--translations", "--json")
    rows = {row["page"]: row["languages"] for row in json.loads(out)}
    assert rows["about"]["tr"] == {"status": "missing", "file": None, "date": None}
    assert rows["treatments/hair-mesotherapy"]["tr"] == {
        "status": "outdated",
        "file": "content/treatments/hair-mesotherapy.tr.md",
        "date": "2026-10-01",
    }


def test_missing_and_outdated_translations_are_warnings(scratch_site, capsys):
    scratch_site.write(
        {
            "content/about.en.md": "---\ntitle: About\ndescription: About us.\n---\n",
            "content/treatments/hair-mesotherapy.tr.md": "---\ntitle: Saç Mezoterapisi\ndescription: Saç.\n"
            + TREATMENT_FIELDS.replace("2026-11-24", "2026-10-01")
            + "---\n",
        }
    )
    code, _, err = check(scratch_site, capsys)
    assert code == 0
    assert (
        "content/about.en.md: warning: this page has no Türkçe version\n  hint: write content/about.tr.md"
    ) in err
    assert (
        "content/treatments/hair-mesotherapy.tr.md: warning: this translation is older (2026-10-01) than"
        " content/treatments/hair-mesotherapy.en.md (2026-11-24)\n"
    ) in err
    assert check(scratch_site, capsys, "--strict")[0] == 1


def test_a_link_to_a_missing_anchor_is_an_error_with_the_anchors_there(scratch_site, capsys):
    scratch_site.write(
        {
            CHECK_TR: f"---\ntitle: Mezoterapi\ndescription: M.\nslug: mezoterapi\n{TREATMENT_FIELDS}---\n"
            "[saç](hair-mesotherapy.md#yan-etki)\n"
        }  # fmt: skip
    )
    code, _, err = check(scratch_site, capsys)
    assert code == 1
    assert (
        "content/treatments/mesotherapy.tr.md:28: the anchor #yan-etki does not exist on"
        " content/treatments/hair-mesotherapy.tr.md\n"
        # the sections' headings, not the template's technical ids (#main, #toc-title, #glance-title)
        "  hint: the anchors there are: #bilimsel-kanitlarin-durumu, #bir-sorun-olursa, #diger-secenekler,"
        " #hangi-durumlarda-hemen-yardim-almalisiniz, #isleme-nasil-hazirlanilir, #kaynaklar,"
        " #kimler-uygulayabilir, #kimlere-uygulanmaz, #olasi-yan-etkiler, #seanslar-ve-sonuclar\n"
    ) in err


def test_a_link_to_the_other_language_where_ours_exists_is_a_warning(scratch_site, capsys):
    scratch_site.write(
        {
            CHECK_TR: f"---\ntitle: Mezoterapi\ndescription: M.\nslug: mezoterapi\n{TREATMENT_FIELDS}---\n"
            "[hair](hair-mesotherapy.en.md)\n"
        }  # fmt: skip
    )
    code, _, err = check(scratch_site, capsys)
    assert (
        "content/treatments/mesotherapy.tr.md:28: warning: this 'tr' page links to the 'en' version of"
        " treatments/hair-mesotherapy.md although a 'tr' version exists\n"
        "  hint: write the link without the language: (hair-mesotherapy.md)"
    ) in err


def test_duplicate_titles_and_short_descriptions_in_the_built_pages(scratch_site, capsys):
    scratch_site.write({"content/privacy.en.md": "---\ntitle: Contact\ndescription: x\nslug: privacy\n---\n"})
    code, _, err = check(scratch_site, capsys)
    assert code == 1
    assert (
        "content/privacy.en.md: in the built page /en/privacy/index.html: the title 'Contact | Test Kliniği'"
        " is also the title of /en/contact/index.html\n  hint: give each page its own title"
    ) in err
    assert (
        "content/privacy.en.md: warning: the description is 1 characters long; search engines show 50 to 160\n"
    ) in err


def test_template_strings_missing_from_the_catalogs_are_reported(scratch_site, capsys):
    (scratch_site.root / "locales/messages.pot").write_text(
        (ROOT / "locales/messages.pot").read_text(encoding="utf-8"), encoding="utf-8"
    )
    scratch_site.write({"templates/partials/hours.html": "<p>{{ _('Appointments only') }}</p>\n"})
    _, _, err = check(scratch_site, capsys)
    assert (
        "templates/partials/hours.html:1: warning: the interface string 'Appointments only' is not in the"
        " catalogs yet\n  hint: run: python build.py i18n extract && python build.py i18n update, then"
        " translate it"
    ) in err


def test_hreflang_that_is_not_reciprocal_or_leads_nowhere(scratch_site):
    result = scratch_site.build()
    outputs = dict(result.outputs)
    tr = "tr/tedaviler/mezoterapi/index.html"
    html = (
        outputs[tr]
        .decode()
        .replace(
            'hreflang="en" href="https://klinik.test/en/treatments/mesotherapy/"',
            'hreflang="en" href="https://klinik.test/en/treatments/gone/"',
        )
    )
    outputs[tr] = html.encode()
    messages = [str(p) for p in html_problems(result.site, outputs)]
    assert (
        "content/treatments/mesotherapy.tr.md: in the built page /tr/tedaviler/mezoterapi/index.html: the"
        " hreflang 'en' link 'https://klinik.test/en/treatments/gone/' leads to no page"
    ) in messages
    assert (
        "content/treatments/mesotherapy.en.md: in the built page /en/treatments/mesotherapy/index.html: the"
        " hreflang links of /tr/tedaviler/mezoterapi/index.html do not match this page's\n"
        "  hint: every language version must list the same set of versions"
    ) in messages


def test_broken_internal_links_in_templates_are_found(scratch_site, capsys):
    scratch_site.write(
        {"templates/partials/hours.html": '<a href="/tr/yok/">x</a><a href="#nowhere">y</a>\n'}
    )
    code, _, err = check(scratch_site, capsys)
    assert code == 1
    assert (
        "content/index.tr.md: in the built page /tr/index.html: the link '/tr/yok/' leads to no page" in err
    )
    assert (
        "content/index.tr.md: in the built page /tr/index.html: the link '#nowhere' points to an anchor that"
        " does not exist"
    ) in err


def test_a_heading_that_repeats_a_template_section_is_an_error(scratch_site, capsys):
    scratch_site.write(
        {
            CHECK_TR: f"---\ntitle: Mezoterapi\ndescription: M.\nslug: mezoterapi\n{TREATMENT_FIELDS}---\n"
            "## Olası yan etkiler\n\nMetin.\n"
        }  # fmt: skip
    )
    code, _, err = check(scratch_site, capsys)
    assert code == 1
    assert (
        "content/treatments/mesotherapy.tr.md: the anchor #olasi-yan-etkiler appears twice on this page: a"
        " heading repeats another heading or a section the template adds (such as side effects)\n"
        "  hint: rename or remove one of the two headings"
    ) in err


@pytest.mark.parametrize(
    ("html", "ids"),
    [
        ('<h2 id="a">A</h2><p>text id="not-a-tag"</p><section\n  class="x" id="b&amp;c">', ["a", "b&c"]),
        ('<a href="#x" id="first" id="second">', ["first"]),  # the first id of a tag
        ('<div data-id="no" xid="no" id="yes">', ["yes"]),
        ('<p title="a > b" id="after-a-bracket">', []),  # a bracket in a value ends the tag as read here
        ('<1 id="digit"><-a id="dash"><b\tid="tab">', ["tab"]),
        ('<i id="unclosed>', []),
        ('<i class="x"  id=""><i id="y" >', ["", "y"]),
    ],
)
def test_the_ids_of_a_built_page_are_read_in_order(html, ids):
    assert element_ids(html) == ids


def test_anchor_suggestions_are_the_headings_an_editor_wrote_or_sees(scratch_site, capsys):
    scratch_site.write({
        "content/treatments/hair-mesotherapy.en.md": "---\ntitle: Hair mesotherapy\ndescription: Hair.\n"
        + TREATMENT_FIELDS + "---\n## How it *feels* & why\n\nText.\n",
        "content/contact.en.md": "---\ntitle: Contact\ndescription: Reach us.\nlayout: contact\nmenu: 2\n---\n"
        "[x](treatments/hair-mesotherapy.md#feel)\n",
    })  # fmt: skip
    _, _, err = check(scratch_site, capsys)
    hint = err.split("the anchor #feel does not exist")[1].split("\n")[1]
    assert "#how-it-feels-why" in hint and "#possible-side-effects" in hint
    assert not any(
        f"#{technical}" in hint for technical in ("main", "toc-title", "glance-title", "cta-title")
    )
