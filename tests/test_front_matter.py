"""Front matter fields per layout: required, types, unknown keys."""

from tests.conftest import TREATMENT_FIELDS


def test_missing_required_fields_are_all_reported(scratch_site):
    scratch_site.write({"content/treatments/mesotherapy.tr.md": "---\ntitle: Mezoterapi\n---\nx\n"})
    errors = scratch_site.errors()
    for field, kind in [
        ("description", "text"),
        ("at_a_glance", "indented lines: session_length, sessions, downtime, anaesthesia"),
        ("side_effects", "one '- ...' line per side effect"),
        ("reviewed_by", "a doctor's profile (its file name), such as ad-soyad"),
        ("last_reviewed", "date, such as 2026-11-24"),
        ("next_review", "date, such as 2027-11-24"),
        ("lead", "text: the first paragraph visitors read"),
        ("contraindications", "one '- ...' line per item: who should not have the treatment"),
        ("preparation", "one '- ...' line per item: how to prepare"),
        ("results", "text: how many sessions, when changes may show, how long they last"),
        ("warning_signs", "one '- ...' line per item: signs that need the clinic or a doctor at once"),
        ("alternatives", "one '- ...' line per item: other options, described neutrally"),
        ("evidence", "text: one honest line on how strong the evidence is"),
        ("authorisation", "text: who may perform it, and where, and how to check"),
        ("references", "list of 2 to 4 title/url"),
    ]:
        assert (
            f"content/treatments/mesotherapy.tr.md:2: {field!r} is required on a 'treatment' page\n"
            f"  hint: add a line '{field}: ...' ({kind}) to the front matter"
        ) in errors


def test_unknown_field_suggests_the_right_one(scratch_site):
    scratch_site.write({"content/privacy.en.md": "---\ntitle: Privacy\ndescripton: Privacy notice.\n---\n"})
    errors = scratch_site.errors()
    assert (
        "content/privacy.en.md:3: unknown field 'descripton' for a 'page' page\n"
        "  hint: did you mean 'description'?"
    ) in errors


def test_wrong_types_name_the_line_and_the_value(scratch_site):
    fields = TREATMENT_FIELDS.replace("last_reviewed: 2026-11-24", 'last_reviewed: "24.11.2026"')
    fields = fields.replace("side_effects:\n  - bruising", "side_effects: bruising")
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Meso\ndescription: M.\n{fields}---\n"}
    )
    errors = scratch_site.errors()
    assert (
        "content/treatments/mesotherapy.en.md:9: 'side_effects' must be a list (one '- item' per line),"
        " found 'bruising'\n"
        "  hint: put each item on its own line under the field, starting with '- '"
    ) in errors
    assert (
        "content/treatments/mesotherapy.en.md:11: 'last_reviewed' must be a date written as YYYY-MM-DD"
        " without quotes, found '24.11.2026'\n  hint: write it as 2026-11-24 (year-month-day), without quotes"
    ) in errors


def test_at_a_glance_needs_its_four_keys(scratch_site):
    fields = TREATMENT_FIELDS.replace("  anaesthesia: cream\n", "  anesthesia: cream\n")
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Meso\ndescription: M.\n{fields}---\n"}
    )
    assert scratch_site.errors() == (
        "content/treatments/mesotherapy.en.md:8: 'at_a_glance.anesthesia' is not a known key\n"
        "  hint: did you mean 'anaesthesia'?"
    )


def test_faq_and_references_are_read(scratch_site):
    fields = TREATMENT_FIELDS.replace(
        "  - {title: A label}\n", "  - title: A study\n    url: https://www.nhs.uk/a\n"
    )
    fields += "faq:\n  - question: Does it hurt?\n    answer: A little.\n"
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n"}
    )
    html = scratch_site.html("en/treatments/mesotherapy/index.html")
    assert "<summary>Does it hurt?</summary>\n    <p>A little.</p>" in html
    assert '<li><a href="https://www.nhs.uk/a">A study</a></li>' in html


def test_values_are_kept_as_typed_not_as_yaml_reads_them(scratch_site):
    fields = TREATMENT_FIELDS.replace("sessions: several", "sessions: 010").replace(
        "downtime: minimal", "downtime: 1:30"
    )
    fields = fields.replace("anaesthesia: cream", "anaesthesia: No")
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n"}
    )
    html = scratch_site.html("en/treatments/mesotherapy/index.html")
    assert "<dd>010</dd>" in html and "<dd>1:30</dd>" in html and "<dd>No</dd>" in html


def test_a_nested_mistake_names_its_own_line_and_key(scratch_site):
    fields = TREATMENT_FIELDS + "faq:\n  - question: Q1\n    answer: A1\n  - question: Q2\n    answer:\n"
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n"}
    )
    assert scratch_site.errors() == (
        "content/treatments/mesotherapy.en.md:30: 'faq[2].answer' is empty\n"
        "  hint: write the text after the colon, or delete the line"
    )


def test_a_misspelt_required_field_is_reported_once(scratch_site):
    scratch_site.write(
        {"content/privacy.en.md": "---\ntitle: Privacy\ndescripton: Our privacy notice.\n---\n"}
    )
    assert scratch_site.errors() == (
        "content/privacy.en.md:3: unknown field 'descripton' for a 'page' page\n"
        "  hint: did you mean 'description'?"
    )


def test_unsafe_reference_urls_are_refused(scratch_site):
    fields = TREATMENT_FIELDS.replace(
        "  - {title: A label}\n", "  - title: Study\n    url: 'javascript:alert(4)'\n"
    )
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n"}
    )
    assert scratch_site.errors() == (
        "content/treatments/mesotherapy.en.md:25: 'references[2].url' is not an allowed address:"
        " 'javascript:alert(4)'\n  hint: links may only be web addresses (https://...), mailto:, tel: or other pages"
    )
