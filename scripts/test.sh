#!/usr/bin/env bash
# Set up (Python environment, Chromium for the browser test, Tesseract for OCR), then run the whole test suite.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
# The browser test drives Debian's Chromium through its chromedriver (no browser download).
bash scripts/install-browser.sh
# OCR of scanned and garbled PDF pages (tests/formats/) uses Debian's Tesseract with Swedish.
bash scripts/install-ocr.sh
# shellcheck disable=SC1091
. .venv/bin/activate
exec python -m pytest -q "$@"
