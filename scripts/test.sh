#!/usr/bin/env bash
# Set up and run the whole test suite against real services: installs what is missing,
# then pytest starts Elasticsearch and PostgreSQL on loopback and stops them at the end.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/api -x).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
scripts/bootstrap.sh dev
exec .venv/bin/python -m pytest "$@"
