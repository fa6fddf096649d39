import Foundation
import HandoffPersistence
import Hummingbird

extension HandoffService {
    func addOperationsRoutes(to router: Hummingbird.Router<ServiceContext>) {
        // The only route without a token: for load balancers and process supervisors.
        router.get("/health") { _, _ in
            do {
                _ = try await self.store.productionModel()
                return JSONResponse.make(Health(status: .ok))
            } catch {
                return JSONResponse.make(Health(status: .storeUnavailable), status: .serviceUnavailable)
            }
        }
        // Also without a token: 200 only when the store takes a write now (a committed update of
        // this instance's probe row), so a supervisor stops sending events to an instance whose
        // disk is full or whose database is read-only or locked; `/health` only proves a read.
        router.get("/ready") { _, _ in
            do {
                try await self.store.probeWrite(instance: SLAScheduler.instanceID, at: self.now())
                return JSONResponse.make(Readiness(status: .ready))
            } catch {
                self.logger.warning("not ready: the store refuses a write (\(error))")
                return JSONResponse.make(Readiness(status: .storeUnwritable), status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { _, context in
            _ = try context.require(.admin)
            return JSONResponse.text(try await self.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/openapi.yaml") { _, context in
            _ = try context.require(.marketing, .sales, .salesManager, .ingest)
            return JSONResponse.text(OpenAPIDocument.yaml, contentType: "application/yaml; charset=utf-8")
        }
    }

    /// Counters since start plus gauges read from the store now.
    func prometheusText() async throws -> String {
        let instant = now()
        let due = try await store.alertsPendingDelivery(at: instant, limit: 100_000)
        let health = try await outboxHealth()
        let open = try await store.timersDue(before: .distantFuture, limit: 1_000_000)
        let counts = try await store.counts()
        let production = try await store.productionModel()
        var gauges: [(name: String, help: String, labels: String, value: Double)] = [
            (
                "baton_alert_queue_depth", "Outbox rows not yet delivered and not dead (including those waiting for a retry).", "",
                Double(health.reduce(0) { $0 + $1.undelivered })
            ),
            ("baton_alert_queue_due", "Undelivered alerts whose next attempt is due now.", "", Double(due.count)),
            ("baton_alerts_failing", "Undelivered alerts with at least one failed attempt.", "", Double(health.reduce(0) { $0 + $1.failing })),
            ("baton_outbox_dead", "Outbox rows in dead letter (kept until replayed).", "", Double(health.reduce(0) { $0 + $1.dead })),
            ("baton_sla_timers_open", "Open SLA timers by state.", "state=\"running\"", Double(open.filter { $0.state == .running }.count)),
            ("baton_sla_timers_open", "Open SLA timers by state.", "state=\"breached\"", Double(open.filter { $0.state == .breached }.count)),
            (
                "baton_sla_timers_past_due", "Running timers past their deadline not yet fired by the scheduler.", "",
                Double(open.filter { $0.state == .running && $0.dueAt <= instant }.count)
            ),
            ("baton_store_rows", "Rows per table in the store.", "table=\"leads\"", Double(counts.leads)),
            ("baton_store_rows", "Rows per table in the store.", "table=\"events\"", Double(counts.events)),
            ("baton_store_rows", "Rows per table in the store.", "table=\"scores\"", Double(counts.scores)),
            ("baton_store_rows", "Rows per table in the store.", "table=\"assignments\"", Double(counts.assignments)),
            ("baton_store_rows", "Rows per table in the store.", "table=\"alerts\"", Double(counts.alerts)),
            ("baton_uptime_seconds", "Seconds since the service started.", "", instant.timeIntervalSince(metrics.startedAt).rounded()),
        ]
        for endpoint in health {
            let label = "endpoint=\"\(ServiceMetrics.labelValue(endpoint.endpoint))\""
            gauges.append(
                ("baton_outbox_endpoint_undelivered", "Outbox rows waiting per endpoint (pending or failed).", label, Double(endpoint.undelivered)))
            gauges.append(("baton_outbox_endpoint_dead", "Outbox rows in dead letter per endpoint.", label, Double(endpoint.dead)))
            if let seconds = endpoint.oldestUndeliveredSeconds {
                gauges.append(("baton_outbox_endpoint_oldest_undelivered_seconds", "Age of the oldest waiting row per endpoint.", label, seconds))
            }
            if let last = endpoint.lastDelivered {
                gauges.append(
                    (
                        "baton_outbox_endpoint_last_success_timestamp_seconds", "When the endpoint last accepted a delivery (Unix seconds).", label,
                        last.timeIntervalSince1970.rounded(.down)
                    ))
            }
        }
        if let production {
            gauges.append(("baton_production_model_info", "The production weight file (value 1).", "sha256=\"\(production.upload.sha256)\"", 1))
        }
        return await metrics.render(gauges: gauges)
    }
}

/// `GET /health`.
struct Health: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case ok
        case storeUnavailable = "store_unavailable"
    }

    let status: Status
}

/// `GET /ready`.
struct Readiness: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case ready
        /// The store answers but refuses a write (disk full, read-only, locked); the log says why.
        case storeUnwritable = "store_unwritable"
    }

    let status: Status
}
