import Foundation
import HandoffPersistence

/// Counters the service keeps in memory since start, written as Prometheus text by `/metrics`
/// together with gauges read from the store at scrape time.
package actor ServiceMetrics {
    /// Events by `type` and outcome (`applied`, `duplicate`, `rejected`).
    private(set) var events: [String: Int] = [:]
    private(set) var requests: [String: Int] = [:]
    private(set) var alertsDelivered: [String: Int] = [:]
    private(set) var alertFailures: [String: Int] = [:]
    private(set) var deadLettered: [String: Int] = [:]
    /// Delivery health per endpoint as this instance saw it since start.
    private(set) var endpoints: [String: EndpointHealth] = [:]
    private(set) var slaEffects: [String: Int] = [:]
    private(set) var ticks = 0
    /// Events applied again because another writer routed or assigned between their reads and their commit.
    private(set) var raceRetries = 0
    private(set) var tickErrors = 0
    /// Ingest latency histogram buckets (seconds) for POST /events, per event.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    private(set) var latencyCounts = [Int](repeating: 0, count: buckets.count)
    private(set) var latencySum = 0.0
    private(set) var latencyCount = 0
    package let startedAt = Date()

    package init() {}

    func event(type: String, outcome: String) { events["\(type)|\(outcome)", default: 0] += 1 }
    func raceRetry() { raceRetries += 1 }
    func request(method: String, status: Int) { requests["\(method)|\(status)", default: 0] += 1 }
    /// One delivery attempt of an outbox row of `kind` to `endpoint` and what it led to.
    func attempt(endpoint: String, kind: String, outcome: AlertDeliveryOutcome, at: Date) {
        var health = endpoints[endpoint] ?? EndpointHealth()
        switch outcome {
        case .delivered:
            alertsDelivered[kind, default: 0] += 1
            health.lastSuccessAt = at
            health.consecutiveFailures = 0
        case .retry, .deadLetter:
            alertFailures[kind, default: 0] += 1
            health.lastFailureAt = at
            health.consecutiveFailures += 1
            if case .deadLetter = outcome { deadLettered[kind, default: 0] += 1 }
        }
        endpoints[endpoint] = health
    }
    func tick(effects: [String], failed: Bool) {
        ticks += 1
        if failed { tickErrors += 1 }
        for e in effects { slaEffects[e, default: 0] += 1 }
    }
    func ingestLatency(_ seconds: Double) {
        latencySum += seconds
        latencyCount += 1
        for (i, bound) in Self.buckets.enumerated() where seconds <= bound { latencyCounts[i] += 1 }
    }

    /// A label value as the exposition format requires: backslash, double quote and line feed escaped.
    nonisolated static func labelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Prometheus text exposition (version 0.0.4) of the counters plus `gauges`.
    func render(gauges: [(name: String, help: String, labels: String, value: Double)]) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) { out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n" }
        func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)" }
        family("baton_events_total", "counter", "Inbound events by type and outcome (applied, duplicate, rejected).")
        for (key, n) in events.sorted(by: { $0.key < $1.key }) {
            let p = key.split(separator: "|", maxSplits: 1)
            out += "baton_events_total{type=\"\(p[0])\",outcome=\"\(p[1])\"} \(n)\n"
        }
        family("baton_http_requests_total", "counter", "HTTP requests by method and status.")
        for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
            let p = key.split(separator: "|", maxSplits: 1)
            out += "baton_http_requests_total{method=\"\(p[0])\",status=\"\(p[1])\"} \(n)\n"
        }
        family("baton_alerts_delivered_total", "counter", "Alerts delivered, by kind.")
        for (k, n) in alertsDelivered.sorted(by: { $0.key < $1.key }) { out += "baton_alerts_delivered_total{kind=\"\(k)\"} \(n)\n" }
        family("baton_alert_delivery_failures_total", "counter", "Failed alert delivery attempts, by kind (each retry counts).")
        for (k, n) in alertFailures.sorted(by: { $0.key < $1.key }) { out += "baton_alert_delivery_failures_total{kind=\"\(k)\"} \(n)\n" }
        family("baton_outbox_dead_letter_total", "counter", "Outbox rows given up (dead letter) by this instance, by kind.")
        for (k, n) in deadLettered.sorted(by: { $0.key < $1.key }) { out += "baton_outbox_dead_letter_total{kind=\"\(k)\"} \(n)\n" }
        family("baton_outbox_endpoint_consecutive_failures", "gauge", "Failed attempts in a row per endpoint since its last success (this instance).")
        for (name, health) in endpoints.sorted(by: { $0.key < $1.key }) {
            out += "baton_outbox_endpoint_consecutive_failures{endpoint=\"\(Self.labelValue(name))\"} \(health.consecutiveFailures)\n"
        }
        family(
            "baton_event_race_retries_total", "counter",
            "Events applied again because another writer took a routing turn or assigned the lead first (another instance).")
        out += "baton_event_race_retries_total \(raceRetries)\n"
        family("baton_sla_scheduler_ticks_total", "counter", "SLA scheduler runs.")
        out += "baton_sla_scheduler_ticks_total \(ticks)\n"
        family("baton_sla_scheduler_errors_total", "counter", "SLA scheduler runs that failed.")
        out += "baton_sla_scheduler_errors_total \(tickErrors)\n"
        family("baton_sla_effects_total", "counter", "What the SLA scheduler did (breach, reminder, manager notification, reassignment).")
        for (k, n) in slaEffects.sorted(by: { $0.key < $1.key }) { out += "baton_sla_effects_total{effect=\"\(k)\"} \(n)\n" }
        family("baton_ingest_seconds", "histogram", "Time from request to durable commit, per event.")
        for (i, bound) in Self.buckets.enumerated() { out += "baton_ingest_seconds_bucket{le=\"\(bound)\"} \(latencyCounts[i])\n" }
        out +=
            "baton_ingest_seconds_bucket{le=\"+Inf\"} \(latencyCount)\nbaton_ingest_seconds_sum \(latencySum)\nbaton_ingest_seconds_count \(latencyCount)\n"
        var seen = Set<String>()
        for g in gauges {
            if seen.insert(g.name).inserted { family(g.name, "gauge", g.help) }
            out += "\(g.name)\(g.labels.isEmpty ? "" : "{\(g.labels)}") \(number(g.value))\n"
        }
        return out
    }
}

/// How one outbound endpoint fares, as one instance saw it.
struct EndpointHealth: Sendable, Hashable {
    var lastSuccessAt: Date?
    var lastFailureAt: Date?
    var consecutiveFailures = 0
}
