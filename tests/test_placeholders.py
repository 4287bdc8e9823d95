"""Placeholders never go live: a note in a plain build and the preview, refused by the publishing build."""

from __future__ import annotations

import json

import pytest

from sitegen.cli import main
from sitegen.errors import NOTE
from sitegen.placeholders import find_placeholders
from tests.conftest import FIXTURES, ROOT, SITE_YAML, TREATMENT_FIELDS

TR_PAGE = "content/treatments/mesotherapy.tr.md"
MESO_TR = f"---\ntitle: Mezoterapi\ndescription: Meso.\nslug: mezoterapi\n{TREATMENT_FIELDS}---\n"
BODY_LINE = MESO_TR.count("\n") + 1  # the first line of the page's text
HOME_LINE = (FIXTURES / "messages.tr.po").read_text(encoding="utf-8").split("\n").index(
    'msgstr "Ana sayfa"'
) + 1

# Each kind of placeholder, written where an editor or a web editor would leave it: the files,
# then the file and line the publishing build names, and what it says of the value.
KINDS: dict[str, tuple[dict[str, str], str]] = {
    "a bracketed blank in the text": (
        {TR_PAGE: MESO_TR + "Uygulayan hekim: [klinik tarafından doldurulacak: hekimin adı].\n"},
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a blank to fill in,"
        " '[klinik tarafından doldurulacak: hekimin adı]'",
    ),
    "an English blank in the front matter": (
        {
            TR_PAGE: MESO_TR.replace(
                "evidence: Limited.", 'evidence: "[to be completed by the clinic: a line]"'
            )
        },
        f"{TR_PAGE}:{MESO_TR.split(chr(10)).index('evidence: Limited.') + 1}: placeholder: a blank to fill"
        " in, '[to be completed by the clinic: a line]'",
    ),
    "a value marked (yer tutucu), its comment dropped by a web editor": (
        {TR_PAGE: MESO_TR.replace("title: Mezoterapi", "title: Mezoterapi (yer tutucu)")},
        f"{TR_PAGE}:2: placeholder: a value marked as a placeholder, '(yer tutucu)'",
    ),
    "a '# PLACEHOLDER' comment": (
        {TR_PAGE: MESO_TR.replace("results: Several sessions.", "results: Several sessions.  # PLACEHOLDER")},
        f"{TR_PAGE}:{MESO_TR.split(chr(10)).index('results: Several sessions.') + 1}: placeholder: a value"
        " marked '# PLACEHOLDER', 'results: Several sessions.'",
    ),
    "an example e-mail address in site.yaml": (
        {"content/site.yaml": SITE_YAML.replace("info@klinik.test", "info@example.com.tr")},
        f"content/site.yaml:{SITE_YAML.split(chr(10)).index('  email: info@klinik.test') + 1}: placeholder:"
        " an example address, 'example.com.tr'",
    ),
    "a telephone number of zeros": (
        {"content/site.yaml": SITE_YAML.replace("+90 212 555 01 23", "+90 212 000 00 00")},
        f"content/site.yaml:{SITE_YAML.split(chr(10)).index('  phone: +90 212 555 01 23') + 1}: placeholder:"
        " a telephone number of zeros, '+90 212 000 00 00'",
    ),
    "a value named in site.yaml's placeholders list": (
        {"content/site.yaml": SITE_YAML + "placeholders: [clinic.opening_hours]\n"},
        f"content/site.yaml:{SITE_YAML.split(chr(10)).index('  opening_hours:') + 1}: placeholder: a value"
        " site.yaml lists under 'placeholders', 'clinic.opening_hours'",
    ),
    "a placeholder picture in the text": (
        {
            TR_PAGE: MESO_TR + "![Kliniğin girişi](/media/clinic-placeholder.jpg)\n",
            "content/media/clinic-placeholder.jpg": (
                ROOT / "content/media/clinic-placeholder.jpg"
            ).read_bytes(),
        },
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a placeholder picture, '/media/clinic-placeholder.jpg'",
    ),
    "a placeholder logo in a template": (
        {"templates/partials/hours.html": '<img src="/static/logo-placeholder.svg" alt="Logo">\n'},
        "templates/partials/hours.html:1: placeholder: a placeholder picture, '/static/logo-placeholder.svg'",
    ),
    "a blank a web editor folded over two lines of site.yaml": (
        {
            "content/site.yaml": SITE_YAML.replace(
                "  legal_name: Test Sağlık Hizmetleri Ltd. Şti.",
                "  legal_name: >-\n    [klinik tarafından doldurulacak: veri sorumlusunun ticaret\n"
                "    sicilindeki tam unvanı]",
            )
        },
        f"content/site.yaml:{SITE_YAML.split(chr(10)).index('  legal_name: Test Sağlık Hizmetleri Ltd. Şti.') + 2}:"
        " placeholder: a blank to fill in, '[klinik tarafından doldurulacak: veri sorumlusunun ticaret"
        " sicilind...'",
    ),
    "a blank a translator wrapped in the text": (
        {TR_PAGE: MESO_TR + "Uygulayan hekim: [klinik tarafından\ndoldurulacak: hekimin adı].\n"},
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a blank to fill in,"
        " '[klinik tarafından doldurulacak: hekimin adı]'",
    ),
    "a sample name pasted with a no-break space": (
        {TR_PAGE: MESO_TR + "Sorumlu hekim: Uzm. Dr. Ad\u00a0Soyad.\n"},
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a sample name, 'Uzm. Dr. Ad Soyad'",
    ),
    "a number of zeros written as dialled in Turkey": (
        {TR_PAGE: MESO_TR + "Randevu için 0 (212) 000 00 00 numarasını arayın.\n"},
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a telephone number of zeros, '0 (212) 000 00 00'",
    ),
    "a sample name in the interface translation": (
        {},  # written by the test: the catalog is copied from the fixtures
        f"locales/tr/LC_MESSAGES/messages.po:{HOME_LINE}: placeholder: a value marked as a placeholder,"
        " '(yer tutucu)'",
    ),
}


def _write(site, case: str) -> None:
    files, _ = KINDS[case]
    site.write(files)
    if case == "a sample name in the interface translation":
        path = site.root / "locales/tr/LC_MESSAGES/messages.po"
        text = path.read_text(encoding="utf-8").replace(
            'msgstr "Ana sayfa"', 'msgstr "Ana sayfa (yer tutucu)"'
        )
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", list(KINDS))
def test_each_kind_of_placeholder_is_a_note_and_the_publishing_build_refuses_it(scratch_site, capsys, case):
    _write(scratch_site, case)
    expected = KINDS[case][1]
    root = ["--root", str(scratch_site.root)]

    capsys.readouterr()
    assert main([*root, "build"]) == 0  # a plain build (and the preview) only notes it
    err = capsys.readouterr().err
    assert "1 placeholder still to be replaced with the clinic's real data (a note now; the publishing" in err
    assert expected.replace(": placeholder: ", ": ", 1) in err

    before = (scratch_site.root / "site").stat().st_mtime_ns
    assert main([*root, "build", "--strict"]) == 1  # the publishing build
    err = capsys.readouterr().err
    assert (
        "1 placeholder still to be replaced with the clinic's real data: the publishing build refuses" in err
    )
    assert expected.replace(": placeholder: ", ": ", 1) in err
    assert (scratch_site.root / "site").stat().st_mtime_ns == before

    # The scratch site's short descriptions stop a strict build too: compare what each says of the placeholder.
    main([*root, "build", "--strict", "--allow-placeholders"])
    err = capsys.readouterr().err
    assert "1 placeholder still to be replaced with the clinic's real data (a note now;" in err
    path, line = expected.split(":")[:2]
    for allowed, severity in ((False, "error"), (True, "note")):
        main([*root, "check", "--strict", "--json", *(["--allow-placeholders"] if allowed else [])])
        report = json.loads(capsys.readouterr().out)
        found = [p for p in report["problems"] if p["message"].startswith("placeholder: ")]
        assert [(p["file"], p["line"], p["severity"]) for p in found] == [(path, int(line), severity)]


def test_the_notes_name_each_placeholder_with_its_line_and_hint():
    text = "name: Dr. Ad Soyad  # PLACEHOLDER\nemail: a@example.org\n# phone: +90 212 000 00 00\nx: [TODO: fill]\n"
    found = find_placeholders("content/site.yaml", text, yaml_lines=4)
    assert [(p.line, p.message, p.severity, p.placeholder) for p in found] == [
        (1, "placeholder: a value marked '# PLACEHOLDER', 'name: Dr. Ad Soyad'", NOTE, True),
        (2, "placeholder: an example address, 'example.org'", NOTE, True),
        # line 3 is a YAML comment: never published
        (4, "placeholder: a blank to fill in, '[TODO: fill]'", NOTE, True),
    ]
    assert found[0].hint == (
        "replace the value with the clinic's real data, then delete the marker"
        " (the publishing build refuses placeholders)"
    )


# Each as an editor, a web editor or a translator may leave it: (the text, its YAML lines), then
# the line each placeholder starts on and what the note says of it.
HIDDEN: dict[str, tuple[str, int, list[tuple[int, str]]]] = {
    "a blank folded by a web editor (>-)": (
        "evidence: >-\n  [klinik tarafından doldurulacak: kanıtın\n  düzeyi]\nresults: x\n", 4,
        [(2, "a blank to fill in, '[klinik tarafından doldurulacak: kanıtın düzeyi]'")],
    ),
    "a blank in a quoted value over two lines": (
        "faq:\n  - question: Kaç seans?\n    answer: '[to be completed by the clinic:\n      sessions]'\n", 4,
        [(3, "a blank to fill in, '[to be completed by the clinic: sessions]'")],
    ),
    "a blank in a literal block (|), the verb on its own line": (
        "evidence: |\n  [klinik tarafından\n  doldurulacak]\n", 3,
        [(2, "a blank to fill in, '[klinik tarafından doldurulacak]'")],
    ),
    "a double-quoted value continued in the middle of a word": (
        'evidence: "[klinik tarafından doldurula\\\n  cak: kanıt]"\nresults: x\n', 3,
        [(1, "a blank to fill in, '[klinik tarafından doldurulacak: kanıt]'")],
    ),
    "brackets written as YAML escapes": (
        'evidence: "\\x5Bklinik tarafından doldurulacak\\u005D"\n', 1,
        [(1, "a blank to fill in, '[klinik tarafından doldurulacak]'")],
    ),
    "a marker and a sample name wrapped in a paragraph": (
        "Uygulayan: Dr. Ad\nSoyad (yer\ntutucu).\n", 0,
        [(1, "a sample name, 'Dr. Ad Soyad'"), (2, "a value marked as a placeholder, '(yer tutucu)'")],
    ),
    "brackets written as character references": (
        "&#91;klinik tarafından doldurulacak: adres&#93;\n", 0,
        [(1, "a blank to fill in, '[klinik tarafından doldurulacak: adres]'")],
    ),
    "an invisible character, a soft hyphen and emphasis inside the words": (
        "Dr. Ad\u200b Soyad\n(yer tu\u00adtucu)\n[klinik tarafından dol*dur*ulacak]\n", 0,
        [(1, "a sample name, 'Dr. Ad Soyad'"), (2, "a value marked as a placeholder, '(yer tutucu)'"),
         (3, "a blank to fill in, '[klinik tarafından doldurulacak]'")],
    ),
    "letters of other scripts and full-width letters": (
        "info@\u0435xample.com\n(\uff59\uff45\uff52 \uff54\uff55\uff54\uff55\uff43\uff55)\n", 0,
        [(1, "an example address, 'example.com'"), (2, "a value marked as a placeholder, '(yer tutucu)'")],
    ),
    "numbers of zeros as they are written in Turkey": (
        "Tel: 0212 000 00 00\nFaks: +90.212.000.00.00\nGSM: 0090 532 0000000\n", 0,
        [(1, "a telephone number of zeros, '0212 000 00 00'"),
         (2, "a telephone number of zeros, '+90.212.000.00.00'"),
         (3, "a telephone number of zeros, '0090 532 0000000'")],
    ),
    "other blanks and markers an editor writes": (
        "[klinik tarafından eklenecek: saatler]\n[to be confirmed]\n[yer tutucu]\n[TBD]\n[____]\n"
        "Lorem ipsum dolor sit amet.\nDr. Adı Soyadı\nDR. ADI SOYADI\n", 0,
        [(1, "a blank to fill in, '[klinik tarafından eklenecek: saatler]'"),
         (2, "a blank to fill in, '[to be confirmed]'"), (3, "a value marked as a placeholder, '[yer tutucu]'"),
         (4, "a blank to fill in, '[TBD]'"), (5, "a blank to fill in, '[____]'"),
         (6, "a sample text, 'Lorem ipsum'"), (7, "a sample name, 'Dr. Adı Soyadı'"),
         (8, "a sample name, 'DR. ADI SOYADI'")],
    ),
    "an address of the reserved examples, whole": (
        "Yazın: info@ornek.com.tr veya https://www.example.com/iletisim.\nhttps://site.example/x\n", 0,
        [(1, "an example address, 'ornek.com.tr'"), (2, "an example address, 'site.example'")],
    ),
    "a '# PLACEHOLDER' comment written by hand": (
        "name: Test  # placeholder until the clinic sends it\ncity: Şişli  # yer tutucu\ncolor: '#fff'\n", 3,
        [(1, "a value marked '# PLACEHOLDER', 'name: Test'"), (2, "a value marked '# PLACEHOLDER', 'city: Şişli'")],
    ),
    "a sample name as the whole value, and as the page's address": (
        'title: "Ad Soyad"\nslug: ad-soyad\nreviewed_by: ad-soyad\n', 3,
        [(1, "a sample name, 'Ad Soyad'"), (2, "a sample name in the page's address, 'ad-soyad'")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(HIDDEN))
def test_a_placeholder_is_found_however_it_is_wrapped_or_hidden(case):
    text, yaml_lines, expected = HIDDEN[case]
    found = find_placeholders("content/a.tr.md", text, yaml_lines=yaml_lines)
    assert [(p.line, p.message.removeprefix("placeholder: ")) for p in found] == expected


def test_a_catalog_and_a_template_are_read_as_they_publish():
    catalog = (
        "#. TRANSLATORS: the doctor's name, such as Dr. Ad Soyad\n"
        'msgid "Our doctor"\n'
        'msgstr ""\n'
        '"Hekimimiz: Dr. Ad "\n'
        '"Soyad (yer "\n'
        '"tutucu)"\n'
    )
    found = find_placeholders("locales/tr/LC_MESSAGES/messages.po", catalog)
    assert [(p.line, p.message) for p in found] == [(4, "placeholder: a sample name, 'Dr. Ad Soyad'"),
                                                    (5, "placeholder: a value marked as a placeholder, '(yer tutucu)'")]  # fmt: skip
    template = "{# for example +90 212 000 00 00,\n   or Dr. Ad Soyad #}\n<p>{{ clinic.phone }}</p>\n"
    assert find_placeholders("templates/partials/phone.html", template) == []
    shown = template.replace("{{ clinic.phone }}", "+90 212 000 00 00")
    assert [p.line for p in find_placeholders("templates/partials/phone.html", shown)] == [3]


@pytest.mark.parametrize(
    "text",
    [
        "Örneğin çene altı gibi bölgelerde uygulanır.",
        "For example, under the chin.",
        "Call +90 212 555 00 00 or +90 212 000 00 01.",
        "See [the NHS page](https://www.nhs.uk/conditions/hair-loss/) and [notes](#example).",
        "Write to info@klinik.com.tr; our site is www.examples.com.tr.",
        "A placeholder is a value to be replaced.",  # the word alone, in a sentence
        "The limit is 400000000 characters; 1000000000 is refused.",  # big numbers are not phones
        "[Kaynak: Sağlık Bakanlığı]",  # a bracket that is not a blank
        # Real clinic text: the data a privacy notice names, a form's label, links to forms to fill in.
        "Kimlik bilgileriniz (ad soyad, T.C. kimlik numarası) işlenir.",
        "Identity data (name surname, date of birth) is processed.",
        "| Ad Soyad | Telefon |",
        "Ad Soyad: ....................",
        "Lütfen [randevudan önce doldurulacak onam formunu](/static/onam.pdf) getirin.",
        "Bring the [questionnaire to be completed before your visit](/static/form.pdf).",
        "The [form to be completed by the patient](/static/form.pdf) is short.",
        "Onam formu klinik tarafından doldurulacak ve imzanıza sunulacaktır.",
        "Onam formu (randevudan önce doldurulacak) kliniğe getirilir.",
        "Bir alıntı [...] ile kısaltılmıştır; [1] kaynağa bakınız.",
        # Numbers that are not telephone numbers of zeros.
        "Fiyatlar 10.000 TL ile 1 000 000 TL arasındadır; 10 000 000 kişi.",
        "Telefon: 0212 555 00 00, faks: +90 212 555 00 01, 444 0 000.",
        "IBAN: TR33 0006 1005 1978 6457 8413 26; MERSİS: 0123000000000000.",
        "Tarih: 01.01.2000 00:00",
        "Write to info@klinik.com.tr; see counterexample.com or my-example.com.tr.",
        "Uzm. Dr. Adem Soyadlı; Prof. Dr. Ad. Soyadı",
    ],
)
def test_ordinary_text_is_not_a_placeholder(text):
    assert find_placeholders("content/a.tr.md", text) == []


def test_the_placeholders_list_names_values_that_exist(scratch_site):
    scratch_site.write({"content/site.yaml": SITE_YAML + "placeholders:\n  - clinic.opening_hour\n"})
    line = SITE_YAML.count("\n") + 2
    assert scratch_site.errors() == (
        f"content/site.yaml:{line}: placeholders names 'clinic.opening_hour', not a value of site.yaml\n"
        "  hint: did you mean 'clinic.opening_hours'?"
    )


@pytest.mark.parametrize(
    "name", ["clinic.opening_hours.²", "clinic.opening_hours.٠x", "clinic.opening_hours.-1"]
)
def test_a_placeholders_path_with_odd_digits_is_a_mistake_not_a_crash(scratch_site, name):
    scratch_site.write({"content/site.yaml": SITE_YAML + f"placeholders: ['{name}']\n"})
    assert scratch_site.errors() == (
        f"content/site.yaml:{SITE_YAML.count(chr(10)) + 1}: placeholders names {name!r}, not a value of site.yaml\n"
        "  hint: did you mean 'clinic.opening_hours.0'?"
    )


def test_a_placeholders_path_may_name_an_item_of_a_list(scratch_site):
    scratch_site.write({"content/site.yaml": SITE_YAML + "placeholders: [clinic.opening_hours.0.opens]\n"})
    notes = [p for p in scratch_site.build().problems if p.placeholder]
    assert [(p.line, p.message) for p in notes] == [
        (SITE_YAML.split("\n").index("  opening_hours:") + 2,
         "placeholder: a value site.yaml lists under 'placeholders', '09:00'")
    ]  # fmt: skip


def test_the_real_publishing_command_refuses_the_repository_placeholders(tmp_path, capsys, monkeypatch):
    """The workflow's own command, on the repository's content: not published, and the run's
    summary says why, listing every placeholder."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "site"
    capsys.readouterr()
    assert main(["--root", str(ROOT), "--output", str(out), "build", "--strict"]) == 1
    err = capsys.readouterr().err
    assert not out.exists()
    listed = [line for line in err.splitlines() if line.startswith("  content/")]
    kinds = {line.split(": ", 2)[1].split(",")[0] for line in listed}
    assert kinds >= {"a blank to fill in", "a value marked as a placeholder",
                     "a value site.yaml lists under 'placeholders'"}  # fmt: skip
    assert "  content/privacy.tr.md:" in err and "  content/doctors/ad-soyad.tr.md:" in err
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(f"## The site was not published\n\n{len(listed)} placeholders remain: the clinic's"
                           " real data must replace each one before the site goes live.\n\n")  # fmt: skip
    assert text.count("\n- `content/") == len(listed)
    assert "- `content/site.yaml:" in text

    # The repository's CI builds the same content with the documented switch.
    assert main(["--root", str(ROOT), "--output", str(out), "build", "--strict", "--allow-placeholders"]) == 0
    assert (out / "tr/index.html").is_file()


@pytest.mark.parametrize("where", ["missing/summary.md", "."])  # a folder that is not there; a folder
def test_a_summary_that_cannot_be_written_does_not_hide_the_refusal(scratch_site, capsys, monkeypatch, where):
    _write(scratch_site, "a bracketed blank in the text")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(scratch_site.root / where))
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root), "build", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "Internal error" not in err
    assert f"The run's summary could not be written to {scratch_site.root / where}: " in err
    assert KINDS["a bracketed blank in the text"][1].replace(": placeholder: ", ": ", 1) in err
    assert "Nothing was written" in err


def test_the_workflow_publishes_only_from_the_build_that_refuses_placeholders():
    text = (ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8")
    step = text.split("- name: Build the site, strictly")[1].split("- name:")[0]
    assert (
        '          if [ "$EVENT" = pull_request ]; then\n'
        "            python3 build.py build --strict --allow-placeholders\n"
        "          else\n"
        "            python3 build.py build --strict\n"
        "          fi\n"
    ) in step
    assert text.count("--allow-placeholders") == 2  # the comment and the pull request's build
