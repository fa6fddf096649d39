#!/usr/bin/env bash
# Loopback load test of `baton serve` (bounded in count and time).
#
#   Benchmarks/load/run.sh [--leads 300] [--max-events 3000] [--max-seconds 60] [--concurrency 4] [--batch 1]
#
# Fits a weight file on Datasets/leads_train.csv, generates an event log for --leads leads
# (`baton generate --events`), starts `baton serve` on a free loopback port with a fresh SQLite
# store (synchronous=FULL: every acknowledged event is fsynced) and Datasets/playbook.yaml,
# streams the log with load.py, prints its report (last line JSON), and stops the server.
# BATON_BIN picks the binary (default .build/debug/baton; a release build is much faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
LEADS=300; MAX_EVENTS=3000; MAX_SECONDS=60; CONCURRENCY=4; BATCH=1
while [ $# -gt 0 ]; do
  case "$1" in
    --leads) LEADS=$2; shift 2;; --max-events) MAX_EVENTS=$2; shift 2;; --max-seconds) MAX_SECONDS=$2; shift 2;;
    --concurrency) CONCURRENCY=$2; shift 2;; --batch) BATCH=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 64;;
  esac
done
BATON=${BATON_BIN:-.build/debug/baton}
[ -x "$BATON" ] || { echo "no baton binary at $BATON; run swift build first" >&2; exit 64; }
WORK=$(mktemp -d)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BATON" fit --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml --out "$WORK/model.json" > /dev/null
"$BATON" generate --rows "$LEADS" --seed 7 --events "$WORK/events.jsonl" > /dev/null
echo '{"known_fields": [], "tick_interval_seconds": 1}' > "$WORK/serve.json"
"$BATON" serve --db "$WORK/load.sqlite" --playbook Datasets/playbook.yaml --model "$WORK/model.json" \
  --config "$WORK/serve.json" --port 0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.1
done
PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.out")
TOKEN=$(sed -n 's/^admin token.*: \(bt_[0-9a-f]*\)$/\1/p' "$WORK/serve.out")
[ -n "$PORT" ] && [ -n "$TOKEN" ] || { echo "server did not start" >&2; cat "$WORK/serve.out" "$WORK/serve.err" >&2; exit 1; }
python3 Benchmarks/load/load.py --port "$PORT" --token "$TOKEN" --events "$WORK/events.jsonl" \
  --concurrency "$CONCURRENCY" --batch "$BATCH" --max-events "$MAX_EVENTS" --max-seconds "$MAX_SECONDS"
