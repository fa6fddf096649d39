#!/usr/bin/env python3
"""Loopback load client for `baton serve` (standard library only).

Streams a JSONL event log (from `baton generate --events`) to POST /events with N concurrent
connections. Events are partitioned by lead_id, so each lead's events keep their file order
(the engine refuses a contact attempt older than the lead's latest event). Bounded by
--max-events and --max-seconds, whichever comes first.

Reports: requests, events applied / duplicate / rejected, sustained scored events per second
(applied lead_created/lead_updated/engagement events — each one rescored — over wall time),
all events per second, and request latency p50/p90/p99/max in milliseconds. Prints one JSON
object on the last line.
"""
import argparse, http.client, json, sys, threading, time, zlib


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--events", required=True)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--batch", type=int, default=1, help="events per request (1 = one request per event)")
    p.add_argument("--max-events", type=int, default=5000)
    p.add_argument("--max-seconds", type=float, default=60)
    a = p.parse_args()

    with open(a.events) as f:
        events = [json.loads(line) for line in f if line.strip()][: a.max_events]
    lanes = [[] for _ in range(a.concurrency)]
    for e in events:
        lanes[zlib.crc32(e["lead_id"].encode()) % a.concurrency].append(e)

    lock = threading.Lock()
    latencies, counts = [], {"applied": 0, "duplicate": 0, "rejected": 0, "not_processed": 0, "scored": 0, "http_errors": 0}
    deadline = time.monotonic() + a.max_seconds
    scored_kinds = {"lead_created", "lead_updated", "engagement"}

    def worker(lane):
        conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
        headers = {"Authorization": "Bearer " + a.token, "Content-Type": "application/json"}
        for i in range(0, len(lane), a.batch):
            if time.monotonic() > deadline:
                return
            chunk = lane[i : i + a.batch]
            body = json.dumps(chunk[0] if a.batch == 1 else chunk)
            t0 = time.perf_counter()
            conn.request("POST", "/events", body, headers)
            r = conn.getresponse()
            data = r.read()
            dt = time.perf_counter() - t0
            results = json.loads(data)
            if a.batch != 1:
                results = results.get("results", [])
            elif "status" not in results:
                results = [{"status": "rejected"}]
            else:
                results = [results]
            with lock:
                latencies.append(dt)
                if r.status >= 500:
                    counts["http_errors"] += 1
                for e, res in zip(chunk, results):
                    s = res.get("status", "rejected")
                    counts[s] = counts.get(s, 0) + 1
                    if s == "applied" and e["type"] in scored_kinds:
                        counts["scored"] += 1

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(lane,)) for lane in lanes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    lat = sorted(latencies)

    def pct(q):
        return 1000 * lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")

    sent = sum(counts[k] for k in ("applied", "duplicate", "rejected", "not_processed"))
    report = {
        "requests": len(lat), "events_sent": sent, "seconds": round(wall, 3), "concurrency": a.concurrency, "batch": a.batch,
        "applied": counts["applied"], "duplicate": counts["duplicate"], "rejected": counts["rejected"],
        "http_5xx": counts["http_errors"],
        "scored_events_per_second": round(counts["scored"] / wall, 1),
        "events_per_second": round(sent / wall, 1),
        "latency_ms": {"p50": round(pct(0.50), 2), "p90": round(pct(0.90), 2), "p99": round(pct(0.99), 2), "max": round(1000 * lat[-1], 2) if lat else None},
    }
    print(f"{sent} events in {wall:.1f} s over {a.concurrency} connections (batch {a.batch}): "
          f"{report['scored_events_per_second']} scored events/s, {report['events_per_second']} events/s; "
          f"request p50 {report['latency_ms']['p50']} ms, p99 {report['latency_ms']['p99']} ms; "
          f"{counts['applied']} applied, {counts['duplicate']} duplicate, {counts['rejected']} rejected", file=sys.stderr)
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
