#!/usr/bin/env python3
"""Loopback load client for `baton serve` (standard library only).

Streams a JSONL event log (from `baton generate --events`) to POST /events with N concurrent
keep-alive connections. Events are partitioned by lead_id, so each lead's events keep their file
order (the engine refuses a contact attempt older than the lead's latest event). Bounded by
--max-events and --max-seconds, whichever comes first.

The client must not be the ceiling it measures: it runs on the same cores as the server. Every
request is therefore encoded once before the clock starts, and the connections are asyncio
streams on one thread (no GIL hand-offs between client threads, no http.client parsing); an
answer is read by its Content-Length and only its "status" members are decoded. `--self-check`
times the client alone against a trivial loopback HTTP server, to state its own ceiling.

Reports: requests, events applied / duplicate / rejected, sustained scored events per second
(applied lead_created/lead_updated/engagement events — each one rescored — over wall time),
all events per second, and request latency p50/p90/p99/max in milliseconds. Prints one JSON
object on the last line.
"""
import argparse, asyncio, json, re, sys, time, zlib

STATUS = re.compile(rb'"status"\s*:\s*"([a-z_]+)"')
SCORED_KINDS = {"lead_created", "lead_updated", "engagement"}


def request_bytes(port, token, body):
    head = (
        f"POST /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_answer(reader):
    """One HTTP/1.1 answer: (status code, body). Baton answers with Content-Length."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    code = int(lines[0].split(b" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return code, body


async def run(a, lanes):
    counts = {"applied": 0, "duplicate": 0, "rejected": 0, "not_processed": 0, "scored": 0, "http_errors": 0}
    latencies = []
    refusals = []  # the first few refusals' answers, so a rejected count comes with its reason
    deadline = time.monotonic() + a.max_seconds
    clock = time.perf_counter

    async def worker(lane):
        reader, writer = await asyncio.open_connection("127.0.0.1", a.port)
        try:
            for payload, kinds in lane:
                if time.monotonic() > deadline:
                    return
                t0 = clock()
                writer.write(payload)
                code, body = await read_answer(reader)
                latencies.append(clock() - t0)
                if code >= 500:
                    counts["http_errors"] += 1
                statuses = [m.decode() for m in STATUS.findall(body)]
                if len(statuses) != len(kinds):  # an error answer for the whole request
                    statuses = ["rejected"] * len(kinds)
                if ("rejected" in statuses or code >= 400) and len(refusals) < 5:
                    refusals.append(f"{code} {body[:300].decode(errors='replace')}")
                for kind, s in zip(kinds, statuses):
                    counts[s] = counts.get(s, 0) + 1
                    if s == "applied" and kind in SCORED_KINDS:
                        counts["scored"] += 1
        finally:
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(worker(lane) for lane in lanes))
    return counts, sorted(latencies), time.monotonic() - start, refusals


def lanes_for(a, events):
    lanes = [[] for _ in range(a.concurrency)]
    for e in events:
        lanes[zlib.crc32(e["lead_id"].encode()) % a.concurrency].append(e)
    encoded = []
    for lane in lanes:
        requests = []
        for i in range(0, len(lane), a.batch):
            chunk = lane[i : i + a.batch]
            body = json.dumps(chunk[0] if a.batch == 1 else chunk).encode()
            requests.append((request_bytes(a.port, a.token, body), [e["type"] for e in chunk]))
        encoded.append(requests)
    return encoded


async def self_check(a):
    """The client's own ceiling: the same loop against a server that answers at once."""
    answer = b'HTTP/1.1 201 Created\r\nContent-Length: 20\r\n\r\n{"status":"applied"}'

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
                await reader.readexactly(length)
                writer.write(answer)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    a.port = server.sockets[0].getsockname()[1]
    return server


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int)
    p.add_argument("--token", default="")
    p.add_argument("--events", required=True)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--batch", type=int, default=1, help="events per request (1 = one request per event)")
    p.add_argument("--max-events", type=int, default=5000)
    p.add_argument("--max-seconds", type=float, default=60)
    p.add_argument("--self-check", action="store_true", help="time the client against a trivial loopback server")
    a = p.parse_args()
    if a.port is None and not a.self_check:
        p.error("--port is required (or --self-check)")

    with open(a.events) as f:
        events = [json.loads(line) for line in f if line.strip()][: a.max_events]

    async def go():
        server = await self_check(a) if a.self_check else None
        try:
            return await run(a, lanes_for(a, events))
        finally:
            if server:
                server.close()

    counts, lat, wall, refusals = asyncio.run(go())

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
    if refusals:
        report["refusals"] = refusals
    if a.self_check:
        report["self_check"] = True
    print(f"{sent} events in {wall:.1f} s over {a.concurrency} connections (batch {a.batch}): "
          f"{report['scored_events_per_second']} scored events/s, {report['events_per_second']} events/s; "
          f"request p50 {report['latency_ms']['p50']} ms, p99 {report['latency_ms']['p99']} ms; "
          f"{counts['applied']} applied, {counts['duplicate']} duplicate, {counts['rejected']} rejected"
          + (" (self-check: trivial server, not Baton)" if a.self_check else ""), file=sys.stderr)
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    main()
