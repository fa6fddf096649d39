#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what is missing, builds, runs every test.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
# All tests use Swift Testing; skipping the empty XCTest pass keeps its "Executed 0 tests" out of the log.
log="$(mktemp)"
swift test --skip-build --disable-xctest 2>&1 | tee "$log"
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
