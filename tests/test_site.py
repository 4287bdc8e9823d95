"""The real site: every page, its head, its switcher, and safe writing of site/."""

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import escape as markup_escape

from sitegen.config import load_config
from sitegen.errors import BuildError
from sitegen.files import Reader
from sitegen.i18n import load_translations, long_date, opening_hours
from sitegen.output import write_site
from sitegen.pipeline import build
from sitegen.project import Project
from sitegen.slugs import slugify
from tests.conftest import ROOT

BASE = load_config(Reader(Project.at(ROOT)))[0].base_url
PAGES = {
    "index.html",
    "tr/index.html",
    "tr/tedaviler/index.html",
    "tr/tedaviler/mezoterapi/index.html",
    "tr/tedaviler/sac-mezoterapisi/index.html",
    "tr/iletisim/index.html",
    "tr/kvkk-aydinlatma-metni/index.html",
    "tr/cerez-politikasi/index.html",
    "tr/404.html",
    "tr/hekimlerimiz/index.html",
    "tr/hekimlerimiz/ad-soyad/index.html",
    "tr/arama/index.html",
    "en/index.html",
    "en/treatments/index.html",
    "en/treatments/mesotherapy/index.html",
    "en/treatments/hair-mesotherapy/index.html",
    "en/contact/index.html",
    "en/privacy/index.html",
    "en/cookies/index.html",
    "en/404.html",
    "en/doctors/index.html",
    "en/doctors/name-surname/index.html",
    "en/search/index.html",
}
TRANSLATIONS = [
    ("tr/index.html", "en/index.html"),
    ("tr/tedaviler/index.html", "en/treatments/index.html"),
    ("tr/tedaviler/mezoterapi/index.html", "en/treatments/mesotherapy/index.html"),
    ("tr/tedaviler/sac-mezoterapisi/index.html", "en/treatments/hair-mesotherapy/index.html"),
    ("tr/iletisim/index.html", "en/contact/index.html"),
    ("tr/kvkk-aydinlatma-metni/index.html", "en/privacy/index.html"),
    ("tr/cerez-politikasi/index.html", "en/cookies/index.html"),
    ("tr/hekimlerimiz/index.html", "en/doctors/index.html"),
    ("tr/hekimlerimiz/ad-soyad/index.html", "en/doctors/name-surname/index.html"),
]


class Head(HTMLParser):
    """Collect what the tests look at: links, h1s, scripts and external references."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang = None
        self.links: list[dict] = []
        self.anchors: list[dict] = []
        self.h1 = 0
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "a":
            self.anchors.append(attrs)
        elif tag == "h1":
            self.h1 += 1

    def hreflang(self) -> dict[str, str]:
        return {ln["hreflang"]: ln["href"] for ln in self.links if ln.get("rel") == "alternate"}

    def canonical(self) -> str | None:
        return next((ln["href"] for ln in self.links if ln.get("rel") == "canonical"), None)


def permalink(path: str) -> str:
    return BASE + "/" + path.removesuffix("index.html")


@pytest.fixture(scope="module")
def site():
    return build(Project.at(ROOT, ROOT / "site-unused")).outputs


@pytest.fixture(scope="module")
def real():
    """The real site built in memory, with its catalogs, for tests that follow the content."""
    project = Project.at(ROOT, ROOT / "site-unused")
    result = build(project)
    translations, _ = load_translations(Reader(project), result.site.config)
    return SimpleNamespace(result=result, translations=translations, language=result.site.config.language)


def page(site, path) -> Head:
    return Head(site[path].decode("utf-8"))


def test_every_page_is_built_and_nothing_else(site):
    assert {p for p in site if p.endswith(".html")} == PAGES | {"404.html"}
    others = {re.sub(r"\.[0-9a-f]{10}\.", ".HASH.", p) for p in site if not p.endswith(".html")}
    # The search index: Pagefind's scripts, and each language's index files (named by their contents).
    index = {re.sub(r"(_)[0-9a-f]{7,10}(\.pf_)", r"\1HASH\2", p) for p in others if p.startswith("pagefind/")}
    assert index == {
        "pagefind/pagefind-entry.json", "pagefind/pagefind.js", "pagefind/pagefind-worker.js",
        "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/wasm.unknown.pagefind",
        *(f"pagefind/{kind}" for lang in ("tr", "en") for kind in (
            f"pagefind.{lang}_HASH.pf_meta", f"wasm.{lang}.pagefind", f"index/{lang}_HASH.pf_index",
            f"fragment/{lang}_HASH.pf_fragment")),
    }  # fmt: skip
    others -= {p for p in others if p.startswith("pagefind/")}
    assert others == {
        "static/search.HASH.js",
        "static/style.HASH.css",
        "static/share-tr.HASH.png",
        "static/share-en.HASH.png",
        "static/logo-placeholder.HASH.svg",
        "static/icon-placeholder.HASH.png",
        *(
            f"media/{name}-placeholder-{variant}"
            for name in ("mesotherapy", "hair-mesotherapy", "clinic")
            for variant in ("480.HASH.webp", "960.HASH.webp", "1440.HASH.webp", "960.HASH.jpg")
        ),
        "favicon.ico",
        "apple-touch-icon.png",
        "icon-192.png",
        "icon-512.png",
        "site.webmanifest",
        "sitemap.xml",
        "robots.txt",
        "_headers",
        "_redirects",
    }


@pytest.mark.parametrize("pair", TRANSLATIONS)
def test_hreflang_sets_are_complete_reciprocal_and_absolute(site, pair):
    tr, en = pair
    expected = {"tr": permalink(tr), "en": permalink(en), "x-default": BASE + "/"}
    for path in pair:
        head = page(site, path)
        assert head.hreflang() == expected
        assert head.canonical() == permalink(path)
        assert head.canonical() == expected[head.lang]


@pytest.mark.parametrize("pair", TRANSLATIONS)
def test_switcher_links_to_the_same_page_in_the_other_language(site, pair):
    for path, other, lang in [(pair[0], pair[1], "en"), (pair[1], pair[0], "tr")]:
        switch = [
            a for a in page(site, path).anchors if a.get("hreflang") == lang and a.get("rel") == "alternate"
        ]
        assert switch == [{"href": "/" + other.removesuffix("index.html"), "hreflang": lang, "lang": lang,
                           "rel": "alternate"}]  # fmt: skip


@pytest.mark.parametrize("path", sorted(PAGES - {"index.html"}))
def test_every_page_has_lang_one_h1_skip_link_landmarks_and_contact_block(site, real, path):
    html = site[path].decode("utf-8")
    head = Head(html)
    assert head.lang == path.split("/")[0]
    assert head.h1 == 1
    assert '<a class="skip-link" href="#main">' in html
    # The contact page has the clinic's details first, in its text, instead of at its foot.
    on_contact = path in ("tr/iletisim/index.html", "en/contact/index.html")
    contact = '<section class="contact-first"' if on_contact else '<aside class="contact-block"'
    for landmark in ("<header", '<nav class="main-nav"', '<main id="main"', contact, "<footer"):
        assert landmark in html
    assert html.count('<div class="contact-grid">') == 1
    clinic = real.result.site.config.clinic
    assert re.fullmatch(r"tel:\+\d+", clinic.phone_href) and f'href="{clinic.phone_href}"' in html
    assert (
        re.fullmatch(r"https://wa\.me/\d+", clinic.whatsapp_href) and f'href="{clinic.whatsapp_href}"' in html
    )
    assert f'href="mailto:{clinic.email}"' in html


@pytest.mark.parametrize("path", sorted(PAGES))
def test_no_page_loads_anything_from_another_host_or_needs_javascript(site, path):
    head = page(site, path)
    scripts = [attrs for tag, attrs in head.tags if tag == "script"]
    if path in ("tr/arama/index.html", "en/search/index.html"):
        # The search page alone runs scripts: Pagefind's interface and its starter, from the site itself.
        assert [attrs["src"] for attrs in scripts] == [
            "/pagefind/pagefind-ui.js",
            re.search(r"/static/search\.[0-9a-f]{10}\.js", site[path].decode())[0],
        ]
    else:
        # The only scripts are JSON-LD data blocks, which browsers never run.
        assert scripts in ([], [{"type": "application/ld+json"}] * len(scripts))
    for tag, attrs in head.tags:
        for name in ("src", "srcset", "data"):
            assert name not in attrs or not re.match(r"^(https?:)?//", attrs[name]), (tag, attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            assert attrs["href"].startswith(("/static/", "/pagefind/pagefind-ui.css"))


def test_404_pages_are_noindex_without_canonical(site):
    for path in ("tr/404.html", "en/404.html"):
        html = site[path].decode()
        assert '<meta name="robots" content="noindex">' in html
        assert 'rel="canonical"' not in html


def test_language_chooser_is_the_x_default_and_works_without_javascript(site, real):
    html = site["index.html"].decode()
    head = Head(html)
    assert head.hreflang() == {"tr": BASE + "/tr/", "en": BASE + "/en/", "x-default": BASE + "/"}
    assert head.canonical() == BASE + "/"
    turkish = escape(real.translations["tr"].gettext("Continue in English"))
    assert turkish != "Continue in English"
    assert f'<a class="button" href="/tr/" hreflang="tr" lang="tr">{turkish}</a>' in html
    assert '<a class="button" href="/en/" hreflang="en" lang="en">Continue in English</a>' in html
    assert "refresh" not in html and "<script" not in html  # it only offers: no redirect, no script


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_every_treatment_page_has_every_part_in_order(real, lang):
    """Built from the real content and catalog, so editors' changes do not break it."""
    gettext = real.translations[lang].gettext
    treatments = [p for p in real.result.site.pages if p.layout == "treatment" and p.lang == lang]
    assert len(treatments) == 2
    for page in treatments:
        html = real.result.outputs[page.output_path].decode()
        reviewer = real.result.site.profile(page.meta.reviewed_by, lang)
        assert reviewer is not None
        reviewer_link = f'<a href="{reviewer.url}">{escape(reviewer.title)}</a>'
        dates = {"last": long_date(page.meta.last_reviewed, real.language(lang)),
                 "next": long_date(page.meta.next_review, real.language(lang))}  # fmt: skip
        # The page's own text, then the risks, then what to do, then the sources, then the contact details.
        heading = lambda text: f'<h2 id="{slugify(gettext(text))}">{escape(gettext(text))}</h2>'  # noqa: E731
        parts = [
            f"<h1>{escape(page.title)}</h1>",
            '<p class="byline">',
            str(escape(gettext("Medically reviewed by %(name)s.") % {"name": "\0"})).replace("\0", reviewer_link),
            escape(gettext("Last reviewed on %(last)s. Next review due %(next)s.") % dates),
            f'<p class="lead">{escape(page.meta.lead)}</p>',
            '<section class="glance"',
            f'<a href="#{slugify(gettext("Possible side effects"))}">{escape(gettext("Possible side effects"))}</a>',
            '<figure class="hero"><picture>',
            '<details class="toc toc-inline">',
            '<div class="prose">\n<h2',
            heading("Who should not have it"),
            heading("How to prepare"),
            heading("Sessions and results"),
            heading("Possible side effects"),
            heading("When to seek help"),
            str(markup_escape(gettext("If your lips, face or throat swell, or you find it hard to breathe, call 112 at once."))),
            heading("Aftercare"),
            heading("Alternatives"),
            heading("How strong the evidence is"),
            heading("Who may perform it"),
            heading("If there is a problem"),
            '<section class="faq"',
            heading("References"),
            '<aside class="disclaimer"',
            escape(gettext("With every surgical or interventional procedure, results may vary from person to"
                           " person. You are advised to get a detailed opinion from your doctor before the"
                           " procedure.")),
            '<section class="cta"',
            f'<a href="{real.result.site.page("privacy", lang).url}">{escape(gettext("Privacy notice"))}</a>',
            '<aside class="side"',  # on wide screens, beside the text: the numbers, then the contents
            '<section class="cta cta-side"',
            '<nav class="toc" aria-labelledby="side-toc-title">',
        ]  # fmt: skip
        for field in ("contraindications", "preparation", "side_effects", "warning_signs", "alternatives"):
            for item in getattr(page.meta, field):
                assert f"<li>{markup_escape(item)}</li>" in html
        for text in (page.meta.results, page.meta.evidence, page.meta.authorisation):
            assert f"<p>{markup_escape(text)}</p>" in html
        assert page.meta.lead != page.meta.description
        at = 0
        for part in parts:  # each part after the one before it
            found = html.find(part, at)
            assert found != -1, (part, "missing or out of order")
            at = found + len(part)
        for entry in re.findall(
            r'<h2 id="([^"]+)">', html.split('<div class="prose">')[1].split("</div>")[0]
        ):
            assert f'<a href="#{entry}">' in html  # every section of the text is in the table of contents
        assert "free consultation" not in html.lower() and "ücretsiz muayene" not in html.lower()


def test_contact_page_shows_the_clinic_data_and_a_map_link(real):
    clinic = real.result.site.config.clinic
    for lang in ("tr", "en"):
        html = real.result.outputs[real.result.site.page("contact", lang).output_path].decode()
        for days, times in opening_hours(clinic.opening_hours, real.language(lang)):
            closed = real.translations[lang].gettext("Closed")
            assert f'<th scope="row">{days}</th><td>{times or closed}</td>' in html
        assert f'href="{escape(clinic.map_url)}"' in html
        assert "<iframe" not in html


def test_a_build_writes_the_site_anew_so_removed_pages_disappear(scratch_site):
    write_site(scratch_site.project, scratch_site.build().outputs)
    (scratch_site.project.site_dir / "stray.html").write_text("old")
    scratch_site.write({"content/privacy.tr.md": "---\ntitle: KVKK\ndescription: x\nslug: kvkk\n---\n"})
    write_site(scratch_site.project, scratch_site.build().outputs)
    site = scratch_site.project.site_dir
    assert not (site / "stray.html").exists()
    assert not (site / "tr/kvkk-aydinlatma-metni").exists()
    assert (site / "tr/kvkk/index.html").is_file()
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".site")] == [".site.spare"]


@pytest.mark.parametrize("folder", [".", "content", "templates/static"])
def test_an_output_folder_over_the_project_is_refused(scratch_site, folder):
    project = Project.at(scratch_site.root, scratch_site.root / folder)
    with pytest.raises(BuildError) as caught:
        write_site(project, {"index.html": b"x"})
    assert "refusing to write the site here" in str(caught.value)
    assert (scratch_site.root / "content/site.yaml").is_file()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_turkish_treatment_pages_carry_the_reminder_of_the_2025_rules_verbatim(real):
    reminder = (
        "Her cerrahi veya girişimsel işlemde sonuçlar kişiden kişiye değişiklik gösterebilir."
        " İşlem öncesinde hekiminizden detaylı görüş almanız önerilir."
    )
    for page in real.result.site.pages:
        if page.layout == "treatment" and page.lang == "tr":
            assert f"<p>{reminder}</p>" in real.result.outputs[page.output_path].decode()
