"""The browser's icons, made with Pillow from one square picture: favicon.ico, the Apple touch
icon, and the web manifest with its two icons.

The picture is named by ``icon:`` in content/site.yaml (a file of templates/static/); the
SVG logo (``logo:``) serves as the SVG favicon. Every output is drawn anew from the pixels, so no
metadata of the source (EXIF, GPS position, camera serial, embedded thumbnails) is published.
"""

from __future__ import annotations

import io
import json
import warnings

from PIL import Image, UnidentifiedImageError

from .config import SiteConfig
from .errors import Problem

ICO_SIZES = (16, 32, 48)
TOUCH_SIZE = 180
MANIFEST_SIZES = (192, 512)
MIN_SIZE = 512  # the manifest's largest icon
MAX_PIXELS = 40_000_000  # a bigger picture is refused before it is decoded (a "decompression bomb")
THEME_COLOUR = "#1d6b6a"  # the stylesheet's accent
MANIFEST = "site.webmanifest"


def icon_files(config: SiteConfig, source: bytes, shown: str) -> tuple[dict[str, bytes], list[Problem]]:
    """Return the icons' files (path in site/ -> bytes) made from *source*, or the problem with it."""
    hint = f"use a square PNG or JPEG of at least {MIN_SIZE} x {MIN_SIZE} pixels"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(source))
            width, height = picture.size
            if width * height > MAX_PIXELS:
                return {}, [Problem(shown, None, f"the icon's picture is {width} x {height} pixels, too large"
                                    " to read safely", hint)]  # fmt: skip
            if picture.format not in ("PNG", "JPEG"):
                return {}, [Problem(shown, None, f"the icon's picture is a {picture.format} file", hint)]
            picture.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as e:
        return {}, [Problem(shown, None, f"the icon's picture cannot be read as an image ({e})", hint)]
    if min(width, height) < MIN_SIZE:
        return {}, [Problem(shown, None, f"the icon's picture is {width} x {height} pixels, smaller than"
                            f" {MIN_SIZE} x {MIN_SIZE}", hint)]  # fmt: skip
    square = _square(picture.convert("RGBA"))
    files = {
        "favicon.ico": _encode(square, "ICO", sizes=[(size, size) for size in ICO_SIZES]),
        "apple-touch-icon.png": _encode(_opaque(_resized(square, TOUCH_SIZE)), "PNG"),
        **{f"icon-{size}.png": _encode(_resized(square, size), "PNG")
           for size in MANIFEST_SIZES},
    }  # fmt: skip
    files[MANIFEST] = manifest(config)
    return files, []


def manifest(config: SiteConfig) -> bytes:
    """Return the web manifest: the clinic's name, the icons, the site's start."""
    data = {
        "name": config.clinic.name,
        "short_name": config.clinic.name,
        "lang": config.languages[0].code,
        "start_url": "/",
        "display": "browser",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [{"src": f"/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
                  for size in MANIFEST_SIZES],
    }  # fmt: skip
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _square(picture: Image.Image) -> Image.Image:
    """Centre *picture* on a transparent square as wide as its longer side."""
    side = max(picture.size)
    if picture.size == (side, side):
        return picture
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(picture, ((side - picture.width) // 2, (side - picture.height) // 2))
    return canvas


def _resized(picture: Image.Image, side: int) -> Image.Image:
    return picture.resize((side, side), Image.Resampling.LANCZOS)


def _opaque(picture: Image.Image) -> Image.Image:
    """iOS shows transparency as black: put the touch icon on white."""
    canvas = Image.new("RGB", picture.size, (255, 255, 255))
    canvas.paste(picture, mask=picture.getchannel("A"))
    return canvas


def _encode(picture: Image.Image, kind: str, **options: object) -> bytes:
    """Return *picture* written as *kind*, from its pixels alone: no metadata is carried over."""
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    buffer = io.BytesIO()
    clean.save(buffer, format=kind, optimize=kind == "PNG", **options)
    return buffer.getvalue()
