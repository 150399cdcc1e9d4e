#!/usr/bin/env bash
# Set up .venv for beslutsgraf.  Idempotent: a second run only checks and returns.
#
# 1. .venv with Python 3.11 (PYTHON=... to choose the interpreter): the system's
#    /usr/bin/python3.11 where there is one, else the first python3.11 on the PATH.
#    Measured on Debian 12: its interpreter, linked statically, extracted 7–17 % more
#    text a second than a pyenv build of 3.11 that runs through libpython3.11.so
#    (benchmarks/bench_extract_speed.py): extraction is bound by the interpreter;
# 2. torch==2.13.0 first, pinned: the CPU build is on this machine's disk, and a plain
#    `torch` resolved by pip for sentence-transformers would pull the large CUDA build;
# 3. the project itself, editable, with the dev extras (pytest, ruff, httpx).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ -z "${PYTHON:-}" ]; then
    PYTHON=python3.11
    if [ -x /usr/bin/python3.11 ] && /usr/bin/python3.11 -c 'import ensurepip, venv' 2>/dev/null; then
        PYTHON=/usr/bin/python3.11
    fi
fi
if [ ! -x .venv/bin/python ]; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        echo "error: $PYTHON not found; install Python 3.11 or set PYTHON=/path/to/python3.11" >&2
        exit 1
    fi
    echo "setup: creating .venv with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
if ! python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "error: .venv has $(python --version 2>&1), beslutsgraf needs 3.11; remove .venv and run again" >&2
    exit 1
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! python -c 'import sys, torch; sys.exit(not torch.__version__.startswith("2.13.0"))' 2>/dev/null; then
    echo "setup: installing torch==2.13.0"
    python -m pip install --quiet 'torch==2.13.0'
fi

# Install the project only when pyproject.toml changed since the last install.
stamp=.venv/.beslutsgraf-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! python -c 'import beslutsgraf' 2>/dev/null; then
    echo "setup: installing beslutsgraf and its dependencies"
    python -m pip install --quiet -e '.[dev]'
    echo "$want" > "$stamp"
fi
