#!/usr/bin/env bash
# Install the headless browser used by tests/server/test_browser.py: Debian's chromium and
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).  Idempotent: when both
# are there it only says so.  Nothing is downloaded outside apt.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

have() { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; }

if have; then
    echo "install-browser: $CHROMIUM and $CHROMEDRIVER are installed"
    exit 0
fi

fail() {
    echo "error: $*" >&2
    echo "error: install the Debian packages chromium and chromium-driver (they provide $CHROMIUM and $CHROMEDRIVER)" >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; this script only knows Debian/Ubuntu"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    fail "not root and sudo is not available"
fi

export DEBIAN_FRONTEND=noninteractive
install() { "${SUDO[@]}" apt-get install -y --no-install-recommends chromium chromium-driver; }

echo "install-browser: installing chromium and chromium-driver with apt-get"
if ! install; then
    echo "install-browser: install failed; running apt-get update and trying again"
    "${SUDO[@]}" apt-get update || fail "apt-get update failed"
    install || fail "apt-get install chromium chromium-driver failed"
fi

have || fail "apt-get finished but $CHROMIUM or $CHROMEDRIVER is still missing"
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null) / $("$CHROMEDRIVER" --version 2>/dev/null)"
