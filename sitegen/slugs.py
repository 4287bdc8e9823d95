"""Slugs: the readable URL segments and heading anchors made from titles."""

from __future__ import annotations

import functools
import re
import unicodedata

# Turkish letters have no decomposition that keeps them readable once accents
# are dropped (NFKD turns "ı" into nothing), so they are mapped explicitly.
_TRANSLITERATION = str.maketrans(
    {
        "ç": "c", "Ç": "c", "ğ": "g", "Ğ": "g", "ı": "i", "İ": "i",
        "ö": "o", "Ö": "o", "ş": "s", "Ş": "s", "ü": "u", "Ü": "u",
        "â": "a", "Â": "a", "î": "i", "Î": "i", "û": "u", "Û": "u",
        "ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe",
    }
)  # fmt: skip

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


MAX_SLUG = 80  # characters: "sac-mezoterapisi" has 16


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, separator: str = "-") -> str:
    """Return an ASCII slug of *text*: "Saç Mezoterapisi" -> "sac-mezoterapisi"."""
    # Headings and titles are kept; a template may pass anything else, which fails as it would.
    if type(text) is str and type(separator) is str and len(text) <= _KEPT_LENGTH:
        return _known_slug(text, separator)
    return _slug(text, separator)


def _slug(text: str, separator: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_SLUG.sub(separator, text).strip(separator)


# Every page slugifies the same headings and section titles again.
_known_slug = functools.lru_cache(maxsize=4096)(_slug)
_KEPT_LENGTH = 200


def slug_problem(slug: str) -> str | None:
    """Return why *slug* cannot be a URL segment, or None if it can."""
    if not slug:
        return "the slug is empty"
    if len(slug) > MAX_SLUG:
        return (
            f"the slug is {len(slug)} characters long, more than {MAX_SLUG}: an address that long is"
            f" hard to read and share (try {slugify(slug)[:MAX_SLUG].rsplit('-', 1)[0]!r})"
        )
    if SLUG_PATTERN.match(slug):
        return None
    return (
        f"the slug {slug!r} may only contain lower-case letters a-z, digits and single hyphens"
        f" (try {slugify(slug)!r})"
    )
