"""The real site in real Chromium: switching language on a treatment page."""

import pytest

from sitegen.output import write_site
from sitegen.pipeline import build
from sitegen.project import Project
from tests.browser import CHROMIUM_ARGS, chromium_path, static_server
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = Project.at(ROOT, tmp_path_factory.mktemp("browser") / "site")
    result = build(project)
    write_site(project, result.outputs)
    with static_server(project.site_dir) as url:
        yield url, result.site


@pytest.fixture(scope="module")
def site_url(built):
    return built[0]


def test_switcher_on_a_turkish_treatment_page_opens_the_english_version(browser, built):
    site_url, site = built
    tr, en = (site.page("treatments/hair-mesotherapy", lang) for lang in ("tr", "en"))
    page = browser.new_page(viewport={"width": 360, "height": 780})
    page.goto(site_url + tr.url)
    assert page.locator("html").get_attribute("lang") == "tr"
    assert page.locator("h1").inner_text() == tr.title
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site_url + en.url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == en.title
    page.get_by_role("link", name="Türkçe").click()
    page.wait_for_url(site_url + tr.url)
    page.close()


def test_language_chooser_leads_to_each_home_page(browser, site_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(site_url + "/")
    page.get_by_role("link", name="Türkçe devam edin").click()
    page.wait_for_url(site_url + "/tr/")
    assert page.locator("html").get_attribute("lang") == "tr"
    page.close()


def test_phone_layout_has_no_horizontal_scroll_and_a_working_skip_link(browser, site_url):
    page = browser.new_page(viewport={"width": 360, "height": 780})
    for path in ("/tr/", "/tr/tedaviler/mezoterapi/", "/en/contact/", "/tr/kvkk-aydinlatma-metni/"):
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide on a 360 px phone"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_no_page_asks_another_host_for_anything(browser, built):
    from tests.test_site import PAGES

    site_url, _ = built
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in sorted(PAGES):
        page.goto(site_url + "/" + path.removesuffix("index.html"), wait_until="networkidle")
    page.close()
    assert requested, "the pages made no request at all?"
    assert [url for url in requested if not url.startswith(site_url)] == []
    css = (ROOT / "templates/static/style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css
