#!/usr/bin/env bash
# Install the headless browser used by tests/server/test_browser.py: Debian's chromium and
# chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver).  Idempotent: when both
# are there it only says so.  Nothing is downloaded outside apt.
set -euo pipefail
# shellcheck source=scripts/apt-install.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

have() { [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ]; }

if have; then
    echo "install-browser: $CHROMIUM and $CHROMEDRIVER are installed"
    exit 0
fi
apt_install install-browser chromium chromium-driver
have || apt_fail install-browser "apt-get finished but $CHROMIUM or $CHROMEDRIVER is still missing"
echo "install-browser: $("$CHROMIUM" --version 2>/dev/null) / $("$CHROMEDRIVER" --version 2>/dev/null)"
