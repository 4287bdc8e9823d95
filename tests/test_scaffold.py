"""python build.py new: a pair of drafts with every required field, which builds once filled in."""

from __future__ import annotations

import re

import pytest

from sitegen import scaffold
from sitegen.cli import main
from sitegen.schema import COMMON, SCHEMAS

BLANK = re.compile(r"\[(?:doldurulacak|to be completed): ([^\]]*)\]")


def _fill(text: str) -> str:
    """Fill every blank as an editor would, and publish the page."""
    text = (
        BLANK.sub(lambda m: f"Metin: {m[1]}.", text).replace("# Taslak", "# x").replace("draft: true\n", "")
    )
    return text.replace("description: \"Metin: arama sonuçları için kısa açıklama.\"",
                        'description: "Bu sayfa yeni tedaviyi, seansların nasıl geçtiğini ve olası yan etkilerini'
                        ' anlatır."')  # fmt: skip


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_every_required_field_of_the_layout_is_written_with_its_explanation(kind):
    schema = SCHEMAS.get(kind, COMMON)
    for lang in ("tr", "en"):
        text = scaffold.front_matter(kind, lang, "Yeni sayfa", "ad-soyad", scaffold.dt.date(2026, 12, 1))
        for name, field in schema.items():
            if field.required:
                at = text.index(f"\n{name}:")
                comment = text[:at].rsplit("\n", 1)[1]
                assert comment == "# " + getattr(scaffold.HELP[name], lang), (name, lang)
        assert "\ndraft: true\n" in text


def test_new_treatment_writes_a_pair_of_drafts_that_builds_once_filled_in(scratch_site, capsys):
    root = ["--root", str(scratch_site.root)]
    capsys.readouterr()
    assert main([*root, "new", "treatment", "PRP", "--tr", "PRP tedavisi"]) == 0
    out = capsys.readouterr().out
    assert out == (
        "Wrote, as drafts (draft: true):\n"
        "  content/treatments/prp.tr.md\n"
        "  content/treatments/prp.en.md\n"
        "Fill in every [...] value (the build lists each one), then preview: python3 build.py serve\n"
        "  Türkçe: http://127.0.0.1:8000/tr/tedaviler/prp-tedavisi/\n"
        "  English: http://127.0.0.1:8000/en/treatments/prp/\n"
        "When the pages are ready, delete the line 'draft: true' from each file to publish them.\n"
    )
    tr = (scratch_site.root / "content/treatments/prp.tr.md").read_text(encoding="utf-8")
    assert '# Sayfanın başlığı (sayfada tek H1).\ntitle: "PRP tedavisi"\n' in tr
    assert "\nreviewed_by: test\n" in tr  # the site's one doctor's profile
    en = (scratch_site.root / "content/treatments/prp.en.md").read_text(encoding="utf-8")
    assert '# The page\'s heading (its only H1).\ntitle: "PRP"\n' in en

    # A draft: the plain build leaves it out and notes its blanks once; even the publishing
    # build does not refuse them, as the page is not published.
    result = scratch_site.build()
    assert result.site.page("treatments/prp", "tr") is None
    notes = [str(p) for p in result.problems if "prp" in p.path]
    assert len(notes) == 2 and notes[0].startswith(
        "content/treatments/prp.en.md:5: note: this draft still has"
    )
    assert main([*root, "build", "--strict"]) == 1  # the scratch site's short descriptions, not the draft
    assert "prp" not in "\n".join(line for line in capsys.readouterr().err.splitlines() if "note" not in line)

    for name in ("prp.tr.md", "prp.en.md"):
        path = scratch_site.root / "content/treatments" / name
        path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = scratch_site.build()
    page = result.site.page("treatments/prp", "tr")
    assert page is not None and page.url == "/tr/tedaviler/prp-tedavisi/"
    assert not [p for p in result.problems if "prp" in p.path]
    html = result.outputs["tr/tedaviler/prp-tedavisi/index.html"].decode()
    assert "<h1>PRP tedavisi</h1>" in html and "Metin: olası bir yan etki." in html


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["new", "treatment", "Mesotherapy", "--tr", "Mezoterapi"], 1,
         "new treatment: content/treatments/mesotherapy.tr.md already exists: choose another title, or edit that"
         " page; nothing was written.\n"),
        (["new", "page", "About us"], 2, 'Give the title in every language: python build.py new page "About us"'
         ' --tr "..."\n'),
        (["new", "page", "!!!", "--tr", "Hakkımızda"], 1, "new page: the file name made from the title would not"
         " do: "),
    ],
)  # fmt: skip
def test_new_refuses_what_it_cannot_write_and_writes_nothing(scratch_site, capsys, argv, status, message):
    before = sorted(p.relative_to(scratch_site.root) for p in (scratch_site.root / "content").rglob("*"))
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root), *argv]) == status
    assert capsys.readouterr().err.startswith(message)
    assert (
        sorted(p.relative_to(scratch_site.root) for p in (scratch_site.root / "content").rglob("*")) == before
    )


def test_new_doctor_and_page_build_as_drafts(scratch_site, capsys):
    root = ["--root", str(scratch_site.root)]
    assert main([*root, "new", "doctor", "Dr Ayse Yilmaz", "--tr", "Dr. Ayşe Yılmaz"]) == 0
    assert main([*root, "new", "page", "About us", "--tr", "Hakkımızda"]) == 0
    out = capsys.readouterr().out
    assert "  Türkçe: http://127.0.0.1:8000/tr/hekimlerimiz/dr-ayse-yilmaz/\n" in out
    assert "  English: http://127.0.0.1:8000/en/about-us/\n" in out
    assert (scratch_site.root / "content/doctors/dr-ayse-yilmaz.tr.md").is_file()
    assert (scratch_site.root / "content/about-us.tr.md").is_file()
