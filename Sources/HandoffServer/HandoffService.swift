import BatonSupport
import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffStores
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL

/// `baton serve`: the hand-off flow over HTTP, with its SLA scheduler and alert delivery.
///
/// ```swift
/// let (service, adminToken) = try await HandoffService.open(configuration)
/// if let adminToken { print(adminToken) }                 // first start only
/// try await service.run()                                  // until SIGINT/SIGTERM
/// ```
///
/// Ingest (`POST /events`) answers only after each event's unit of work is committed to the
/// store (SQLite `synchronous = FULL`, WAL; or a PostgreSQL transaction): a 2xx means the event
/// survives a crash or power loss. Concurrent ingests share one commit (``GroupCommit``); a
/// lead's events are applied one at a time in arrival order (``LeadTurns``). Several instances may share one PostgreSQL store behind a
/// load balancer: events are idempotent by id, SLA steps are claimed under a lease, and tokens
/// live in the store. When the store cannot be reached a request fails with 503 and nothing
/// of it is half-written. The scheduler and the delivery loop run beside the server and never hold up ingest:
/// a channel that hangs or fails only delays its own alerts, retried with exponential backoff.
package final class HandoffService: Sendable {
    package let configuration: ServiceConfiguration
    package let store: any HandoffStore
    package let runtime: ModelRuntime
    package let tokens: TokenRegistry
    package let metrics: ServiceMetrics
    package let deliverer: AlertDeliverer
    /// The service's clock (tests inject a fixed one).
    package let now: @Sendable () -> Date
    /// HTTPS settings from ``ServiceConfiguration/tlsCertificate`` and ``ServiceConfiguration/tlsKey``; nil serves plain HTTP.
    let tls: TLSConfiguration?
    let logger: Logger
    /// The inbound integrations (field mapping, vendor secrets); none configured by default.
    package let integrations: IntegrationSetup
    /// Push alerts' action tokens (and ntfy access tokens); nil when no channel pushes.
    package let push: PushActions?
    /// Gathers the units of concurrent ingests into one transaction (``ServiceConfiguration/groupCommitMaxEvents``,
    /// ``ServiceConfiguration/groupCommitWindowMilliseconds``).
    package let groupCommit: GroupCommit
    /// One event at a time per lead, so a group never holds a lead's event computed without its predecessor.
    let leadTurns = LeadTurns()

    package init(
        configuration: ServiceConfiguration, store: any HandoffStore, runtime: ModelRuntime, tokens: TokenRegistry,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "baton.serve"), tls: TLSConfiguration? = nil,
        signer: WebhookSigner? = nil, writeBack: CRMWriteBack? = nil,
        deliveryJitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, integrations: IntegrationSetup = IntegrationSetup(),
        push: PushActions? = nil
    ) {
        self.push = push
        self.configuration = configuration
        self.integrations = integrations
        self.tls = tls
        self.store = store
        self.runtime = runtime
        self.tokens = tokens
        self.now = now
        self.logger = logger
        let metrics = ServiceMetrics()
        self.metrics = metrics
        groupCommit = GroupCommit(store: store, settings: configuration.groupCommitSettings)
        deliverer = AlertDeliverer(
            store: store, configuration: configuration, metrics: metrics, now: now, logger: logger, signer: signer, writeBack: writeBack,
            push: push, jitter: deliveryJitter, roster: { await runtime.current().flow.roster })
    }

    /// Opens the store (``ServiceConfiguration/db``: an SQLite file or a `postgres://` URL, as
    /// every store command reads `--db`), the playbook and the production model. On first start
    /// (no token in the store) it imports an old token file if there is one, else issues an
    /// `admin` token and returns its text, to be printed once.
    ///
    /// - Throws: ``ServiceError``.
    package static func open(
        _ configuration: ServiceConfiguration, logger: Logger = Logger(label: "baton.serve"),
        now: @escaping @Sendable () -> Date = { Date() }, deliveryJitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    )
        async throws(ServiceError) -> (service: HandoffService, firstAdminToken: String?)
    {
        let configuration = try configuration.validated()
        var tls: TLSConfiguration?
        if let certificate = configuration.tlsCertificate, let key = configuration.tlsKey {
            tls = try ServiceTLS.load(certificate: certificate, key: key)
        }
        let signer = try configuration.webhookSecretFile.map { (file) throws(ServiceError) in try WebhookSigner.load(file: file) }
        let writeBack = try configuration.crmWriteback.map { (file) throws(ServiceError) in
            try CRMWriteBack.load(file: file, environment: ProcessInfo.processInfo.environment)
        }
        var push = try PushActions.load(configuration, environment: ProcessInfo.processInfo.environment)
        guard let playbookPath = configuration.playbook else {
            throw .configuration(
                file: nil, key: "playbook", problem: "is required: pass --playbook FILE, set BATON_PLAYBOOK or `playbook` in the config file")
        }
        let store: any HandoffStore
        do { store = try await StoreLocation.open(configuration.db ?? "") } catch { throw .store(error) }
        let playbook: Playbook
        do { playbook = try Playbook.load(url: URL(fileURLWithPath: playbookPath)) } catch { throw .engine(.playbook(error)) }
        // The trackers (`trackers:`) are checked at start, so a bad one fails the start, not a request.
        let runtime = try await ModelRuntime(
            store: store, playbook: playbook,
            initialModel: configuration.model.map { URL(fileURLWithPath: $0) },
            knownFields: Set(configuration.knownFields), now: now())
        try Self.checkAlertPreferences(await runtime.current().flow.roster, configuration: configuration, playbook: playbookPath)
        let integrations = try IntegrationSetup.load(configuration, engine: await runtime.current(), environment: ProcessInfo.processInfo.environment)
        if let base = push?.baseURL, configuration.hasWebPushChannel {
            // RFC 8292 §2.1: `sub` is a contact URI; the service's own address is one.
            push?.vapid = try await WebPushKey.load(store, subject: base, at: now())
        }
        let tokens = TokenRegistry(store: store)
        let firstToken = try await TokenFirstStart.run(tokens, legacyFile: configuration.legacyTokensFile, at: now(), logger: logger)
        let service = HandoffService(
            configuration: configuration, store: store, runtime: runtime, tokens: tokens, now: now, logger: logger, tls: tls, signer: signer,
            writeBack: writeBack, deliveryJitter: deliveryJitter, integrations: integrations, push: push)
        return (service, firstToken)
    }

    /// Every channel a rep's `alerts.channels` names must be an `alert_channels` key.
    static func checkAlertPreferences(_ roster: RepRoster, configuration: ServiceConfiguration, playbook: String) throws(ServiceError) {
        for (index, rep) in roster.reps.enumerated() {
            for name in rep.alerts?.channels ?? [] where configuration.alertChannels[name] == nil {
                let near = NearestName.candidates(near: name, among: configuration.alertChannels.keys.sorted())
                throw .configuration(
                    file: playbook, key: "reps[\(index)].alerts.channels",
                    problem:
                        "rep '\(rep.id)' names channel '\(name)', which the service's alert_channels does not define"
                        + (near.isEmpty ? "; add it there" : " (did you mean \(near.joined(separator: ", "))?)"))
            }
        }
    }

    /// The router with every route, behind bearer authentication.
    package func router() -> Hummingbird.Router<ServiceContext> {
        let router = Hummingbird.Router(context: ServiceContext.self)
        router.add(middleware: RequestCounterMiddleware(metrics: metrics))
        let routeTable = RouteTable()
        router.add(middleware: MethodNotAllowedMiddleware(table: routeTable))
        router.add(middleware: StoreFailureMiddleware(logger: logger))
        router.add(middleware: BearerAuthMiddleware(tokens: tokens, bodyLimit: configuration.maxBodyBytes, now: now))
        addOperationsRoutes(to: router)
        addEventRoutes(to: router)
        addSegmentRoutes(to: router)
        addIntegrationRoutes(to: router)
        addReadRoutes(to: router)
        addDecisionRoutes(to: router)
        addAssignRoutes(to: router)
        addInteractionRoutes(to: router)
        addLeadListRoutes(to: router)
        addModelRoutes(to: router)
        addTokenRoutes(to: router)
        addDashboardRoutes(to: router)
        addOutboxRoutes(to: router)
        addActionRoutes(to: router)
        addPushSubscriptionRoutes(to: router)
        DashboardWebApp.addRoutes(to: router)
        routeTable.fill(from: router)
        return router
    }

    /// Runs the server, the SLA scheduler and the delivery loop until SIGINT/SIGTERM.
    /// - Parameter onRunning: called with the bound port once the server listens.
    package func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: router(),
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "baton"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let loops = startBackgroundLoops()
        defer { loops.cancel() }
        try await app.runService()
    }

    /// Starts the SLA scheduler and the alert delivery loop; cancel the task to stop both.
    package func startBackgroundLoops() -> Task<Void, Never> {
        let deliverer = self.deliverer
        let scheduler = SLAScheduler(
            runtime: runtime, metrics: metrics, interval: configuration.tickIntervalSeconds, now: now, logger: logger, deliverer: deliverer)
        let interval = configuration.deliveryIntervalSeconds
        return Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await scheduler.run() }
                group.addTask { await deliverer.run(interval: interval) }
            }
        }
    }
}

/// Counts requests by method and status for `/metrics` (errors included).
struct RequestCounterMiddleware: RouterMiddleware {
    typealias Context = ServiceContext
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            await metrics.request(method: request.method.rawValue, status: response.status.code)
            return response
        } catch let error as HTTPResponseError {
            await metrics.request(method: request.method.rawValue, status: error.status.code)
            throw error
        } catch {
            await metrics.request(method: request.method.rawValue, status: 500)
            throw error
        }
    }
}
