#!/usr/bin/env bash
# Streaming vs in-memory `baton fit` on a generated file (release build). Prints one line per
# run: path, wall seconds, peak RSS and the --timings stages. Usage:
#   bash scripts/build-baton.sh && Benchmarks/streaming.sh [ROWS] [BLOCK_ROWS]
#   Benchmarks/streaming.sh --smoke   # the test suite's run: 1,000 rows in blocks of 256, the debug
#                                     # build (BATON_BIN), a temp folder; checks the two fits agree
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--smoke" ]; then
    rows=1000; block=256
    bin=${BATON_BIN:-.build/debug/baton}
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    smoke=1
else
    rows=${1:-1000000}
    block=${2:-8192}
    bin=${BATON_BIN:-.build/release/baton}
    dir=${TMPDIR:-/tmp}/baton-streaming-bench
    smoke=""
fi
[ -x "$bin" ] || { echo "no baton binary at $bin; run swift build first" >&2; exit 64; }
mkdir -p "$dir"
data="$dir/leads_$rows.csv"
[ -f "$data" ] || "$bin" generate --rows "$rows" --seed 1 --out "$data" > /dev/null
echo "uptime: $(uptime)"
echo "file: $data, $(stat -c %s "$data") bytes, $rows rows"
run() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$bin" fit --data "$data" --spec Datasets/leads.spec.yaml --out "$dir/$label.json" --json --timings "$@" \
        > "$dir/$label.out" 2> "$dir/$label.err"
    end=$(date +%s.%N)
    printf '%s wall_s=%.2f %s\n' "$label" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$(tail -1 "$dir/$label.err")"
}
run in_memory --memory-budget 64GiB
run streaming --stream --block-rows "$block"
python3 - "$dir" "$smoke" <<'PY'
import json, sys
d, smoke = sys.argv[1], sys.argv[2]
a = json.load(open(f"{d}/in_memory.out")); b = json.load(open(f"{d}/streaming.out"))
ea = [t["estimate"] for t in a["terms"]]; eb = [t["estimate"] for t in b["terms"]]
sa = [t["std_error"] for t in a["terms"]]; sb = [t["std_error"] for t in b["terms"]]
print("max |Δβ|/max(1,|β|) =", max(abs(x - y) / max(1, abs(x)) for x, y in zip(ea, eb)),
      " max |ΔSE|/SE =", max(abs(x - y) / x for x, y in zip(sa, sb)),
      " |Δℓ|/|ℓ| =", abs(a["log_likelihood"] - b["log_likelihood"]) / abs(a["log_likelihood"]),
      " iterations", a["iterations"], b["iterations"])
# The smoke run checks what the comparison rests on: both paths fit the same model.
if smoke:
    worst = max(abs(x - y) / max(1, abs(x)) for x, y in zip(ea, eb))
    if len(ea) != len(eb) or worst > 1e-6:
        sys.exit(f"streaming smoke run: the streamed fit differs from the in-memory one (max scaled difference {worst:.2e} > 1e-6)")
PY
