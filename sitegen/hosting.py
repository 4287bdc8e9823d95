"""What static hosts read besides the pages: _headers, _redirects and the root 404 page.

Netlify and Cloudflare Pages read _headers and _redirects from the published
folder; GitHub Pages ignores them and serves /404.html for every missing page,
so the pages carry the security policy themselves as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .assets import PREFIX
from .images import OUTPUT_FOLDER as MEDIA_OUTPUT
from .model import Page, Site

# The pages run no script and load nothing from other hosts, so the policy can be this
# strict; JSON-LD blocks are data, which browsers never run. The one form, the search box,
# sends its query to the site's own search page. This is the one definition: every page
# carries it in a <meta> element, for hosts that send no headers (GitHub Pages), and
# _headers sends it.
POLICY = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self'",
    "manifest-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# What the search page adds, and only it: Pagefind's scripts, the web worker they start,
# the WebAssembly they compile ('wasm-unsafe-eval' allows WebAssembly only, not eval) and
# the index files they fetch, all from the site itself (sitegen/search.py).
SEARCH_POLICY = {
    "script-src": "'self' 'wasm-unsafe-eval'",
    "worker-src": "'self'",
    "connect-src": "'self'",
}
# Browsers ignore these in a <meta> policy (CSP Level 3, section 3.3): they work only as a header.
HEADER_ONLY = frozenset({"frame-ancestors", "report-uri", "sandbox"})


def content_security_policy(
    *,
    meta: bool = False,
    image_hosts: Sequence[str] = (),
    extra: Mapping[str, str] | None = None,
    search: bool = False,
) -> str:
    """Return the policy as a header value, or as a <meta> element's content if *meta*.

    *image_hosts* may serve images (site.yaml's image_hosts); *search* adds what the search
    page needs; *extra* adds directives (the preview allows its own live-reload script).
    """
    images = " ".join([POLICY["img-src"], *(f"https://{host}" for host in image_hosts)])
    directives = {**POLICY, "img-src": images, **(SEARCH_POLICY if search else {}), **(extra or {})}
    return "; ".join(
        f"{name} {value}" for name, value in directives.items() if not (meta and name in HEADER_ONLY)
    )


# The web editor's page (/admin/, sitegen/cms.py) runs Decap CMS, a single-page application: its own,
# looser policy, for that page only. Its bundle evaluates code it makes (hence 'unsafe-eval') and
# its widgets set styles inline; it talks to its backend (*connect*) and shows the pictures it is given.
ADMIN_POLICY = {
    "default-src": "'none'",
    "script-src": "'self' 'unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "base-uri": "'none'",
    "form-action": "'none'",
    "frame-ancestors": "'none'",
}


def admin_content_security_policy(
    connect: Sequence[str] = (), images: Sequence[str] = (), *, meta: bool = False
) -> str:
    """Return the web editor's policy (for a <meta> element if *meta*); *connect*: the origins of
    its backend, *images*: of the pictures it shows besides the site's own (the editor's avatar)."""
    directives = {**ADMIN_POLICY, "connect-src": " ".join([ADMIN_POLICY["connect-src"], *connect]),
                  "img-src": " ".join([ADMIN_POLICY["img-src"], *images])}  # fmt: skip
    return "; ".join(
        f"{name} {value}" for name, value in directives.items() if not (meta and name in HEADER_ONLY)
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"


def headers_file(image_hosts: Sequence[str] = ()) -> bytes:
    """Return _headers: security headers for every path, long caching for fingerprinted assets.

    The header's policy is the search page's, for every path: hosts differ in how they join two
    rules' policies for one path (Netlify keeps the last, Cloudflare sends both, and a browser
    then enforces both), so one rule holds it. A browser enforces the header and a page's own
    <meta> policy together, so every other page is still held to its strict one; what the
    header alone governs is Pagefind's web worker (its script has no <meta>).
    """
    policy = content_security_policy(image_hosts=image_hosts, search=True)
    lines = ["/*", f"  Content-Security-Policy: {policy}"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS.items()]
    for folder in (PREFIX, MEDIA_OUTPUT):  # the names of both carry their content's digest
        lines += [f"/{folder}*", f"  Cache-Control: {IMMUTABLE}"]
    return ("\n".join(lines) + "\n").encode()


def redirects_file(site: Site, moves: list[tuple[str, Page]]) -> bytes:
    """Return _redirects: renamed pages (301), then each language's own 404 page for its folder."""
    lines = [f"{old} {page.url} 301" for old, page in moves]
    for code in site.config.language_codes:
        not_found = site.not_found_page(code)
        if not_found:
            lines.append(f"/{code}/* {not_found.url} 404")
    return ("\n".join(lines) + "\n").encode()
