"""The pictures of content/media/: checked, resized and published as responsive variants, with Pillow.

Pages name a picture as /media/NAME, in their text (``![what it shows](/media/photo.jpg)``)
or in front matter (``image:``). Each picture is published in a few widths as WebP, with
a JPEG (or, for a picture with transparency, PNG) fallback, under names that carry the
digest of the source and of the settings: a browser may keep them for a year, and a new
photo under the same name gets new addresses. Every variant is drawn anew from the pixels
(turned upright first, as the phone's EXIF orientation says), so no metadata of the
source is published: no EXIF, GPS position, camera serial, XMP, comment or embedded
thumbnail. Only the colour profile is kept, so that colours look as they were taken.

`process` is a pure function of the file's bytes; the engine keeps its results between
builds (sitegen/engine), so unchanged pictures cost nothing to build again.
"""

from __future__ import annotations

import difflib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from markupsafe import Markup
from PIL import Image, ImageOps, UnidentifiedImageError

from .content import MEDIA_PREFIX
from .digest import digest
from .errors import NOTE, Problem
from .files import NOT_PROJECT_FILES, Reader, Unreadable

MEDIA_URL = "/media/"  # how pages name the files of content/media/; their variants are published there too
MEDIA_FOLDER = MEDIA_PREFIX.rstrip("/")  # in content/
OUTPUT_FOLDER = "media/"  # in site/

WIDTHS = (480, 960, 1440)  # a phone's column at 1x to a wide column at 2x
FALLBACK_WIDTH = 960  # the one size browsers without WebP get
WEBP_QUALITY, JPEG_QUALITY = 78, 82
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # what is read: what phones and editors make
MAX_BYTES = 30 * 1024 * 1024  # a bigger upload is refused: the repository would carry it for ever
MAX_PIXELS = 50_000_000  # refused before it is decoded (a "decompression bomb"); a 48 MP phone photo passes
LARGE_BYTES = 2 * 1024 * 1024  # a source above this, or wider than twice WIDTHS[-1], is noted
SETTINGS = digest(repr((WIDTHS, FALLBACK_WIDTH, WEBP_QUALITY, JPEG_QUALITY, 2)))  # 2: how variants are made

_HINT = "save the picture as JPEG, PNG or WebP (on an iPhone: Settings, Camera, Formats, Most Compatible)"


@dataclass(frozen=True)
class Variant:
    url: str  # site-relative: /media/photo-960.3f2a9c1b7d.webp
    width: int
    height: int
    type: str  # image/webp, image/jpeg, image/png


@dataclass(frozen=True)
class Picture:
    """One picture of content/media/ as pages show it: its variants, the largest first."""

    name: str  # /media/photo.jpg, as pages name it
    width: int  # of the largest variant, which the img element's width and height give
    height: int
    sources: tuple[Variant, ...]  # WebP, each width
    fallback: Variant  # JPEG or PNG

    def srcset(self) -> str:
        return ", ".join(f"{v.url} {v.width}w" for v in sorted(self.sources, key=lambda v: v.width))

    def largest(self) -> Variant:
        """The widest fallback-format file: what a share card or a search engine is given."""
        return self.fallback


@dataclass(frozen=True)
class Processed:
    """What one source file gave: its picture and variants' bytes (path in site/ -> bytes), or problems."""

    picture: Picture | None
    files: dict[str, bytes]
    problems: tuple[Problem, ...]


# Read the picture files (a Path each, with the name pages give it) and process them, in order.
ProcessAll = Callable[[Reader, list[tuple[Path, str]]], list[Processed]]


@dataclass(frozen=True)
class Media:
    """Every picture of content/media/ by the name pages give it, and what could not be read."""

    pictures: dict[str, Picture]
    broken: dict[str, str]  # name -> why it cannot be shown (reported at the file itself)

    def names(self) -> list[str]:
        return sorted([*self.pictures, *self.broken])


def load_media(reader: Reader, process_all: ProcessAll) -> tuple[Media, dict[str, bytes], list[Problem]]:
    """Read and process every picture of content/media/; return them, the variants' files, the problems."""
    folder = reader.project.content_dir / MEDIA_FOLDER
    pictures: dict[str, Picture] = {}
    broken: dict[str, str] = {}
    outputs: dict[str, bytes] = {}
    if not reader.exists(folder):
        return Media(pictures, broken), outputs, []
    listing = reader.list_files(folder, skip=NOT_PROJECT_FILES)
    problems = list(listing.problems)
    named = [(path, MEDIA_URL + path.relative_to(folder).as_posix()) for path in listing.files]
    for (_, name), done in zip(named, process_all(reader, named), strict=True):
        problems += done.problems
        if done.picture is None:
            broken[name] = next((p.message for p in done.problems if p.is_error), "it cannot be read")
        else:
            pictures[name] = done.picture
            outputs.update(done.files)
    return Media(pictures, broken), outputs, problems


def read_pictures(reader: Reader, named: list[tuple[Path, str]]) -> list[Processed]:
    """Read each picture file and process it; a file that cannot be read gives its problem."""
    done = []
    for path, name in named:
        try:
            data = reader.read_bytes(path, MAX_BYTES)
        except Unreadable as exc:
            done.append(Processed(None, {}, (exc.problem,)))
            continue
        done.append(process(name, reader.show(path), data))
    return done


def process(name: str, shown: str, data: bytes) -> Processed:
    """Check the picture *data* and make its variants; a problem names the file *shown*."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            if source.format not in FORMATS:
                what = f"{source.format} pictures cannot be shown on every visitor's browser"
                return _refused(shown, what, _HINT)
            width, height = source.size
            if width * height > MAX_PIXELS:
                what = f"the picture is {width} x {height} pixels, too large to read safely"
                return _refused(shown, what, "make it smaller than 8000 x 6000 pixels, then add it again")
            source.load()
    except UnidentifiedImageError:
        return _refused(shown, "the file is not a picture that can be read (JPEG, PNG or WebP)", _HINT)
    except (OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
        return _refused(shown, f"the picture cannot be read, the file may be damaged ({e})",
                        "export or download the picture again")  # fmt: skip
    icc = source.info.get("icc_profile")
    upright = ImageOps.exif_transpose(source)  # before the EXIF goes: a phone's portrait stays upright
    alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    pixels = upright.convert("RGBA" if alpha else "RGB")
    key = digest(SETTINGS, data)[:10]
    stem = PurePosixPath(name[len(MEDIA_URL) :])
    base = OUTPUT_FOLDER + str(stem.with_name(stem.stem))
    widths = [w for w in WIDTHS if w < pixels.width] + [min(pixels.width, WIDTHS[-1])]
    files: dict[str, bytes] = {}
    sources = []
    for w in sorted(set(widths), reverse=True):
        resized = _resized(pixels, w)
        path = f"{base}-{w}.{key}.webp"
        files[path] = _encode(resized, "WEBP", icc, quality=WEBP_QUALITY, method=4)
        sources.append(Variant("/" + path, resized.width, resized.height, "image/webp"))
    fallback = _resized(pixels, min(pixels.width, FALLBACK_WIDTH))
    kind, ext = ("PNG", "png") if alpha else ("JPEG", "jpg")
    path = f"{base}-{fallback.width}.{key}.{ext}"
    options: dict[str, object] = {"optimize": True}
    if not alpha:
        options = {"quality": JPEG_QUALITY, "progressive": True}
    files[path] = _encode(fallback, kind, icc, **options)
    variant = Variant("/" + path, fallback.width, fallback.height, f"image/{kind.lower()}")
    largest = sources[0]
    notes: tuple[Problem, ...] = ()
    if len(data) > LARGE_BYTES or pixels.width > 2 * WIDTHS[-1]:
        notes = (Problem(shown, None, f"the picture is {pixels.width} x {pixels.height} pixels and"
                         f" {len(data) / 1024 / 1024:.1f} MB: it is published at most {largest.width} pixels"
                         " wide", f"a copy about {2 * WIDTHS[-1]} pixels wide would keep the repository"
                         " small", severity=NOTE),)  # fmt: skip
    return Processed(Picture(name, largest.width, largest.height, tuple(sources), variant), files, notes)


def _refused(shown: str, what: str, hint: str) -> Processed:
    return Processed(None, {}, (Problem(shown, None, what, hint),))


def _resized(picture: Image.Image, width: int) -> Image.Image:
    if width >= picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    return picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(picture: Image.Image, kind: str, icc: bytes | None, **options: object) -> bytes:
    """Return *picture* written as *kind* from its pixels alone, with the colour profile and nothing else."""
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    buffer = io.BytesIO()
    if icc:
        options["icc_profile"] = icc
    clean.save(buffer, format=kind, **options)
    return buffer.getvalue()


def picture_attributes(
    picture: Picture, alt: str, sizes: str, main: bool = False
) -> tuple[dict[str, str], dict[str, str]]:
    """The attributes of the <source> and <img> of a <picture>: WebP in every width, the fallback,
    width and height so that nothing shifts while it loads. The page's *main* picture is fetched
    first; every other one only when it is about to be seen."""
    source = {"type": "image/webp", "srcset": picture.srcset(), "sizes": sizes}
    img = {"src": picture.fallback.url, "alt": alt}
    img.update(width=str(picture.width), height=str(picture.height))
    img.update({"fetchpriority": "high"} if main else {"loading": "lazy"})
    img["decoding"] = "async"
    return source, img


def picture_html(picture: Picture, alt: str, sizes: str, main: bool = False) -> Markup:
    """The <picture> element of *picture*, its text escaped."""
    source, img = picture_attributes(picture, alt, sizes, main)

    def attributes(values: dict[str, str]) -> Markup:
        return Markup(" ").join(Markup('{}="{}"').format(Markup(k), v) for k, v in values.items())

    return Markup("<picture><source {}><img {}></picture>").format(attributes(source), attributes(img))


def missing_problem(shown: str, line: int | None, name: str, media: Media) -> Problem:
    """The problem of a page naming a picture content/media/ does not have (or cannot show)."""
    if name in media.broken:
        what = f"the picture {name} cannot be shown: content{name} {media.broken[name]}"
        return Problem(shown, line, what, "see the problem reported at the picture's file")
    files = {known[len(MEDIA_URL) :]: known for known in media.names()}  # compared without /media/
    found = difflib.get_close_matches(name[len(MEDIA_URL) :], files, n=1, cutoff=0.6)
    close = [files[match] for match in found]
    known = ", ".join(media.names()[:8]) or "none yet"
    hint = f"did you mean {close[0]}?" if close else f"the pictures in content/media/ are: {known}"
    return Problem(shown, line, f"there is no picture content{name}", hint)
