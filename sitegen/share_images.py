"""Make the default share images (Open Graph) of each language: 1200 x 630 PNG.

Run ``python build.py share-images`` after the clinic's name changes; it draws
the images with Chromium (installed for the tests) and writes them to
templates/static/share-<lang>.png, which are committed like the stylesheet.
"""

from __future__ import annotations

import html
import shutil
import sys

from .config import load_config
from .files import Reader
from .i18n import load_translations
from .project import Project

WIDTH, HEIGHT = 1200, 630
_CARD = """<!doctype html><html lang="{lang}"><meta charset="utf-8"><style>
body {{ margin: 0; width: {width}px; height: {height}px; display: flex; flex-direction: column;
  justify-content: center; padding: 0 96px; box-sizing: border-box; background: #e7f2f1; color: #1f2a30;
  font-family: system-ui, "DejaVu Sans", sans-serif; border-left: 32px solid #1d6b6a; }}
h1 {{ font-size: 72px; line-height: 1.1; margin: 0 0 28px; }}
p {{ font-size: 38px; margin: 0; color: #134c4b; }}
</style><h1>{name}</h1><p>{tagline}</p></html>"""


def make_share_images(project: Project) -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("This needs the test tools: run `make test` once, then run this again.", file=sys.stderr)
        return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("This needs Chromium: sudo apt-get install chromium", file=sys.stderr)
        return 1
    reader = Reader(project)
    config, _ = load_config(reader)
    translations, _ = load_translations(reader, config)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for language in config.languages:
            # TRANSLATORS: the line under the clinic's name on the image shown when a page is shared.
            tagline = translations[language.code].gettext("Aesthetic medicine: information and appointments")
            name = html.escape(config.clinic.name)
            card = _CARD.format(
                lang=language.code, width=WIDTH, height=HEIGHT, name=name, tagline=html.escape(tagline)
            )
            page.set_content(card)
            target = project.static_dir / f"share-{language.code}.png"
            page.screenshot(path=str(target))
            print(f"Wrote {project.show(target)}")
        browser.close()
    return 0
