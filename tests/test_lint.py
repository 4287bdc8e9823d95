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
    text = path.read_text(encoding="utf-8").replace(
        'msgstr "Randevu ve iletişim bilgilerimiz"', 'msgstr "Ücretsiz muayene"'
    )
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


@pytest.fixture(scope="module")
def rules():
    from sitegen.files import Reader
    from sitegen.lint import load_rules
    from sitegen.project import Project

    found, problems = load_rules(Reader(Project.at(ROOT)), ("tr", "en"))
    assert problems == []
    return found


def found_phrases(rules, text, lang):
    from sitegen.lint import lint_text

    return [problem.message.split(" — ")[0] for problem in lint_text(text, lang, "content/x.md", rules)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We guarantee smooth skin.", ["'guarantee'"]),
        ("Our guarantees hold.", ["'guarantees'"]),
        ("It guarantees results.", ["'guarantees'"]),
        ("Read the testimonials.", ["'testimonials'"]),
        ("A testimonial from a patient.", ["'testimonial'"]),
        ("Three miracles in one.", ["'miracles'"]),
        ("Ask about our prices and discounts.", ["'prices'", "'discounts'"]),
        ("Special offers this month.", ["'Special offers'"]),
        ("Free consultations every day.", ["'Free consultations'"]),
        ("Satisfied patients say so.", ["'Satisfied patients'"]),
        ("Before and after photos.", ["'Before and after'"]),
        ("Our before and afters.", ["'before and afters'"]),
    ],
)
def test_an_english_phrase_is_found_in_its_plural_or_verb_form(rules, text, expected):
    assert found_phrases(rules, text, "en") == expected


@pytest.mark.parametrize(
    "text",
    [
        "A bestiary of words.",  # best
        "Pricey words; priceless time.",  # price
        "The guaranteeing party.",  # guarantee
        "Miraculous is not a rule, miracled is no word.",  # miracle
        "Testimonialise is no word either.",  # testimonial
        "Leadership and misleading claims.",  # leading
    ],
)
def test_a_longer_english_word_is_not_taken_for_a_plural(rules, text):
    assert found_phrases(rules, text, "en") == []


def test_an_english_plural_of_a_word_in_y_and_of_a_word_in_s(scratch_site, capsys):
    scratch_site.write(
        {
            "content/rules.yaml": "rules:\n  - why: not our style\n    en: [remedy, success, quick fix]\n",
            "content/about.en.md": "---\ntitle: About\ndescription: x\n---\n"
            "Remedies and successes.\nQuick fixes, remedys.\n",
        }
    )
    capsys.readouterr()
    main(["--root", str(scratch_site.root)])
    err = capsys.readouterr().err
    found = [line.split(" — ")[0] for line in err.split("\n") if " — " in line]
    assert found == [
        "content/about.en.md:5: warning: 'Remedies'",
        "content/about.en.md:5: warning: 'successes'",
        "content/about.en.md:6: warning: 'Quick fixes'",
    ]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("tr", "Sonuç garanti edilmez."),
        ("tr", "Sonuçlar garanti edilemez."),
        ("tr", "Bu bir garanti değildir."),
        ("tr", "Sonucun garantisi yoktur."),
        ("tr", "Garanti vermiyoruz; sonuçlar kişiden kişiye değişir."),
        ("tr", "Kesin sonuç vaat etmiyoruz."),
        ("tr", "İşlem acısız değildir, yan etkileri olabilir."),
        ("tr", "Sonuç garanti\nedilmez."),  # the denial on the next line of the paragraph
        ("en", "Results are not guaranteed."),
        ("en", "Results cannot be guaranteed."),
        ("en", "There is no guarantee of a result."),
        ("en", "There are no guarantees."),
        ("en", "We do not guarantee results."),
        ("en", "We don\u2019t guarantee results."),
        ("en", "Results are never guaranteed."),
        ("en", "Results can't be guaranteed."),
        ("en", "The treatment is not painless."),
        ("en", "It is not\nguaranteed."),
    ],
)
def test_a_denied_phrase_is_a_disclaimer_not_a_hit(rules, lang, text):
    assert found_phrases(rules, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("tr", "Sonuç garantili, hiç yan etki yok.", ["'garantili'"]),  # the "yok" denies the side effects
        ("tr", "Sonuç garanti edilir.", ["'garanti'"]),
        ("tr", "Garantili sonuç; değildir diyen yanılır.", ["'Garantili'"]),
        ("tr", "Garanti. Yoktur bir eşi.", ["'Garanti'"]),
        ("tr", "Kesin sonuç vaat ediyoruz.", ["'Kesin sonuç'"]),
        ("en", "We guarantee results.", ["'guarantee'"]),
        ("en", "Guaranteed results, no doubt.", ["'Guaranteed'"]),
        ("en", "Not only painless: guaranteed.", ["'painless'", "'guaranteed'"]),
        ("en", "Nothing is guaranteed? It is guaranteed.", ["'guaranteed'", "'guaranteed'"]),
        ("en", "Knot guaranteed.", ["'guaranteed'"]),  # "not" only as a word of its own
        ("en", "We do not just promise, we guarantee.", ["'guarantee'"]),
    ],
)
def test_an_affirmed_phrase_next_to_a_denial_of_something_else_is_still_a_hit(rules, lang, text, expected):
    assert found_phrases(rules, text, lang) == expected


def test_the_team_can_add_words_that_deny_a_phrase(scratch_site, capsys):
    scratch_site.write(
        {
            "content/rules.yaml": "rules:\n  - why: not our style\n    tr: [harika]\n    en: [wonderful]\n"
            "negations:\n  tr:\n    after: [sayılmaz]\n  en:\n    before: [hardly]\n",
            "content/about.tr.md": "---\ntitle: Hakkımızda\ndescription: x\n---\nHarika sayılmaz. Harika.\n",
            "content/about.en.md": "---\ntitle: About\ndescription: x\n---\nHardly wonderful. Wonderful.\n",
        }
    )
    capsys.readouterr()
    main(["--root", str(scratch_site.root)])
    err = capsys.readouterr().err
    assert "content/about.tr.md:5: warning: 'Harika' — not our style\n" in err
    assert "content/about.en.md:5: warning: 'Wonderful' — not our style\n" in err
    assert err.count(" — not our style") == 2


@pytest.mark.parametrize(
    ("negations", "expected"),
    [
        (
            "negations: [not]\n",
            "content/rules.yaml:4: 'negations' must list words per language\n"
            "  hint: write under each language before: [...] and/or after: [...], as the file shows",
        ),
        (
            "negations:\n  en: [not]\n",
            "content/rules.yaml:5: 'en' must hold 'before:' and/or 'after:'\n"
            "  hint: write under each language before: [...] and/or after: [...], as the file shows",
        ),
        (
            "negations:\n  en:\n    befor: [not]\n",
            "content/rules.yaml:6: 'befor' is neither 'before' nor 'after'\n"
            "  hint: did you mean 'before'? the words are denials written right before or right after the phrase",
        ),
        (
            "negations:\n  en:\n    before: not\n",
            "content/rules.yaml:6: 'before' must be a list of words in [brackets]",
        ),
        (
            "negations:\n  EN:\n    before: [not]\n",
            "content/rules.yaml:5: unknown language 'EN': its phrases would never be looked for\n"
            "  hint: did you mean 'en'? the site's languages are tr, en",
        ),
    ],
)
def test_a_mistake_in_the_negations_is_reported_at_its_line(scratch_site, negations, expected):
    scratch_site.write(
        {"content/rules.yaml": "rules:\n  - why: not our style\n    en: [wonderful]\n" + negations}
    )
    assert scratch_site.errors() == expected


def lint_report(scratch_site, capsys, files):
    """The lint's lines of a plain build of the scratch site with the real rules and *files*."""
    (scratch_site.root / "content/rules.yaml").write_bytes((ROOT / "content/rules.yaml").read_bytes())
    scratch_site.write(files)
    capsys.readouterr()
    assert main(["--root", str(scratch_site.root)]) == 0
    return [line.split(" — ")[0] for line in capsys.readouterr().err.split("\n") if " — " in line]


def test_the_english_interface_strings_are_linted_where_the_template_writes_them(scratch_site, capsys):
    extra = (
        '<p>{{ _("Best results") }}</p>\n'
        "<p>{% trans %}Book a free\nconsultation today{% endtrans %}</p>\n"
        '<p>{{ _("Results are not guaranteed.") }}</p>\n'
        '<p>{{ ngettext("%(num)d session", "%(num)d sessions, guaranteed", 2) }}</p>\n'
        '<p>{{ _("Ücretsiz muayene") }}</p>\n'  # Turkish words in an msgid: the English rules only
    )
    assert lint_report(scratch_site, capsys, {"templates/partials/extra.html": extra}) == [
        "templates/partials/extra.html:1: warning: 'Best'",
        "templates/partials/extra.html:2: warning: 'free consultation'",
        "templates/partials/extra.html:5: warning: 'guaranteed'",
    ]


def test_the_text_written_in_a_template_is_linted_with_every_language_s_rules(scratch_site, capsys):
    extra = (
        "<h2>En iyi klinik</h2>\n"
        "<p>The <strong>best</strong> care, painless.</p>\n"
        '<img src="x.png" alt="Before and after" title="%100 garanti">\n'
        "<p>Fiyat: 100 €</p>\n"
        "<p>Sonuç garanti edilmez; results are not guaranteed.</p>\n"
        "<p>{% trans %}Best of all{% endtrans %}</p>\n"  # an interface string: reported once, as such
    )
    assert lint_report(scratch_site, capsys, {"templates/partials/extra.html": extra}) == [
        "templates/partials/extra.html:1: warning: 'En iyi'",
        "templates/partials/extra.html:2: warning: 'best'",
        "templates/partials/extra.html:2: warning: 'painless'",
        "templates/partials/extra.html:3: warning: '%100'",
        "templates/partials/extra.html:3: warning: 'Before and after'",
        "templates/partials/extra.html:3: warning: 'garanti'",
        "templates/partials/extra.html:4: warning: 'Fiyat'",
        "templates/partials/extra.html:4: warning: '€'",
        "templates/partials/extra.html:6: warning: 'Best'",
    ]


def test_the_code_of_a_template_is_not_taken_for_text(scratch_site, capsys):
    extra = (
        "{% set best = 'garanti' %}{# the best comment, garanti #}\n"
        '<div class="best-price" data-offer="free consultation" id="{{ best }}">{{ best }}</div>\n'
        "<script>const price = '100%'; // the best</script>\n"
        "<style>.best { content: '€'; }</style>\n"
        "<!-- en iyi: a note for the team -->\n"
        '{% if best %}<a href="/best"{% if best %} class="en iyi"{% endif %}>{{ _("Home") }}</a>{% endif %}\n'
        "<{{ best }}>{{ best|upper }}</{{ best }}>\n"
        "{{- best -}}\n"
    )
    assert lint_report(scratch_site, capsys, {"templates/partials/extra.html": extra}) == []
