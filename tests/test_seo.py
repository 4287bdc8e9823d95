"""What search engines read: JSON-LD (parsed with extruct), head tags, sitemap, robots, redirects."""

import io
import json
import re
import xml.etree.ElementTree as ET

import extruct
import pytest
from markupsafe import Markup, escape
from PIL import Image

from sitegen import seo
from sitegen.pipeline import BuildOptions, build
from sitegen.project import Project
from tests.conftest import ROOT, SITE_YAML, TREATMENT_FIELDS
from tests.test_site import PAGES, Head

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def real():
    return build(Project.at(ROOT, ROOT / "site-unused"))


def json_ld(html: bytes, url: str) -> dict[str, dict]:
    items = extruct.extract(html.decode(), base_url=url, syntaxes=["json-ld"])["json-ld"]
    return {item["@type"]: item for item in items}


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_treatment_pages_describe_a_reviewed_medical_procedure(real, lang):
    site = real.site
    for page in (p for p in site.pages if p.lang == lang and p.layout == "treatment"):
        data = json_ld(real.outputs[page.output_path], site.permalink(page))
        assert set(data) == {"BreadcrumbList", "MedicalWebPage"}
        web = data["MedicalWebPage"]
        assert web["inLanguage"] == lang
        assert web["url"] == site.permalink(page)
        assert web["lastReviewed"] == page.meta.last_reviewed.isoformat()
        reviewer = site.profile(page.meta.reviewed_by, lang)
        assert web["reviewedBy"] == {"@type": "Physician", "@id": site.permalink(reviewer) + "#physician",
                                     "name": reviewer.title, "url": site.permalink(reviewer)}  # fmt: skip
        about = web["about"]
        assert about["@type"] == "MedicalProcedure"
        assert about["procedureType"] == "https://schema.org/PercutaneousProcedure"
        for key in ("howPerformed", "preparation", "followup", "bodyLocation"):
            assert about[key], key
        crumbs = [item["item"] for item in data["BreadcrumbList"]["itemListElement"]]
        assert crumbs == [site.permalink(p) for p in site.breadcrumbs(page)] + [site.permalink(page)]


@pytest.mark.parametrize("key", ["index", "contact"])
@pytest.mark.parametrize("lang", ["tr", "en"])
def test_home_and_contact_describe_the_medical_clinic(real, key, lang):
    site = real.site
    page = site.page(key, lang)
    clinic = json_ld(real.outputs[page.output_path], site.permalink(page))["MedicalClinic"]
    config = site.config.clinic
    assert clinic["name"] == config.name
    assert clinic["telephone"] == config.phone_href.removeprefix("tel:")
    assert clinic["url"] == site.absolute(f"/{lang}/")
    assert clinic["address"]["@type"] == "PostalAddress"
    assert clinic["address"]["addressCountry"] == "TR"
    assert "medicalSpecialty" not in clinic  # none is claimed until the licence names one
    hours = clinic["openingHoursSpecification"]
    assert hours[0]["dayOfWeek"][0] == "https://schema.org/Monday"
    assert [(h["opens"], h["closes"]) for h in hours] == [(h.opens, h.closes) for h in config.opening_hours]
    assert "geo" not in clinic  # not known yet: left out rather than invented


def test_no_reviews_ratings_prices_or_faq_markup_anywhere(real):
    for path, data in real.outputs.items():
        if path.endswith(".html"):
            text = data.decode()
            for forbidden in ('"Review"', "AggregateRating", '"offers"', '"price"', "FAQPage"):
                assert forbidden not in text, (path, forbidden)


def test_faq_markup_can_be_switched_on(scratch_site):
    fields = TREATMENT_FIELDS + "faq:\n  - question: Does it hurt?\n    answer: A little.\n"
    scratch_site.write(
        {
            "content/site.yaml": SITE_YAML + "faq_markup: true\n",
            "content/treatments/mesotherapy.en.md": f"---\ntitle: Mesotherapy\ndescription: M.\n{fields}---\n",
        }
    )
    html = scratch_site.build().outputs["en/treatments/mesotherapy/index.html"]
    faq = json_ld(html, "https://klinik.test/en/treatments/mesotherapy/")["FAQPage"]
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "A little."
    assert "<details>" in html.decode()


NOINDEX = {"tr/404.html", "en/404.html", "tr/arama/index.html", "en/search/index.html"}


@pytest.mark.parametrize("path", sorted(PAGES - {"index.html"} - NOINDEX))
def test_head_has_canonical_hreflang_open_graph_and_twitter(real, path):
    head = Head(real.outputs[path].decode())
    meta = {(a.get("property") or a.get("name")): a.get("content") for t, a in head.tags if t == "meta"}
    canonical = head.canonical()
    assert canonical == real.site.absolute("/" + path.removesuffix("index.html"))
    assert meta["og:url"] == canonical
    assert meta["og:title"] and meta["og:description"] == meta["description"]
    assert meta["og:locale"] in ("tr_TR", "en_GB")
    image = meta["og:image"].removeprefix(real.site.absolute("/"))
    page = real.site.page_at("/" + path.removesuffix("index.html"))
    if page.meta.image:  # its own picture, as a JPEG every network shows
        assert re.fullmatch(r"media/[a-z-]+-960\.[0-9a-f]{10}\.jpg", image)
        assert meta["og:image:alt"] == page.meta.image_alt
    else:  # the language's share card
        assert re.fullmatch(rf"static/share-{head.lang}\.[0-9a-f]{{10}}\.png", image)
        assert meta["og:image:alt"] == real.site.config.clinic.name
    shown = Image.open(io.BytesIO(real.outputs[image]))  # the size announced is the file's
    assert shown.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
    assert meta["twitter:card"] == "summary_large_image"
    assert set(head.hreflang()) == {"tr", "en", "x-default"}


def test_sitemap_lists_every_indexable_page_with_alternates_and_dates(real):
    site = real.site
    root = ET.fromstring(real.outputs["sitemap.xml"])
    entries = {url.find(f"{SM}loc").text: url for url in root.findall(f"{SM}url")}
    unlisted = ("not_found", "search")  # the 404 pages and the search page are noindex
    expected = {site.absolute("/")} | {site.permalink(p) for p in site.pages if p.layout not in unlisted}
    assert set(entries) == expected
    assert "https://www.example.com.tr/tr/arama/" not in entries
    for page in site.pages:
        if page.layout in unlisted:
            continue
        entry = entries[site.permalink(page)]
        links = {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")}
        assert links == {
            **{p.lang: site.permalink(p) for p in site.translations(page)},
            "x-default": site.absolute("/"),
        }
        head = Head(real.outputs[page.output_path].decode())
        assert head.canonical() == site.permalink(page)  # the exact form the sitemap uses
        lastmod = entry.find(f"{SM}lastmod")
        assert (lastmod.text if lastmod is not None else None) == (
            page.date.isoformat() if page.date else None
        )


def test_robots_points_to_the_sitemap(real):
    assert real.outputs["robots.txt"].decode() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {real.site.absolute('/sitemap.xml')}\n"
    )


def test_a_renamed_slug_leaves_a_redirect_page_and_a_redirects_line(scratch_site):
    scratch_site.write(
        {
            "content/treatments/mesotherapy.en.md": "---\ntitle: Mesotherapy\ndescription: M.\nslug: meso\n"
            "previous_slugs: [mesotherapy, meso-old]\n" + TREATMENT_FIELDS + "---\nText.\n",
            "content/treatments/_index.tr.md": "---\ntitle: Tedaviler\ndescription: Hepsi.\nmenu: 1\n"
            "previous_slugs: [uygulamalar]\n---\n",
        }
    )
    outputs = scratch_site.build().outputs
    moved = outputs["en/treatments/mesotherapy/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=/en/treatments/meso/">' in moved
    assert '<link rel="canonical" href="https://klinik.test/en/treatments/meso/">' in moved
    assert '<meta name="robots" content="noindex">' in moved
    assert "tr/uygulamalar/mezoterapi/index.html" in outputs
    assert outputs["_redirects"].decode() == (
        "/en/treatments/meso-old/ /en/treatments/meso/ 301\n"
        "/en/treatments/mesotherapy/ /en/treatments/meso/ 301\n"
        "/tr/uygulamalar/ /tr/tedaviler/ 301\n"
        "/tr/uygulamalar/mezoterapi/ /tr/tedaviler/mezoterapi/ 301\n"
        "/tr/uygulamalar/sac-mezoterapisi/ /tr/tedaviler/sac-mezoterapisi/ 301\n"
        "/tr/* /tr/404.html 404\n"
        "/en/* /en/404.html 404\n"
    )
    assert "uygulamalar" not in outputs["sitemap.xml"].decode()


def test_drafts_are_left_out_of_the_build_and_shown_noindex_in_the_preview(scratch_site):
    scratch_site.write(
        {"content/about.en.md": "---\ntitle: About\ndescription: About us.\ndraft: true\n---\n"}
    )
    assert "en/about/index.html" not in scratch_site.build().outputs
    preview = build(scratch_site.project, BuildOptions(drafts=True))
    html = preview.outputs["en/about/index.html"].decode()
    assert '<meta name="robots" content="noindex">' in html and 'class="draft-note"' in html
    assert "/en/about/" not in preview.outputs["sitemap.xml"].decode()
    scratch_site.write(
        {"content/index.en.md": "---\ntitle: Welcome\ndescription: Home.\n---\n[a](about.md)\n"}
    )
    assert "content/index.en.md:5: the link 'about.md' points to a draft page, which is not published" in (
        scratch_site.errors()
    )


def test_an_old_address_can_lead_to_one_page_only(scratch_site):
    for name in ("mesotherapy", "hair-mesotherapy"):
        path = scratch_site.root / f"content/treatments/{name}.tr.md"
        text = path.read_text(encoding="utf-8").replace(
            "---\ntitle:", "---\nprevious_slugs: [eski]\ntitle:", 1
        )
        path.write_text(text, encoding="utf-8")
    assert scratch_site.errors() == (
        "content/treatments/mesotherapy.tr.md:2: the old address /tr/tedaviler/eski/ is also listed by"
        " content/treatments/hair-mesotherapy.tr.md; it can lead to one page only\n"
        "  hint: keep it in one of the two files"
    )


@pytest.mark.parametrize(
    "item",
    [
        {"@type": "FAQPage", "mainEntity": [{"name": "Ağrılı mı?", "text": 'Bir "süre" </script> \u2028'}]},
        {"empty": {}, "none": [], "nested": [[1, [2.5, -0.0, 10**30]], {"a": (True, False, None)}]},
        {"markup": Markup("<b>x</b>"), "latitude": 41.0082, "tiny": 1e-300},
        {"not plain": float("nan"), "infinite": float("inf")},  # left to json.dumps, as written before
        {"keys": {1: "one", 2.5: "two"}},
    ],
)
def test_the_json_ld_is_written_as_json_dumps_writes_it(item):
    text = json.dumps(item, ensure_ascii=False, indent=1, sort_keys=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    assert seo.json_ld_script([item]) == f'<script type="application/ld+json">\n{text}\n</script>'


def test_the_language_chooser_is_described_and_shared_like_every_other_page(real):
    html = real.outputs["index.html"].decode()
    home = real.site.home("tr")
    root = real.site.absolute("/")
    share = re.search(r'<meta property="og:image" content="([^"]+)">', html)[1]
    for expected in (
        f'<meta name="description" content="{escape(home.meta.description)}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:title" content="{escape(home.title)}">',
        f'<meta property="og:url" content="{root}">',
        '<meta property="og:locale" content="tr_TR">',
        '<meta property="og:locale:alternate" content="en_GB">',
        '<meta name="twitter:card" content="summary_large_image">',
    ):
        assert expected in html, expected
    assert share == root + real.site.picture(home.meta.image).fallback.url.lstrip("/")  # the home page's
    assert share.removeprefix(root) in real.outputs
