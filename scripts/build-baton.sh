#!/usr/bin/env bash
# Builds the optimised `baton` that scripts/lab.sh, scripts/test.sh and Benchmarks/run.sh run
# (.build/release/baton), with the Swift runtime and Foundation linked statically: every
# whole-process command then starts in 25 ms instead of 35 (no symbol lookups across 64 shared
# libraries; `perf stat -r 10 .build/release/baton --version`) and spends about 40 ms less CPU.
# Since outbound HTTP moved from URLSession to AsyncHTTPClient, FoundationNetworking (and with it
# libcurl and ~30 libraries it needs) is no longer linked: 19 libraries are loaded, and start-up
# fell from 18.9 to 10.8 ms (`perf stat -r 30 … --version`, 2026-12-07). Extra arguments go to
# `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product baton --static-swift-stdlib "$@"
