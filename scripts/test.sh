#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs every test.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# The store suite runs against SQLite and a real PostgreSQL server started here (its own data
# folder, a free loopback port) and stopped on exit, whatever the tests do.
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT
export BATON_TEST_POSTGRES_URL
# All tests use Swift Testing; skipping the empty XCTest pass keeps its "Executed 0 tests" out of the log.
swift test --skip-build --disable-xctest
