#!/usr/bin/env bash
# Installs what Baton needs on a Debian machine and is missing: the BLAS/LAPACK headers and
# libraries (apt), the PostgreSQL server the store tests start (apt, `postgresql`; only its
# binaries are used, by scripts/postgres.sh), and numpy (for the shared reference generator).
# Safe to run again: it installs nothing that is already there.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
# chromium: the hand-off service's dashboard test renders the page in headless Chromium.
# openssl: the HTTPS test makes its certificate with `openssl req`.
# time: /usr/bin/time measures peak memory in the benchmark harness, which the tests smoke-run.
for package in libopenblas-dev liblapacke-dev chromium openssl time; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Any installed major version will do; scripts/postgres.sh picks the newest under /usr/lib/postgresql.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import numpy' 2>/dev/null; then
  echo "setup: installing numpy (the shared synthetic reference generator needs it)" >&2
  python3 -m pip install -q numpy
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6.1 or newer (https://swift.org/install)" >&2; exit 1; }
