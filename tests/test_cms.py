"""The web editor (Decap CMS): its configuration follows the front matter schema, the pages are in the
style it saves, and in real Chromium a page edited and saved there changes on disk in exactly the
places edited, still builds, and shows in the preview."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from sitegen import cms, schema
from sitegen.config import load_config
from sitegen.files import Reader
from sitegen.project import Project
from tests.browser import (
    CHROMIUM_ARGS,
    chromium_path,
    csp_watch,
    free_port,
    preview_server,
    static_server,
    wait_until,
)
from tests.conftest import ROOT

BACKEND = {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"}


def real_config() -> dict[str, Any]:
    project = Project.at(ROOT)
    config, _ = load_config(Reader(project))
    return cms.admin_config(project.content_dir, config, BACKEND)


def collection(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in data["collections"] if c["name"] == name)


def by_name(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {field["name"]: field for field in fields}


def require_editor() -> None:
    """Skip (fail where the tools are required) when Node.js or the pinned web editor is missing."""
    if shutil.which("node") and cms.installed():
        return
    if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
        pytest.fail(f"the web editor is required here (SITEGEN_REQUIRE_TOOLS is set): {cms.INSTALL_HINT}")
    pytest.skip(f"the web editor is not installed: {cms.INSTALL_HINT}")


@pytest.mark.parametrize(("collection_name", "layout"), [("treatments", "treatment"), ("doctors", "doctor")])
def test_every_field_of_the_schema_is_in_the_editor_with_its_required_flag_in_order(collection_name, layout):
    fields = collection(real_config(), collection_name)["fields"]
    names = [field["name"] for field in fields]
    assert names == [*schema.SCHEMAS[layout], "body"]
    for field in fields[:-1]:
        assert field["required"] is schema.SCHEMAS[layout][field["name"]].required, field["name"]
        assert field["i18n"] is True


def test_the_top_level_pages_and_the_sections_have_the_common_fields_one_entry_per_language():
    data = real_config()
    pages = collection(data, "pages")["files"]
    assert [page["file"] for page in pages] == [
        f"content/{name}.{lang}.md" for name in ("404", "contact", "cookies", "index", "privacy", "search") for lang in ("tr", "en")
    ]  # fmt: skip
    assert [field["name"] for field in pages[0]["fields"]] == [*schema.COMMON, "body"]
    assert pages[6]["label"] == "Mezoterapi ve saç mezoterapisi: hastalar için bilgiler (tr)"
    sections = collection(data, "sections")["files"]
    assert [page["file"] for page in sections] == [
        "content/doctors/_index.tr.md",
        "content/doctors/_index.en.md",
        "content/treatments/_index.tr.md",
        "content/treatments/_index.en.md",
    ]  # fmt: skip  (in the order of site.yaml's section_layouts)


def test_the_widgets_follow_the_types_of_the_schema():
    data = real_config()
    treatment = by_name(collection(data, "treatments")["fields"])
    date = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    assert {key: treatment["last_reviewed"][key] for key in date} == date
    assert treatment["side_effects"]["widget"] == "list"
    assert treatment["side_effects"]["field"] == {"label": "Side effects", "name": "item", "widget": "text"}
    assert treatment["title"]["widget"] == "string" and treatment["lead"]["widget"] == "text"
    assert treatment["weight"]["widget"] == "number" and treatment["weight"]["value_type"] == "int"
    assert treatment["draft"]["widget"] == "boolean"
    assert treatment["image"]["widget"] == "image"
    assert treatment["reviewed_by"]["widget"] == "relation"
    assert treatment["reviewed_by"]["collection"] == "doctors"
    assert treatment["reviewed_by"]["value_field"] == "{{slug}}"
    glance = treatment["at_a_glance"]
    assert glance["widget"] == "object"
    assert [(f["name"], f["widget"], f["required"]) for f in glance["fields"]] == [
        ("session_length", "string", True), ("sessions", "string", True),
        ("downtime", "string", True), ("anaesthesia", "string", True),
    ]  # fmt: skip
    assert [(f["name"], f["required"]) for f in treatment["references"]["fields"]] == [
        ("title", True),
        ("url", False),
    ]
    assert treatment["references"]["widget"] == "list"
    assert [(f["name"], f["widget"]) for f in treatment["faq"]["fields"]] == [
        ("question", "string"),
        ("answer", "text"),
    ]
    procedure = by_name(treatment["procedure"]["fields"])
    assert procedure["type"]["widget"] == "select"
    assert procedure["type"]["options"] == ["percutaneous", "noninvasive"]
    assert treatment["layout"] == {**treatment["layout"], "widget": "hidden", "default": "treatment"}
    assert collection(data, "treatments")["filter"] == {"field": "layout", "value": "treatment"}
    doctor = by_name(collection(data, "doctors")["fields"])
    assert doctor["medical_specialty"]["options"][:2] == ["Anesthesia", "Cardiovascular"]
    certificate = by_name(doctor["certificates"]["fields"])
    assert certificate["date"]["format"] == "YYYY-MM-DD" and certificate["date"]["required"] is False


def test_the_languages_and_the_media_folder():
    data = real_config()
    assert data["i18n"] == {"structure": "multiple_files", "locales": ["tr", "en"], "default_locale": "tr"}
    assert (data["media_folder"], data["public_folder"]) == ("content/media", "/media")
    assert data["backend"] == BACKEND


def test_a_field_whose_converter_has_no_type_stops_the_generator(monkeypatch):
    def shoe_size(value, key, doc):
        return value

    monkeypatch.setitem(schema.TREATMENT, "shoe_size", schema.Field("number", False, shoe_size))
    with pytest.raises(cms.SchemaNotTyped, match="'shoe_size' has no widget for the web editor"):
        real_config()


def test_the_admin_page_is_noindex_and_loads_only_the_sites_own_files():
    page = cms.admin_page("default-src 'none'").decode()
    assert '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;">' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<script src="/admin/decap-cms.js"></script>' in page
    assert "https://" not in page and "//" not in page.replace("http-equiv", "")


def test_only_the_bundles_own_files_are_served_never_a_source_map_or_a_path(tmp_path):
    assert cms.dist_file("../package.json") is None
    assert cms.dist_file("decap-cms.js.map") is None
    assert cms.dist_file("cms.js") is None  # the same bundle under a second name
    assert cms.dist_file("103.cms.js") is None
    if cms.installed():
        assert cms.dist_file("decap-cms.js") == cms.DIST_DIR / "decap-cms.js"
        assert cms.dist_file("103.decap-cms.js") == cms.DIST_DIR / "103.decap-cms.js"


def test_a_page_in_the_editors_style_is_read_as_written(scratch_site):
    # Folded plain and quoted lines, a date without quotes, keys in the schema's order: how Decap saves.
    scratch_site.write({"content/treatments/mesotherapy.tr.md": scratch_site.root.joinpath(
        "content/treatments/mesotherapy.tr.md").read_text(encoding="utf-8").replace(
        "lead: A lead.\n", 'lead: "Uzun bir giriş: iki satıra\n  bölünmüş, sonra\n  üçüncü."\n').replace(
        "results: Several sessions.\n", "results: Birkaç seans gerekir; sonuçlar kişiden kişiye\n  değişir.\n")})  # fmt: skip
    html = scratch_site.html("tr/tedaviler/mezoterapi/index.html")
    assert "Uzun bir giriş: iki satıra bölünmüş, sonra üçüncü." in html
    assert "Birkaç seans gerekir; sonuçlar kişiden kişiye değişir." in html


def test_the_repositorys_pages_are_in_the_style_the_editor_saves():
    require_editor()
    differ = cms.restyle(ROOT, real_config(), write=False)
    assert differ == [], "run: python3 build.py cms-style"


def test_the_style_check_names_a_page_written_otherwise_and_rewrites_it(tmp_path):
    require_editor()
    page = tmp_path / "content/index.tr.md"
    page.parent.mkdir()
    page.write_text(
        '---\n# a comment\ndescription: "Kısa."\ntitle: Ana sayfa\n---\nMetin.\n', encoding="utf-8"
    )
    data = {"collections": [{"files": [{"file": "content/index.tr.md",
                                        "fields": [{"name": "title"}, {"name": "description"}]}]}]}  # fmt: skip
    assert cms.restyle(tmp_path, data, write=True) == [page]
    assert page.read_text(encoding="utf-8") == "---\ntitle: Ana sayfa\ndescription: Kısa.\n---\nMetin.\n"
    assert cms.restyle(tmp_path, data, write=False) == []


def test_the_published_editor_is_added_to_a_built_site_with_its_own_policy_and_signs_in_with_github(
    project_copy,
):
    require_editor()
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "SITEGEN_NO_BOOTSTRAP": "1"}
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(project_copy)]
    subprocess.run([*command, "build"], check=True, capture_output=True, env=env)
    done = subprocess.run([*command, "cms-admin", "--repo", "klinik/site", "--auth-url", "https://auth.klinik.test/"],
                          check=True, capture_output=True, text=True, env=env)  # fmt: skip
    assert done.stdout.startswith("Web editor: ") and "saving to klinik/site (main)" in done.stdout
    site = project_copy / "site"
    admin = (site / "admin/index.html").read_text(encoding="utf-8")
    assert "connect-src &#x27;self&#x27; https://api.github.com;" in admin
    assert '<meta name="robots" content="noindex, nofollow">' in admin
    assert "admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not list((site / "admin").glob("*.map")) and not (site / "admin/cms.js").exists()
    config = (site / "admin/config.yml").read_text(encoding="utf-8")
    assert config.startswith("backend:\n  name: github\n  repo: klinik/site\n  branch: main\n"
                             "  base_url: https://auth.klinik.test\n")  # fmt: skip
    # The visitors' pages keep their own policy.
    assert "'unsafe-eval'" not in (site / "tr/index.html").read_text(encoding="utf-8")
    assert "'unsafe-eval'" not in (site / "_headers").read_text(encoding="utf-8")
    with static_server(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, complaints):
            page.goto(url + "/admin/")
            page.get_by_role("button", name="Login with GitHub").wait_for()
            assert complaints == []
        browser.close()


PAGE = "content/treatments/mesotherapy.tr.md"
OLD_SENTENCE = "bu nedenle beklentilerinizi gerçekçi tutmanız önemlidir."
NEW_SENTENCE = "bu nedenle beklentilerinizi önceden hekiminizle konuşmanız önemlidir."
OLD_SIDE_EFFECT = "Nadiren iz kalabilir ya da ciltte küçük, açık bir yara (ülser) oluşabilir."
NEW_SIDE_EFFECT = "Nadiren kalıcı bir iz ya da küçük, açık bir yara (ülser) oluşabilir."


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the repository's project: its real content, templates and catalogs."""
    root = tmp_path / "project"
    for name in ("content", "templates", "locales"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    return root


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def select_text(page, text: str) -> None:
    """Select *text* in the editor's Markdown box, as a mouse would, so that typing replaces it."""
    found = page.evaluate(
        """text => {
            const box = document.querySelector('[data-slate-editor="true"]');
            const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(text);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + text.length);
                    box.focus();
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    return true;
                }
            }
            return false;
        }""",
        text,
    )
    assert found, f"{text!r} is not in the editor's text box"


def test_an_edit_in_the_web_editor_changes_the_file_in_exactly_those_places_builds_and_shows(project_copy):
    require_editor()
    from playwright.sync_api import sync_playwright

    page_file = project_copy / PAGE
    original = page_file.read_text(encoding="utf-8")
    english = (project_copy / PAGE.replace(".tr.", ".en.")).read_text(encoding="utf-8")
    before = {path: path.read_bytes() for path in project_copy.rglob("*") if path.is_file()}
    assert original.count(OLD_SENTENCE) == 1 and original.count(f"  - {OLD_SIDE_EFFECT}\n") == 1
    with (
        preview_server(project_copy, "--cms", "--cms-port", str(free_port())) as (url, _),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        with csp_watch(browser) as (page, complaints):
            page.goto(url + "/admin/")
            page.get_by_role("button", name="Login").click()
            page.get_by_role("link", name="Treatments").click()
            page.get_by_role("link", name="Mezoterapi", exact=True).click()
            page.get_by_role("button", name="Writing in TR").wait_for()
            page.get_by_text(OLD_SENTENCE.split(";")[0][:20]).first.wait_for()
            select_text(page, OLD_SENTENCE)
            page.keyboard.type(NEW_SENTENCE)
            side_effects = page.locator("textarea")
            index = page.evaluate(
                "text => [...document.querySelectorAll('textarea')].findIndex(box => box.value === text)",
                OLD_SIDE_EFFECT,
            )
            assert index >= 0
            side_effects.nth(index).fill(NEW_SIDE_EFFECT)
            page.get_by_role("button", name="Publish").first.click()
            page.get_by_text("Publish now").click()
            wait_until(lambda: page_file.read_text(encoding="utf-8") != original, timeout=20)
            page.get_by_text("Entry saved").wait_for()
            assert complaints == []
        browser.close()
        saved = page_file.read_text(encoding="utf-8")
        expected = original.replace(OLD_SENTENCE, NEW_SENTENCE).replace(OLD_SIDE_EFFECT, NEW_SIDE_EFFECT)
        assert saved == expected  # every other line, and the key order, as it was
        assert (project_copy / PAGE.replace(".tr.", ".en.")).read_text(encoding="utf-8") == english
        changed = {
            path
            for path in project_copy.rglob("*")
            if path.is_file() and before.get(path) != path.read_bytes()
        }
        written = {path.relative_to(project_copy) for path in changed}  # the build's output aside
        assert {path.as_posix() for path in written if not path.parts[0].startswith((".", "site"))} == {PAGE}
        # The preview rebuilt on the save and shows the new text.
        wait_until(lambda: NEW_SENTENCE in fetch(url + "/tr/tedaviler/mezoterapi/"), timeout=20)
        shown = fetch(url + "/tr/tedaviler/mezoterapi/")
        assert NEW_SIDE_EFFECT in shown and OLD_SIDE_EFFECT not in shown
    build = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project_copy), "build", "--strict", "--allow-placeholders"],
        capture_output=True, text=True, env={**os.environ, "SITEGEN_NO_BOOTSTRAP": "1"}, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    assert NEW_SENTENCE in (project_copy / "site/tr/tedaviler/mezoterapi/index.html").read_text(
        encoding="utf-8"
    )


def test_a_page_started_with_new_is_in_the_editors_collection_of_its_folder(scratch_site):
    import datetime as dt

    import yaml

    from sitegen import scaffold

    config, _ = load_config(Reader(scratch_site.project))
    for kind, folder in (("treatment", "treatments"), ("doctor", "doctors")):
        titles = {"tr": "Yeni sayfa", "en": "New page"}
        new = scaffold.write_pair(
            scratch_site.root / "content", config, kind, titles, "test", dt.date(2026, 12, 1)
        )
        data = cms.admin_config(scratch_site.root / "content", config, BACKEND)
        rule = collection(data, folder)["filter"]
        for path in new.files:
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
            assert front[rule["field"]] == rule["value"] == kind
