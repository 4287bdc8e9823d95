"""Comparing the language versions of a page: sections aligned in order, and what one lacks."""

import datetime as dt

import pytest

from sitegen import compare
from sitegen.content import parse_source
from sitegen.model import Page
from sitegen.schema import check_front_matter
from tests.conftest import TREATMENT_FIELDS

TR = "content/treatments/mesotherapy.tr.md"
EN = "content/treatments/mesotherapy.en.md"


def page(text: str, lang: str, layout: str | None = None) -> Page:
    shown = TR if lang == "tr" else EN
    source, problems = parse_source(text.encode(), shown, "treatments/mesotherapy", lang)
    assert source is not None, problems
    meta, problems = check_front_matter(source, layout)
    assert meta is not None, problems
    return Page(source, meta, "mezoterapi" if lang == "tr" else "mesotherapy", f"/{lang}/x/")


def plain(body: str, lang: str, front: str = "") -> Page:
    """A plain page: title, description and *front* (lines 2-3 and on), then *body* from line 5 on
    (line 4 with *front* of one line, and so on)."""
    title = "Mezoterapi" if lang == "tr" else "Mesotherapy"
    return page(f"---\ntitle: {title}\ndescription: Meso.\n{front}---\n{body}", lang)


def messages(a: Page, b: Page) -> list[str]:
    return [str(problem) for problem in compare.problems(compare.compare_pages(a, b))]


TR_BODY = """\
Giriş metni.

## Nedir?

Mezoterapi bir uygulamadır.

## Nasıl uygulanır?

- Muayene.
- Plan.
- Uygulama yaklaşık 30 dakika sürer.

## Faydaları

Ayrıntılar için [saç mezoterapisi](hair-mesotherapy.md) sayfasına bakın.

![Bekleme salonu](/media/clinic.jpg)
"""
EN_BODY = """\
Introduction.

## What is it?

Mesotherapy is a procedure.

## How is it done?

- Consultation.
- A plan.
- A session takes about 30 minutes.

## Benefits

For details, see [hair mesotherapy](hair-mesotherapy.en.md#benefits).

![The waiting room](/media/clinic.jpg)
"""


def test_a_faithful_translation_has_no_differences_and_the_sections_are_paired_in_order():
    comparison = compare.compare_pages(plain(TR_BODY, "tr"), plain(EN_BODY, "en"))
    assert [(row.a and row.a.name, row.b and row.b.name) for row in comparison.rows] == [
        ("", ""),  # the text before the first heading
        ("Nedir?", "What is it?"),
        ("Nasıl uygulanır?", "How is it done?"),
        ("Faydaları", "Benefits"),
    ]
    assert comparison.differences == ()
    # A link to the same page in either language's way of writing it, with another anchor, is the same link.
    assert [f.value for f in comparison.rows[3].a.links] == ["page:treatments/hair-mesotherapy"]
    assert comparison.rows[2].a.items == ("Muayene.", "Plan.", "Uygulama yaklaşık 30 dakika sürer.")


def test_a_section_missing_in_the_middle_is_one_gap_not_a_shift_of_every_section_after_it():
    missing = TR_BODY.replace(
        "## Nasıl uygulanır?\n\n- Muayene.\n- Plan.\n- Uygulama yaklaşık 30 dakika sürer.\n\n", ""
    )
    comparison = compare.compare_pages(plain(missing, "tr"), plain(EN_BODY, "en"))
    assert [(row.a and row.a.name, row.b and row.b.name) for row in comparison.rows] == [
        ("", ""),
        ("Nedir?", "What is it?"),
        (None, "How is it done?"),
        ("Faydaları", "Benefits"),
    ]
    # Reported in the version that lacks it, after the section before it (its heading: line 7).
    assert messages(plain(missing, "tr"), plain(EN_BODY, "en")) == [
        f"{TR}:7: warning: the other version has a section 'How is it done?' here ({EN}:11) that this"
        " page does not have\n  hint: translate it here, after the section above, or remove it from the"
        " other version"
    ]


def test_text_before_the_first_heading_missing_in_one_version():
    assert messages(plain(TR_BODY.replace("Giriş metni.\n\n", ""), "tr"), plain(EN_BODY, "en")) == [
        f"{TR}:5: warning: the other version has text before its first heading ({EN}:5) that this page"
        " does not have\n  hint: translate it here, at the start of the text, or remove it from the other"
        " version"
    ]


def test_an_extra_list_item_is_reported_in_the_version_with_fewer_at_its_heading():
    extra = EN_BODY.replace("- A plan.\n", "- A plan.\n- Aftercare.\n")
    assert messages(plain(TR_BODY, "tr"), plain(extra, "en")) == [
        f"{TR}:11: warning: this section has 3 list items and the other version's has 4 ({EN}:11)\n"
        "  hint: add the missing item, or remove the extra one: each item needs its translation"
    ]


def test_a_differing_number_is_reported_in_each_version_at_the_line_of_its_own_number():
    changed = EN_BODY.replace("about 30 minutes", "about 45 minutes")
    assert messages(plain(TR_BODY, "tr"), plain(changed, "en")) == [
        f"{TR}:15: warning: the other version has 45 here ({EN}:15) where this one has 30\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)",
        f"{EN}:15: warning: the other version has 30 here ({TR}:15) where this one has 45\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)",
    ]


def test_a_number_left_out_is_reported_where_it_is_missing():
    dropped = EN_BODY.replace("about 30 minutes", "a short while")
    assert messages(plain(TR_BODY, "tr"), plain(dropped, "en")) == [
        f"{EN}:11: warning: the other version has 30 here ({TR}:15), which this one does not\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)"
    ]


@pytest.mark.parametrize(
    ("turkish", "english"),
    [
        ("1,5 ml", "1.5 ml"),  # the Turkish decimal comma
        ("1.000 kişi", "1,000 people"),  # thousands
        ("%30", "30%"),
        ("27.10.2014 tarihli", "of 27 October 2014"),  # one date, however it is written
        ("27 Ekim 2014", "October 27, 2014"),
        ("2,50", "2.5"),
    ],
)
def test_numbers_are_the_same_in_each_language_s_way_of_writing_them(turkish, english):
    assert messages(plain(f"## A\n\nBir {turkish}.\n", "tr"), plain(f"## A\n\nOne {english}.\n", "en")) == []


@pytest.mark.parametrize(("turkish", "english"), [("1,5 ml", "15 ml"), ("27.10.2014", "27 November 2014")])
def test_numbers_that_are_not_the_same_are_told_apart(turkish, english):
    found = messages(plain(f"## A\n\nBir {turkish}.\n", "tr"), plain(f"## A\n\nOne {english}.\n", "en"))
    assert found[0].startswith(f"{TR}:7: warning: the other version has {english.split(' ml')[0]} here")


def test_normalised_numbers():
    assert compare.normalise_number("1,5", "tr") == ["1.5"]
    assert compare.normalise_number("1.5", "en") == ["1.5"]
    assert compare.normalise_number("1.000", "tr") == ["1000"]
    assert compare.normalise_number("1,000", "en") == ["1000"]
    assert compare.normalise_number("1.250,75", "tr") == ["1250.75"]
    assert compare.normalise_number("007", "en") == ["7"]
    assert compare.normalise_number("1.2.3", "en") == ["1", "2", "3"]


def test_a_link_and_a_picture_missing_in_one_version():
    bare = EN_BODY.replace(
        "For details, see [hair mesotherapy](hair-mesotherapy.en.md#benefits).", ""
    ).replace("![The waiting room](/media/clinic.jpg)", "")
    assert messages(plain(TR_BODY, "tr"), plain(bare, "en")) == [
        f"{EN}:17: warning: the other version links to hair-mesotherapy.md here ({TR}:19); this one does not\n"
        "  hint: add the link to this version, or remove it from the other one",
        f"{EN}:17: warning: the other version shows the picture /media/clinic.jpg here ({TR}:21); this one"
        " does not\n  hint: add the picture here with a description in this language, or remove it from"
        " the other version",
    ]


def test_a_link_to_another_page_is_not_the_same_link():
    other = EN_BODY.replace("hair-mesotherapy.en.md#benefits", "/contact.md")
    found = messages(plain(TR_BODY, "tr"), plain(other, "en"))
    assert [line.split(";")[0] for line in found] == [
        f"{TR}:17: warning: the other version links to /contact.md here ({EN}:19)",
        f"{EN}:17: warning: the other version links to hair-mesotherapy.md here ({TR}:19)",
    ]


def test_sections_in_a_different_order_are_paired_as_moved():
    swapped = EN_BODY.replace(
        "## How is it done?\n\n- Consultation.\n- A plan.\n- A session takes about 30 minutes.\n\n", ""
    ).replace("![The waiting room](/media/clinic.jpg)\n", "![The waiting room](/media/clinic.jpg)\n\n"
              "## How is it done?\n\n- Consultation.\n- A plan.\n- A session takes about 30 minutes.\n")  # fmt: skip
    comparison = compare.compare_pages(plain(TR_BODY, "tr"), plain(swapped, "en"))
    moved = [row for row in comparison.rows if row.moved]
    assert [(row.a.name, row.b.name) for row in moved] == [("Nasıl uygulanır?", "How is it done?")]
    assert messages(plain(TR_BODY, "tr"), plain(swapped, "en")) == [
        f"{TR}:11: warning: this section is in another place in the other version: 'How is it done?' ({EN}:17)\n"
        "  hint: put the sections in the same order in both versions",
        f"{EN}:17: warning: this section is in another place in the other version: 'Nasıl uygulanır?' ({TR}:11)\n"
        "  hint: put the sections in the same order in both versions",
    ]


def test_headings_and_lists_in_code_blocks_are_not_sections():
    fenced = "## A\n\n```\n## not a heading\n- not an item\n```\n"
    version = compare.read_version(plain(fenced, "tr"), frozenset({"tr", "en"}))
    assert [(part.name, part.items) for part in version.sections] == [("A", ())]


def treatment(lang: str, fields: str = TREATMENT_FIELDS) -> Page:
    title = "Mezoterapi" if lang == "tr" else "Mesotherapy"
    return page(f"---\ntitle: {title}\ndescription: Meso.\n{fields}---\n", lang, "treatment")


def test_the_front_matter_lists_are_compared_field_by_field():
    more = TREATMENT_FIELDS.replace(
        "side_effects:\n  - bruising\n", "side_effects:\n  - bruising\n  - redness\n"
    )
    faq = "faq:\n  - {question: Ne kadar sürer?, answer: 30 dakika.}\n"
    found = messages(treatment("tr", TREATMENT_FIELDS + faq), treatment("en", more))
    assert found == [
        f"{TR}:9: warning: 'side_effects' has 1 entries here and 2 in the other version ({EN}:9)\n"
        "  hint: add the missing entry, or remove the extra one: each entry needs its translation",
        f"{EN}:22: warning: 'faq' is missing here; the other version has it ({TR}:26)\n"
        "  hint: translate it here, or remove it from the other version",
    ]


def test_numbers_and_links_of_the_front_matter():
    fewer = TREATMENT_FIELDS.replace("30 min", "half an hour").replace(
        '  - {title: A review, url: "https://pubmed.ncbi.nlm.nih.gov/1/"}\n', "  - {title: A review}\n"
    )
    found = messages(treatment("tr"), treatment("en", fewer))
    assert found == [
        f"{EN}:5: warning: the other version has 30 here ({TR}:5), which this one does not\n"
        "  hint: check the numbers: a translation keeps every number (30 dakika, 30 minutes)",
        f"{EN}:22: warning: the other version links to https://pubmed.ncbi.nlm.nih.gov/1/ here ({TR}:23);"
        " this one does not\n  hint: add the link to this version, or remove it from the other one",
    ]
    # The field as the page shows it, for the preview.
    assert compare.field_label("at_a_glance.session_length") == "Session length"
    assert compare.field_label("registration") == "Registration number"
    assert compare.field_label("unknown_field") == "unknown_field"


def test_which_version_changed_last():
    older, newer = plain("", "tr", "updated: 2026-10-01\n"), plain("", "en", "updated: 2026-11-24\n")
    comparison = compare.compare_pages(older, newer)
    assert (comparison.newer, comparison.a.date, comparison.a.dated_by) == (
        "en",
        dt.date(2026, 10, 1),
        "updated",
    )
    assert compare.compare_pages(older, plain("", "en", "updated: 2026-10-01\n")).newer is None
    # Without a date in the file, the time it was saved.
    saved = {"tr": dt.datetime(2026, 5, 1, 9, 0), "en": dt.datetime(2026, 4, 1, 9, 0)}
    undated = compare.compare_pages(plain("", "tr"), plain("", "en"), modified=lambda p: saved[p.lang])
    assert (undated.newer, undated.a.dated_by) == ("tr", "modified")


def test_the_work_is_bounded_for_a_page_with_very_many_sections():
    many = "".join(f"## S{n}\n\n{n}\n\n" for n in range(compare.MAX_SECTIONS * 3))
    comparison = compare.compare_pages(plain(many, "tr"), plain("## Only\n", "en"))
    assert len(comparison.a.sections) == compare.MAX_SECTIONS
    assert len(comparison.differences) == compare.MAX_DIFFERENCES and comparison.truncated
    assert str(compare.problems(comparison)[-1]) == (
        f"{TR}: warning: more than {compare.MAX_DIFFERENCES} differences from {EN}: only the first are"
        " listed\n  hint: start with these"
    )
