import Foundation

/// One event at a time per lead (and per event id), in arrival order, across every ingest route.
///
/// The flow computes an event's effects against the state the lead's earlier events left, read
/// from the store before the event's unit is committed. With group commit an earlier event can be
/// computed and waiting for its group's commit when the next one for the same lead arrives: the
/// later one waits here until the earlier one is committed (or refused), so it always reads
/// its predecessor's effects. Events of different leads do not wait for each other.
actor LeadTurns {
    /// What a turn is taken for.
    enum Key: Hashable, Sendable {
        case lead(String)
        case event(String)
    }

    /// Waiters per key whose turn is taken; a key absent here is free.
    private var queues: [Key: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once every earlier holder of `leadID`'s turn here is done.
    nonisolated func inTurn<T: Sendable, E: Error>(_ leadID: Key, _ body: () async throws(E) -> T) async throws(E) -> T {
        await acquire(leadID)
        let result: Result<T, E>
        do throws(E) { result = .success(try await body()) } catch { result = .failure(error) }
        await release(leadID)
        return try result.get()
    }

    private func acquire(_ leadID: Key) async {
        guard queues[leadID] != nil else {
            queues[leadID] = []
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queues[leadID, default: []].append(continuation)
        }
    }

    /// Hands the turn to the next waiter (who now holds it), or frees the lead.
    private func release(_ leadID: Key) {
        guard var waiting = queues[leadID], !waiting.isEmpty else {
            queues[leadID] = nil
            return
        }
        let next = waiting.removeFirst()
        queues[leadID] = waiting
        next.resume()
    }

}
