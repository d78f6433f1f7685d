#!/usr/bin/env bash
# Set up Signpost on the embedded default (SQLite + embedded search), load the demo
# directory and serve it on http://127.0.0.1:${PORT:-8000}.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
.venv/bin/signpost db upgrade
exec .venv/bin/signpost serve
