#!/usr/bin/env bash
# Create .venv and install the pinned dependencies and this project (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
.venv/bin/python -m pip install --quiet --no-deps -e .
# Debian's Chromium renders chart images (kaleido) and runs the browser tests; as root on
# Debian it is installed here, elsewhere those tests skip and say why.
if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null
  else
    echo "note: no chromium found: install Debian's chromium for chart images and browser tests" >&2
  fi
fi
