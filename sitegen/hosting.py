"""What static hosts read besides the pages: _headers, _redirects and the root 404 page.

Netlify and Cloudflare Pages read _headers and _redirects from the published
folder; GitHub Pages ignores them and serves /404.html for every missing page.
"""

from __future__ import annotations

from .assets import PREFIX
from .model import Page, Site

# The site runs no script and loads nothing from other hosts, so the policy can be
# this strict; JSON-LD blocks are data, which browsers never run.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"


def headers_file() -> bytes:
    """Return _headers: security headers for every path, long caching for fingerprinted assets."""
    lines = ["/*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    lines += [f"/{PREFIX}*", f"  Cache-Control: {IMMUTABLE}"]
    return ("\n".join(lines) + "\n").encode()


def redirects_file(site: Site, moves: list[tuple[str, Page]]) -> bytes:
    """Return _redirects: renamed pages (301), then each language's own 404 page for its folder."""
    lines = [f"{old} {page.url} 301" for old, page in moves]
    for code in site.config.language_codes:
        not_found = site.page("404", code)
        if not_found:
            lines.append(f"/{code}/* {not_found.url} 404")
    return ("\n".join(lines) + "\n").encode()
