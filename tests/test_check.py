"""`python build.py check`: translations, anchors, languages of links, built HTML, catalogs."""

import json
import re

import pytest

from sitegen.checks import element_ids, html_problems
from sitegen.cli import main
from tests.conftest import FIXTURES, ROOT, TREATMENT_FIELDS

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
        "\n"
        "interface strings (menus, buttons, footer):\n"
        f"  tr  Türkçe: {FIXTURE_STRINGS} of {FIXTURE_STRINGS} translated, 0 fuzzy, 0 not translated, 0 not in"
        " the catalog yet (locales/tr/LC_MESSAGES/messages.po)\n"
        "  en  English: the templates' own text, nothing to translate\n"
        "\n"
        # The Turkish version lost the English one's text ("Text.", on line 27 of both files).
        "content/treatments/hair-mesotherapy.tr.md:27: warning: the other version has text before its first"
        " heading (content/treatments/hair-mesotherapy.en.md:27) that this page does not have\n"
        "  hint: translate it here, at the start of the text, or remove it from the other version\n"
        "\n"
        "locales/messages.pot: warning: the template of the catalogs is missing\n"
        "  hint: run: python build.py i18n extract\n"
        "\n"
        "check --translations: 2 warnings.\n"
    )
    assert check(scratch_site, capsys, "--translations", "--strict")[0] == 1
    code, out, _ = check(scratch_site, capsys, "--translations", "--json")
    report = json.loads(out)
    rows = {row["page"]: row["languages"] for row in report["pages"]}
    assert rows["about"]["tr"] == {"status": "missing", "file": None, "date": None}
    assert rows["treatments/hair-mesotherapy"]["tr"] == {
        "status": "outdated",
        "file": "content/treatments/hair-mesotherapy.tr.md",
        "date": "2026-10-01",
    }
    assert report["interface"] == [
        {"lang": "tr", "path": "locales/tr/LC_MESSAGES/messages.po", "translated": FIXTURE_STRINGS, "fuzzy": 0,
         "untranslated": 0, "missing": 0},
        {"lang": "en", "path": None, "translated": 0, "fuzzy": 0, "untranslated": 0, "missing": 0},
    ]  # fmt: skip
    assert report["problems"][0] == {
        "file": "content/treatments/hair-mesotherapy.tr.md",
        "line": 27,
        "severity": "warning",
        "message": "the other version has text before its first heading"
        " (content/treatments/hair-mesotherapy.en.md:27) that this page does not have",
        "hint": "translate it here, at the start of the text, or remove it from the other version",
    }


FIXTURE_STRINGS = (
    sum(1 for line in (FIXTURES / "messages.tr.po").read_text().split("\n") if line.startswith("msgid ")) - 1
)


def test_check_translations_reports_what_the_versions_do_not_share_at_their_lines(scratch_site, capsys):
    en = "content/treatments/mesotherapy.en.md"
    scratch_site.write(
        {
            CHECK_TR: "---\ntitle: Mezoterapi\ndescription: M.\nslug: mezoterapi\n"
            + TREATMENT_FIELDS.replace("30 min", "45 dk")
            + "---\n## Nasıl Yapılır?\n\nBakınız [saç](hair-mesotherapy.md#olasi-yan-etkiler).\n",
            en: "---\ntitle: Mesotherapy\ndescription: Meso.\n"
            + TREATMENT_FIELDS.replace("  - bruising\n", "  - bruising\n  - redness\n")
            + "---\n## How is it done?\n\nSee [hair](hair-mesotherapy.md).\n\n## Aftercare\n\n- Rest.\n",
        }
    )
    code, out, _ = check(scratch_site, capsys, "--translations")
    assert code == 0
    differences = "\n\n".join(out.split("\n\n")[2:4])  # grouped by file
    assert differences == (
        f"{en}:5: warning: the other version has 45 here ({CHECK_TR}:6) where this one has 30\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)\n\n"
        f"{CHECK_TR}:6: warning: the other version has 30 here ({en}:5) where this one has 45\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)\n"
        f"{CHECK_TR}:10: warning: 'side_effects' has 1 entries here and 2 in the other version ({en}:9)\n"
        "  hint: add the missing entry, or remove the extra one: each entry needs its translation\n"
        # after the section before it, 'Nasıl Yapılır?' (line 28)
        f"{CHECK_TR}:28: warning: the other version has a section 'Aftercare' here ({en}:32) that this page"
        " does not have\n  hint: translate it here, after the section above, or remove it from the other version"
    )


def test_check_translations_counts_the_interface_strings_of_each_catalog(scratch_site, capsys):
    catalog = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    text = text.replace('msgid "Closed"', '#, fuzzy\nmsgid "Closed"')
    text = text.replace('msgid "Main menu"\nmsgstr "Ana menü"', 'msgid "Main menu"\nmsgstr ""')
    catalog.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    menu, closed = lines.index('msgid "Main menu"') + 1, lines.index('msgid "Closed"') + 1
    code, out, _ = check(scratch_site, capsys, "--translations")
    assert code == 0
    assert (
        f"  tr  Türkçe: {FIXTURE_STRINGS - 2} of {FIXTURE_STRINGS} translated, 1 fuzzy, 1 not translated, 0 not"
        " in the catalog yet (locales/tr/LC_MESSAGES/messages.po)\n"
    ) in out
    shown = "locales/tr/LC_MESSAGES/messages.po"
    assert (
        f"{shown}:{menu}: warning: 'Main menu' is not translated yet:"
        " the English text is shown\n  hint: write the translation in msgstr\n"
    ) in out
    assert f"{shown}:{closed}: warning: fuzzy (unchecked) translation of 'Closed'" in out


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
