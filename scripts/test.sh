#!/usr/bin/env bash
# Set up (Python environment, and Chromium for the browser test), then run the whole test suite.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# The browser test drives Debian's Chromium through its chromedriver (no browser download).
bash scripts/install-browser.sh
# shellcheck disable=SC1091
. .venv/bin/activate
exec python -m pytest -q "$@"
