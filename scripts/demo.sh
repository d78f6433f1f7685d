#!/usr/bin/env bash
# Set up Signpost on the embedded default (SQLite + embedded search), sync the demo
# borough feeds into one merged directory, and serve it on http://127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
export SIGNPOST_SOURCES=${SIGNPOST_SOURCES:-demo/sources.yaml}
.venv/bin/signpost db upgrade
.venv/bin/signpost sync
.venv/bin/signpost sources status
.venv/bin/signpost duplicates
exec .venv/bin/signpost serve
