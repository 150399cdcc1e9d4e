#!/usr/bin/env bash
# Install Tesseract with Swedish (Debian's tesseract-ocr and tesseract-ocr-swe), which
# reads PDF pages that have no usable text layer (scanned pages, garbled text layers).
# The tests of tests/formats/ need it; a build without it still reads every text layer
# and warns about the pages it could not OCR.  Idempotent; nothing is downloaded
# outside apt.
set -euo pipefail
# shellcheck source=scripts/apt-install.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"

have() { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe; }

if have; then
    echo "install-ocr: $(tesseract --version 2>/dev/null | head -1) with Swedish is installed"
    exit 0
fi
apt_install install-ocr tesseract-ocr tesseract-ocr-swe
have || apt_fail install-ocr "apt-get finished but tesseract with Swedish is still missing"
echo "install-ocr: $(tesseract --version 2>/dev/null | head -1) with Swedish"
