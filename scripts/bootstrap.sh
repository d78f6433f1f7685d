#!/usr/bin/env bash
# Create the virtual environment in .venv and install Signpost into it (again only when
# pyproject.toml changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.signpost-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)-${1:-runtime}
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "${1:-runtime}" = dev ]; then
    .venv/bin/python -m pip install -q -e '.[dev]'
  else
    .venv/bin/python -m pip install -q -e .
  fi
  echo "$wanted" > "$stamp"
fi
