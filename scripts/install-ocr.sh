#!/usr/bin/env bash
# Install Tesseract with Swedish (Debian's tesseract-ocr and tesseract-ocr-swe), which
# reads PDF pages that have no usable text layer (scanned pages, garbled text layers).
# The tests of tests/formats/ need it; a build without it still reads every text layer
# and warns about the pages it could not OCR.  Idempotent; nothing is downloaded
# outside apt.
set -euo pipefail

have() { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe; }

if have; then
    echo "install-ocr: $(tesseract --version 2>/dev/null | head -1) with Swedish is installed"
    exit 0
fi

fail() {
    echo "error: $*" >&2
    echo "error: install the Debian packages tesseract-ocr and tesseract-ocr-swe" >&2
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
install() { "${SUDO[@]}" apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-swe; }

echo "install-ocr: installing tesseract-ocr and tesseract-ocr-swe with apt-get"
if ! install; then
    echo "install-ocr: install failed; running apt-get update and trying again"
    "${SUDO[@]}" apt-get update || fail "apt-get update failed"
    install || fail "apt-get install tesseract-ocr tesseract-ocr-swe failed"
fi

have || fail "apt-get finished but tesseract with Swedish is still missing"
echo "install-ocr: $(tesseract --version 2>/dev/null | head -1) with Swedish"
