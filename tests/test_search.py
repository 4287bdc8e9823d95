"""The site's search: one Pagefind index per language, made from the built pages, searched in Chromium."""

from __future__ import annotations

import json
import shutil

import pytest

from sitegen import search
from sitegen.engine.incremental import Incremental
from sitegen.engine.session import Session
from sitegen.engine.store import BuildCache
from sitegen.output import write_site
from sitegen.pipeline import BuildOptions, build
from sitegen.project import Project
from tests.browser import CHROMIUM_ARGS, chromium_path, csp_watch, plain_static_server
from tests.conftest import ROOT

SEARCH_PAGES = {
    "content/search.en.md": "---\ntitle: Search\ndescription: Search the site.\nslug: search\nlayout: search\n---\n",
    "content/search.tr.md": "---\ntitle: Arama\ndescription: Sitede arayın.\nslug: arama\nlayout: search\n---\n",
}


def _entry(outputs: dict[str, bytes]) -> dict:
    return json.loads(outputs["pagefind/pagefind-entry.json"])


def test_a_site_with_a_search_page_gets_one_index_per_language_of_its_indexable_pages(scratch_site):
    scratch_site.write(SEARCH_PAGES)
    result = scratch_site.build()
    outputs = result.outputs
    entry = _entry(outputs)
    # Each language's pages, less the 404 page and the search page: 9 of the scratch site's 11 per language.
    assert {lang: index["page_count"] for lang, index in entry["languages"].items()} == {"en": 9, "tr": 9}
    assert entry["version"] == "1.5.2"
    bundle = sorted(path for path in outputs if path.startswith("pagefind/"))
    for lang, index in entry["languages"].items():
        assert f"pagefind/pagefind.{index['hash']}.pf_meta" in bundle
        assert f"pagefind/wasm.{lang}.pagefind" in bundle
        assert any(path.startswith(f"pagefind/fragment/{lang}_") for path in bundle)
        assert any(path.startswith(f"pagefind/index/{lang}_") for path in bundle)
    # The scripts the search page loads; not the other interfaces Pagefind makes.
    assert {"pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/pagefind-ui.js",
            "pagefind/pagefind-ui.css"} <= set(bundle)  # fmt: skip
    assert not [path for path in bundle if "component" in path or "modular" in path or "highlight" in path]
    # The header's box is a plain form to the search page of the page's language.
    assert '<form class="site-search" role="search" action="/tr/arama/" method="get">' in scratch_site.html(
        "tr/index.html"
    )
    assert 'action="/en/search/"' in scratch_site.html("en/treatments/index.html")


def test_the_index_holds_each_page_s_main_text_and_title_under_its_url(scratch_site):
    scratch_site.write(SEARCH_PAGES)
    site = scratch_site.build()
    docs = search.documents(site.site, site.outputs)
    assert sorted(url for url, _, _ in docs["tr"]) == sorted(
        page.url
        for page in site.site.pages
        if page.lang == "tr" and page.layout not in ("not_found", "search")
    )
    files, problems = search.index_language([d for d in docs["tr"] if d[0] == "/tr/tedaviler/mezoterapi/"])
    assert _entry({"pagefind/pagefind-entry.json": files["pagefind-entry.json"]})["languages"].keys() == {
        "tr"
    }
    assert problems == []
    fragments = [data for path, data in files.items() if path.startswith("fragment/")]
    assert len(fragments) == 1
    import gzip

    fragment = json.loads(gzip.decompress(fragments[0]).removeprefix(b"pagefind_dcd"))
    assert fragment["url"] == "/tr/tedaviler/mezoterapi/"
    assert fragment["meta"]["title"] == "Mezoterapi"
    assert "mezoterapi" in fragment["content"].lower()
    # <main> only: the menu, the footer and the contact details that every page repeats are left out.
    assert "Ana sayfa" not in fragment["content"] and "Sorumlu" not in fragment["content"]


def test_a_site_without_a_search_page_has_no_index_and_no_search_box(scratch_site):
    result = scratch_site.build()
    assert not [path for path in result.outputs if path.startswith("pagefind/")]
    assert 'class="site-search"' not in scratch_site.html("tr/index.html")


def test_the_search_page_is_noindex_outside_the_sitemap_and_its_languages_link_each_other(scratch_site):
    scratch_site.write(SEARCH_PAGES)
    result = scratch_site.build()
    html = scratch_site.html("tr/arama/index.html")
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
    assert '<a href="/en/search/" hreflang="en" lang="en" rel="alternate">English</a>' in html
    assert 'class="site-search"' not in html  # the page has Pagefind's own box
    assert (
        b"/arama/" not in result.outputs["sitemap.xml"] and b"/search/" not in result.outputs["sitemap.xml"]
    )
    # Without JavaScript it says so, and leads to the treatments.
    assert '<noscript><div id="search-fallback" class="search-fallback">' in html
    assert '<a href="/tr/tedaviler/">Tedaviler sayfasında</a>' in html


def test_a_language_s_index_is_kept_until_one_of_its_pages_changes(scratch_site, monkeypatch):
    scratch_site.write(SEARCH_PAGES)
    store = BuildCache(None, "")
    first = build(scratch_site.project, stages=Incremental(store))
    indexed: list[list[str]] = []
    real = search.index_language
    monkeypatch.setattr(
        search, "index_language", lambda docs, stop=None: indexed.append([d[0] for d in docs]) or real(docs)
    )
    store.next_build()
    again = build(scratch_site.project, stages=Incremental(store))
    assert indexed == [] and again.outputs == first.outputs
    path = scratch_site.root / "content/treatments/mesotherapy.en.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new sentence about lasers.\n", encoding="utf-8")
    store.next_build()
    edited = build(scratch_site.project, stages=Incremental(store))
    assert [len(urls) for urls in indexed] == [9] and "/en/treatments/mesotherapy/" in indexed[
        0
    ]  # English only
    assert edited.outputs["pagefind/pagefind-entry.json"] != first.outputs["pagefind/pagefind-entry.json"]
    plain = build(scratch_site.project)  # and the same as a build without the cache
    assert {p: d for p, d in plain.outputs.items() if p.startswith("pagefind/")} == {
        p: d for p, d in edited.outputs.items() if p.startswith("pagefind/")
    }


def _index(outputs: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in outputs.items() if path.startswith("pagefind/")}


def _preview_with_an_edit(scratch_site):
    """A preview session of the site with search, its first index, and the English page then edited."""
    scratch_site.write(SEARCH_PAGES)
    session = Session(scratch_site.project, BuildOptions(drafts=True, check=True))
    first, _ = session.build()
    path = scratch_site.root / "content/treatments/mesotherapy.en.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new sentence about lasers.\n", encoding="utf-8")
    return session, _index(first.outputs), path


def test_the_preview_shows_a_page_at_once_and_indexes_and_checks_when_saves_pause(scratch_site):
    session, index, path = _preview_with_an_edit(scratch_site)
    shown, _ = session.build(frozenset({path}), quick=True)
    assert "lasers" in shown.outputs["en/treatments/mesotherapy/index.html"].decode()
    assert _index(shown.outputs) == index  # the last one
    assert session.lagging and shown.translations == []  # the site-wide checks wait too
    caught_up, _ = session.build(frozenset(), quick=False)  # what the preview runs when idle
    assert not session.lagging and caught_up.translations
    plain = build(scratch_site.project, BuildOptions(drafts=True))
    assert _index(caught_up.outputs) == _index(plain.outputs)
    assert (scratch_site.root / "site/pagefind/pagefind-entry.json").read_bytes() == plain.outputs[
        "pagefind/pagefind-entry.json"
    ]


def test_pagefind_s_own_configuration_and_environment_are_not_read(scratch_site, monkeypatch, tmp_path):
    """The binary runs in an empty folder with an empty environment: a pagefind.yml where the build
    runs, or PAGEFIND_* variables, change nothing (they would force one language for all pages)."""
    scratch_site.write(SEARCH_PAGES)
    before = scratch_site.build().outputs
    (tmp_path / "pagefind.yml").write_text("force_language: en\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    after = scratch_site.build().outputs
    assert _entry(after)["languages"].keys() == {"en", "tr"}
    assert {p: d for p, d in after.items() if p.startswith("pagefind/")} == {
        p: d for p, d in before.items() if p.startswith("pagefind/")
    }


def test_a_missing_pagefind_stops_the_build_with_what_to_do(scratch_site, monkeypatch):
    import pagefind_bin

    scratch_site.write(SEARCH_PAGES)

    def missing():
        raise FileNotFoundError("no pagefind binary in pagefind_bin/")

    monkeypatch.setattr(pagefind_bin, "get_executable", missing)
    assert scratch_site.errors() == (
        "pagefind: Pagefind, which makes the search index, is missing: no pagefind binary in pagefind_bin/\n"
        "  hint: install the locked dependencies again: delete .venv/ and run python3 build.py"
    )


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search") / "project"
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("*.mo"))
    project = Project.at(root)
    write_site(project, build(project).outputs)
    return project.site_dir


RESULTS = "[...document.querySelectorAll('.pagefind-ui__result-title .pagefind-ui__result-link')].map(a => a.pathname)"


@pytest.mark.browser
def test_a_turkish_query_typed_in_the_header_finds_turkish_pages_and_its_first_result_opens(real_site):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with plain_static_server(real_site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, violations):
            page.goto(url + "/tr/tedaviler/mezoterapi/")
            page.fill("#site-search-query", "sac")  # without the cedilla
            page.press("#site-search-query", "Enter")
            page.wait_for_url(url + "/tr/arama/?q=sac")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            assert page.input_value(".pagefind-ui__search-input") == "sac"
            found = page.evaluate(RESULTS)
            assert found[0] == "/tr/tedaviler/sac-mezoterapisi/"  # "saç" is in its title
            assert found and all(path.startswith("/tr/") for path in found), found
            # With JavaScript, the fallback in <noscript> is not part of the page at all.
            assert page.evaluate("document.getElementById('search-fallback')") is None
            page.click(".pagefind-ui__result-title .pagefind-ui__result-link >> nth=0")
            page.wait_for_url(url + "/tr/tedaviler/sac-mezoterapisi/")
            assert page.inner_text("h1") == "Saç mezoterapisi"
            # Back on the search page, the query is still in its address and shows the same results.
            page.go_back()
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            assert page.evaluate(RESULTS)[0] == "/tr/tedaviler/sac-mezoterapisi/"

            page.fill(".pagefind-ui__search-input", "mezoterapi")
            page.locator(".pagefind-ui__message", has_text="mezoterapi için").wait_for(timeout=15_000)
            found = page.evaluate(RESULTS)
            assert {"/tr/tedaviler/mezoterapi/", "/tr/tedaviler/sac-mezoterapisi/"} <= set(found), found
            assert all(path.startswith("/tr/") for path in found), found

            page.goto(url + "/en/")
            page.fill("#site-search-query", "hair loss")
            page.press("#site-search-query", "Enter")
            page.wait_for_url(url + "/en/search/?q=hair+loss")
            page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
            found = page.evaluate(RESULTS)
            assert found[0] == "/en/treatments/hair-mesotherapy/", found
            assert all(path.startswith("/en/") for path in found), found
        browser.close()
    assert violations == []


@pytest.mark.browser
def test_without_javascript_the_box_leads_to_the_search_page_which_says_what_to_do(real_site):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with plain_static_server(real_site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(java_script_enabled=False)
        page.goto(url + "/en/treatments/")
        page.fill("#site-search-query", "hair loss")
        page.press("#site-search-query", "Enter")
        page.wait_for_url(url + "/en/search/?q=hair+loss")
        assert page.inner_text("#search-fallback").startswith("Searching the site needs JavaScript")
        page.click("#search-fallback a")
        page.wait_for_url(url + "/en/treatments/")
        browser.close()


def test_a_save_stops_the_catching_up_and_loses_nothing_of_the_last_build(scratch_site, monkeypatch):
    import threading

    from sitegen.engine.incremental import BuildStopped

    session, index, path = _preview_with_an_edit(scratch_site)
    session.build(frozenset({path}), quick=True)
    site = scratch_site.root / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    stop = threading.Event()
    stop.set()  # a save came as the catching up began
    with pytest.raises(BuildStopped):
        session.build(frozenset(), stop=stop)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before  # nothing written
    indexed: list[int] = []
    real = search.index_language
    monkeypatch.setattr(
        search, "index_language", lambda docs, stop=None: indexed.append(len(docs)) or real(docs)
    )
    path.write_text(path.read_text(encoding="utf-8") + "\nAnd one about light.\n", encoding="utf-8")
    again, _ = session.build(frozenset({path}), quick=True)  # the save's own build: quick as before
    assert indexed == [] and _index(again.outputs) == index
    caught_up, _ = session.build(frozenset())
    assert indexed == [9] and not session.lagging
