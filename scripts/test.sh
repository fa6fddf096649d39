#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs every test.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# The module rules of README.md ("Where things live") against the resolved package graph.
python3 scripts/check-architecture.py
python3 scripts/check-numeric-conversions.py  # no Double → Int conversion that can trap (issue 20)
# One code style (.swift-format, the toolchain's swift-format): a file that is not formatted fails
# the run; `swift format format -i -r -p Sources Tests Package.swift Benchmarks/Kernels` fixes it.
if ! swift format lint --strict -r -p Sources Tests Package.swift Benchmarks/Kernels; then
  echo "error: the files above are not formatted as .swift-format says; run: swift format format -i -r -p Sources Tests Package.swift Benchmarks/Kernels" >&2
  exit 1
fi
# The command-line tests run the optimised `baton`, as users do (CLI.executable reads $BATON_BIN):
# the store walkthrough alone simulates and replays 103,000 events, 5 minutes in a release build
# and over 20 in a debug one on two cores. The library tests still run the debug build.
bash scripts/build-baton.sh
export BATON_BIN="$(swift build -c release --show-bin-path)/baton"
# The independent Python references (Tests/python-references.txt) in one venv, installed before
# the suite so that no test waits for pip under the suite's load (the watchdog below counts
# only the tests). Reused when already filled; PythonTooling reads $BATON_TEST_VENV.
export BATON_TEST_VENV="${BATON_TEST_VENV:-${TMPDIR:-/tmp}/baton-test-venv}"
[ -x "$BATON_TEST_VENV/bin/python" ] || python3 -m venv "$BATON_TEST_VENV"
start=$SECONDS
"$BATON_TEST_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r Tests/python-references.txt
echo "Python references ready in $BATON_TEST_VENV ($((SECONDS - start)) s)."
# The store suite runs against SQLite and a real PostgreSQL server started here (its own data
# folder, a free loopback port) and stopped on exit, whatever the tests do.
eval "$(bash scripts/postgres.sh start)"
# Every test's scratch files (the CLI tests alone leave ~100 folders, some of 330 MB) go to one
# folder of this run, removed on exit: a CI machine that runs the suite every day keeps its disk.
# (postgres.sh finds its server under the outer TMPDIR, so it is stopped with that one.)
outer_tmp="${TMPDIR:-/tmp}"
scratch="$(mktemp -d "$outer_tmp/baton-tests.XXXXXX")"
trap 'TMPDIR="$outer_tmp" bash scripts/postgres.sh stop; rm -rf "$scratch"' EXIT
export TMPDIR="$scratch"
export BATON_TEST_POSTGRES_URL
# All tests use Swift Testing; skipping the empty XCTest pass keeps its "Executed 0 tests" out of the log.
log="$(mktemp)"
# A watchdog: a test that hangs (a continuation never resumed) fails the run instead of using up
# CI's time. The suite takes a few minutes; 40 is far beyond any healthy run.
if ! timeout --kill-after=30s 40m swift test --skip-build --disable-xctest 2>&1 | tee "$log"; then
  status=${PIPESTATUS[0]}
  # The failures again, last: a CI page that shows only the log's end still names them.
  echo "--- what failed (repeated from above) ---"
  grep -E -A8 "recorded an issue|✘ Test .* failed|Fatal error|crashed|unexpected signal" "$log" | grep -v "^✔" | tail -120 || true
  if [[ $status -eq 124 || $status -eq 137 ]]; then echo "error: the test run was stopped after 40 minutes (a test hangs); see the last tests started above" >&2; fi
  exit "$status"
fi
# CI only builds the kernel micro-benchmarks (never runs them): the BATON_BENCHMARKS block of
# Package.swift adds ordo-one/benchmark and the BatonKernels target. Skip with BATON_SKIP_BENCH_BUILD=1.
if [[ -z "${BATON_SKIP_BENCH_BUILD:-}" ]]; then
  start=$SECONDS
  if ! BATON_BENCHMARKS=1 swift build --product BatonKernels > "$log.bench" 2>&1; then
    tail -40 "$log.bench"
    echo "error: the kernel micro-benchmarks (BATON_BENCHMARKS=1 swift build --product BatonKernels) do not build"
    exit 1
  fi
  echo "Kernel micro-benchmarks built in $((SECONDS - start)) s (not run)."
fi
# The test run's closing line again, last, for readers of the log's end.
grep -E "Test run with [0-9]+ tests" "$log" | tail -1
