import Foundation
import HandoffFlow
import HandoffPersistence
import HandoffRules
import HandoffSQLite
import HandoffServer
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The CRM sync message is written in the event's own unit of work.
@Suite struct CRMSyncUnitTests {
    static var created: [String: Any] {
        ServiceFixture.event(
            "e-1", "lead_created", lead: "L1", at: "2026-03-02T10:00:00Z",
            ["fields": ["company_size": "1000+", "budget_authority": "yes", "region": "na", "email_opens": 4]])
    }

    /// A service over `store` (wrapping the fixture's SQLite file) with a CRM sync URL.
    static func service(_ files: ServiceFixture.Files, wrap: (SQLiteHandoffStore) -> any HandoffStore) async throws -> (HandoffService, String) {
        var configuration = ServiceFixture.configuration(files)
        configuration.crmSyncURL = "http://127.0.0.1:9/crm"
        let sqlite = try SQLiteHandoffStore(path: files.db)
        let store = wrap(sqlite)
        let runtime = try await ModelRuntime(
            store: store, playbook: try Playbook.load(url: URL(fileURLWithPath: files.playbook)),
            initialModel: URL(fileURLWithPath: files.model), knownFields: ["region", "demo_requests"],
            now: Date())
        let tokens = TokenRegistry(store: store)
        let service = HandoffService(configuration: configuration, store: store, runtime: runtime, tokens: tokens)
        return (service, try await tokens.issue(name: "ingest", role: .ingest))
    }

    @Test func theSyncRowIsInTheSameCommitAsTheEvent() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        var recorder: UnitRecorder?
        let (service, token) = try await Self.service(files) { sqlite in
            let r = UnitRecorder(sqlite, failCRMSync: false)
            recorder = r
            return r
        }
        let app = Application(router: service.router())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(token),
                body: ServiceFixture.body(Self.created))
            #expect(response.status == .created)
        }
        let units = try #require(recorder).units
        let unit = try #require(units.first { $0.contains { if case .appendEvent(let e) = $0 { e.id == "e-1" } else { false } } })
        #expect(unit.contains { if case .raiseAlert(let a) = $0 { a.id == "e-1/crm-sync" && a.kind == "crm-sync" } else { false } })
        // …and in no other unit.
        #expect(units.filter { $0.contains { if case .raiseAlert(let a) = $0 { a.kind == "crm-sync" } else { false } } }.count == 1)
    }

    @Test func aStoreThatFailsTheUnitStoresNeitherEventNorSync() async throws {
        let files = try ServiceFixture.files()
        defer { files.remove() }
        let (service, token) = try await Self.service(files) { UnitRecorder($0, failCRMSync: true) }
        let app = Application(router: service.router())
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/events", method: .post, headers: ServiceFixture.auth(token),
                body: ServiceFixture.body(Self.created))
            #expect(response.status == .serviceUnavailable)  // not acknowledged: the sender retries
        }
        let sqlite = try SQLiteHandoffStore(path: files.db)
        #expect(try await sqlite.lead(id: "L1") == nil)
        #expect(try await sqlite.counts().events == 0)
        let alerts = try await sqlite.activity(in: ReportPeriod(start: .distantPast, end: .distantFuture)).alerts
        #expect(alerts.isEmpty)
    }
}

/// Forwards to SQLite, recording each committed unit's operations; with `failCRMSync` it refuses
/// (as a crash or I/O error would) any write that carries a CRM sync row, wherever it comes.
final class UnitRecorder: HandoffStore, @unchecked Sendable {
    let base: SQLiteHandoffStore
    let failCRMSync: Bool
    private let lock = NSLock()
    private var recorded: [[WriteOperation]] = []
    var units: [[WriteOperation]] { lock.withLock { recorded } }

    init(_ base: SQLiteHandoffStore, failCRMSync: Bool) {
        self.base = base
        self.failCRMSync = failCRMSync
    }

    func commit(_ unit: UnitOfWork) async throws(StoreError) -> UnitResult {
        let ops = (unit.trigger.map { [$0] } ?? []) + unit.operations
        if failCRMSync, ops.contains(where: { if case .raiseAlert(let a) = $0 { a.kind == "crm-sync" } else { false } }) {
            throw .database(operation: "commit", message: "disk I/O error (injected)")
        }
        let result = try await base.commit(unit)
        lock.withLock { recorded.append(ops) }
        return result
    }

    func close() async throws(StoreError) { try base.close() }

    func commit(_ units: [UnitOfWork]) async throws(StoreError) -> [UnitResult] {
        var results: [UnitResult] = []
        for unit in units { results.append(try await commit(unit)) }
        return results
    }

    /// Unit by unit through ``commit(_:)-(UnitOfWork)``, so the injected failure hits one unit of a group.
    func commitEach(_ units: [UnitOfWork]) async throws(StoreError) -> [Result<UnitResult, StoreError>] {
        var results: [Result<UnitResult, StoreError>] = []
        for unit in units {
            do { results.append(.success(try await commit(unit))) } catch { results.append(.failure(error)) }
        }
        return results
    }

    func registerModel(_ upload: ModelUpload) async throws(StoreError) -> WriteOutcome { try await base.registerModel(upload) }
    func promoteModel(sha256: String, at date: Date) async throws(StoreError) { try await base.promoteModel(sha256: sha256, at: date) }
    func rollBackModel(at date: Date) async throws(StoreError) -> RegisteredModel { try await base.rollBackModel(at: date) }
    func productionModel() async throws(StoreError) -> RegisteredModel? { try await base.productionModel() }
    func model(sha256: String, includeBytes: Bool) async throws(StoreError) -> RegisteredModel? {
        try await base.model(sha256: sha256, includeBytes: includeBytes)
    }
    func models() async throws(StoreError) -> [RegisteredModel] { try await base.models() }
    func deployments() async throws(StoreError) -> [ModelDeployment] { try await base.deployments() }
    func lead(id: String) async throws(StoreError) -> LeadRecord? { try await base.lead(id: id) }
    func event(id: String) async throws(StoreError) -> EngagementEventRecord? { try await base.event(id: id) }
    func leadTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? { try await base.leadTimeline(leadID: leadID) }
    func flowTimeline(leadID: String) async throws(StoreError) -> LeadTimeline? { try await base.flowTimeline(leadID: leadID) }
    func reps() async throws(StoreError) -> [RepRecord] { try await base.reps() }
    func routerState(name: String) async throws(StoreError) -> RouterStateRecord? { try await base.routerState(name: name) }
    func decisionLedger(leadID: String) async throws(StoreError) -> [DecisionLedgerRecord] { try await base.decisionLedger(leadID: leadID) }
    func decisionLedger(kind: DecisionLedgerKind, decidedIn period: ReportPeriod) async throws(StoreError) -> [DecisionLedgerRecord] {
        try await base.decisionLedger(kind: kind, decidedIn: period)
    }
    func accountCandidates(ids: [String], domains: [String], name: String?, everyNamed: Bool) async throws(StoreError) -> [AccountRecord] {
        try await base.accountCandidates(ids: ids, domains: domains, name: name, everyNamed: everyNamed)
    }
    func leadAccount(leadID: String) async throws(StoreError) -> LeadAccount? { try await base.leadAccount(leadID: leadID) }
    func leadMerges(involving leadID: String, includeEnded: Bool) async throws(StoreError) -> [LeadMergeRecord] {
        try await base.leadMerges(involving: leadID, includeEnded: includeEnded)
    }
    func leadIDs(emailKey: String) async throws(StoreError) -> [String] { try await base.leadIDs(emailKey: emailKey) }
    func accountHolders(accountID: String, excludingLead leadID: String?) async throws(StoreError) -> [String] {
        try await base.accountHolders(accountID: accountID, excludingLead: leadID)
    }
    func accountContacts(accountID: String, limit: Int) async throws(StoreError) -> [String] {
        try await base.accountContacts(accountID: accountID, limit: limit)
    }
    func openHandoffs(repID: String?) async throws(StoreError) -> [OpenHandoff] { try await base.openHandoffs(repID: repID) }
    func openAssignmentCounts() async throws(StoreError) -> [String: Int] { try await base.openAssignmentCounts() }
    func leadList(_ query: LeadListQuery) async throws(StoreError) -> LeadListPage { try await base.leadList(query) }
    func outbox(_ query: OutboxQuery) async throws(StoreError) -> OutboxPage { try await base.outbox(query) }
    func outboxEntry(id: String) async throws(StoreError) -> OutboxEntry? { try await base.outboxEntry(id: id) }
    func outboxSummary() async throws(StoreError) -> [OutboxTargetSummary] { try await base.outboxSummary() }
    func leadHistories(createdBefore date: Date) async throws(StoreError) -> [LeadHistory] {
        try await base.leadHistories(createdBefore: date)
    }
    func timersDue(before date: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        try await base.timersDue(before: date, limit: limit)
    }
    func claimDueTimers(before date: Date, owner: String, leaseUntil: Date, limit: Int) async throws(StoreError) -> [SLATimerRecord] {
        try await base.claimDueTimers(before: date, owner: owner, leaseUntil: leaseUntil, limit: limit)
    }
    func alertsPendingDelivery(at date: Date, limit: Int) async throws(StoreError) -> [AlertRecord] {
        try await base.alertsPendingDelivery(at: date, limit: limit)
    }
    func activity(in period: ReportPeriod) async throws(StoreError) -> ActivityBatch { try await base.activity(in: period) }
    func cohort(createdIn period: ReportPeriod) async throws(StoreError) -> ActivityBatch { try await base.cohort(createdIn: period) }
    func counts() async throws(StoreError) -> StoreCounts { try await base.counts() }
    func issueAccessToken(_ token: AccessTokenRecord) async throws(StoreError) { try await base.issueAccessToken(token) }
    func importAccessTokens(_ tokens: [AccessTokenRecord]) async throws(StoreError) -> Int { try await base.importAccessTokens(tokens) }
    func revokeAccessToken(name: String) async throws(StoreError) -> Bool { try await base.revokeAccessToken(name: name) }
    func accessTokens() async throws(StoreError) -> [AccessTokenRecord] { try await base.accessTokens() }
    func accessToken(sha256: String) async throws(StoreError) -> AccessTokenRecord? { try await base.accessToken(sha256: sha256) }
    func probeWrite(instance: String, at date: Date) async throws(StoreError) { try await base.probeWrite(instance: instance, at: date) }
    func savePushSubscription(_ subscription: PushSubscriptionRecord) async throws(StoreError) -> Bool {
        try await base.savePushSubscription(subscription)
    }
    func removePushSubscription(endpoint: String, rep: String?) async throws(StoreError) -> Bool {
        try await base.removePushSubscription(endpoint: endpoint, rep: rep)
    }
    func pushSubscriptions(rep: String) async throws(StoreError) -> [PushSubscriptionRecord] { try await base.pushSubscriptions(rep: rep) }
    func serviceKey(name: String, orStore candidate: String, at date: Date) async throws(StoreError) -> String {
        try await base.serviceKey(name: name, orStore: candidate, at: date)
    }
}
