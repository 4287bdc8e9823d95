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
        {TR_PAGE: MESO_TR + "![Kliniğin girişi](/static/clinic-placeholder.jpg)\n"},
        f"{TR_PAGE}:{BODY_LINE}: placeholder: a placeholder picture, '/static/clinic-placeholder.jpg'",
    ),
    "a placeholder logo in a template": (
        {"templates/partials/hours.html": '<img src="/static/logo-placeholder.svg" alt="Logo">\n'},
        "templates/partials/hours.html:1: placeholder: a placeholder picture, '/static/logo-placeholder.svg'",
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


@pytest.mark.parametrize(
    "text",
    [
        "Örneğin çene altı gibi bölgelerde uygulanır.",
        "For example, under the chin.",
        "Call +90 212 555 00 00 or +90 212 000 00 01.",
        "See [the NHS page](https://www.nhs.uk/conditions/hair-loss/) and [notes](#example).",
        "Write to info@klinik.com.tr; our site is www.examples.com.tr.",
        "A placeholder is a value to be replaced.",  # the word alone, in a sentence
        "[Kaynak: Sağlık Bakanlığı]",  # a bracket that is not a blank
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
