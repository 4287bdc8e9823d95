"""Pictures of content/media/: Pillow's variants read back (sizes, formats, no metadata), the HTML
that shows them, the mistakes an editor can make with them, and the cache that keeps them."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from sitegen import images
from sitegen.engine.run import build_and_write
from sitegen.engine.store import BuildCache
from sitegen.errors import BuildError
from tests.conftest import BASE_FILES

MESO_EN = "content/treatments/mesotherapy.en.md"
PAGE = "en/treatments/mesotherapy/index.html"


def _photo(width: int, height: int, orientation: int = 1, fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    """A phone photo: EXIF with the camera, its serial, a GPS position and an orientation; XMP; a comment."""
    picture = Image.new(mode, (width, height), (29, 107, 106, 128)[: len(mode)])
    for x in range(0, width, 50):  # something to resize: stripes
        picture.paste((200, 120, 90, 255)[: len(mode)], (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15 Pro"  # Model
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (41.0, 3.0, 36.0), 3: "E", 4: (28.0, 59.0, 24.0)})  # GPS
    buffer = io.BytesIO()
    options: dict[str, object] = {"exif": exif}
    if fmt == "JPEG":
        options.update(quality=90, comment=b"taken at the clinic by SERIAL-123456")
        options["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SERIAL-123456</x:xmpmeta>'
    picture.save(buffer, format=fmt, **options)
    data = buffer.getvalue()
    assert b"SERIAL-123456" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def _with_picture(
    scratch_site, data: bytes, body: str = "![Stripes in the clinic's colours](/media/photo.jpg)"
):
    text = BASE_FILES[MESO_EN].replace("Text.\n", "") + f"\n{body}\n"
    scratch_site.write({MESO_EN: text, "content/media/photo.jpg": data})
    return scratch_site


def _variants(outputs: dict[str, bytes], stem: str = "photo") -> dict[str, Image.Image]:
    found = {}
    for path, data in outputs.items():
        match = re.fullmatch(rf"media/{stem}-(\d+)\.[0-9a-f]{{10}}\.(webp|jpg|png)", path)
        if match:
            found[f"{match[1]}.{match[2]}"] = Image.open(io.BytesIO(data))
    return found


def test_a_phone_photo_is_published_upright_in_three_widths_with_no_metadata(scratch_site):
    data = _photo(3000, 2000, orientation=6)  # held upright: the pixels are on their side
    outputs = _with_picture(scratch_site, data).build().outputs
    variants = _variants(outputs)
    assert {name: (v.format, v.size) for name, v in variants.items()} == {
        "480.webp": ("WEBP", (480, 720)),
        "960.webp": ("WEBP", (960, 1440)),
        "1440.webp": ("WEBP", (1440, 2160)),
        "960.jpg": ("JPEG", (960, 1440)),
    }
    for name, variant in variants.items():
        assert dict(variant.getexif()) == {}, name
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment"} & set(variant.info), name
        raw = outputs[next(p for p in outputs if p.startswith("media/photo-" + name.split(".")[0] + "."))]
        for secret in (b"SERIAL-123456", b"PhoneMaker", b"Phone 15 Pro"):
            assert secret not in raw, name
    jpeg = variants["960.jpg"]
    assert "progressive" in jpeg.info and not getattr(jpeg, "applist", [])[1:]  # no APP1 (EXIF, XMP) segment


def test_the_picture_element_gives_every_width_its_size_and_loads_lazily_in_the_text(scratch_site):
    html = _with_picture(scratch_site, _photo(2000, 1000)).html(PAGE)
    picture = re.search(r"<picture>.*?</picture>", html)
    assert picture
    names = re.findall(r"/media/photo-(\d+)\.([0-9a-f]{10})\.(webp|jpg)", picture[0])
    key = names[0][1]
    assert {n[1] for n in names} == {key}
    assert picture[0] == (
        '<picture><source sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)" srcset="'
        f"/media/photo-480.{key}.webp 480w, /media/photo-960.{key}.webp 960w, /media/photo-1440.{key}.webp"
        ' 1440w" type="image/webp"><img alt="Stripes in the clinic\'s colours" decoding="async" height="720"'
        f' loading="lazy" src="/media/photo-960.{key}.jpg" width="1440"></picture>'
    )
    assert "<p><picture>" in html  # in its paragraph, as Markdown put the image


def test_a_small_picture_is_not_enlarged(scratch_site):
    outputs = _with_picture(scratch_site, _photo(400, 300)).build().outputs
    assert {name: v.size for name, v in _variants(outputs).items()} == {"400.webp": (400, 300),
                                                                         "400.jpg": (400, 300)}  # fmt: skip


def test_a_picture_with_transparency_keeps_it_in_a_png_fallback(scratch_site):
    data = _photo(1200, 600, fmt="PNG", mode="RGBA")
    outputs = _with_picture(scratch_site, data).build().outputs
    variants = _variants(outputs)
    assert sorted(variants) == ["1200.webp", "480.webp", "960.png", "960.webp"]
    assert variants["960.png"].mode == "RGBA" and variants["960.webp"].mode == "RGBA"
    assert variants["960.png"].getpixel((20, 5))[3] == 128  # see-through as it was


def test_the_main_picture_is_fetched_first_and_gives_the_share_card(scratch_site):
    _with_picture(scratch_site, _photo(1600, 1000), body="Text.")
    text = (scratch_site.root / MESO_EN).read_text(encoding="utf-8")
    scratch_site.write({MESO_EN: text.replace("description: Meso.\n", "description: Meso.\nimage: /media/photo.jpg\n"
                                              "image_alt: Stripes in teal and rust\n")})  # fmt: skip
    html = scratch_site.html(PAGE)
    hero = re.search(r'<figure class="hero"><picture>.*?<img ([^>]*)></picture></figure>', html)
    assert hero and 'fetchpriority="high"' in hero[1] and "loading=" not in hero[1]
    assert 'alt="Stripes in teal and rust"' in hero[1]
    jpg = re.search(r"/media/photo-960\.[0-9a-f]{10}\.jpg", html)
    assert jpg
    assert f'<meta property="og:image" content="https://klinik.test{jpg[0]}">' in html
    assert '<meta property="og:image:width" content="960">' in html
    assert '<meta property="og:image:height" content="600">' in html
    assert '<meta property="og:image:alt" content="Stripes in teal and rust">' in html
    listing = scratch_site.html("en/treatments/index.html")  # the card: the same picture, lazily
    card = re.search(r'<li class="card">\s*<picture>.*?<img ([^>]*)>', listing)
    assert card and 'alt=""' in card[1] and 'loading="lazy"' in card[1]


def test_an_oversized_upload_is_resized_and_noted(scratch_site):
    noisy = Image.effect_noise((6000, 4000), 90).convert("RGB")  # a 24 MP photo that compresses badly
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=95)
    result = _with_picture(scratch_site, buffer.getvalue()).build()
    megabytes = len(buffer.getvalue()) / 1024 / 1024
    notes = [str(p) for p in result.problems if p.path == "content/media/photo.jpg"]
    assert notes == [
        f"content/media/photo.jpg: note: the picture is 6000 x 4000 pixels and {megabytes:.1f} MB: it is"
        " published at most 1440 pixels wide\n  hint: a copy about 2880 pixels wide would keep the repository"
        " small"
    ]
    assert max(v.size for v in _variants(result.outputs).values()) == (1440, 960)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xff\xd8\xff\xe0 not really a photo",
            "the picture cannot be read, the file may be damaged (Truncated",
        ),
        (b"just some text, saved as .jpg", "the file is not a picture that can be read (JPEG, PNG or WebP)"),
        (
            _photo(800, 600)[:1500],
            "the picture cannot be read, the file may be damaged (image file is truncated",
        ),
        (None, "BMP pictures cannot be shown on every visitor's browser"),
        (b"GIF89a" + b"\x00" * 40, "the file is not a picture that can be read (JPEG, PNG or WebP)"),
    ],
)
def test_a_picture_that_cannot_be_shown_is_an_error_at_its_file(scratch_site, data, message):
    if data is None:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30)).save(buffer, format="BMP")
        data = buffer.getvalue()
    errors = _with_picture(scratch_site, data).errors()
    assert errors.startswith(f"content/media/photo.jpg: {message}")
    assert "  hint: " in errors
    # The page that shows it is not blamed a second time for the same mistake.
    assert "mesotherapy.en.md" not in errors


def test_a_decompression_bomb_is_refused_before_it_is_decoded(scratch_site):
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, format="PNG")  # 60 MP in a few kilobytes
    errors = _with_picture(scratch_site, buffer.getvalue()).errors()
    assert errors.startswith("content/media/photo.jpg: the picture is 10000 x 6000 pixels, too large to read"
                             " safely\n  hint: make it smaller than 8000 x 6000 pixels, then add it again")  # fmt: skip


def _line_of(scratch_site, text: str) -> int:
    lines = (scratch_site.root / MESO_EN).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        ("![A photo](/media/phot.jpg)", "there is no picture content/media/phot.jpg", "did you mean /media/photo.jpg?"),
        ("![A photo](/media/team/ayse.jpg)", "there is no picture content/media/team/ayse.jpg",
         "the pictures in content/media/ are: /media/photo.jpg"),
        ("![](/media/photo.jpg)", "the image '/media/photo.jpg' has no alternative text",
         "describe the image between the brackets: ![what it shows](/media/photo.jpg)"),
        ("![A photo](photo.jpg)", "the image 'photo.jpg' is not named as a picture of content/media/",
         "put the picture in content/media/ and write ![what it shows](/media/photo.jpg)"),
        ("![A photo](/static/style.css)", "the image '/static/style.css' is not named as a picture of content/media/",
         "put the picture in content/media/ and write ![what it shows](/media/style.css)"),
    ],
)  # fmt: skip
def test_a_mistake_in_a_picture_of_the_text_names_its_line(scratch_site, body, message, hint):
    _with_picture(scratch_site, _photo(600, 400), body=f"Some text.\n\n{body}")
    line = _line_of(scratch_site, body)
    assert f"{MESO_EN}:{line}: {message}\n  hint: {hint}" in scratch_site.errors()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ("image: /media/missing.jpg\nimage_alt: A photo\n", "image:", "there is no picture content/media/missing.jpg"),
        ("image: /media/photo.jpg\n", "image:", "'image' has no 'image_alt': a description of the picture for"
         " visitors who cannot see it"),
        ("image_alt: A photo\n", "image_alt:", "'image_alt' describes an image, but the page names no 'image'"),
        ("image: photo.jpg\nimage_alt: A photo\n", "image:", "'image' must name an image in content/media/, found"
         " 'photo.jpg'"),
        ("image: /media/../site.yaml\nimage_alt: A photo\n", "image:", "'image' must name an image in"
         " content/media/, found '/media/../site.yaml'"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_page_picture_names_its_line(scratch_site, fields, field, message):
    _with_picture(scratch_site, _photo(600, 400), body="Text.")
    text = (scratch_site.root / MESO_EN).read_text(encoding="utf-8")
    scratch_site.write({MESO_EN: text.replace("description: Meso.\n", "description: Meso.\n" + fields)})
    assert f"{MESO_EN}:{_line_of(scratch_site, field)}: {message}" in scratch_site.errors()


def test_unchanged_pictures_are_not_made_again_and_a_changed_one_is(scratch_site, monkeypatch):
    _with_picture(scratch_site, _photo(1600, 1000))
    made: list[str] = []
    real = images.process

    def counted(name: str, shown: str, data: bytes) -> images.Processed:
        made.append(name)
        return real(name, shown, data)

    monkeypatch.setattr(images, "process", counted)
    project = scratch_site.project
    first, _ = build_and_write(project)
    assert made == ["/media/photo.jpg"]
    again, _ = build_and_write(project, use_cache=True)  # a new process would read .cache/ the same way
    assert made == ["/media/photo.jpg"]
    assert again.outputs == first.outputs
    assert (project.root / ".cache/blobs").is_dir()
    scratch_site.write({"content/media/photo.jpg": _photo(1600, 900)})
    changed, _ = build_and_write(project)
    assert made == ["/media/photo.jpg", "/media/photo.jpg"]
    assert _variants(changed.outputs)["1440.webp"].size == (1440, 810)
    assert set(_variants(changed.outputs)) == set(_variants(first.outputs))
    assert not set(p for p in changed.outputs if p.startswith("media/")) & set(
        p for p in first.outputs if p.startswith("media/")
    )  # new names: a browser that kept the old photo for a year fetches the new one
    # Only the blob of the photo now in use is kept in .cache/.
    BuildCache.for_project(project.root)
    assert len(list((project.root / ".cache/blobs").glob("*.pickle"))) == 1


def test_a_build_without_the_cache_makes_the_same_files(scratch_site):
    _with_picture(scratch_site, _photo(1600, 1000))
    cold = scratch_site.build().outputs
    cached, _ = build_and_write(scratch_site.project)
    assert {p: d for p, d in cached.outputs.items() if p.startswith("media/")} == {
        p: d for p, d in cold.items() if p.startswith("media/")
    }


def test_a_missing_picture_stops_the_build_and_leaves_site_as_it_was(scratch_site):
    _with_picture(scratch_site, _photo(600, 400))
    build_and_write(scratch_site.project)
    before = {p: p.read_bytes() for p in (scratch_site.root / "site").rglob("*") if p.is_file()}
    scratch_site.remove("content/media/photo.jpg")
    with pytest.raises(BuildError):
        build_and_write(scratch_site.project)
    after = {p: p.read_bytes() for p in (scratch_site.root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_pictures_made_by_the_workers_are_those_of_a_plain_build(scratch_site):
    from sitegen.options import BuildOptions

    _with_picture(scratch_site, _photo(1600, 1000))
    scratch_site.write({f"content/media/more-{n}.jpg": _photo(800 + 100 * n, 600) for n in range(3)})
    parallel, _ = build_and_write(scratch_site.project, BuildOptions(jobs=2))
    plain = scratch_site.build().outputs
    media = {p: d for p, d in plain.items() if p.startswith("media/")}
    assert len(media) == 14 and {p: d for p, d in parallel.outputs.items() if p.startswith("media/")} == media
