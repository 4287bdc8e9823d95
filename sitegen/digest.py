"""A short, stable digest of texts and bytes: how the build tells that two inputs or outputs are equal."""

from __future__ import annotations

import hashlib


def digest(*parts: str | bytes) -> str:
    """Return a short, stable digest of *parts* (each part is kept apart from the next)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()
