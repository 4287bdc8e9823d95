"""The translators' workflow (i18n extract, update, init): nothing a translator wrote is lost silently."""

import pytest
from babel.messages.pofile import read_po

from sitegen.cli import main
from tests.conftest import FIXTURES, ROOT

PO = "locales/tr/LC_MESSAGES/messages.po"
POT = "locales/messages.pot"
FUZZY_NOTE = (
    "  fuzzy: the English text changed; the old translation is kept under '#, fuzzy', and the English is"
    " shown until you check it and delete that line\n"
)
OBSOLETE_NOTE = (
    "  obsolete: no longer used; kept at the end of the file as '#~' lines, in case the string comes back"
    " (delete them when you are sure)\n"
)


def i18n(site, capsys, *args: str) -> tuple[int, str, str]:
    status = main(["--root", str(site.root), "i18n", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def synced(scratch_site, capsys):
    """The scratch site with its template file extracted and its catalog updated once."""
    assert i18n(scratch_site, capsys, "extract")[0] == 0
    assert i18n(scratch_site, capsys, "update")[0] == 0
    return scratch_site


def _template_strings(catalog) -> tuple[int, int]:
    """How many entries of *catalog* the templates hold, and in how many files (a scratch site's own)."""
    with open(catalog, "rb") as stream:
        entries = [m for m in read_po(stream) if m.id]
    files = {path for m in entries for path, _ in m.locations if path.startswith("templates/")}
    return sum(1 for m in entries if any(path.startswith("templates/") for path, _ in m.locations)), len(
        files
    )


ENDBLOCK_LINE = 1 + next(n for n, line in enumerate((ROOT / "templates/page.html").read_text().split("\n"))
                         if "{% endblock %}" in line)  # fmt: skip
UPDATED_LINE = 1 + next(n for n, line in enumerate((ROOT / "templates/base.html").read_text().split("\n"))
                        if "Last updated on" in line)  # fmt: skip

# What a scratch site's extraction finds: the real templates' strings (the fixture catalog is a copy).
N, FILES = _template_strings(FIXTURES / "messages.tr.po")


def _strings_only_in_code(catalog) -> int:
    """How many entries of *catalog* come from sitegen/ alone (the generator's own pages' strings)."""
    with open(catalog, "rb") as stream:
        entries = [m for m in read_po(stream) if m.id]
    return sum(
        1 for m in entries if m.locations and all(path.startswith("sitegen/") for path, _ in m.locations)
    )


def _files(site) -> dict[str, bytes]:
    return {name: (site.root / name).read_bytes() for name in (POT, PO)}


def _edit(site, relative: str, old: str, new: str) -> None:
    path = site.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "old", "new", "line", "message"),
    [
        ("templates/page.html", "{% endblock %}", "{% endblok %}", ENDBLOCK_LINE,
         "Encountered unknown tag 'endblok'. Jinja was looking for the following tags: 'endblock'. The"
         " innermost block that needs to be closed is 'block'."),
        ("templates/partials/call_buttons.html", '{{ _("Message us on WhatsApp") }}', '{{ _("Message us on WhatsApp") }', 4,
         "unexpected '}'"),
        # Without its end, the trans block runs on to the end of the file.
        ("templates/partials/privacy_line.html", "{% endtrans %}", "", 3, "unclosed translation block"),
        ("templates/base.html", "{% trans date=updated|date %}Last updated on {{ date }}.",
         "{% trans date=updated|date %}Last updated on {{ date.day }}.", UPDATED_LINE, "expected token 'end of print statement', got '.'"),
    ],
)  # fmt: skip
def test_extract_with_a_template_that_does_not_parse_fails_and_writes_nothing(
    synced, capsys, relative, old, new, line, message
):
    before = _files(synced)
    _edit(synced, relative, old, new)
    assert i18n(synced, capsys, "extract") == (1, "", (
        f"{relative}:{line}: template syntax error: {message}\n"
        "  hint: fix the template: until it parses, its strings cannot be collected\n"
        f"\nNothing was written: {POT} is as it was. Fix the files above, then run: python build.py i18n extract\n"
    ))  # fmt: skip
    assert _files(synced) == before


def test_extract_with_a_template_that_is_not_utf8_fails_and_writes_nothing(synced, capsys):
    before = _files(synced)
    synced.write({"templates/partials/extra.html": "{{ _('Ça va') }}".encode("latin-1")})
    assert i18n(synced, capsys, "extract") == (1, "", (
        "templates/partials/extra.html: the file is not UTF-8 text\n  hint: save it as UTF-8\n"
        f"\nNothing was written: {POT} is as it was. Fix the files above, then run: python build.py i18n extract\n"
    ))  # fmt: skip
    assert _files(synced) == before


def test_extract_refuses_an_interface_string_written_with_markup(synced, capsys):
    before = _files(synced)
    _edit(
        synced,
        "templates/partials/call_buttons.html",
        '_("Message us on WhatsApp")',
        '_("Message us on <b>WhatsApp</b>")',
    )
    status, out, err = i18n(synced, capsys, "extract")
    assert (status, out) == (1, "")
    assert err.startswith(
        "templates/partials/call_buttons.html:4: the interface string 'Message us on <b>WhatsApp</b>' has HTML"
        " markup"
        " (<b>, </b>), which would be shown as written\n  hint: a translation is text"
    )
    assert _files(synced) == before


@pytest.mark.parametrize(
    ("old", "new", "message", "hint"),
    [
        ('msgstr "Ana sayfa"', 'msgstr "Ana sayfa', """this line of the catalog cannot be read: 'msgstr "Ana sayfa'""",
         'each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation; check for a missing'
         " closing quote"),
        ('msgstr "Ana sayfa"', 'msgstr Ana sayfa"', """this line of the catalog cannot be read: 'msgstr Ana sayfa"'""",
         'each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation; check for a missing'
         " closing quote"),
        ('msgstr "Ana sayfa"', 'msgstr "Ana\\q sayfa"', "this line of the catalog has an unknown escape: \\q",
         'a backslash starts an escape: write a backslash itself as \\\\, a double quote as \\" and a line'
         " break as \\n"),
        ('msgstr "Ana sayfa"', 'msgstr "Ana sayfa\\101"', "this line of the catalog has an unknown escape: \\1",
         'a backslash starts an escape: write a backslash itself as \\\\, a double quote as \\" and a line'
         " break as \\n"),
    ],
)  # fmt: skip
def test_update_refuses_a_catalog_that_does_not_parse_and_writes_nothing(
    synced, capsys, old, new, message, hint
):
    _edit(synced, PO, old, new)
    before = _files(synced)
    line = next(i for i, text in enumerate(before[PO].decode().split("\n"), 1) if text == new)
    assert i18n(synced, capsys, "update") == (1, "", (
        f"{PO}:{line}: {message}\n  hint: {hint}\n"
        "\nNothing was written: fix the catalog as shown, then run: python build.py i18n update\n"
    ))  # fmt: skip
    assert _files(synced) == before


def test_update_refuses_a_catalog_with_an_entry_written_twice(synced, capsys):
    # Babel would keep one of the two, and the update would write the other away.
    _edit(
        synced,
        PO,
        'msgid "Closed"\nmsgstr "Kapalı"',
        'msgid "Closed"\nmsgstr "Kapalı"\n\nmsgid "Closed"\nmsgstr "Kapalıyız"',
    )
    before = _files(synced)
    first = next(i for i, text in enumerate(before[PO].decode().split("\n"), 1) if text == 'msgid "Closed"')
    assert i18n(synced, capsys, "update") == (1, "", (
        f"{PO}:{first + 3}: this entry repeats the one on line {first}\n  hint: delete one of the two entries\n"
        "\nNothing was written: fix the catalog as shown, then run: python build.py i18n update\n"
    ))  # fmt: skip
    assert _files(synced) == before


def test_update_refuses_a_template_file_that_does_not_parse(synced, capsys):
    _edit(synced, POT, 'msgid "Closed"', 'msgid "Closed')
    before = _files(synced)
    line = next(i for i, text in enumerate(before[POT].decode().split("\n"), 1) if text == 'msgid "Closed')
    status, out, err = i18n(synced, capsys, "update")
    assert (status, out) == (1, "")
    assert err.startswith(f"""{POT}:{line}: this line of the catalog cannot be read: 'msgid "Closed'\n""")
    assert _files(synced) == before


def test_a_reworded_string_keeps_its_translation_as_fuzzy_and_the_build_reports_it(synced, capsys):
    _edit(synced, "templates/partials/hours.html", '_("Opening hours")', '_("Our opening hours")')
    assert i18n(synced, capsys, "extract") == (0, (
        f"{POT}: {N} strings from {FILES} files: 1 new, 1 no longer used, {N - 1} unchanged; written.\n"
        "Next: python build.py i18n update\n"
    ), "")  # fmt: skip
    assert i18n(synced, capsys, "update") == (0, (
        f"{PO}: 0 new, 1 fuzzy, 0 obsolete, {N - 1} unchanged; written.\n" + FUZZY_NOTE
    ), "")  # fmt: skip
    po = (synced.root / PO).read_text(encoding="utf-8")
    entry = '#: templates/partials/hours.html:2\n#, fuzzy\n#| msgid "Opening hours"\nmsgid "Our opening hours"\nmsgstr "Çalışma saatleri"\n'
    assert entry in po and 'msgid "Opening hours"' not in po.replace('#| msgid "Opening hours"', "")
    line = po.split("\n").index('msgid "Our opening hours"') + 1
    result = synced.build()
    assert [str(p) for p in result.problems if p.path == PO] == [
        f"{PO}:{line}: warning: fuzzy (unchecked) translation of 'Our opening hours', made for the earlier"
        " English 'Opening hours': the English text is shown until it is checked\n"
        "  hint: check the translation, then delete the '#, fuzzy' line above it and the '#| msgid' line"
    ]
    assert "<caption>Our opening hours</caption>" in result.outputs["tr/index.html"].decode()
    # The next update keeps the entry as it is, the earlier English included.
    assert i18n(synced, capsys, "update") == (
        0,
        f"{PO}: 0 new, 0 fuzzy, 0 obsolete, {N} unchanged; nothing to write.\n",
        "",
    )
    assert entry in (synced.root / PO).read_text(encoding="utf-8")


def test_a_string_no_longer_used_is_kept_as_obsolete_and_comes_back_with_its_translation(synced, capsys):
    _edit(synced, "templates/partials/contact_details.html", '{{ _("Show on the map") }}', "Map")
    i18n(synced, capsys, "extract")
    assert i18n(synced, capsys, "update") == (0, (
        f"{PO}: 0 new, 0 fuzzy, 1 obsolete, {N - 1} unchanged; written.\n" + OBSOLETE_NOTE
    ), "")  # fmt: skip
    po = (synced.root / PO).read_text(encoding="utf-8")
    assert '\n#~ msgid "Show on the map"\n#~ msgstr "Haritada görüntüleyin"\n' in po
    assert 'msgid "Show on the map"' not in po.replace('#~ msgid "Show on the map"', "")
    assert "warning" not in "".join(str(p) for p in synced.build().problems if p.path == PO)

    _edit(synced, "templates/partials/contact_details.html", "Map", '{{ _("Show on the map") }}')
    i18n(synced, capsys, "extract")
    assert i18n(synced, capsys, "update") == (
        0,
        f"{PO}: 0 new, 0 fuzzy, 0 obsolete, 1 restored, {N - 1} unchanged; written.\n",
        "",
    )
    po = (synced.root / PO).read_text(encoding="utf-8")
    assert 'msgid "Show on the map"\nmsgstr "Haritada görüntüleyin"\n' in po and '#~ msgid "Show' not in po
    assert "Haritada görüntüleyin" in synced.html("tr/index.html")


def test_a_new_string_is_counted_and_an_untranslated_one_no_longer_used_is_removed(synced, capsys):
    synced.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}'
                  '<p>{{ _("Sorry") }} {{ _("Oops") }}</p>{% endblock %}'})  # fmt: skip
    i18n(synced, capsys, "extract")
    assert i18n(synced, capsys, "update") == (0, (
        f"{PO}: 2 new, 0 fuzzy, 0 obsolete, {N} unchanged; written.\n"
        "  new: translate them (their msgstr is empty; until then the English text is shown)\n"
    ), "")  # fmt: skip
    assert 'msgid "Sorry"\nmsgstr ""\n' in (synced.root / PO).read_text(encoding="utf-8")
    _edit(
        synced,
        PO,
        '#: templates/not_found.html:1\nmsgid "Sorry"',
        '# ask the doctor first\n#: templates/not_found.html:1\nmsgid "Sorry"',
    )
    synced.write({"templates/not_found.html": '{% extends "base.html" %}{% block main %}{% endblock %}'})
    i18n(synced, capsys, "extract")
    assert i18n(synced, capsys, "update") == (0, (
        f"{PO}: 0 new, 0 fuzzy, 1 obsolete, 1 removed (untranslated), {N} unchanged; written.\n" + OBSOLETE_NOTE
    ), "")  # fmt: skip
    po = (synced.root / PO).read_text(encoding="utf-8")
    assert '# ask the doctor first\n#~ msgid "Sorry"\n#~ msgstr ""\n' in po and '"Oops"' not in po


def test_commands_that_change_nothing_write_nothing_and_say_so(synced, capsys):
    before = _files(synced)
    assert i18n(synced, capsys, "extract") == (
        0,
        f"{POT}: {N} strings from {FILES} files: 0 new, 0 no longer used, {N} unchanged; nothing to write.\n",
        "",
    )
    assert i18n(synced, capsys, "update") == (
        0,
        f"{PO}: 0 new, 0 fuzzy, 0 obsolete, {N} unchanged; nothing to write.\n",
        "",
    )
    assert _files(synced) == before


def test_the_first_update_keeps_every_translation_and_says_what_it_did(scratch_site, capsys):
    # The scratch site has no sitegen/ folder: the strings of the code are no longer used there.
    of_code = _strings_only_in_code(FIXTURES / "messages.tr.po")
    assert of_code >= 2
    assert i18n(scratch_site, capsys, "extract")[0] == 0
    assert i18n(scratch_site, capsys, "update") == (0, (
        f"{PO}: 0 new, 0 fuzzy, {of_code} obsolete, {N} unchanged; written.\n" + OBSOLETE_NOTE
    ), "")  # fmt: skip
    po = (scratch_site.root / PO).read_text(encoding="utf-8")
    assert '#~ msgid "Continue in English"\n#~ msgstr "Türkçe devam edin"\n' in po
    assert "Türkçe devam edin" in po and "# Update with: python build.py i18n extract" in po


def test_init_starts_a_catalog_and_says_how_many_strings_it_has(synced, capsys):
    assert i18n(synced, capsys, "init", "de") == (0, (
        f"locales/de/LC_MESSAGES/messages.po: started with {N} strings to translate.\n"
        "Next: translate them, and add de to the languages of content/site.yaml\n"
    ), "")  # fmt: skip
    po = (synced.root / "locales/de/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert '"Language: de\\n"' in po and '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in po
    assert 'msgid "Closed"\nmsgstr ""\n' in po
    assert i18n(synced, capsys, "update")[1] == (
        f"locales/de/LC_MESSAGES/messages.po: 0 new, 0 fuzzy, 0 obsolete, {N} unchanged; nothing to write.\n"
        f"{PO}: 0 new, 0 fuzzy, 0 obsolete, {N} unchanged; nothing to write.\n"
    )


def test_the_earlier_english_of_a_fuzzy_entry_is_read_and_written_back_as_it_was(tmp_path):
    # Babel alone reads '#|' lines as translator comments and writes them back as '# |'.
    import io

    from babel.messages.pofile import write_po

    from sitegen.config import Language
    from sitegen.files import Reader
    from sitegen.i18n import parse_catalog
    from sitegen.project import Project

    path = tmp_path / "messages.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '# a translator\'s note\n#, fuzzy\n#| msgid ""\n#| "Book an "\n#| "appointment"\n'
        'msgctxt "button"\nmsgid "Book a visit"\nmsgstr "Randevu alın"\n',
        encoding="utf-8",
    )
    catalog, problems = parse_catalog(Reader(Project.at(tmp_path)), path, Language("tr", "Türkçe", "tr_TR"))
    assert problems == []
    message = catalog.get("Book a visit", context="button")
    assert (message.previous_id, message.user_comments) == (["Book an appointment"], ["a translator's note"])
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, omit_header=True)
    assert buffer.getvalue().decode() == (
        '# a translator\'s note\n#, fuzzy\n#| msgid "Book an appointment"\n'
        'msgctxt "button"\nmsgid "Book a visit"\nmsgstr "Randevu alın"\n\n'
    )
