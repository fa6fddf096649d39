import Synchronization

/// One routing at a time in this process, held from the read of the router state until the
/// routing event's unit of work is committed.
///
/// The router state (round-robin credits, account picks) is read, advanced and written back with
/// a compare-and-swap on its revision, so two events that route from the same revision cannot
/// both commit. Across instances that is the only guard, and the loser applies again. Inside
/// one process it was a self-inflicted race: with group commit, events computed at the same time
/// commit in one transaction, so every routing event but the first in a group failed its swap
/// and went round the retry loop again. Under load a lead could lose ten times running and be
/// refused (issue 19's `rejected` column; a 422 in the two-instance test). Events that do not
/// route never take the turn; those that do wait for the previous one's commit (a few
/// milliseconds), then read the state it wrote.
package actor RoutingTurn {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    package init() {}

    /// Takes the turn, waiting for it when another unit holds it.
    /// - Returns: whether it had to wait.
    func take(beforeWaiting: @Sendable () async -> Void) async -> Bool {
        guard held else {
            held = true
            return false
        }
        await beforeWaiting()
        // The holder may have given the turn back meanwhile (the actor was free during the call).
        guard held else {
            held = true
            return true
        }
        await withCheckedContinuation { waiting.append($0) }
        return true
    }

    /// Hands the turn to the next waiter (first come, first served), or frees it.
    func give() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}

/// One unit of work's hold on the ``RoutingTurn``: taken when it first routes (a second routing
/// in the same unit does not wait for itself), given back once the unit is committed or dropped.
final class RoutingClaim: Sendable {
    private let turn: RoutingTurn
    private let holds = Mutex(false)
    private let waiting: (@Sendable (_ waits: Bool) async -> Void)?

    init(_ turn: RoutingTurn, waiting: (@Sendable (_ waits: Bool) async -> Void)?) {
        self.turn = turn
        self.waiting = waiting
    }

    /// Takes the turn; `waiting` is told before the unit waits for it (`true`) and once it has it
    /// (`false`), so a group commit does not hold its group open for a unit that cannot arrive
    /// before the group's own routing unit commits.
    func take() async {
        guard !holds.withLock({ $0 }) else { return }
        let waiting = self.waiting
        let waited = await turn.take { await waiting?(true) }
        if waited { await waiting?(false) }
        holds.withLock { $0 = true }
    }

    func giveBack() async {
        let held = holds.withLock { holds in
            let was = holds
            holds = false
            return was
        }
        guard held else { return }
        await turn.give()
    }

    /// Runs `body` and gives the turn back however it ends.
    static func around<T>(
        _ turn: RoutingTurn, waiting: (@Sendable (_ waits: Bool) async -> Void)? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: (RoutingClaim) async throws(EngineError) -> T
    ) async throws(EngineError) -> T {
        let claim = RoutingClaim(turn, waiting: waiting)
        let result: Result<T, EngineError>
        do throws(EngineError) { result = .success(try await body(claim)) } catch { result = .failure(error) }
        await claim.giveBack()
        return try result.get()
    }
}
