"""axe-core in real Chromium on every page of the real site: no serious or critical violations."""

import os
from pathlib import Path

import pytest

from sitegen.output import write_site
from sitegen.pipeline import build
from sitegen.project import Project
from tests.browser import CHROMIUM_ARGS, chromium_path, static_server
from tests.conftest import ROOT
from tests.test_site import PAGES

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "axe/node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def page_loader(tmp_path_factory):
    executable = chromium_path()
    if not AXE.is_file():
        message = "axe-core is not installed: `make test` installs it with npm ci in tests/axe"
        if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    project = Project.at(ROOT, tmp_path_factory.mktemp("axe") / "site")
    write_site(project, build(project).outputs)
    with static_server(project.site_dir) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser, url
        browser.close()


def _violations(page) -> list[str]:
    """What axe finds wrong on *page*, of any impact, one line each; the page is closed."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    page.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
    ]


@pytest.mark.parametrize("path", sorted(PAGES))
@pytest.mark.parametrize("width", [390, 1366])  # a phone, a laptop
def test_no_accessibility_violations(page_loader, path, width):
    browser, url = page_loader
    # The site's Content-Security-Policy admits no script: let axe in (the CSP has its own tests).
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    page.goto(url + "/" + path.removesuffix("index.html"))
    found = _violations(page)
    assert found == [], "\n".join(found)  # none at all, minor ones included


@pytest.mark.parametrize("address", ["/tr/arama/?q=sac", "/en/search/?q=hair+loss"])
@pytest.mark.parametrize("width", [390, 1366])  # a phone, a laptop
def test_search_results_have_no_accessibility_violations(page_loader, address, width):
    """The search page once Pagefind's interface shows results (what axe sees of it on load is
    only the search box)."""
    browser, url = page_loader
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    page.goto(url + address)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    found = _violations(page)
    assert found == [], "\n".join(found)  # none at all, minor ones included


def test_axe_does_report_a_serious_violation(page_loader):
    browser, _ = page_loader
    page = browser.new_page()
    page.set_content('<!doctype html><html><title>x</title><main><img src="a.png"></main></html>')
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    page.close()
    assert {"image-alt", "html-has-lang"} <= {v["id"] for v in results["violations"]}
