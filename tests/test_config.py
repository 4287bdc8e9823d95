"""content/site.yaml: every mistake named with its line; values kept as typed."""

import pytest

from tests.conftest import SITE_YAML


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'opens: "09:00"',
            "opens: 9:00",
            "content/site.yaml:16: opens must be a time like \"09:00\", found '9:00'\n"
            '  hint: write hours and minutes with two digits each, in quotes: "09:00"',
        ),
        (
            "phone: +90 212 555 01 23",
            "phone: 0212 000 00 00",
            'content/site.yaml:11: phone must be an international number like "+90 212 000 00 00",'
            " found '0212 000 00 00'",
        ),
        (
            "map_url: https://maps.test/clinic",
            "map_url: javascript:alert(1)",
            "content/site.yaml:14: 'clinic.map_url' is not a valid address: 'javascript:alert(1)'\n"
            "  hint: for example: https://www.openstreetmap.org/...",
        ),
        (
            "email: info@klinik.test",
            "email: mailto:info@klinik.test",
            "content/site.yaml:13: 'clinic.email' is not a valid address: 'mailto:info@klinik.test'\n"
            "  hint: for example: info@klinik.com.tr",
        ),
        (
            "locale: tr_TR",
            "locale: tr_XX_YY",
            "content/site.yaml:3: unknown locale 'tr_XX_YY'\n  hint: use a locale such as 'tr_TR' or 'en_GB'",
        ),
        (
            "days: [mon, tue, wed, thu, fri]",
            "days: [mon, tues]",
            "content/site.yaml:16: days must be a list of mon, tue, wed, thu, fri, sat, sun\n"
            "  hint: for example: days: [mon, tue, wed]",
        ),
    ],
)
def test_site_data_mistakes(scratch_site, old, new, expected):
    assert old in SITE_YAML
    scratch_site.write({"content/site.yaml": SITE_YAML.replace(old, new)})
    assert scratch_site.errors() == expected


def test_placeholders_are_a_note_with_their_lines(scratch_site):
    scratch_site.write(
        {"content/site.yaml": SITE_YAML.replace("name: Test Kliniği", "name: X  # PLACEHOLDER")}
    )
    notes = [str(p) for p in scratch_site.build().problems if p.severity == "note"]
    assert notes == [
        "content/site.yaml:8: note: placeholder: a value marked '# PLACEHOLDER', 'name: X'\n"
        "  hint: replace the value with the clinic's real data, then delete the marker"
        " (the publishing build refuses placeholders)"
    ]
