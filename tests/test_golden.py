"""Golden files: the exact HTML of one page of each type, built from the scratch site.

After a deliberate change to the templates or the generator, rewrite them with
``make golden`` and review the diff before committing.
"""

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.html",
    "tr/index.html",
    "en/treatments/index.html",
    "tr/tedaviler/mezoterapi/index.html",
    "en/treatments/mesotherapy/index.html",
    "tr/iletisim/index.html",
    "en/privacy-notice/index.html",
    "tr/404.html",
    "tr/arama/index.html",
]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from tests.conftest import ScratchSite
    from tests.test_search import SEARCH_PAGES

    site = ScratchSite(tmp_path_factory.mktemp("golden") / "project")
    site.write(SEARCH_PAGES)  # the header's search box, and the search page
    return site.build().outputs


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_its_golden_file(outputs, path):
    golden = GOLDEN / path.replace("/", "__")
    # Fingerprints change with every stylesheet edit; the HTML shape is what matters here.
    html = re.sub(r"\.[0-9a-f]{10}\.(css|png)", r".HASH.\1", outputs[path].decode("utf-8"))
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {path}: run `make golden` and review it"
    assert html == golden.read_text(encoding="utf-8"), f"{path} differs from {golden}: see the diff"
