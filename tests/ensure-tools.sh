#!/bin/sh
# The browser, HTML-validity and accessibility tests need Debian's chromium,
# Java (for the Nu HTML Checker) and axe-core from npm; the web editor's tests
# need Decap CMS and decap-server from npm (cms/). Install what is missing
# when we can (root with apt-get, as in CI); otherwise say how, and those tests
# are skipped.
cd "$(dirname "$0")" || exit 1
missing=""
if [ -z "${SITEGEN_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v google-chrome >/dev/null 2>&1; then
    missing="$missing chromium"
fi
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing for the tests (once):$missing"
        apt-get update -qq || exit 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
    else
        echo "Not installed:$missing -- the tests that need them will be skipped."
        echo "Install them with: sudo apt-get install$missing"
    fi
fi
if command -v npm >/dev/null 2>&1 && [ ! -f axe/node_modules/axe-core/axe.min.js ]; then
    (cd axe && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi
# The web editor, as its lock pins it; again whenever the lock has changed since.
if command -v npm >/dev/null 2>&1 && ! cmp -s ../cms/package-lock.json ../cms/node_modules/.installed-lock; then
    (cd ../cms && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock) \
        || exit 1
fi
exit 0
