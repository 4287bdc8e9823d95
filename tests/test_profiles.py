"""Who stands behind a page: doctors' profiles, the byline that names them, their structured data."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests.conftest import DOCTOR_FIELDS, SITE_YAML, TREATMENT_FIELDS

TR_PAGE = "content/treatments/mesotherapy.tr.md"
HEAD = "---\ntitle: Mezoterapi\ndescription: Meso.\nslug: mezoterapi\n"


def _line(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def _json_ld(html: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S)
    ]


def test_reviewed_by_must_name_a_profile_with_a_suggestion(scratch_site):
    page = HEAD + TREATMENT_FIELDS.replace("reviewed_by: test", "reviewed_by: tset") + "---\n"
    scratch_site.write({TR_PAGE: page})
    assert scratch_site.errors() == (
        f"{TR_PAGE}:{_line(page, 'reviewed_by')}: 'reviewed_by' names 'tset': there is no doctor's profile"
        " content/doctors/tset.tr.md\n  hint: did you mean 'test'?"
    )


def test_reviewed_by_is_a_profile_name_not_free_text(scratch_site):
    page = HEAD + TREATMENT_FIELDS.replace("reviewed_by: test", 'reviewed_by: "Dr. Ayşe Yılmaz"') + "---\n"
    scratch_site.write({TR_PAGE: page})
    assert scratch_site.errors() == (
        f"{TR_PAGE}:{_line(page, 'reviewed_by')}: 'reviewed_by' must name a doctor's profile by its file name,"
        " found 'Dr. Ayşe Yılmaz'\n  hint: write the name of the profile's file without the language and .md,"
        " such as ad-soyad for doctors/ad-soyad.tr.md"
    )


def test_a_draft_profile_cannot_be_named(scratch_site):
    scratch_site.write({"content/doctors/test.tr.md": "---\ntitle: Dr. Test\ndescription: x\ndraft: true\n"
                        + DOCTOR_FIELDS + "---\n"})  # fmt: skip
    errors = scratch_site.errors()
    assert (
        f"{TR_PAGE}:{_line(HEAD + TREATMENT_FIELDS, 'reviewed_by')}: 'reviewed_by' names 'test':"
        " content/doctors/test.tr.md is a draft, so it is not published\n  hint: publish the profile first"
    ) in errors


def test_references_next_review_and_the_new_sections_are_checked(scratch_site):
    fields = (
        TREATMENT_FIELDS.replace("  - {title: A label}\n", "")
        .replace("next_review: 2027-11-24", "next_review: 2026-01-01")
        .replace("warning_signs: [fever]\n", "")
    )
    page = HEAD + fields + "---\n"
    scratch_site.write({TR_PAGE: page})
    assert scratch_site.errors() == "\n".join([
        f"{TR_PAGE}:2: 'warning_signs' is required on a 'treatment' page",
        "  hint: add a line 'warning_signs: ...' (one '- ...' line per item: signs that need the clinic or a"
        " doctor at once) to the front matter",
        f"{TR_PAGE}:{_line(page, 'references')}: 'references' lists 1 references; a treatment page lists 2 to 4",
        "  hint: name the sources a reader can check the page against: guidance, reviews, a medicine's label,"
        " each with its title and address",
        f"{TR_PAGE}:{_line(page, 'next_review')}: 'next_review' (2026-01-01) must come after 'last_reviewed'"
        " (2026-11-24)",
        "  hint: a page is usually reviewed again within a year",
    ])  # fmt: skip


def test_the_byline_links_the_reviewer_and_the_profile_lists_the_pages_it_reviewed(scratch_site):
    result = scratch_site.build()
    html = result.outputs["en/treatments/mesotherapy/index.html"].decode()
    assert (
        '<p class="byline"> Medically reviewed by <a href="/en/doctors/dr-test/">Dr Test</a>.<br>'
        'Last reviewed on 24 November 2026. Next review due 24 November 2027.</p>\n<p class="lead">A lead.</p>'
    ) in html
    profile = result.outputs["en/doctors/dr-test/index.html"].decode()
    assert "<div><dt>Specialty</dt><dd>Dermatology</dd></div>" in profile
    assert "<div><dt>Languages spoken</dt><dd>Türkçe, English</dd></div>" in profile
    assert re.findall(r'<li><a href="([^"]+)">', profile.split('id="reviewed-title"')[1].split("</section>")[0]) == [
        "/en/treatments/hair-mesotherapy/", "/en/treatments/mesotherapy/"]  # fmt: skip


def test_structured_data_names_the_physician_and_claims_no_specialty_by_default(scratch_site):
    scratch_site.write(
        {
            "content/doctors/test.en.md": "---\ntitle: Dr Test\ndescription: A doctor.\n"
            + DOCTOR_FIELDS
            + "medical_specialty: Dermatologic\ncertificates:\n"
            "  - {title: Mesotherapy, issuer: Ministry of Health, number: G-1, date: 2024-05-17}\n---\n"
        }
    )
    result = scratch_site.build()
    page = _json_ld(result.outputs["en/treatments/mesotherapy/index.html"].decode())
    web_page = next(item for item in page if item["@type"] == "MedicalWebPage")
    assert web_page["reviewedBy"] == {
        "@type": "Physician",
        "@id": "https://klinik.test/en/doctors/dr-test/#physician",
        "name": "Dr Test",
        "url": "https://klinik.test/en/doctors/dr-test/",
    }
    physician = next(item for item in _json_ld(result.outputs["en/doctors/dr-test/index.html"].decode())
                     if item["@type"] == "Physician")  # fmt: skip
    assert physician["medicalSpecialty"] == "https://schema.org/Dermatologic"
    assert physician["knowsLanguage"] == ["Türkçe", "English"]
    assert physician["hasCredential"] == [{
        "@type": "EducationalOccupationalCredential", "credentialCategory": "certificate", "name": "Mesotherapy",
        "recognizedBy": {"@type": "Organization", "name": "Ministry of Health"}, "identifier": "G-1",
        "dateCreated": "2024-05-17"}]  # fmt: skip
    # The clinic claims the specialty site.yaml names, and none when it names none.
    home = _json_ld(result.outputs["en/index.html"].decode())
    assert (
        next(i for i in home if i["@type"] == "MedicalClinic")["medicalSpecialty"]
        == "https://schema.org/Dermatologic"
    )
    scratch_site.write({"content/site.yaml": (scratch_site.root / "content/site.yaml").read_text()
                        .replace("  medical_specialty: Dermatologic\n", "")})  # fmt: skip
    home = _json_ld(scratch_site.build().outputs["en/index.html"].decode())
    assert "medicalSpecialty" not in next(i for i in home if i["@type"] == "MedicalClinic")


def test_the_contact_page_shows_the_licences_and_the_privacy_notice_the_controller(scratch_site):
    site_yaml = (scratch_site.root / "content/site.yaml").read_text()
    scratch_site.write({
        "content/site.yaml": site_yaml.replace("  legal_name:", "  kep: test@hs01.kep.tr\n  licences:\n"
            "    - {kind: getat, number: G-17, issuer: T.C. Sağlık Bakanlığı, date: 2024-05-17}\n  legal_name:"),
        "content/privacy.en.md": "---\ntitle: Privacy notice\ndescription: Privacy.\nlayout: privacy\n---\nText.\n",
    })  # fmt: skip
    result = scratch_site.build()
    contact = result.outputs["en/contact/index.html"].decode()
    assert (
        "<li>Authorisation as a traditional and complementary medicine (GETAT) unit:"
        ' <span lang="tr">T.C. Sağlık Bakanlığı</span>, no. G-17 (17 May 2024)</li>'
    ) in contact
    privacy = result.outputs["en/privacy-notice/index.html"].decode()
    assert '<div><dt>Name</dt><dd lang="tr">Test Sağlık Hizmetleri Ltd. Şti.</dd></div>' in privacy
    assert "<div><dt>Registered electronic mail (KEP)</dt><dd>test@hs01.kep.tr</dd></div>" in privacy


def test_a_licence_of_an_unknown_kind_is_refused(scratch_site):
    site_yaml = (scratch_site.root / "content/site.yaml").read_text()
    text = site_yaml.replace(
        "  legal_name:", "  licences:\n    - {kind: getta, number: G-1, issuer: X}\n  legal_name:"
    )
    scratch_site.write({"content/site.yaml": text})
    assert scratch_site.errors() == (
        f"content/site.yaml:{_line(text, '    - {kind')}: kind must be one of facility, getat, found 'getta'\n"
        "  hint: facility: the facility's licence; getat: the authorisation of a traditional and complementary"
        " medicine (GETAT) unit"
    )


def _fields(page_fields: str) -> str:
    return HEAD + page_fields + "---\nMetin.\n"


def test_a_profile_in_the_other_language_only_is_named_as_such(scratch_site):
    scratch_site.write(
        {"content/doctors/solo.en.md": "---\ntitle: Dr Solo\ndescription: x\n" + DOCTOR_FIELDS + "---\n"}
    )
    for field_name, fields in (
        ("reviewed_by", TREATMENT_FIELDS.replace("reviewed_by: test", "reviewed_by: solo")),
        ("author", TREATMENT_FIELDS + "author: solo\n"),
    ):
        page = _fields(fields)
        scratch_site.write({TR_PAGE: page})
        assert scratch_site.errors() == (
            f"{TR_PAGE}:{_line(page, field_name + ':')}: '{field_name}' names 'solo': the profile is not written in"
            " Türkçe: there is no content/doctors/solo.tr.md\n  hint: write content/doctors/solo.tr.md, the"
            " Türkçe version of content/doctors/solo.en.md"
        )


def test_a_page_of_the_doctors_folder_that_is_not_a_profile_cannot_be_named(scratch_site):
    page = _fields(TREATMENT_FIELDS.replace("reviewed_by: test", "reviewed_by: notes"))
    scratch_site.write({
        "content/doctors/notes.tr.md": "---\ntitle: Notlar\ndescription: x\nlayout: page\n---\n",
        TR_PAGE: page,
    })  # fmt: skip
    assert scratch_site.errors() == (
        f"{TR_PAGE}:{_line(page, 'reviewed_by')}: 'reviewed_by' names 'notes': content/doctors/notes.tr.md is"
        " not a doctor's profile: its layout is 'page'\n  hint: delete its 'layout: page' line, or name a"
        " doctor's profile"
    )


def test_a_profile_with_mistakes_is_reported_once_not_by_every_page_that_names_it(scratch_site):
    for broken in (
        "---\ntitle: Dr. Test\ndescription: x\nspecialty: D\nregistration: '1'\n---\n",  # no languages
        "---\ntitle: Dr. Test\ndescription: x\n" + DOCTOR_FIELDS + "certificates: [x]\n---\n",
        "---\ntitle: Dr. Test\ndescription: x\nslug: Dr Test\n" + DOCTOR_FIELDS + "---\n",
    ):
        scratch_site.write({"content/doctors/test.tr.md": broken})
        errors = scratch_site.errors()
        assert "content/doctors/test.tr.md:" in errors
        assert "reviewed_by" not in errors, errors


def test_a_second_folder_of_profiles_is_refused(scratch_site):
    site_yaml = SITE_YAML.replace("{treatments: treatment, doctors: doctor}", "{treatments: treatment, doctors: doctor,"
                                  " team: doctor}")  # fmt: skip
    scratch_site.write({"content/site.yaml": site_yaml})
    assert scratch_site.errors() == (
        f"content/site.yaml:{_line(site_yaml, '  {treatments')}: section_layouts gives the 'doctor' layout to 'team'"
        " as well as to 'doctors': the doctors' profiles live in one folder\n  hint: put every profile in"
        " content/doctors/ and delete this line"
    )


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("warning_signs: [fever]", "warning_signs: []",
         "'warning_signs' lists nothing: a 'treatment' page needs at least one\n  hint: under it, write one '- ...'"
         " line per item: signs that need the clinic or a doctor at once"),
        ("contraindications: [pregnancy]", "contraindications: []",
         "'contraindications' lists nothing: a 'treatment' page needs at least one\n  hint: under it, write one"
         " '- ...' line per item: who should not have the treatment"),
        ("evidence: Limited.", "evidence: '   '",
         "'evidence' is empty\n  hint: write the text after the colon, or delete the line"),
        ("  - {title: A label}", '  - {title: A Review, url: "https://pubmed.ncbi.nlm.nih.gov/2/"}',
         "'references[2]' repeats references[1]: each reference is a different source\n  hint: delete it, or"
         " name another source"),
        ("  - {title: A label}", '  - {title: A label, url: "https://pubmed.ncbi.nlm.nih.gov/1/"}',
         "'references[2]' repeats references[1]: each reference is a different source\n  hint: delete it, or"
         " name another source"),
        ("  - {title: A label}", "  - {title: A label, url: nhs.uk/conditions/hair-loss/}",
         "'references[2].url' must be the whole web address of the source, found 'nhs.uk/conditions/hair-loss/'"
         "\n  hint: copy it from the browser's address bar: https://..."),
        ("  - {title: A label}", "  - {title: A label, url: /tr/tedaviler/}",
         "'references[2].url' must be the whole web address of the source, found '/tr/tedaviler/'"
         "\n  hint: copy it from the browser's address bar: https://..."),
        ("next_review: 2027-11-24", "next_review: 2207-11-24",
         "'next_review' (2207-11-24) is more than 3 years after 'last_reviewed' (2026-11-24)\n  hint: a page is"
         " usually reviewed again within a year, such as 2027-11-24"),
    ],
)  # fmt: skip
def test_a_required_section_left_empty_or_a_reference_that_cannot_count_is_refused(
    scratch_site, before, after, message
):
    assert before in TREATMENT_FIELDS
    page = _fields(TREATMENT_FIELDS.replace(before, after))
    scratch_site.write({TR_PAGE: page})
    assert scratch_site.errors() == f"{TR_PAGE}:{_line(page, after)}: {message}"


_LEGAL = "  legal_name: Test Sağlık Hizmetleri Ltd. Şti.\n"


@pytest.mark.parametrize(
    ("added", "message"),
    [
        ("  licences:\n    - {kind: getat, number: G-1, issuer: X, date: '2024-05-17'}\n",
         "the licence's date must be a date written as YYYY-MM-DD without quotes, found '2024-05-17'\n"
         "  hint: write it as year-month-day, without quotes, for example: date: 2024-05-17"),
        ("  licences:\n    - {kind: getat, number: G-1, issuer: X, date: 17.05.2024}\n",
         "the licence's date must be a date written as YYYY-MM-DD without quotes, found '17.05.2024'\n"
         "  hint: write it as year-month-day, without quotes, for example: date: 2024-05-17"),
        ("  kep: klinik@hs01.kep\n",
         "kep must be the registered electronic mail (KEP) address, which ends in .kep.tr, found"
         " 'klinik@hs01.kep'\n  hint: for example: kep: klinik@hs01.kep.tr"),
        ("  kep: klinik.hs01.kep.tr\n",
         "kep must be the registered electronic mail (KEP) address, which ends in .kep.tr, found"
         " 'klinik.hs01.kep.tr'\n  hint: for example: kep: klinik@hs01.kep.tr"),
        ("  mersis: '012345678901234'\n",
         "mersis must be the 16-digit MERSIS number, found '012345678901234'\n  hint: write its 16 digits, in"
         ' quotes, as the trade registry gives it: "0123456789012345"'),
    ],
)  # fmt: skip
def test_the_controllers_identity_and_the_licences_are_checked(scratch_site, added, message):
    site_yaml = SITE_YAML.replace(_LEGAL, _LEGAL + added)
    scratch_site.write({"content/site.yaml": site_yaml})
    line = site_yaml.split("\n").index(added.rstrip("\n").split("\n")[-1]) + 1
    assert scratch_site.errors() == f"content/site.yaml:{line}: {message}"


def test_a_licence_dated_with_a_time_shows_the_day_and_a_blank_kep_is_only_a_placeholder(scratch_site):
    site_yaml = SITE_YAML.replace(_LEGAL, _LEGAL + "  kep: '[klinik tarafından doldurulacak: KEP adresi]'\n"
                                  "  licences:\n    - {kind: getat, number: G-1, issuer: X, date: 2024-05-17T09:30:00Z}\n")  # fmt: skip
    scratch_site.write({"content/site.yaml": site_yaml})
    result = scratch_site.build()
    assert result.site.config.clinic.licences[0].date == dt.date(2024, 5, 17)
    assert [p.message for p in result.problems if p.placeholder] == [
        "placeholder: a blank to fill in, '[klinik tarafından doldurulacak: KEP adresi]'"
    ]


def test_the_clinics_medical_specialty_is_one_of_schema_orgs(scratch_site):
    scratch_site.write({"content/site.yaml": SITE_YAML.replace("Dermatologic", "Dermatology")})
    assert scratch_site.errors() == (
        f"content/site.yaml:{_line(SITE_YAML, '  medical_specialty')}: medical_specialty is not one of schema.org's"
        " medical specialties: 'Dermatology'\n  hint: did you mean 'Dermatologic'?"
    )
