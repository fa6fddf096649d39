import Foundation

/// Group commit: the units of work that concurrent callers commit at the same time are gathered
/// into one transaction, so one sync to disk (SQLite `synchronous = FULL`) or one `COMMIT`
/// round trip (PostgreSQL) covers all of them, and each caller gets its own result only after
/// that commit.
///
/// A group closes when it holds ``Settings/maxUnits`` units, when every announced caller
/// (``enter()``, until it commits or calls ``leave(_:)``) has put its unit in, or
/// ``Settings/window`` after its first unit arrived, whichever comes first; the next group
/// gathers while one is being committed. A lone caller therefore never waits for the window, and
/// callers that announce nothing are grouped only while an earlier group is being committed.
///
/// Each unit runs in a savepoint of the group's transaction (``HandoffStore/commitEach(_:)``):
/// a unit that fails is rolled back alone and its caller gets its error, its neighbours commit.
/// When the group's transaction fails as a whole (the commit refused, the disk full), nothing of
/// it is stored and every unit is retried alone in its own transaction, so one unit's fault is
/// never reported as its neighbours'. Units keep their order inside a group (arrival order), so
/// a caller that commits one unit at a time keeps its order too.
///
/// ```swift
/// let group = GroupCommit(store: store, settings: .init(maxUnits: 256, window: .milliseconds(2)))
/// let ticket = await group.enter()                    // about to compute a unit
/// let result = try await group.commit(unit, ticket: ticket)  // answered after the group's commit
/// await group.leave(ticket)                          // a no-op after commit; needed when nothing was committed
/// ```
package actor GroupCommit {
    /// How large a group may grow and how long its first unit may wait for others.
    package struct Settings: Sendable, Equatable {
        /// The most units in one transaction; 1 commits every unit alone (no grouping).
        package var maxUnits: Int
        /// The longest a group's first unit waits for more units (zero: never waits).
        package var window: Duration

        /// - Precondition: `maxUnits >= 1` and `window >= .zero`.
        package init(maxUnits: Int = 256, window: Duration = .milliseconds(2)) {
            precondition(maxUnits >= 1, "a group holds at least one unit")
            precondition(window >= .zero, "the window cannot be negative")
            self.maxUnits = maxUnits
            self.window = window
        }
    }

    /// Counts since the start, for `/metrics` and the tests.
    package struct Statistics: Sendable, Equatable {
        /// Transactions run for groups (a group retried unit by unit counts once).
        package var groups = 0
        /// Units committed through the groups (whatever their outcome).
        package var units = 0
        /// The largest group so far.
        package var largestGroup = 0
        /// Groups whose transaction failed as a whole and whose units were retried one by one.
        package var retriedGroups = 0
        /// Times a group held its first unit for the window (announced callers still to come).
        package var windowWaits = 0
    }

    private struct Waiter {
        let unit: UnitOfWork
        let arrived: ContinuousClock.Instant
        let continuation: CheckedContinuation<Result<UnitResult, StoreError>, Never>
    }

    nonisolated package let store: any HandoffStore
    nonisolated package let settings: Settings
    private let clock = ContinuousClock()
    private var pending: [Waiter] = []
    private var draining = false
    /// Announced callers whose unit has not arrived yet.
    private var announced: Set<Int> = []
    private var nextTicket = 0
    /// The drain loop waiting for its group to fill, and which wait it is (a late timer of an
    /// earlier wait must not end a later one).
    private var windowWait: (generation: Int, continuation: CheckedContinuation<Void, Never>)?
    private var windowGeneration = 0
    package private(set) var statistics = Statistics()
    /// Units waiting for their group's transaction to begin.
    package var pendingUnits: Int { pending.count }

    package init(store: any HandoffStore, settings: Settings = Settings()) {
        self.store = store
        self.settings = settings
    }

    /// A caller announced with ``enter()``.
    package struct Ticket: Sendable, Hashable {
        let id: Int
    }

    /// Announces a caller that is about to compute a unit and commit it: an open group waits
    /// (within its window) for the units of announced callers rather than commit without them.
    package func enter() -> Ticket {
        nextTicket += 1
        announced.insert(nextTicket)
        return Ticket(id: nextTicket)
    }

    /// Withdraws an announcement whose caller will not commit (a duplicate, a refusal); a no-op
    /// once the caller's unit arrived.
    package func leave(_ ticket: Ticket) {
        guard announced.remove(ticket.id) != nil else { return }
        closeWindowIfComplete()
    }

    /// Announces `ticket`'s caller again after a ``leave(_:)`` (it left while it waited for
    /// something a unit of the open group holds, e.g. the routing turn, and now computes again).
    package func reenter(_ ticket: Ticket) {
        announced.insert(ticket.id)
    }

    /// Commits `unit` with the units committed at the same time, in one transaction.
    /// - Parameter ticket: the caller's announcement (``enter()``), if it made one.
    /// - Returns: the unit's own result, once the transaction that holds it is committed.
    /// - Throws: the unit's own ``StoreError`` (only this unit is then not stored).
    package func commit(_ unit: UnitOfWork, ticket: Ticket? = nil) async throws(StoreError) -> UnitResult {
        if let ticket { announced.remove(ticket.id) }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<UnitResult, StoreError>, Never>) in
            pending.append(Waiter(unit: unit, arrived: clock.now, continuation: continuation))
            closeWindowIfComplete()
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        return try result.get()
    }

    private func drain() async {
        while let first = pending.first {
            let deadline = first.arrived.advanced(by: settings.window)
            if !groupIsComplete, clock.now < deadline {
                windowGeneration += 1
                statistics.windowWaits += 1
                let generation = windowGeneration
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    windowWait = (generation, continuation)
                    Task {
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        self.closeWindow(generation: generation)
                    }
                }
            }
            let group = Array(pending.prefix(settings.maxUnits))
            pending.removeFirst(group.count)
            let results = await run(group.map(\.unit))
            for (waiter, result) in zip(group, results) { waiter.continuation.resume(returning: result) }
        }
        draining = false
    }

    /// True when waiting longer cannot make the group larger: it is full, or no announced
    /// caller's unit is still to come.
    private var groupIsComplete: Bool {
        pending.count >= settings.maxUnits || announced.isEmpty
    }

    private func closeWindowIfComplete() {
        if groupIsComplete, let wait = windowWait { closeWindow(generation: wait.generation) }
    }

    private func closeWindow(generation: Int) {
        guard let wait = windowWait, wait.generation == generation else { return }
        windowWait = nil
        wait.continuation.resume()
    }

    /// One transaction for `units`; unit by unit when it fails as a whole.
    private func run(_ units: [UnitOfWork]) async -> [Result<UnitResult, StoreError>] {
        statistics.groups += 1
        statistics.units += units.count
        statistics.largestGroup = max(statistics.largestGroup, units.count)
        if units.count == 1 { return [await Self.alone(units[0], store)] }
        do {
            let results = try await store.commitEach(units)
            if results.count == units.count { return results }
        } catch {
            // A store that cannot be reached fails each unit alike; retrying one by one would only
            // repeat the wait. Nothing is acknowledged, and a resent event is idempotent.
            if case .unavailable = error { return units.map { _ in .failure(error) } }
        }
        statistics.retriedGroups += 1
        var results: [Result<UnitResult, StoreError>] = []
        results.reserveCapacity(units.count)
        for unit in units { results.append(await Self.alone(unit, store)) }
        return results
    }

    private static func alone(_ unit: UnitOfWork, _ store: any HandoffStore) async -> Result<UnitResult, StoreError> {
        do { return .success(try await store.commit(unit)) } catch { return .failure(error) }
    }
}
