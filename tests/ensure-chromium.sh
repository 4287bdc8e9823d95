#!/bin/sh
# The browser tests drive Debian's chromium. Install it when we can (root with
# apt-get, as in CI); otherwise say how, and the browser tests are skipped.
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests (once) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    exit $?
fi
echo "Chromium is not installed: the browser tests will be skipped."
echo "Install it with: sudo apt-get install chromium"
