"""Catalogs, plural forms, Babel dates and Turkish-aware case."""

import datetime as dt
import re

import pytest
from babel.messages.pofile import read_po

from sitegen.config import Language
from sitegen.files import Reader
from sitegen.i18n import catalog_path, compile_catalog, long_date, opening_hours, read_catalog
from sitegen.project import Project
from sitegen.textcase import capitalize, lower, title, upper
from tests.conftest import ROOT

TR = Language("tr", "Türkçe", "tr_TR")
EN = Language("en", "English", "en_GB")
REAL_CATALOG = catalog_path(ROOT / "locales", "tr")
SINGULAR = "%(num)d treatment is described on this site."
PLURAL = "%(num)d treatments are described on this site."


@pytest.fixture(scope="module")
def turkish():
    catalog, problems = read_catalog(Reader(Project.at(ROOT)), REAL_CATALOG, TR)
    assert [p for p in problems if not p.warning] == []
    return catalog


def test_the_turkish_catalog_is_complete_and_checked(turkish):
    _, problems = read_catalog(Reader(Project.at(ROOT)), REAL_CATALOG, TR)
    assert [str(p) for p in problems] == []


def test_turkish_plural_forms_header_matches_every_plural_entry_as_written():
    # Babel pads missing forms when it reads a catalog, so count the msgstr[N] lines in the file itself.
    text = REAL_CATALOG.read_text(encoding="utf-8")
    header = re.search(r"nplurals=(\d+); plural=([^;]+);", text)
    assert header and header.group(0) == "nplurals=2; plural=(n != 1);"
    entries = [block for block in text.split("\n\n") if "msgid_plural" in block]
    assert entries, "the catalog should have at least one plural entry"
    for block in entries:
        forms = sorted(int(n) for n in re.findall(r"^msgstr\[(\d+)\]", block, re.MULTILINE))
        assert forms == list(range(int(header.group(1)))), block


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "Bu sitede 0 tedavi"), (1, "Bu sitede 1 tedavi"), (2, "Bu sitede 2 tedavi")],
)
def test_ngettext_with_the_real_turkish_catalog(turkish, n, expected):
    text = compile_catalog(turkish).ngettext(SINGULAR, PLURAL, n) % {"num": n}
    assert text.startswith(expected)


def _keep_treatments(site, count: int) -> None:
    """Leave exactly *count* treatments in the scratch site's section, in both languages."""
    for name in ["hair-mesotherapy", "mesotherapy"][: 2 - count]:
        for lang in ("en", "tr"):
            site.remove(f"content/treatments/{name}.{lang}.md")
    if count == 1:  # the remaining page linked to the removed one
        for lang in ("en", "tr"):
            path = site.root / f"content/treatments/mesotherapy.{lang}.md"
            head, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
            path.write_text(head + "---\nText.\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("count", "english", "turkish"),
    [
        (0, "0 treatments are described on this site.", "Bu sitede 0 tedavi hakkında bilgi bulabilirsiniz."),
        (1, "1 treatment is described on this site.", "Bu sitede 1 tedavi hakkında bilgi bulabilirsiniz."),
        (2, "2 treatments are described on this site.", "Bu sitede 2 tedavi hakkında bilgi bulabilirsiniz."),
    ],
)
def test_ngettext_on_the_section_page_for_0_1_and_2(scratch_site, count, english, turkish):
    _keep_treatments(scratch_site, count)
    outputs = scratch_site.build().outputs
    assert english in outputs["en/treatments/index.html"].decode()
    assert turkish in outputs["tr/tedaviler/index.html"].decode()


def test_a_catalog_that_does_not_parse_names_file_and_line(scratch_site):
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith('msgstr "Ana sayfa"'))
    lines[index] = 'msgstr "Ana sayfa'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert scratch_site.errors() == (
        f"locales/tr/LC_MESSAGES/messages.po:{index + 1}: this line of the catalog cannot be read:"
        """ 'msgstr "Ana sayfa'\n"""
        """  hint: each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation;"""
        " check for a missing closing quote"
    )


def test_untranslated_fuzzy_and_broken_placeholders_are_reported(scratch_site):
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "Ana sayfa"', 'msgstr ""')
    text = text.replace('msgid "Closed"', '#, fuzzy\nmsgid "Closed"')
    text = text.replace('msgstr "Arayın: %(phone)s"', 'msgstr "Arayın: %(telefon)s"')
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def line(msgid):
        return next(i for i, li in enumerate(lines, 1) if li == f'msgid "{msgid}"')

    errors = scratch_site.errors()
    shown = "locales/tr/LC_MESSAGES/messages.po"
    assert (
        f"{shown}:{line('Call %(phone)s')}: 'Call %(phone)s': the translation has %(telefon)s where the"
        " English text has %(phone)s\n  hint: use the placeholders of the English text as they are written"
        " (%(phone)s); write a % sign as %%"
    ) in errors
    assert (
        f"{shown}:{line('Home')}: warning: 'Home' is not translated yet: the English text is shown" in errors
    )
    assert f"{shown}:{line('Closed')}: warning: fuzzy (unchecked) translation of 'Closed'" in errors


def test_a_plural_forms_header_that_disagrees_with_the_entries(scratch_site):
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8").replace("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    plural = next(i for i, li in enumerate(lines, 1) if li.startswith("msgid_plural "))  # the first entry
    line = plural - 1  # with plural forms: its msgid line
    assert lines[line - 1].startswith("msgid ")
    assert scratch_site.errors() == (
        f"locales/tr/LC_MESSAGES/messages.po:{line}: this entry has more plural translations (msgstr[N])"
        " than the Plural-Forms header's nplurals\n  hint: make the header and the entries agree"
    )


def test_dates_are_formatted_by_babel_for_the_page_language():
    day = dt.date(2026, 11, 24)
    assert long_date(day, TR) == "24 Kasım 2026"
    assert long_date(day, EN) == "24 November 2026"


def test_opening_hours_use_localized_day_names_and_list_closed_days(scratch_site):
    config = scratch_site.build().site.config
    assert opening_hours(config.clinic.opening_hours, TR) == [
        ("Pazartesi – Cuma", "09:00–18:00"),
        ("Cumartesi", None),
        ("Pazar", None),
    ]


def test_turkish_case_keeps_dotted_and_dotless_i():
    assert upper("istanbul ılık", "tr") == "İSTANBUL ILIK"
    assert lower("İZMİR ISPARTA", "tr") == "izmir ısparta"
    assert len(lower("İ", "tr")) == 1
    assert capitalize("ilaç", "tr") == "İlaç"
    assert title("saç mezoterapisi", "tr") == "Saç Mezoterapisi"
    assert upper("istanbul", "en") == "ISTANBUL"


def test_templates_get_the_turkish_aware_filters(scratch_site):
    scratch_site.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}'
                        "<h1>{{ page.title|upper }}</h1>{% endblock %}"})  # fmt: skip
    assert "<h1>SAYFA BULUNAMADI</h1>" in scratch_site.html("tr/404.html")
    assert "<h1>PAGE NOT FOUND</h1>" in scratch_site.html("en/404.html")


def test_the_turkish_catalog_has_exactly_the_strings_of_the_template_file(turkish):
    with (ROOT / "locales/messages.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert {m.id for m in turkish if m.id} == template, "run: python build.py i18n update"


def test_site_data_and_catalogs_are_normalised_to_nfc(scratch_site):
    import unicodedata

    yaml_path = scratch_site.root / "content/site.yaml"
    yaml_path.write_text(
        unicodedata.normalize("NFD", yaml_path.read_text(encoding="utf-8")), encoding="utf-8"
    )
    po_path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    po_path.write_text(unicodedata.normalize("NFD", po_path.read_text(encoding="utf-8")), encoding="utf-8")
    html = scratch_site.html("tr/index.html")
    assert "Test Kliniği" in html and "Çalışma saatleri" in html
    assert unicodedata.is_normalized("NFC", html)


def _edit_catalog(site, old: str, new: str) -> list[str]:
    path = site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.replace(old, new, 1).split("\n")


CALL, CLOSED, HEADER = 'msgid "Call %(phone)s', 'msgid "Closed', '"Plural-Forms'


def _line(lines: list[str], start: str) -> int:
    return next(i for i, li in enumerate(lines, 1) if li.startswith(start))


def test_a_translation_that_drops_a_placeholder_stops_the_build(scratch_site):
    lines = _edit_catalog(scratch_site, 'msgstr "Arayın: %(phone)s"', 'msgstr "Arayın: (phone)s"')
    assert scratch_site.errors() == (
        f"locales/tr/LC_MESSAGES/messages.po:{_line(lines, CALL)}: 'Call %(phone)s':"
        " the translation lost %(phone)s\n"
        "  hint: keep every %(name)s placeholder of the English text in the translation, as it is written"
    )


def test_a_lone_percent_sign_stops_the_build_instead_of_crashing(scratch_site):
    lines = _edit_catalog(scratch_site, 'msgstr "Kapalı"', 'msgstr "%100 kapalı"')
    assert scratch_site.errors() == (
        f"locales/tr/LC_MESSAGES/messages.po:{_line(lines, CLOSED)}: 'Closed': the translation has"
        " a lone % sign\n  hint: write a percent sign as %% (for example: %%100)"
    )


def test_a_duplicate_entry_is_reported(scratch_site):
    lines = _edit_catalog(scratch_site, 'msgid "Closed"', 'msgid "Closed"\nmsgstr "Kapalı"\n\nmsgid "Closed"')
    first = _line(lines, 'msgid "Closed"')
    assert (
        f"locales/tr/LC_MESSAGES/messages.po:{first + 3}: this entry repeats the one on line {first}\n"
        "  hint: delete one of the two entries"
    ) in scratch_site.errors()


@pytest.mark.parametrize(
    "header", ["nplurals=iki; plural=(n != 1);", "nplurals=2 plural=(n != 1);", "plural=(n != 1);"]
)
def test_a_plural_forms_header_that_cannot_be_read(scratch_site, header):
    lines = _edit_catalog(scratch_site, "nplurals=2; plural=(n != 1);", header)
    message, hint = scratch_site.errors().split("\n")
    assert (
        message
        == f"locales/tr/LC_MESSAGES/messages.po:{_line(lines, HEADER)}: the Plural-Forms header cannot be read"
    )
    # The usual header comes from Babel's CLDR data, which changes between Babel versions
    # (Turkish had one form, then two): what is promised is a hint that works when followed.
    suggested = re.fullmatch(r"  hint: the usual header for Türkçe is: (nplurals=\d+; plural=[^;]+;)", hint)
    assert suggested, hint
    _edit_catalog(scratch_site, header, suggested[1])
    assert not [p for p in scratch_site.build().problems if p.is_error]


def test_a_half_translated_plural_is_a_warning(scratch_site):
    lines = _edit_catalog(scratch_site, 'msgstr[1] "Bu sitede', 'msgstr[1] ""\n"Bu sitede')
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = "\n".join(lines)
    start = text.index('msgstr[1] ""')
    end = text.index("\n\n", start)
    path.write_text(text[:start] + 'msgstr[1] ""' + text[end:], encoding="utf-8")
    problems = [str(p) for p in scratch_site.build().problems]
    assert any("is missing some of its plural forms: the English text is shown" in p for p in problems), (
        problems
    )


# A translation is text: whatever a catalog holds, it is escaped where it is output.

PO = "locales/tr/LC_MESSAGES/messages.po"
HOME, UPDATED = 'msgid "Home"', 'msgid "Last updated on'
MARKUP_HINT = (
    "  hint: a translation is plain text and is shown exactly as written: remove the tags and"
    " entities (write &, quotes and apostrophes as themselves)"
)


def _render(source: str, entries: list[tuple], **context) -> str:
    """Render *source* with the site's gettext functions and a catalog that was never checked."""
    import jinja2
    from babel.messages.catalog import Catalog

    from sitegen.sandbox import install_gettext

    catalog = Catalog(locale="tr")
    for msgctxt, msgid, msgstr in entries:
        catalog.add(msgid, msgstr, context=msgctxt)
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    install_gettext(env, compile_catalog(catalog))
    return env.from_string(source).render(context)


@pytest.mark.parametrize(
    ("source", "entries", "expected"),
    [
        ('{{ _("Home") }}', [(None, "Home", "<script>alert(1)</script>Ana sayfa")],
         "&lt;script&gt;alert(1)&lt;/script&gt;Ana sayfa"),
        ('<nav aria-label="{{ _(\'Main menu\') }}">', [(None, "Main menu", 'Ana menü" onmouseover="alert(1)')],
         '<nav aria-label="Ana menü&#34; onmouseover=&#34;alert(1)">'),
        ('{{ gettext("Home") }}', [(None, "Home", '<meta http-equiv="refresh" content="0;url=https://evil.test">')],
         "&lt;meta http-equiv=&#34;refresh&#34; content=&#34;0;url=https://evil.test&#34;&gt;"),
        ('{{ _("Home") }}', [(None, "Home", "Ana&nbsp;sayfa")], "Ana&amp;nbsp;sayfa"),
        ('{{ ngettext("%(num)d seat", "%(num)d seats", 2) }}', [(None, ("%(num)d seat", "%(num)d seats"),
         ("<b>%(num)d</b> koltuk", "<b>%(num)d</b> koltuk"))], "&lt;b&gt;2&lt;/b&gt; koltuk"),
        ('{{ pgettext("button", "Book") }}', [("button", "Book", "<a href=//evil.test>Randevu</a>")],
         "&lt;a href=//evil.test&gt;Randevu&lt;/a&gt;"),
        ('{{ npgettext("button", "%(num)d seat", "%(num)d seats", 3) }}',
         [("button", ("%(num)d seat", "%(num)d seats"), ("<i>%(num)d</i>", "<i>%(num)d</i>"))], "&lt;i&gt;3&lt;/i&gt;"),
        ("{% trans name=who %}Hello {{ name }}{% endtrans %}", [(None, "Hello %(name)s", "<i>Merhaba</i> %(name)s")],
         "&lt;i&gt;Merhaba&lt;/i&gt; &lt;b&gt;Ali&lt;/b&gt;"),
        ("{% trans count=n %}{{ count }} page{% pluralize %}{{ count }} pages{% endtrans %}",
         [(None, ("%(count)s page", "%(count)s pages"), ("%(count)s <u>sayfa</u>", "%(count)s <u>sayfa</u>"))],
         "2 &lt;u&gt;sayfa&lt;/u&gt;"),
        # Markup that the template makes stays markup; the translation around it is still text.
        ('{% set link %}<a href="/x">{{ who }}</a>{% endset %}{% trans link=link %}See {{ link }}{% endtrans %}',
         [(None, "See %(link)s", "<script>%(link)s")], '&lt;script&gt;<a href="/x">&lt;b&gt;Ali&lt;/b&gt;</a>'),
        ('{{ _("Call %(phone)s", phone=who) }}', [(None, "Call %(phone)s", "Arayın: %(phone)s & \'sorun\'")],
         "Arayın: &lt;b&gt;Ali&lt;/b&gt; &amp; &#39;sorun&#39;"),
        # The English fallback (no translation) is escaped once, not twice.
        ('{{ _("Terms & conditions") }} {% trans %}Q&A, 100%{% endtrans %}', [], "Terms &amp; conditions Q&amp;A, 100%"),
        ('{{ _("Terms & conditions") }}', [(None, "Terms & conditions", "Şartlar &amp; koşullar")],
         "Şartlar &amp;amp; koşullar"),
        # Filters see the text, not its escaped form ("&AMP;").
        ('{{ _("Home")|upper }}', [(None, "Home", "ana & sayfa")], "ANA &amp; SAYFA"),
    ],
)  # fmt: skip
def test_every_kind_of_translation_is_escaped_as_text(source, entries, expected):
    assert _render(source, entries, who="<b>Ali</b>", n=2) == expected


def test_a_translation_with_quotes_and_ampersands_is_text_in_the_built_pages(scratch_site):
    _edit_catalog(scratch_site, 'msgstr "Ana menü"', 'msgstr "Ana menü\\" onmouseover=\\"alert(1)"')
    _edit_catalog(scratch_site, 'msgstr "Türkçe devam edin"', 'msgstr "Türkçe \\"devam\\" & edin"')
    _edit_catalog(scratch_site, 'msgstr "Ana sayfa"', 'msgstr "Ana sayfa & <5 dk"')
    _edit_catalog(scratch_site, 'msgstr "İçerikten sorumlu kişi: %(name)s, %(email)s"',
                  'msgstr "İçerikten \\"sorumlu\\" kişi & editör: %(name)s, %(email)s"')  # fmt: skip
    _edit_catalog(
        scratch_site, 'msgstr[1] "Bu sitede %(num)d tedavi', "msgstr[1] \"Bu sitede '%(num)d' tedavi"
    )
    outputs = scratch_site.build().outputs
    html = outputs["tr/index.html"].decode()
    assert '<nav class="main-nav" aria-label="Ana menü&#34; onmouseover=&#34;alert(1)">' in html
    assert '<li><a href="/tr/" aria-current="page">Ana sayfa &amp; &lt;5 dk</a></li>' in html
    assert (
        "<p>İçerikten &#34;sorumlu&#34; kişi &amp; editör: Dr. Test,"
        ' <a href="mailto:editor@klinik.test">editor@klinik.test</a></p>'
    ) in html
    assert 'onmouseover="' not in html and "<5" not in html
    # Strings the code translates (the chooser's button, the root 404 page) are text too.
    assert "Türkçe &#34;devam&#34; &amp; edin</a>" in outputs["index.html"].decode()
    assert "Ana sayfa &amp; &lt;5 dk · Türkçe</a>" in outputs["404.html"].decode()
    section = outputs["tr/tedaviler/index.html"].decode()
    assert '<p class="count">Bu sitede &#39;2&#39; tedavi hakkında bilgi bulabilirsiniz.</p>' in section


@pytest.mark.parametrize(
    ("old", "new", "entry", "found"),
    [
        ('msgstr "Ana sayfa"', 'msgstr "<script>alert(1)</script>Ana sayfa"', 'msgid "Home"', "<script>, </script>"),
        ('msgstr "Ana menü"', 'msgstr "<meta http-equiv=\\"refresh\\" content=\\"0;url=https://evil.test\\">Ana menü"',
         'msgid "Main menu"', "<meta>"),
        ('msgstr "Ana sayfa"', 'msgstr "Ana&nbsp;sayfa &#60;3"', 'msgid "Home"', "&nbsp;, &#60;"),
        ('msgstr "Ana sayfa"', 'msgstr "Ana sayfa<!-- -->"', 'msgid "Home"', "<!--"),
        ('msgstr[1] "Bu sitede %(num)d tedavi', 'msgstr[1] "<b>Bu sitede</b> %(num)d tedavi', f'msgid "{SINGULAR}"',
         "<b>, </b>"),
        ('msgstr "İçerikten sorumlu kişi: %(name)s, %(email)s"',
         'msgstr "İçerikten sorumlu kişi: %(name)s, %(email)s <img src=x onerror=alert(1)>"',
         'msgid "Responsible for the content', "<img>"),
    ],
)  # fmt: skip
def test_a_translation_that_brings_markup_stops_the_build_at_its_catalog_line(
    scratch_site, old, new, entry, found
):
    lines = _edit_catalog(scratch_site, old, new)
    line = _line(lines, entry)
    msgid = lines[line - 1][len('msgid "') : -1]
    assert scratch_site.errors() == (
        f"{PO}:{line}: {msgid!r}: the translation has HTML markup that the English text does not have: {found}\n"
        + MARKUP_HINT
    )


def test_a_msgctxt_entry_is_checked_like_any_other(scratch_site):
    scratch_site.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}'
                        '<p>{{ pgettext("button", "Book") }}</p>{% endblock %}'})  # fmt: skip
    path = scratch_site.root / PO
    text = (
        path.read_text(encoding="utf-8")
        + '\nmsgctxt "button"\nmsgid "Book"\nmsgstr "<a href=//evil.test>Randevu</a>"\n'
    )
    path.write_text(text, encoding="utf-8")
    line = len(text.split("\n")) - 2
    assert scratch_site.errors() == (
        f"{PO}:{line}: 'Book': the translation has HTML markup that the English text does not have: <a>, </a>\n"
        + MARKUP_HINT
    )
    path.write_text(text.replace("<a href=//evil.test>Randevu</a>", "Randevu & bilgi"), encoding="utf-8")
    assert "<p>Randevu &amp; bilgi</p>" in scratch_site.html("tr/404.html")
    assert "<p>Book</p>" in scratch_site.html("en/404.html")


@pytest.mark.parametrize(
    ("new", "found", "where"),
    [
        ('msgstr "Ana sayfa %(x)s"', "%(x)s, which the English text does not have", "none"),
        ('msgstr "Ana sayfa {x}"', "{x}, which the English text does not have", "none"),
        ('msgstr "Ana sayfa %s"', "%s, which the English text does not have", "none"),
        ('msgstr "Ana sayfa {{ x }}"', "{{ x }}, which the English text does not have", "none"),
    ],
)
def test_a_translation_that_brings_a_placeholder_stops_the_build_at_its_catalog_line(
    scratch_site, new, found, where
):
    # Before, such a translation stopped the rendering and the error blamed templates/base.html.
    lines = _edit_catalog(scratch_site, 'msgstr "Ana sayfa"', new)
    assert scratch_site.errors() == (
        f"{PO}:{_line(lines, HOME)}: 'Home': the translation has {found}\n"
        f"  hint: use the placeholders of the English text as they are written ({where}); write a % sign as %%"
    )


def test_a_placeholder_of_another_type_or_name_stops_the_build(scratch_site):
    lines = _edit_catalog(
        scratch_site, 'msgstr "Son güncelleme: %(date)s."', 'msgstr "Son güncelleme: %(date)d."'
    )
    lines = _edit_catalog(scratch_site, 'msgstr "Arayın: %(phone)s"', 'msgstr "Arayın: %(phone)s %(email)s"')
    hint = "  hint: use the placeholders of the English text as they are written"
    assert scratch_site.errors() == (
        f"{PO}:{_line(lines, UPDATED)}: 'Last updated on %(date)s.': the translation has"
        f" %(date)d, which the English text does not have\n{hint} (%(date)s); write a % sign as %%\n"
        f"{PO}:{_line(lines, CALL)}: 'Call %(phone)s': the translation has %(email)s, which the English"
        f" text does not have\n{hint} (%(phone)s); write a % sign as %%"
    )


def test_a_plural_may_leave_out_or_add_the_number(scratch_site):
    _edit_catalog(scratch_site, 'msgstr[0] "Bu sitede %(num)d tedavi', 'msgstr[0] "Bu sitede bir tedavi')
    assert "Bu sitede 2 tedavi" in scratch_site.html("tr/tedaviler/index.html")


@pytest.mark.parametrize(
    ("template", "found"),
    [
        ('<p>{{ _("Read <b>this</b> first") }}</p>', "'Read <b>this</b> first' has HTML markup (<b>, </b>)"),
        ('<p>{% trans %}Terms &amp; conditions{% endtrans %}</p>', "'Terms &amp; conditions' has HTML markup (&amp;)"),
        ('<p>{% trans url=home_url %}See <a href="{{ url }}">home</a>{% endtrans %}</p>',
         "'See <a href=\"%(url)s\">home</a>' has HTML markup (<a>, </a>)"),
    ],
)  # fmt: skip
def test_an_interface_string_written_with_markup_is_refused(scratch_site, template, found):
    from sitegen.errors import BuildError
    from sitegen.pipeline import BuildOptions, build

    scratch_site.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}\n'
                        + template + "{% endblock %}"})  # fmt: skip
    expected = (
        f"templates/not_found.html:2: the interface string {found}, which would be shown as written\n"
        "  hint: a translation is text and is shown as written: keep tags outside the string"
        " (<a href=...>{{ _('...') }}</a>), or make them in {% set link %}...{% endset %} and pass them"
        " as a variable: {% trans link=link %}... {{ link }} ...{% endtrans %}; write & as itself"
    )
    with pytest.raises(BuildError) as caught:
        build(scratch_site.project, BuildOptions(check=True))
    assert [str(p) for p in caught.value.errors] == [expected]
