"""Front matter fields per layout: required, types, unknown keys."""

from tests.conftest import TREATMENT_FIELDS


def test_missing_required_fields_are_all_reported(scratch_site):
    scratch_site.write({"content/treatments/mesotherapy.tr.md": "---\ntitle: Mezoterapi\n---\nx\n"})
    errors = scratch_site.errors()
    for field, kind in [
        ("description", "text"),
        ("at_a_glance", "mapping"),
        ("side_effects", "list of text"),
        ("reviewed_by", "text"),
        ("last_reviewed", "date"),
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
        "  hint: write one '- ...' line per side effect under 'side_effects:'"
    ) in errors
    assert (
        "content/treatments/mesotherapy.en.md:11: 'last_reviewed' must be a date written as YYYY-MM-DD"
        " without quotes, found '24.11.2026'\n  hint: write the date as 2026-11-24"
    ) in errors


def test_at_a_glance_needs_its_four_keys(scratch_site):
    fields = TREATMENT_FIELDS.replace("  anaesthesia: cream\n", "  anesthesia: cream\n")
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Meso\ndescription: M.\n{fields}---\n"}
    )
    assert (
        "content/treatments/mesotherapy.en.md:4: 'at_a_glance' needs 'anaesthesia'" in scratch_site.errors()
    )


def test_faq_and_references_are_read(scratch_site):
    fields = TREATMENT_FIELDS + (
        "faq:\n  - question: Does it hurt?\n    answer: A little.\n"
        "references:\n  - title: A study\n    url: https://example.org/study\n"
    )
    scratch_site.write(
        {"content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n"}
    )
    html = scratch_site.html("en/treatments/mesotherapy/index.html")
    assert "<summary>Does it hurt?</summary>\n    <p>A little.</p>" in html
    assert '<a href="https://example.org/study">A study</a>' in html
