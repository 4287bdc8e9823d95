"""The browser's icons: made with Pillow from one picture, read back, with no metadata left."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from tests.conftest import SITE_YAML

ICON_YAML = SITE_YAML.replace("section_layouts:", "logo: logo.svg\nicon: icon.jpg\nsection_layouts:")
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle cx="4" cy="4" r="4"/></svg>\n'


def _photo(width: int, height: int) -> bytes:
    """A phone photo's JPEG: EXIF with a GPS position and a camera serial, and a thumbnail."""
    picture = Image.new("RGB", (width, height), (29, 107, 106))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 3.0, 36.0), 3: "E", 4: (28.0, 59.0, 24.0)})  # GPS
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif, quality=90)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the position is really there
    return data


def _site(scratch_site, icon: bytes):
    scratch_site.write({"content/site.yaml": ICON_YAML, "templates/static/logo.svg": LOGO})
    (scratch_site.root / "templates/static/icon.jpg").write_bytes(icon)
    return scratch_site


def test_the_icons_are_made_at_their_sizes_with_no_metadata(scratch_site):
    outputs = _site(scratch_site, _photo(900, 600)).build().outputs  # not square: centred on a square
    ico = Image.open(io.BytesIO(outputs["favicon.ico"]))
    assert ico.format == "ICO" and ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}
    expected = {"apple-touch-icon.png": ((180, 180), "RGB"), "icon-192.png": ((192, 192), "RGBA"),
                "icon-512.png": ((512, 512), "RGBA")}  # fmt: skip
    for name, (size, mode) in expected.items():
        picture = Image.open(io.BytesIO(outputs[name]))
        assert (picture.format, picture.size, picture.mode) == ("PNG", size, mode), name
        assert not picture.getexif() and "exif" not in picture.info, name
        assert set(picture.info) <= {"dpi", "gamma"}, picture.info  # no text chunks, no profile
    for data in (outputs[n] for n in [*expected, "favicon.ico"]):
        assert b"SERIAL-123456" not in data and b"PhoneMaker" not in data and b"Exif" not in data
    corner = Image.open(io.BytesIO(outputs["icon-512.png"])).getpixel((5, 5))
    assert corner[3] == 0  # the padding of the wide photo is transparent


def test_the_pages_name_the_icons_and_the_manifest_lists_them(scratch_site):
    outputs = _site(scratch_site, _photo(512, 512)).build().outputs
    html = outputs["tr/index.html"].decode()
    for link in ('<link rel="icon" href="/favicon.ico" sizes="32x32">',
                 '<link rel="apple-touch-icon" href="/apple-touch-icon.png">',
                 '<link rel="manifest" href="/site.webmanifest">'):  # fmt: skip
        assert (
            link in html and link in outputs["index.html"].decode() and link in outputs["404.html"].decode()
        )
    svg = [path for path in outputs if path.startswith("static/logo.")][0]
    assert f'<link rel="icon" href="/{svg}" type="image/svg+xml">' in html
    assert f'<img src="/{svg}" alt="" width="40" height="40"><span>Test Kliniği</span></a>' in html
    manifest = json.loads(outputs["site.webmanifest"])
    assert manifest["name"] == "Test Kliniği" and manifest["start_url"] == "/"
    assert [(i["src"], i["sizes"]) for i in manifest["icons"]] == [("/icon-192.png", "192x192"),
                                                                    ("/icon-512.png", "512x512")]  # fmt: skip
    assert all(i["src"].lstrip("/") in outputs for i in manifest["icons"])
    assert "manifest-src 'self'" in outputs["_headers"].decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a picture at all", "the icon's picture cannot be read as an image"),
        (_photo(300, 300), "the icon's picture is 300 x 300 pixels, smaller than 512 x 512"),
        (b"GIF89a" + bytes(20), "the icon's picture cannot be read as an image"),
    ],
)
def test_a_picture_that_cannot_make_icons_is_an_error_naming_it(scratch_site, data, message):
    errors = _site(scratch_site, data).errors()
    assert errors.startswith(f"templates/static/icon.jpg: {message}")
    assert errors.endswith("hint: use a square PNG or JPEG of at least 512 x 512 pixels")


def test_a_huge_picture_is_refused_before_it_is_decoded(scratch_site):
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, format="PNG")  # 48 million pixels, a small file
    errors = _site(scratch_site, buffer.getvalue()).errors()
    assert errors.startswith("templates/static/icon.jpg: the icon's picture is 8000 x 6000 pixels, too large")


def test_a_logo_or_icon_that_does_not_exist_is_named_at_its_line(scratch_site):
    scratch_site.write({"content/site.yaml": ICON_YAML})
    assert scratch_site.errors() == (
        "content/site.yaml:5: logo names templates/static/logo.svg, which does not exist\n"
        "  hint: put the file in templates/static/, or correct its name\n"
        "content/site.yaml:6: icon names templates/static/icon.jpg, which does not exist\n"
        "  hint: put the file in templates/static/, or correct its name"
    )


def test_the_repository_s_artwork_is_a_placeholder_the_build_lists(capsys):
    from sitegen.cli import main
    from tests.conftest import ROOT

    capsys.readouterr()
    main(["--root", str(ROOT), "check"])
    err = capsys.readouterr().err
    assert "content/site.yaml:" in err and ": a placeholder picture, 'logo-placeholder.svg'" in err
    assert ": a placeholder picture, 'icon-placeholder.png'" in err
