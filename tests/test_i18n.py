"""Catalogs, plural forms, Babel dates and Turkish-aware case."""

import datetime as dt
import re

import pytest
from babel.messages.pofile import read_po

from sitegen.config import Language
from sitegen.i18n import catalog_path, compile_catalog, long_date, opening_hours, read_catalog
from sitegen.textcase import capitalize, lower, title, upper
from tests.conftest import ROOT

TR = Language("tr", "Türkçe", "tr_TR")
EN = Language("en", "English", "en_GB")
REAL_CATALOG = catalog_path(ROOT / "locales", "tr")
SINGULAR = "%(num)d treatment is described on this site."
PLURAL = "%(num)d treatments are described on this site."


@pytest.fixture(scope="module")
def turkish():
    catalog, problems = read_catalog(REAL_CATALOG, "locales/tr/LC_MESSAGES/messages.po", TR)
    assert [p for p in problems if not p.warning] == []
    return catalog


def test_the_turkish_catalog_is_complete_and_checked(turkish):
    _, problems = read_catalog(REAL_CATALOG, "locales/tr/LC_MESSAGES/messages.po", TR)
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
        f"{shown}:{line('Call %(phone)s')}: 'Call %(phone)s': unknown named placeholder 'telefon'" in errors
    )
    assert (
        f"{shown}:{line('Home')}: warning: 'Home' is not translated yet: the English text is shown" in errors
    )
    assert f"{shown}:{line('Closed')}: warning: fuzzy (unchecked) translation of 'Closed'" in errors


def test_a_plural_forms_header_that_disagrees_with_the_entries(scratch_site):
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8").replace("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, li in enumerate(lines, 1) if li == f'msgid "{SINGULAR}"')
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
        " the translation lost %(phone)\n"
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
