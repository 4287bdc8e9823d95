"""Every mistake an editor can make: the exact message, a non-zero exit, site/ untouched."""

from __future__ import annotations

import pytest

from sitegen.cli import main
from tests.conftest import ROOT, TREATMENT_FIELDS
from tests.test_site import snapshot

TR_PAGE = "content/treatments/mesotherapy.tr.md"
MESO_TR = f"---\ntitle: Mezoterapi\ndescription: Meso.\nslug: mezoterapi\n{TREATMENT_FIELDS}---\n"


def _template_with(line: str) -> dict[str, str]:
    return {
        "templates/not_found.html": '{% extends "base.html" %}\n{% block main %}\n'
        + line
        + "\n{% endblock %}\n"
    }


def _broken_catalog(site) -> None:
    path = site.root / "locales/tr/LC_MESSAGES/messages.po"
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr "Ana sayfa"', 'msgstr "Ana sayfa'), "utf-8"
    )


CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "malformed YAML": (
        {TR_PAGE: MESO_TR.replace("description: Meso.", "description: Saç: bakım")},
        "content/treatments/mesotherapy.tr.md:3: YAML syntax error: mapping values are not allowed here\n"
        "  hint: a value contains ': ' — put the whole value in double quotes",
    ),
    "front matter never closed": (
        {TR_PAGE: MESO_TR.rstrip("-\n") + "\n\nText.\n"},
        "content/treatments/mesotherapy.tr.md:1: the front matter that starts on line 1 is never closed\n"
        "  hint: add a line with only '---' after the last field",
    ),
    "not UTF-8": (
        {TR_PAGE: MESO_TR.encode() + "\nSaç\n".encode("cp1254")},
        "content/treatments/mesotherapy.tr.md:29: the file is not UTF-8 text (byte 0xe7 cannot be read)\n"
        "  hint: save the file with the 'UTF-8' encoding in your editor",
    ),
    "tab in YAML": (
        {TR_PAGE: MESO_TR.replace("  session_length", "\tsession_length")},
        "content/treatments/mesotherapy.tr.md:6: a tab character is used for indentation or spacing in YAML\n"
        "  hint: YAML only allows spaces: replace the tab with spaces",
    ),
    "unknown language suffix": (
        {"content/treatments/mesotherapy.de.md": MESO_TR},
        "content/treatments/mesotherapy.de.md: unknown language 'de' in the file name\n"
        "  hint: the site's languages are tr, en (content/site.yaml)",
    ),
    "empty file": (
        {TR_PAGE: ""},
        "content/treatments/mesotherapy.tr.md:1: the file is empty\n"
        "  hint: add front matter (title, description) and text",
    ),
    "10 MB file": (
        {TR_PAGE: MESO_TR + "Metin. " * (10 * 1024 * 1024 // 7)},
        "content/treatments/mesotherapy.tr.md: the file is too large (10240 KB, at most 512 KB)\n"
        "  hint: split the file or remove pasted data",
    ),
    "template that does not exist": (
        {"content/privacy.en.md": "---\ntitle: Privacy notice\ndescription: Privacy.\nlayout: legal\n---\n"},
        "content/privacy.en.md:4: there is no template templates/legal.html for the layout 'legal'\n"
        "  hint: the layouts are: contact, doctor, home, not_found, page, privacy, search, section, treatment",
    ),
    "Jinja syntax error": (
        _template_with("{% if page.title %}<h1>{{ page.title }}</h1>"),
        "templates/not_found.html:4: template syntax error: Encountered unknown tag 'endblock'. You probably"
        " made a nesting mistake. Jinja is expecting this tag, but currently looking for 'elif' or 'else' or"
        " 'endif'. The innermost block that needs to be closed is 'if'.\n"
        "  hint: check that every {% ... %} block is closed with its {% end... %}",
    ),
    "undefined variable": (
        _template_with("<h1>{{ page.titel }}</h1>"),
        "templates/not_found.html:3: the page has no field 'titel' (while rendering content/404.en.md and 1"
        " other page)\n  hint: did you mean 'title'?",
    ),
    "raw script in Markdown": (
        {TR_PAGE: MESO_TR + "Metin.\n\n<script>alert('x')</script>\n"},
        "content/treatments/mesotherapy.tr.md:30: <script> is not allowed in a page: page text is shown as"
        " written, never run\n"
        "  hint: remove it; to show HTML as an example, put it between `backticks`",
    ),
    "on...= attribute in Markdown": (
        {TR_PAGE: MESO_TR + 'Metin <img src="x.png" onerror="alert(1)">\n'},
        "content/treatments/mesotherapy.tr.md:28: the onerror= attribute is not allowed in a page: page text"
        " is shown as written, never run\n"
        "  hint: remove it; to show HTML as an example, put it between `backticks`",
    ),
    "javascript: link": (
        {TR_PAGE: MESO_TR + "[tıklayın](javascript:alert(1))\n"},
        "content/treatments/mesotherapy.tr.md:28: the address 'javascript:alert(1)' is not allowed\n"
        "  hint: links may only be web addresses (https://...), mailto:, tel: or other pages",
    ),
    "slug escaping the output folder": (
        {TR_PAGE: MESO_TR.replace("slug: mezoterapi", "slug: ../../../etc")},
        "content/treatments/mesotherapy.tr.md:4: the slug '../../../etc' may only contain lower-case letters"
        " a-z, digits and single hyphens (try 'etc')",
    ),
    "link to a missing page": (
        {TR_PAGE: MESO_TR + "Bakınız [botoks](botoks.md).\n"},
        "content/treatments/mesotherapy.tr.md:28: the link 'botoks.md' points to"
        " content/treatments/botoks.tr.md, which does not exist\n"
        "  hint: links between pages are written as the other page's file name, without the language:"
        " [text](hair-mesotherapy.md)",
    ),
    "image without alt text": (
        {
            TR_PAGE: MESO_TR + "![](/media/foto.jpg)\n",
            "content/media/foto.jpg": (ROOT / "content/media/clinic-placeholder.jpg").read_bytes(),
        },
        "content/treatments/mesotherapy.tr.md:28: the image '/media/foto.jpg' has no alternative text\n"
        "  hint: describe the image between the brackets: ![what it shows](/media/photo.jpg)",
    ),
}
SUMMARY = "\n\nThe build stopped: {n} problem{s} to fix (above, as file:line). Nothing was written: {out} is as it was.\n"


@pytest.fixture
def built(scratch_site):
    assert main(["--root", str(scratch_site.root)]) == 0
    return scratch_site, snapshot(scratch_site.project.site_dir)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_refused_with_its_message_and_site_stays(built, capsys, case):
    site, before = built
    files, expected = CASES[case]
    site.write(files)
    capsys.readouterr()
    assert main(["--root", str(site.root)]) == 1
    n = expected.count("\n  hint:") or 1
    assert capsys.readouterr().err == expected + SUMMARY.format(n=n, s="s" if n > 1 else "", out="site/")
    assert snapshot(site.project.site_dir) == before


def test_broken_catalog_is_refused_and_site_stays(built, capsys):
    site, before = built
    _broken_catalog(site)
    capsys.readouterr()
    assert main(["--root", str(site.root)]) == 1
    lines = (site.root / "locales/tr/LC_MESSAGES/messages.po").read_text(encoding="utf-8").splitlines()
    line = lines.index('msgstr "Ana sayfa') + 1
    assert capsys.readouterr().err == (
        f"locales/tr/LC_MESSAGES/messages.po:{line}: this line of the catalog cannot be read: "
        """'msgstr "Ana sayfa'\n"""
        """  hint: each line is a comment (#), msgid "...", msgstr "..." or a "..." continuation;"""
        " check for a missing closing quote" + SUMMARY.format(n=1, s="", out="site/")
    )
    assert snapshot(site.project.site_dir) == before


def test_byte_order_mark_is_a_warning_and_strict_mode_refuses_it(built, capsys):
    site, before = built
    (site.root / TR_PAGE).write_bytes(b"\xef\xbb\xbf" + (site.root / TR_PAGE).read_bytes())
    capsys.readouterr()
    assert main(["--root", str(site.root)]) == 0
    warning = (
        "content/treatments/mesotherapy.tr.md:1: warning: the file starts with an invisible byte-order mark"
        " (BOM); it was ignored\n  hint: save the file as 'UTF-8' without BOM in your editor"
    )
    assert capsys.readouterr().err.startswith(warning)
    assert snapshot(site.project.site_dir) == before  # the same text builds the same site
    assert main(["--root", str(site.root), "build", "--strict"]) == 1
    assert warning.replace("warning: ", "") in capsys.readouterr().err


@pytest.mark.parametrize("folder", [".", "content", "templates"])
def test_an_output_folder_over_the_project_is_refused(built, capsys, folder):
    site, before = built
    capsys.readouterr()
    assert main(["--root", str(site.root), "--output", str(site.root / folder)]) == 1
    shown = "." if folder == "." else folder
    assert capsys.readouterr().err == (
        f"{shown}: refusing to write the site here: the build replaces this whole folder, which holds the"
        " project's own files\n  hint: write to a folder of its own, such as site/"
        + SUMMARY.format(n=1, s="", out=f"{shown}/")
    )
    assert (site.root / "content/site.yaml").is_file()
    assert snapshot(site.project.site_dir) == before


@pytest.mark.parametrize(
    "address", ["http://[::1", "http://[zz]/", "https://klinik.test:99999999/", "![x](http://[::1"]
)
def test_an_address_that_cannot_be_read_is_the_editors_error(scratch_site, address):
    link = address if address.startswith("!") else f"[x]({address}"
    scratch_site.write({"content/extra.en.md": f"---\ntitle: Extra\ndescription: x\n---\n{link})\n"})
    shown = address.removeprefix("![x](")
    assert scratch_site.errors() == (
        f"content/extra.en.md:5: the address {shown!r} cannot be read (its host or port is written wrongly)\n"
        "  hint: links may only be web addresses (https://...), mailto:, tel: or other pages"
    )
