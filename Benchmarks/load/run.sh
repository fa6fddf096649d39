#!/usr/bin/env bash
# Loopback load test of `baton serve` (bounded in count and time).
#
#   Benchmarks/load/run.sh [--leads 300] [--max-events 3000] [--max-seconds 60] [--concurrency 4] [--batch 1]
#                          [--db postgres://…] [--group-commit-max-events N] [--group-commit-window-ms MS]
#                          [--events FILE --model FILE]   # reuse a log and its model (generating one takes minutes)
#   Benchmarks/load/run.sh --smoke    # the test suite's run: 40 leads, ≤ 300 events, checks the report, times nothing
#
# Fits a weight file on Datasets/leads_train.csv, generates an event log for --leads leads
# (`baton generate --events` with that model and Datasets/playbook.yaml), starts `baton serve` on
# a free loopback port with a fresh store (an SQLite file, synchronous=FULL: every acknowledged
# event is fsynced; or, with --db, a PostgreSQL database that must be empty) and
# Datasets/playbook.yaml, streams the log with load.py, prints its report (last line JSON), and
# stops the server. BATON_BIN picks the binary (default .build/debug/baton; a release build is
# much faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
LEADS=300; MAX_EVENTS=3000; MAX_SECONDS=60; CONCURRENCY=4; BATCH=1; DB=""; SMOKE=""; EVENTS=""; MODEL=""
SERVE_EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --leads) LEADS=$2; shift 2;; --max-events) MAX_EVENTS=$2; shift 2;; --max-seconds) MAX_SECONDS=$2; shift 2;;
    --concurrency) CONCURRENCY=$2; shift 2;; --batch) BATCH=$2; shift 2;; --db) DB=$2; shift 2;;
    --events) EVENTS=$2; shift 2;; --model) MODEL=$2; shift 2;;
    --group-commit-max-events|--group-commit-window-ms) SERVE_EXTRA+=("$1" "$2"); shift 2;;
    --smoke) SMOKE=1; LEADS=40; MAX_EVENTS=300; MAX_SECONDS=120; CONCURRENCY=4; shift;;
    *) echo "unknown option $1" >&2; exit 64;;
  esac
done
BATON=${BATON_BIN:-.build/debug/baton}
[ -x "$BATON" ] || { echo "no baton binary at $BATON; run swift build first" >&2; exit 64; }
WORK=$(mktemp -d)
SERVER=""
cleanup() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

if [ -n "$EVENTS" ]; then
  [ -n "$MODEL" ] || { echo "--events needs the --model the log was generated with" >&2; exit 64; }
  cp "$EVENTS" "$WORK/events.jsonl"; cp "$MODEL" "$WORK/model.json"
else
  "$BATON" fit --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml --out "$WORK/model.json" > /dev/null
  "$BATON" generate --rows "$LEADS" --seed 7 --events "$WORK/events.jsonl" \
    --model "$WORK/model.json" --playbook Datasets/playbook.yaml > /dev/null
fi
echo '{"known_fields": [], "tick_interval_seconds": 1}' > "$WORK/serve.json"
"$BATON" serve --db "${DB:-$WORK/load.sqlite}" --playbook Datasets/playbook.yaml --model "$WORK/model.json" \
  --config "$WORK/serve.json" --port 0 ${SERVE_EXTRA[@]+"${SERVE_EXTRA[@]}"} > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER=$!
for _ in $(seq 1 600); do
  grep -q "listening on" "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.1
done
PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.out")
TOKEN=$(sed -n 's/^admin token.*: \(bt_[0-9a-f]*\)$/\1/p' "$WORK/serve.out")
[ -n "$PORT" ] && [ -n "$TOKEN" ] || { echo "server did not start (a --db that already holds tokens prints none)" >&2; cat "$WORK/serve.out" "$WORK/serve.err" >&2; exit 1; }
echo "load: $(uptime)" >&2
# The client's own ceiling on this machine (a trivial loopback server), so the figure below is
# known to be Baton's and not the client's.
python3 Benchmarks/load/load.py --self-check --events "$WORK/events.jsonl" --concurrency "$CONCURRENCY" \
  --batch "$BATCH" --max-events "$MAX_EVENTS" --max-seconds "$MAX_SECONDS" 2>&1 >/dev/null | sed 's/^/client ceiling: /' >&2
python3 Benchmarks/load/load.py --port "$PORT" --token "$TOKEN" --events "$WORK/events.jsonl" \
  --concurrency "$CONCURRENCY" --batch "$BATCH" --max-events "$MAX_EVENTS" --max-seconds "$MAX_SECONDS" | tee "$WORK/report.txt"
# What the server saw: events applied again after losing a routing race (another writer first).
python3 - "$PORT" "$TOKEN" >&2 <<'PY' || true
import sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/metrics", headers={"Authorization": "Bearer " + sys.argv[2]})
for line in urllib.request.urlopen(req, timeout=10).read().decode().splitlines():
    if line.startswith("baton_event_race_retries_total"):
        print("server:", line)
PY
if [ -n "$SMOKE" ]; then
  # Every event sent is answered, none with a 5xx or a refusal, and some are scored.
  python3 - "$WORK/report.txt" <<'PY'
import json, sys
report = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
problems = []
if report["http_5xx"]: problems.append(f"{report['http_5xx']} answers were 5xx")
if report["rejected"]: problems.append(f"{report['rejected']} events were rejected")
if report["applied"] == 0 or report["scored_events_per_second"] <= 0: problems.append("no event was applied and scored")
if report["events_sent"] == 0: problems.append("no event was sent")
if problems: sys.exit("load smoke run failed: " + "; ".join(problems))
print(f"load smoke run: {report['events_sent']} events, {report['applied']} applied, {report['duplicate']} duplicate, no 5xx, none rejected")
PY
fi
