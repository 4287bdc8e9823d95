"""Which link addresses a page may contain: the one place that decides it."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def unsafe_reason(address: str) -> str | None:
    """Return why *address* must not be a link (javascript:, data:, ...), or None if it is safe.

    Browsers decode entities and drop control characters before they read the
    scheme, so "jav&#x61;script:" and "java\\tscript:" are javascript: too.
    """
    decoded = _INVISIBLE.sub("", html.unescape(html.unescape(address)))
    try:
        parts = urlsplit(decoded)
        _ = parts.hostname, parts.port  # a host or port that cannot be read: [::1, [zz], :99999999
    except ValueError:
        return f"the address {address[:60]!r} cannot be read (its host or port is written wrongly)"
    scheme = parts.scheme.lower() if ":" in decoded else ""
    if scheme not in SAFE_SCHEMES:
        return f"the address {address[:60]!r} is not allowed"
    return None


HINT = "links may only be web addresses (https://...), mailto:, tel: or other pages"
