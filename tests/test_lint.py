"""The health-information lint: each forbidden class is caught, in both languages, at its line."""

import pytest

from sitegen.cli import main
from tests.conftest import ROOT

CASES = [
    (
        "tr",
        "Sonuçlar garantilidir.",
        "'garantilidir' — promises a result or certainty; results vary from person to person",
    ),
    (
        "en",
        "Guaranteed smooth skin.",
        "'Guaranteed' — promises a result or certainty; results vary from person to person",
    ),
    ("tr", "%100 memnuniyet", "'%100' — promises a result or certainty; results vary from person to person"),
    (
        "tr",
        "İstanbul'un en iyi kliniği",
        "'en iyi' — a superlative or comparison with others, which advertising rules forbid",
    ),
    (
        "en",
        "The best clinic in town",
        "'best' — a superlative or comparison with others, which advertising rules forbid",
    ),
    (
        "tr",
        "Tamamen acısız bir işlem",
        "'acısız' — claims that a procedure is painless or without risk; side effects must be stated",
    ),
    (
        "en",
        "A painless, risk-free treatment",
        "'painless' — claims that a procedure is painless or without risk; side effects must be stated",
    ),
    ("tr", "Seans 1500 TL", "'TL' — a price, currency or discount; price promotion is not allowed"),
    ("tr", "Bu ay indirimli!", "'indirimli' — a price, currency or discount; price promotion is not allowed"),
    ("en", "Only €99 per session", "'€' — a price, currency or discount; price promotion is not allowed"),
    (
        "tr",
        "Ücretsiz muayene için arayın",
        "'Ücretsiz muayene' — \"free consultation\" is an inducement that the rules forbid",
    ),
    (
        "en",
        "Book a free consultation",
        "'free consultation' — \"free consultation\" is an inducement that the rules forbid",
    ),
    ("tr", "Hasta yorumları", "'Hasta yorumları' — patient testimonials are not allowed"),
    ("en", "Read our testimonials", "'testimonials' — patient testimonials are not allowed"),
    (
        "tr",
        "Öncesi ve sonrası fotoğrafları",
        "'Öncesi ve sonrası' — before/after pictures or comparisons are not allowed",
    ),
    (
        "en",
        "Before and after photos",
        "'Before and after' — before/after pictures or comparisons are not allowed",
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES, ids=[c[1] for c in CASES])
def test_each_class_of_forbidden_phrase_is_caught_at_its_line(scratch_site, capsys, lang, text, expected):
    (scratch_site.root / "content/rules.yaml").write_bytes((ROOT / "content/rules.yaml").read_bytes())
    scratch_site.write(
        {f"content/about.{lang}.md": f"---\ntitle: About\ndescription: x\n---\n\nIntro.\n\n{text}\n"}
    )
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 0  # a warning in a normal build
    err = capsys.readouterr().err
    assert f"content/about.{lang}.md:8: warning: {expected}\n" in err
    assert "  hint: rephrase it; content/rules.yaml lists what the rules forbid" in err
    assert main(["--root", str(scratch_site.root), "build", "--strict"]) == 1  # an error when publishing
    assert f"content/about.{lang}.md:8: {expected}\n" in capsys.readouterr().err


def test_front_matter_and_interface_translations_are_checked_too(scratch_site, capsys):
    (scratch_site.root / "content/rules.yaml").write_bytes((ROOT / "content/rules.yaml").read_bytes())
    scratch_site.write({"content/about.tr.md": "---\ntitle: En iyi klinik\ndescription: x\n---\n"})
    path = scratch_site.root / "locales/tr/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8").replace('msgstr "Bilgi ve randevu"', 'msgstr "Ücretsiz muayene"')
    path.write_text(text, encoding="utf-8")
    line = text.split("\n").index('msgstr "Ücretsiz muayene"') + 1
    capsys.readouterr()
    main(["--root", str(scratch_site.root)])
    err = capsys.readouterr().err
    assert "content/about.tr.md:2: warning: 'En iyi' — a superlative" in err
    assert f"locales/tr/LC_MESSAGES/messages.po:{line}: warning: 'Ücretsiz muayene' — " in err


def test_words_that_only_look_alike_are_not_flagged(scratch_site, capsys):
    (scratch_site.root / "content/rules.yaml").write_bytes((ROOT / "content/rules.yaml").read_bytes())
    scratch_site.write(
        {
            "content/about.tr.md": "---\ntitle: Hakkımızda\ndescription: x\n---\nGenç görünüm; atletik; entelektüel.\n",
            "content/about.en.md": "---\ntitle: About\ndescription: x\n---\nWe offer a bestiary of pricey words.\n",
        }
    )
    capsys.readouterr()
    main(["--root", str(scratch_site.root)])
    assert " — " not in capsys.readouterr().err


def test_the_team_can_extend_the_list(scratch_site, capsys):
    scratch_site.write(
        {
            "content/rules.yaml": "rules:\n  - why: not our style\n    tr: [harika]\n",
            "content/about.tr.md": "---\ntitle: Hakkımızda\ndescription: x\n---\nHarika sonuçlar.\n",
        }
    )
    capsys.readouterr()
    main(["--root", str(scratch_site.root)])
    assert "content/about.tr.md:5: warning: 'Harika' — not our style\n" in capsys.readouterr().err
