#!/usr/bin/env bash
# Install the machine-level parts the tests need, from Debian's packages, when missing:
# PostgreSQL (server), Maven (fetches Elasticsearch's test distribution), the British English
# hunspell dictionary (Elasticsearch stemming). Java 21+ must already be under /usr/lib/jvm.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v mvn >/dev/null || missing+=(maven)
[ -f /usr/share/hunspell/en_GB.dic ] || missing+=(hunspell-en-gb)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  # Debian starts a cluster of its own on install; the tests run their own throwaway one.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
fi

java_ok=false
for release in /usr/lib/jvm/*/release; do
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null || true)
  if [ -n "$major" ] && [ "$major" -ge 21 ]; then java_ok=true; fi
done
if [ "$java_ok" != true ] && [ -z "${ES_JAVA_HOME:-}" ]; then
  echo "error: Elasticsearch 9 needs Java 21 or newer under /usr/lib/jvm (or set ES_JAVA_HOME)" >&2
  exit 1
fi
