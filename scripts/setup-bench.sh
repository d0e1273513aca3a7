#!/usr/bin/env bash
# Create .venv-tls: the Timeline17 benchmark's scorer (tilse and its ROUGE-1.5.5), kept apart from
# .venv because tilse brings its own spaCy.  Needs perl (ROUGE-1.5.5 is a perl script).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv-tls/bin/python ]; then
  "$PYTHON" -m venv .venv-tls
fi
.venv-tls/bin/python -m pip install --quiet --upgrade pip
.venv-tls/bin/python -m pip install --quiet -r benchmarks/requirements-tls.txt
